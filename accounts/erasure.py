"""Deleting a person in the admin means erasing their data: ``privacy`` provides how.

``accounts`` sits below ``privacy`` and cannot import it; ``privacy`` registers its erase service
here from ``AppConfig.ready()``. A user row is never deleted outright: requests, the record of
changes and the ledger point at it (PROTECT), and a delete would either fail or take history with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

_eraser: Callable[..., object] | None = None


def register_user_eraser(eraser: Callable[..., object]) -> None:
    """``eraser(actor=, user=)`` erases everything about ``user`` and keeps the empty account."""
    global _eraser
    _eraser = eraser


def user_eraser() -> Callable[..., object] | None:
    return _eraser


def user_erase(*, actor: User, user: User) -> None:
    if _eraser is None:
        raise RuntimeError("no user eraser registered (the privacy app is not installed)")
    _eraser(actor=actor, user=user)

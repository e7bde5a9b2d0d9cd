"""The seam between a request and the feasibility rounds that network runs for it.

Dependencies point network → inquiries, so the request page cannot import network. Instead
network registers a provider in its ``AppConfig.ready()``; the request page asks
``released_answers_for(inquiry)`` and shows nothing when no provider is registered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReleasedAnswer:
    """One site's answer, released to the applicant with the site's consent."""

    site: str
    site_url: str
    answer: str  # the label, in the active language
    capacity: str
    time_frame: str
    contact_person: str
    contact_email: str
    comments: str
    answered_on: datetime.date
    late: bool
    site_language: str = ""  # the language of the site's name, for lang="…" on another language's page


FeasibilityProvider = Callable[[object], list[ReleasedAnswer]]
_providers: list[FeasibilityProvider] = []


def register_feasibility_provider(provider: FeasibilityProvider) -> None:
    """``provider(inquiry) -> list[ReleasedAnswer]``; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def released_answers_for(inquiry) -> list[ReleasedAnswer]:
    answers: list[ReleasedAnswer] = []
    for provider in _providers:
        answers.extend(provider(inquiry))
    return answers

"""What may this user see? The one place that answers it.

Roles (ARCHITECTURE.md "Who uses it"):

* public: anyone, no login;
* applicant: any signed-in, active user (files and follows their own requests);
* secretariat: an active staff user in the "Secretariat" group (or a superuser) *whose session
  has passed a second factor*. Without one (no authenticator yet, or a sign-in that skipped it)
  the same person is an ordinary applicant here, and ``StaffSecondFactorMiddleware`` sends them
  to set up or pass the second factor from every page the role opens;
* steering / reference / working-group member: an *active membership* of that body.

Governance roles are not stored on the user. They are derived from governance data,
so a membership that ends takes its rights with it. ``accounts`` must not import
``governance`` (dependencies point one way), so governance registers a provider at start-up
(``register_membership_provider``) that tells which bodies a user is an active member of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

SECRETARIAT_GROUP = "Secretariat"


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SECRETARIAT = "secretariat", _("Secretariat")
    STEERING_GROUP = "steering_group", _("Steering group member")
    REFERENCE_GROUP = "reference_group", _("Reference group member")
    WORKING_GROUP = "working_group", _("Working group member")


@dataclass(frozen=True)
class BodyMembership:
    """An active seat of a user in a governance body, as governance reports it."""

    body_id: int
    body_kind: str  # "steering_group", "reference_group" or "working_group"
    role: str = "member"


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] = frozenset()
    bodies: tuple[BodyMembership, ...] = field(default_factory=tuple)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def body_ids(self) -> frozenset[int]:
        return frozenset(m.body_id for m in self.bodies)

    def is_member_of(self, body_id: int) -> bool:
        return body_id in self.body_ids

    @property
    def sees_steering_pages(self) -> bool:
        """The steering group's pages (budget, full project status, dashboard): members and secretariat."""
        return Role.SECRETARIAT in self.roles or Role.STEERING_GROUP in self.roles


MembershipProvider = Callable[[object], Iterable[BodyMembership]]
_membership_providers: list[MembershipProvider] = []


def register_membership_provider(provider: MembershipProvider) -> None:
    """Governance calls this in its AppConfig.ready(); tests may register their own."""
    if provider not in _membership_providers:
        _membership_providers.append(provider)


def unregister_membership_provider(provider: MembershipProvider) -> None:
    if provider in _membership_providers:
        _membership_providers.remove(provider)


# Set on the request's user by accounts.middleware.StaffSecondFactorMiddleware. A user loaded
# anywhere else (a task, the shell) has not passed a second factor: the role fails closed.
SECOND_FACTOR_ATTRIBUTE = "second_factor_passed"


def mark_second_factor(user, *, passed: bool) -> None:
    """Record on this user object whether its session has passed a second factor."""
    setattr(user, SECOND_FACTOR_ATTRIBUTE, passed)
    if getattr(user, "_portal_access", None) is not None:
        del user._portal_access  # computed before the mark: compute again


def has_second_factor(user) -> bool:
    return getattr(user, SECOND_FACTOR_ATTRIBUTE, False) is True


def is_secretariat_account(user) -> bool:
    """The account belongs to the secretariat (staff in the group, or a superuser), whatever the session."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # Read with the user's row when accounts.backends loaded it (one query less on every page).
    in_group = getattr(user, "portal_in_secretariat_group", None)
    return user.groups.filter(name=SECRETARIAT_GROUP).exists() if in_group is None else in_group


def is_secretariat(user) -> bool:
    """The secretariat role: a secretariat account *and* a second factor passed in this session."""
    return has_second_factor(user) and is_secretariat_account(user)


def access_for(user) -> Access:
    """All a user may see, computed once per user object (so once per request)."""
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active):
        access = Access()
    else:
        roles = {Role.APPLICANT.value}
        if is_secretariat(user):
            roles.add(Role.SECRETARIAT.value)
        bodies: list[BodyMembership] = []
        for provider in _membership_providers:
            bodies.extend(provider(user))
        roles.update(m.body_kind for m in bodies)
        access = Access(roles=frozenset(roles), bodies=tuple(bodies))
    if user.is_authenticated:
        user._portal_access = access
    return access


def has_role(user, role: str) -> bool:
    return access_for(user).has(role)

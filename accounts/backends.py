"""Signing in with a password, and loading the signed-in user on each request.

``PortalModelBackend`` is Django's ``ModelBackend`` with two reads folded in (issue 21): every
staff page asked, after loading the user, whether they have an authenticator and whether they are
in the secretariat's group (two more queries), then read their own and their groups' permissions
(two more). Here the first two come as ``EXISTS`` columns of the user's own row, and the
permissions in one query; each is read once per request, as before, so nothing is more stale
than it was: a removed authenticator or group counts from the next request on.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from accounts.roles import SECRETARIAT_GROUP

# Set on the user ``get_user`` loads: read by accounts.middleware and accounts.roles when present.
HAS_AUTHENTICATOR = "portal_has_authenticator"
IN_SECRETARIAT_GROUP = "portal_in_secretariat_group"


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.annotate(
                **{
                    HAS_AUTHENTICATOR: Exists(Authenticator.objects.filter(user=OuterRef("pk"))),
                    IN_SECRETARIAT_GROUP: Exists(
                        Group.objects.filter(user=OuterRef("pk"), name=SECRETARIAT_GROUP)
                    ),
                }
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own permissions and their groups' in one query (Django reads them in two)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser or hasattr(user_obj, "_perm_cache"):
            return super().get_all_permissions(user_obj, obj)
        own = User.user_permissions.through.objects.filter(user=user_obj).values("permission")
        of_groups = Group.permissions.through.objects.filter(group__user=user_obj).values("permission")
        rows = (
            Permission.objects.filter(Q(pk__in=own) | Q(pk__in=of_groups))
            .values_list("content_type__app_label", "codename")
            .order_by()
        )
        user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

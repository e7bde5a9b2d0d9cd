"""The portal's admin site: Django's, with the app list kept per set of permissions (issue 21).

Every admin page works out the sidebar's app list: for each of the ~50 registered models it asks
four permission questions and reverses two URLs (~4 ms a page). What it gives depends only on the
registry, the language, the URL prefix and what the user may do, and the portal's ModelAdmins
answer "may this user add, change, delete or view" (with no object) from the user's permissions
alone (a rule on a particular object, such as "only a superuser changes a superuser", needs the
object). So the list is worked out once per such key and copied for each page.

An admin whose ``has_*_permission`` comes to depend on more than the user's permissions when no
object is given (the time, a setting, a row) must say so here, in ``app_list_key``;
tests/accounts/test_admin_site.py compares the kept list with a fresh one for several users.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix
from django.utils import translation

KEPT = 128


class PortalAdminSite(admin.AdminSite):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._app_lists: OrderedDict[tuple, list[dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def app_list_key(self, request, app_label: str | None) -> tuple:
        user = request.user
        if not user.is_active:
            rights: Any = "inactive"
        elif user.is_superuser:
            rights = "superuser"
        else:
            rights = frozenset(user.get_all_permissions())  # read once per request anyway
        return (
            rights,
            translation.get_language(),
            get_script_prefix(),
            app_label,
            tuple(self._registry),
        )

    def get_app_list(self, request, app_label=None):
        key = self.app_list_key(request, app_label)
        with self._lock:  # runserver and threaded workers serve pages side by side
            kept = self._app_lists.get(key)
            if kept is not None:
                self._app_lists.move_to_end(key)
        if kept is None:
            kept = super().get_app_list(request, app_label)
            with self._lock:
                self._app_lists[key] = kept
                while len(self._app_lists) > KEPT:
                    self._app_lists.popitem(last=False)
        # A copy of each list and dict: a page may add to what it is given.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in kept]


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the portal's site as ``admin.site``."""

    default_site = "accounts.admin_site.PortalAdminSite"

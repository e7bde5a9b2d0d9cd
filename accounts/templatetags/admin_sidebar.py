"""The admin's sidebar, drawn once per set of apps and place (issue 21): ``{% sidebar_key %}``.

``templates/admin/nav_sidebar.html`` draws the sidebar inside ``{% memo %}`` (``pages/memo.py``)
keyed on what it shows; the app list itself is kept per set of permissions by the portal's admin
site (``accounts/admin_site.py``).
"""

from __future__ import annotations

from urllib.parse import quote as url_quote

from django import template

from pages.memo import memo

register = template.Library()

register.tag("memo", memo)


@register.simple_tag
def sidebar_key(available_apps, path: str) -> tuple:
    """All that admin/app_list.html shows in the sidebar: each app's and model's name, links and
    whether it is the one open (the template's ``url in request.path|urlencode``). ~7 ms a page
    drawn, reused while none of it changes."""
    here = url_quote(path, safe="/")
    return tuple(
        (
            str(app["name"]),
            app["app_label"],
            app["app_url"],
            app["app_url"] in here,
            tuple(
                (
                    str(model["name"]),
                    model["object_name"],
                    model.get("admin_url"),
                    bool(model.get("admin_url")) and model["admin_url"] in here,
                    model.get("add_url"),
                    model.get("view_only"),
                )
                for model in app["models"]
            ),
        )
        for app in available_apps
    )

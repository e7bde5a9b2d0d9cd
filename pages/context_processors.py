"""Which item of the main menu a page belongs to, decided from the resolved URL.

The menu used to slice ``request.path`` in the template ("/projects/"[:10]), which broke
silently whenever a URL prefix changed. The URL names and namespaces are the stable facts.
"""

# Main-menu sections by URL namespace. Governance is split below: its public pages and the
# members' area are two menu items.
SECTION_BY_NAMESPACE = {
    "projects": "projects",
    "dashboard": "dashboard",
    "budget": "budget",
    "inquiries": "requests",
    "network": "directory",
    "accounts": "account",
    "knowledge": "knowledge",
    "events": "knowledge",
    "news": "knowledge",
}
GOVERNANCE_PUBLIC_PAGES = {"index", "decisions"}


def navigation(request):
    """``nav_section``: the menu item to mark active; ``nav_page``: the view name shown."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # a 404 or an error page: nothing is active
        return {"nav_section": "", "nav_page": ""}
    if match.view_name == "pages:home":
        section = "home"
    elif match.namespace == "governance":
        section = "governance" if match.url_name in GOVERNANCE_PUBLIC_PAGES else "members"
    elif not match.namespace and match.route.startswith("accounts/"):
        section = "account"  # allauth's pages (email addresses, password, two-factor) have no namespace
    else:
        section = SECTION_BY_NAMESPACE.get(match.namespace, "")
    return {"nav_section": section, "nav_page": match.view_name}

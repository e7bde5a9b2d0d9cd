from django import template
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

register = template.Library()

SITE_NAME = "ATMP Danmark"


@register.filter(is_safe=True)
def page_title(value: str) -> str:
    """ "Front page – ATMP Danmark", or the site's name alone on a page without a title of its own.

    Used as ``{% filter page_title %}{% block head_title %}{% endblock %}{% endfilter %}``: a
    Django template cannot ask whether a child filled a block (``self.head_title`` is Jinja's).
    """
    title = " ".join(str(value).split())
    return f"{title} – {SITE_NAME}" if title else SITE_NAME


@register.filter
def lang_attr(value, default: str = "") -> str:
    """`` lang="da"`` when the text is in another language than the page, else nothing.

    ``{{ text|lang_attr }}`` for a text from ``in_language`` (it knows its language);
    ``{{ text|lang_attr:"da" }}`` for a field the secretariat writes in Danish only.
    """
    lang = getattr(value, "lang", "") or default
    page = (get_language() or "da")[:2]
    if not lang or lang == page or not value:
        return ""
    return format_html(' lang="{}"', lang)


@register.simple_tag(takes_context=True)
def return_to(context) -> str:
    """Where "Log in" and "Create account" should lead back to afterwards.

    The ``next`` the page was opened with (the login page of "Ask ATMP Danmark" keeps the way
    back to the request form), else the page itself; nothing on the account pages themselves.
    """
    request = context.get("request")
    if request is None:
        return ""
    wanted = request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    if request.path.startswith("/accounts/"):
        return ""
    return request.get_full_path()

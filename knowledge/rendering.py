"""Markdown written by the secretariat, rendered to HTML that can do nothing but be read.

Python-Markdown turns the text into HTML and passes raw HTML through; nh3 (the Ammonia
sanitiser, maintained and fuzzed) then keeps only an allow-list of tags, attributes and URL
schemes. Images are not on the list (they would load from other hosts and break the CSP's
promise), nor are ``style`` or event attributes, nor ``javascript:`` or ``data:`` links.
Nothing inline survives that the strict CSP would have to forbid.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Sanitised HTML of ``text``. The page has its own h1, so a ``#`` heading becomes an h2."""
    if not text:
        return mark_safe("")  # noqa: S308 (empty)
    html = markdown.markdown(text, extensions=["tables", "sane_lists", "def_list", "abbr"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 on the line above)

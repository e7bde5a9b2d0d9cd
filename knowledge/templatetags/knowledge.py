from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

register = template.Library()


@dataclass(frozen=True)
class Localized:
    text: str
    lang: str
    fallback: bool  # the reader's language was missing, so this is the other one

    def __str__(self):
        return self.text


@register.filter
def localized(item, field: str) -> Localized:
    """``{% with title=item|localized:"title" %}``: the text in the reader's language, or Danish.

    ``title.lang`` is for the ``lang`` attribute, so a screen reader reads Danish as Danish on an
    English page; ``title.fallback`` says the English was missing.
    """
    language = (get_language() or "da")[:2]
    text, lang = item.text(field, language)
    return Localized(text=text, lang=lang, fallback=lang != language)

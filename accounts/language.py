from django.conf import settings
from django.http import HttpResponse


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """The same cookie Django's set_language writes, with every LANGUAGE_COOKIE_* setting."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LangText(str):
    """A text that knows its language, so a page can mark it (``lang="da"``, WCAG 3.1.2) when it
    differs from the page's: a Danish fallback on an English page is read with Danish sounds."""

    lang: str

    def __new__(cls, value: str, lang: str) -> "LangText":
        text = super().__new__(cls, value)
        text.lang = lang
        return text


def in_language(da: str, en: str) -> LangText:
    """A text kept in both languages, in the active one; the other when that one is empty."""
    from django.utils.translation import get_language

    english = (get_language() or "da").startswith("en")
    if english:
        return LangText(en, "en") if en else LangText(da, "da")
    return LangText(da, "da") if da else LangText(en, "en")

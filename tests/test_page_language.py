"""Every word in the reader's language: no page shows a string of our catalogue in the other one.

Each page of the inventory (tests/page_inventory.py) is rendered as each role, in Danish and in
English, and its text (text between tags, and the aria-label, title, alt and placeholder a
screen reader speaks) is compared with our catalogue (locale/da/LC_MESSAGES/django.mo):

- a Danish page must not show an English ``msgid`` whose Danish translation differs from it
  (a string left out of the catalogue, or a template that forgot ``{% translate %}``);
- an English page must not show a Danish ``msgstr`` (a string rendered in the wrong language).

Text inside an element marked with the other language (``lang="da"`` on Danish-only content on an
English page) is that language on purpose and is not counted. Strings with placeholders and very
short ones ("No.") are left out: they cannot be matched as whole text.
"""

import gettext
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import totp_code
from tests.page_inventory import DEMO_APPLICANT, page_urls, seed

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "atmp-demo-2026"
ROLES = {
    "anonymous": None,
    "applicant": DEMO_APPLICANT,
    "steering_member": "styregruppe@atmp-demo.example",
    "secretariat": "sekretariat@atmp-demo.example",
}
SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
# Not the portal's words: code, what a person typed, and the options of a choice of records
# (group and organisation names are data; choice labels are checked where they are shown).
SKIPPED_ELEMENTS = {"script", "style", "template", "textarea", "option"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _catalogue() -> dict[str, str]:
    mo = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    pairs = {}
    for key, danish in catalog.items():
        if not isinstance(key, str) or not key or "\x04" in key:
            continue  # plural forms (tuples), the header, and contexts (pgettext) are skipped
        english = " ".join(key.split())
        danish = " ".join(danish.split())
        if english == danish or "%" in english or "{" in english or len(english) < 4:
            continue
        pairs[english] = danish
    return pairs


class _Texts(HTMLParser):
    """The text a reader meets, with the language each piece is marked as."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.langs = [page_lang]
        self.tags: list[str] = []
        self.skipping = 0
        self.found: list[tuple[str, str]] = []

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or self.langs[-1])[:2]
        for name in SPOKEN_ATTRIBUTES & attributes.keys():
            if attributes[name]:
                self.found.append((lang, " ".join(attributes[name].split())))
        if tag in VOID:
            return
        self.tags.append(tag)
        self.langs.append(lang)
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag not in self.tags:
            return
        while self.tags:
            opened = self.tags.pop()
            self.langs.pop()
            if opened in SKIPPED_ELEMENTS:
                self.skipping -= 1
            if opened == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skipping:
            self.found.append((self.langs[-1], text))


def _wrong_language(html: str, language: str, catalogue: dict[str, str]) -> set[str]:
    parser = _Texts(language)
    parser.feed(html)
    english, danish = set(catalogue), set(catalogue.values())
    # A string that is English in one entry and Danish in another ("Budget") proves nothing, nor
    # does a single Danish word that English uses too ("Type"): Danish needs æøå or two words.
    if language == "en":
        other = {text for text in danish - english if set(text) & set("æøåÆØÅ") or " " in text}
    else:
        other = english - danish
    return {text for lang, text in parser.found if lang == language and text in other}


def _data_names() -> set[str]:
    """Names that are data, not our words: the groups (the admin lists "Secretariat" by name)."""
    from django.contrib.auth.models import Group

    return set(Group.objects.values_list("name", flat=True))


def _log_in(client, email: str) -> None:
    client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    if client.get(reverse("mfa_authenticate")).status_code == 200:
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})


def test_no_page_shows_a_string_of_our_catalogue_in_the_other_language(client):
    seed()
    catalogue = _catalogue()
    urls = page_urls(applicant=DEMO_APPLICANT)
    data = _data_names()
    wrong: dict[str, set[str]] = {}
    checked = 0
    for role, email in ROLES.items():
        client.logout()
        if email:
            _log_in(client, email)
        for language in ("da", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for label, url in urls.items():
                if role != "secretariat" and label.startswith("admin:"):
                    continue
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                checked += 1
                found = _wrong_language(response.content.decode(), language, catalogue) - data
                if found:
                    wrong[f"{role}/{language} {url}"] = found
    assert checked > 200
    assert not wrong, "\n".join(f"{page}: {sorted(texts)}" for page, texts in sorted(wrong.items()))


def test_the_check_finds_an_english_string_on_a_danish_page_and_respects_lang_marks():
    catalogue = {"Withdraw request": "Træk henvendelsen tilbage"}
    assert _wrong_language("<p>Withdraw request</p>", "da", catalogue) == {"Withdraw request"}
    assert _wrong_language("<p>Træk henvendelsen tilbage</p>", "en", catalogue) == {
        "Træk henvendelsen tilbage"
    }
    assert _wrong_language('<p lang="da">Træk henvendelsen tilbage</p>', "en", catalogue) == set()
    assert _wrong_language('<a aria-label="Withdraw request" href="#">x</a>', "da", catalogue) == {
        "Withdraw request"
    }

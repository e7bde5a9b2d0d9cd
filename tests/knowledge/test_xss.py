"""Whatever the secretariat types, the public pages show it as text: nothing runs, loads or styles."""

import re

import pytest
from django.urls import reverse

from knowledge import services
from tests.factories import library_item

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
MARKDOWN_ATTACKS = "\n\n".join(
    [
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(2)">raw link</a>',
        "<img src=x onerror=alert(3)>",
        "![tracking pixel](https://evil.example/pixel.png)",
        '<p style="background:url(https://evil.example/x)" onclick="alert(4)">styled</p>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(5)></svg>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)",
        "<style>body{display:none}</style>",
        SCRIPT,
        "<form action=https://evil.example><input name=p></form>",
    ]
)


def _assert_inert(html: str, start: str = 'id="main-content"', end: str = "</main>") -> None:
    """Nothing active between ``start`` and ``end`` (the part of the page the secretariat's text fills)."""
    main = html.split(start, 1)[1].split(end, 1)[0]
    assert "<script" not in main.lower()
    assert "javascript:" not in main.lower()
    assert "data:text/html" not in main
    assert not re.search(r"<(img|iframe|svg|style|form|input)\b", main, re.I)
    # Inside a tag (escaped text such as "&lt;img onerror=…&gt;" is only text).
    assert not re.search(r"<[^>]*\son\w+\s*=", main, re.I)
    assert not re.search(r"<[^>]*\sstyle\s*=", main, re.I)
    assert "evil.example" not in main.replace("https://evil.example/pixel.png", "")


@pytest.fixture
def hostile(secretariat):
    return library_item(
        actor=secretariat,
        slug="hostile",
        title_da=SCRIPT,
        title_en=f'"><img src=x onerror=alert(1)>{SCRIPT}',
        summary_da=f"Resumé {SCRIPT}",
        summary_en=f"Summary <b onmouseover=alert(1)>bold</b> {SCRIPT}",
        body_da=MARKDOWN_ATTACKS,
        body_en=MARKDOWN_ATTACKS,
        files=[(f"File {SCRIPT}", "f.txt", b"x")],
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_secretariat_field_renders_inert_on_the_item_page(client, settings, hostile, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("knowledge:item", args=["hostile"])).content.decode()
    _assert_inert(page)
    assert "&lt;script&gt;" in page  # shown as text, not dropped silently from titles
    assert "click me" in page and "raw link" in page  # the link text stays, its target does not


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_secretariat_field_renders_inert_in_the_list(client, settings, hostile, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("knowledge:library")).content.decode()
    _assert_inert(page, start='<ul class="knowledge-list">', end="</ul>\n\n")


def test_a_javascript_external_address_is_refused(secretariat):
    with pytest.raises(Exception, match="URL|address|adresse"):
        library_item(actor=secretariat, kind="external", external_url="javascript:alert(1)")


def test_a_withdrawn_hostile_title_is_inert_on_the_410_page(client, secretariat, hostile):
    services.item_withdraw(item=hostile, actor=secretariat)
    response = client.get(reverse("knowledge:item", args=["hostile"]))
    assert response.status_code == 410
    _assert_inert(response.content.decode())


def test_links_written_in_markdown_keep_http_and_mailto_and_open_safely():
    from knowledge.rendering import render_markdown

    html = render_markdown("[EMA](https://www.ema.europa.eu) and [us](mailto:atmp@amgros.dk)")
    assert 'href="https://www.ema.europa.eu"' in html and 'href="mailto:atmp@amgros.dk"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_a_markdown_heading_one_becomes_a_heading_two_below_the_pages_title():
    from knowledge.rendering import render_markdown

    assert render_markdown("# Title").strip() == "<h2>Title</h2>"

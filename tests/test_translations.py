"""Danish is shipped complete: no English string leaks onto a Danish page."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        msgid = "".join(re.findall(r'^(?:msgid|")\s*"?(.*)"$', block.split("msgstr")[0], re.MULTILINE))
        msgstr = "".join(re.findall(r'"(.*)"$', block.split("msgstr", 1)[1], re.MULTILINE))
        yield msgid, msgstr, "#, fuzzy" in block


def test_every_danish_message_is_translated_and_none_is_fuzzy():
    problems = [
        msgid
        for msgid, msgstr, fuzzy in _entries(PO.read_text(encoding="utf-8"))
        if msgid and (fuzzy or not msgstr)
    ]
    assert problems == []


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.skip("msgfmt (gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages` and commit the .mo"

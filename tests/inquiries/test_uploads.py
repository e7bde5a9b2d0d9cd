"""Office files are opened far enough to refuse macros, web pages and zip bombs, and a virus
scanner can be plugged in (issue 14, item 10). Through the form, as an applicant sends them."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries.models import Inquiry
from tests.conftest import sign_in
from tests.factories import pdf
from tests.inquiries.test_form import form_data

pytestmark = pytest.mark.django_db

DOCX_TYPES = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCM_TYPES = (
    '<Types><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)


def office(name="notes.docx", *, types=DOCX_TYPES, extra=(), compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document>Hello</w:document>")
        for member, content in extra:
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def send(client, owner, upload):
    sign_in(client, owner)
    response = client.post(reverse("inquiries:new"), {**form_data(), "attachments": [upload]})
    errors = (
        str(response.context["form"].errors.get("attachments", "")) if response.status_code == 200 else ""
    )
    return response, errors


def test_a_plain_docx_is_accepted(client, owner):
    response, _errors = send(client, owner, office())
    assert response.status_code == 302
    assert Inquiry.objects.get().attachments.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(
            lambda: office(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")]), id="vbaProject.bin"
        ),
        pytest.param(lambda: office(types=DOCM_TYPES), id="docm-renamed-docx"),
        pytest.param(lambda: office("sheet.xlsx", extra=[("xl/activeX/activeX1.bin", b"x")]), id="activeX"),
    ],
)
def test_macros_are_refused(client, owner, upload):
    response, errors = send(client, owner, upload())
    assert response.status_code == 200
    assert "macros" in errors or "makroer" in errors
    assert not Inquiry.objects.exists()


def test_a_web_page_inside_is_refused(client, owner):
    response, errors = send(client, owner, office(extra=[("word/afchunk.htm", "<script>alert(1)</script>")]))
    assert response.status_code == 200
    assert not Inquiry.objects.exists()


def test_a_zip_bomb_is_refused_without_unpacking_it(client, owner):
    bomb = office(extra=[("word/media/zeros.bin", b"\x00" * (64 * 1024 * 1024))])
    assert bomb.size < 1024 * 1024  # 64 MiB of zeros pack into well under 1 MiB
    response, errors = send(client, owner, bomb)
    assert response.status_code == 200
    assert "notes.docx" in errors
    assert not Inquiry.objects.exists()


def test_the_unpacked_size_cap_is_a_setting(client, owner, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    big = office(
        extra=[("word/media/photo.bin", os.urandom(2 * 1024 * 1024))], compression=zipfile.ZIP_STORED
    )
    response, _errors = send(client, owner, big)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()


# --- The virus scanner hook -------------------------------------------------------------------


@pytest.fixture
def scanner(tmp_path, settings):
    """A stand-in for clamdscan with the same contract: exit 1 for the EICAR test string, else 0."""
    script = tmp_path / "scan.sh"
    script.write_text(
        '#!/bin/sh\nif grep -q "EICAR-STANDARD-ANTIVIRUS-TEST-FILE" "$1"; then exit 1; fi\nexit 0\n'
    )
    settings.UPLOAD_SCAN_COMMAND = f"sh {script}"
    return script


EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def test_the_scanner_refuses_what_it_finds(client, owner, scanner):
    response, errors = send(client, owner, SimpleUploadedFile("notes.txt", EICAR + b"\n"))
    assert response.status_code == 200
    assert "notes.txt" in errors
    assert not Inquiry.objects.exists()


def test_the_scanner_passes_a_clean_file(client, owner, scanner):
    response, _errors = send(client, owner, pdf())
    assert response.status_code == 302


def test_a_scanner_that_fails_refuses_the_file_and_says_to_try_again(client, owner, settings, tmp_path):
    settings.UPLOAD_SCAN_COMMAND = "sh -c 'exit 2'"
    response, errors = send(client, owner, pdf())
    assert response.status_code == 200
    assert "protocol.pdf" in errors
    assert not Inquiry.objects.exists()


def test_no_scanner_by_default(settings):
    assert settings.UPLOAD_SCAN_COMMAND == ""

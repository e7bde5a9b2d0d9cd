import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries import services

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

BASE_DATA = {
    "applicant_type": "clinician",
    "organisation": "Rigshospitalet",
    "region": "hovedstaden",
    "topic": "hospital_exemption",
    "atmp_class": "somatic_cell",
    "development_stage": "phase_1",
    "subject": "Hospital exemption for a CAR-T product",
    "question": "Which documentation does the Danish Medicines Agency expect?",
    "wished_answer_date": None,
    "already_contacted": "",
    "shareable_summary": "",
    "confidential_details": "",
}


def pdf(name="protocol.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="notes.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def submit(applicant, files=(), **overrides):
    data = {**BASE_DATA, **overrides}
    checked = [(f, "application/pdf") for f in files]
    return services.inquiry_submit(actor=applicant, **data, files=checked)


@pytest.fixture
def owned_inquiry(owner):
    return submit(owner, files=[pdf()])

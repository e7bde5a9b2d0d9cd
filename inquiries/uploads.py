"""Attachments are accepted by what they contain, not by what they are called.

A small check of magic bytes instead of libmagic: the portal accepts seven kinds of file, and
each is recognised by its first bytes (OOXML by the ``[Content_Types].xml`` member of its zip).
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
TEXT = Kind("text/plain", (".txt", ".csv", ".md"))
OLE2 = Kind("application/octet-stream", (".doc", ".xls", ".ppt"))
OOXML = {
    "word/": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xl/": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "ppt/": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
}
LEGACY_OFFICE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
ALLOWED_EXTENSIONS = ".pdf, .docx, .doc, .xlsx, .xls, .pptx, .ppt, .png, .jpg, .txt"


def _ooxml_kind(upload) -> Kind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read(1024 * 1024)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(data) - 3
    return True


def sniff(upload) -> Kind | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    if _is_text(upload):
        return TEXT
    return None


def validate_upload(upload) -> str:
    """Check one file; return the content type it will be served with."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    limit = settings.REQUESTS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; each file may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = sniff(upload)
    upload.seek(0)
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept, or its content does not match its name. "
                "Allowed: %(allowed)s."
            )
            % {"name": name, "allowed": ALLOWED_EXTENSIONS},
            code="type",
        )
    if kind is OLE2:
        return LEGACY_OFFICE_TYPES[extension]
    return kind.content_type


def validate_uploads(files: list, *, already: int = 0) -> list[tuple[object, str]]:
    """Check a list of files against the count limit and each file; collect every error."""
    limit = settings.REQUESTS_MAX_UPLOADS
    if len(files) + already > limit:
        raise ValidationError(
            ngettext(
                "You can attach at most %(limit)d file.",
                "You can attach at most %(limit)d files.",
                limit,
            )
            % {"limit": limit},
            code="too_many",
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, validate_upload(upload)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked

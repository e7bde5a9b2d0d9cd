"""Attachments are accepted by what they contain, not by what they are called.

A small check of magic bytes instead of libmagic: the portal accepts seven kinds of file, and
each is recognised by its first bytes (OOXML by the ``[Content_Types].xml`` member of its zip).
An OOXML file is also opened far enough to refuse macros, embedded HTML and zip bombs, and every
file can be handed to a virus scanner (``UPLOAD_SCAN_COMMAND``, off by default).
"""

import logging
import os
import shlex
import subprocess
import tempfile
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


logger = logging.getLogger(__name__)

# Parts and content types that make an Office file run code (VBA macros, ActiveX) or carry a web
# page (altChunk HTML, MHT). A .docm/.xlsm/.pptm renamed .docx announces itself by its main part's
# "macroEnabled" content type.
_ACTIVE_PART_NAMES = ("vbaproject.bin", "vbadata.xml", "/activex/")
_CODE_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex")
_HTML_CONTENT_TYPES = (b"text/html", b"xhtml", b"mhtml")
_HTML_EXTENSIONS = (".htm", ".html", ".xhtml", ".mht", ".mhtml")
# An OOXML file is a zip of XML, which compresses about 5–20 to 1. A zip bomb is far above that.
OOXML_MAX_RATIO = 100
OOXML_MAX_MEMBERS = 5_000


def _refuse(name: str, why: str, code: str) -> ValidationError:
    return ValidationError(_("“%(name)s” was refused: %(why)s") % {"name": name, "why": why}, code=code)


def _check_ooxml_contents(upload, archive: zipfile.ZipFile) -> None:
    name = upload.name or ""
    members = archive.infolist()
    if len(members) > OOXML_MAX_MEMBERS:
        raise _refuse(name, _("it holds too many parts for an Office document."), "zip_bomb")
    unpacked = sum(member.file_size for member in members)
    packed = max(sum(member.compress_size for member in members), 1)
    limit = settings.UPLOAD_MAX_UNPACKED_BYTES
    if unpacked > limit or unpacked / packed > OOXML_MAX_RATIO:
        raise _refuse(
            name,
            _("it unpacks to %(size)s; an Office document may unpack to at most %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)},
            "zip_bomb",
        )
    content_types = archive.read("[Content_Types].xml")[:1_000_000].lower()
    paths = ["/" + member.filename.lower() for member in members]
    if any(part in path for path in paths for part in _ACTIVE_PART_NAMES) or any(
        marker in content_types for marker in _CODE_CONTENT_TYPES
    ):
        raise _refuse(
            name,
            _("it contains macros or other code. Save it without macros (.docx, .xlsx, .pptx)."),
            "macro",
        )
    if any(path.endswith(_HTML_EXTENSIONS) for path in paths) or any(
        marker in content_types for marker in _HTML_CONTENT_TYPES
    ):
        raise _refuse(name, _("it contains a web page. Save it as a plain Office document."), "html")


def _ooxml_kind(upload) -> Kind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            kind = next(
                (kind for prefix, kind in OOXML.items() if any(n.startswith(prefix) for n in names)), None
            )
            if kind is not None:
                _check_ooxml_contents(upload, archive)
            return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None


def scan(upload) -> None:
    """Hand the file to the virus scanner named by UPLOAD_SCAN_COMMAND, if any (e.g. ClamAV's
    ``clamdscan --no-summary --fdpass``). Exit 0: clean; 1: infected, refused; anything else,
    or no answer within UPLOAD_SCAN_TIMEOUT_SECONDS: refused too, since unchecked is not clean."""
    command = settings.UPLOAD_SCAN_COMMAND
    if not command:
        return
    name = upload.name or ""
    path, temporary = _path_of(upload)
    try:
        # The command is the operator's setting; the path is ours (never the uploaded name).
        result = subprocess.run(  # noqa: S603
            [*shlex.split(command), path],
            capture_output=True,
            timeout=settings.UPLOAD_SCAN_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.error("upload scan failed to run: %s", exc.__class__.__name__)
        result = None
    finally:
        if temporary:
            os.unlink(path)
        upload.seek(0)
    if result is not None and result.returncode == 0:
        return
    if result is not None and result.returncode == 1:
        logger.warning("upload refused by the virus scanner", extra={"upload": name})
        raise _refuse(name, _("the virus scanner found something in it."), "virus")
    if result is not None:
        logger.error(
            "upload scan error", extra={"returncode": result.returncode, "stderr": result.stderr[-500:]}
        )
    raise ValidationError(
        _("“%(name)s” could not be checked for viruses just now. Please try again in a few minutes.")
        % {"name": name},
        code="scan_failed",
    )


def _path_of(upload) -> tuple[str, bool]:
    """A path the scanner can read: the upload's own temporary file, or a copy of one in memory."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path(), False
    upload.seek(0)
    with tempfile.NamedTemporaryFile(prefix="atmp-scan-", delete=False) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    os.chmod(copy.name, 0o644)  # a scanner daemon runs as its own user
    return copy.name, True


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
    scan(upload)
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

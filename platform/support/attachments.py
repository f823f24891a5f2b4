"""Checking and keeping ticket attachments.

A file is accepted by its content, not its name: the first bytes must be those
of a PDF, PNG, JPEG, an Office Open XML spreadsheet or document (a zip with the
matching parts), or plain text (UTF-8 or Windows-1252, no binary control
bytes); and the file's extension must agree with what the content is. A program
renamed `laporan.pdf` is refused, and so is a PDF named `laporan.exe`. Files over
SUPPORT_ATTACHMENT_MAX_BYTES are refused before they are read."""

import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from support.storage import support_storage

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({".pdf"}),
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg"}),
    TEXT: frozenset({".txt", ".log"}),
    CSV: frozenset({".csv"}),
    XLSX: frozenset({".xlsx"}),
    DOCX: frozenset({".docx"}),
}
ALLOWED_NAMES = "PDF, PNG, JPEG, TXT, CSV, XLSX, DOCX"
# Bytes other than tab, line feed, form feed and carriage return below 0x20 do
# not occur in text people write.
_BINARY_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_megabytes() -> float:
    return settings.SUPPORT_ATTACHMENT_MAX_BYTES / 1024 / 1024


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def _is_text(content: bytes) -> bool:
    if _BINARY_BYTES.intersection(content):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_kind(content: bytes, extension: str) -> str | None:
    """The content type the bytes are, or None when they are none we accept."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if _is_text(content):
        return CSV if extension == ".csv" else TEXT
    return None


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """The upload, checked; ValidationError with a message naming the file otherwise."""
    name = PurePath((upload.name or "").replace("\\", "/")).name
    limit = settings.SUPPORT_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(size).0f MB: attach a smaller file.")
            % {"name": name, "size": max_megabytes()}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(size).0f MB: attach a smaller file.")
            % {"name": name, "size": max_megabytes()}
        )
    if not content:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    extension = PurePath(name).suffix.lower()
    kind = content_kind(content, extension)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a file type we accept. Attach %(types)s files.")
            % {"name": name, "types": ALLOWED_NAMES}
        )
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "%(name)s does not match its content (the content is %(kind)s). "
                "Save it with the right extension and attach it again."
            )
            % {"name": name, "kind": sorted(EXTENSIONS[kind])[0].lstrip(".").upper()}
        )
    safe = get_valid_filename(name) or f"attachment{extension}"
    stem = PurePath(safe).stem[:100] or "attachment"
    return CheckedFile(
        name=f"{stem}{extension}",
        content=content,
        content_type=kind,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def attachments_check(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Every upload checked; one ValidationError listing every problem."""
    most = settings.SUPPORT_ATTACHMENTS_PER_MESSAGE
    if len(uploads) > most:
        raise ValidationError(_("Attach at most %(count)d files to one message.") % {"count": most})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def attachment_path(*, schema_name: str, ticket_id: int, file_name: str) -> str:
    return f"support/{schema_name}/{ticket_id}/{uuid.uuid4().hex}/{file_name}"


def files_store(
    *, files: Iterable[CheckedFile], schema_name: str, ticket_id: int
) -> list[tuple[CheckedFile, str]]:
    """Write the files; returns (file, stored name) pairs. On any failure, the
    files already written are removed before the error propagates."""
    storage = support_storage()
    stored: list[tuple[CheckedFile, str]] = []
    try:
        for checked in files:
            path = attachment_path(
                schema_name=schema_name, ticket_id=ticket_id, file_name=checked.name
            )
            stored.append((checked, storage.save(path, ContentFile(checked.content))))
    except Exception:
        files_remove([name for _checked, name in stored])
        raise
    return stored


def files_remove(names: Iterable[str]) -> None:
    storage = support_storage()
    for name in names:
        storage.delete(name)

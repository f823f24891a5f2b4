"""Uploaded documents: size and type checked by content, stored under the regency.

A file's type is what its first bytes say, never its name or the browser's
Content-Type: a program renamed `izin.pdf` starts with `MZ` (Windows) or `\\x7fELF`
(Linux) and is refused with a message saying so. Every file of a submission is
checked before anything is stored; the stored name is random (the original name
is kept only as text), so a name can neither collide nor escape the folder."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (MIME type, extension, signature, where the signature may start at the latest)
ACCEPTED: tuple[tuple[str, str, bytes, int], ...] = (
    # PDF readers accept the header anywhere in the first kilobyte.
    ("application/pdf", ".pdf", b"%PDF-", 1024),
    ("image/png", ".png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", ".jpg", b"\xff\xd8\xff", 0),
)
EXECUTABLE_SIGNATURES: tuple[bytes, ...] = (
    b"MZ",  # Windows / DOS programs
    b"\x7fELF",  # Linux programs
    b"\xca\xfe\xba\xbe",  # macOS universal binaries (and Java classes)
    b"\xcf\xfa\xed\xfe",  # macOS 64-bit programs
    b"\xce\xfa\xed\xfe",
    b"#!",  # scripts
)
HEAD_BYTES = 1024 + 8


def upload_max_bytes() -> int:
    return int(settings.PERMITS_MAX_UPLOAD_BYTES)


@dataclass(frozen=True)
class CheckedUpload:
    requirement: str
    upload: UploadedFile
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def original_name(self) -> str:
        return (self.upload.name or "")[-255:]


def content_type_sniff(head: bytes) -> tuple[str, str] | None:
    for mime, extension, signature, window in ACCEPTED:
        if head.startswith(signature) or (window and signature in head[: window + len(signature)]):
            return mime, extension
    return None


def upload_check(upload: UploadedFile, *, requirement: str) -> CheckedUpload:
    """The upload with its type and digest, or ValidationError with a sentence the
    applicant can act on."""
    limit = upload_max_bytes()
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; each file may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            _(
                "%(name)s is a program, not a document, whatever its name says. "
                "Upload a PDF, PNG or JPEG."
            )
            % {"name": upload.name},
            code="executable",
        )
    sniffed = content_type_sniff(head)
    if sniffed is None:
        raise ValidationError(
            _("%(name)s is not a PDF, PNG or JPEG file (judged by its content, not its name).")
            % {"name": upload.name},
            code="type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        requirement=requirement,
        upload=upload,
        content_type=sniffed[0],
        extension=sniffed[1],
        size=size,
        sha256=digest.hexdigest(),
    )


def stored_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"

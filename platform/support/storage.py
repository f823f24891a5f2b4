"""Where ticket attachments are kept.

Default storage puts a file under the *current* schema's prefix, but a ticket's
files are uploaded from the regency's schema and read from the console's public
one, and support may not switch schemas. Attachments therefore go through a
storage of their own whose prefix is always `public` (support's data lives
there), with names `support/<regency schema>/<ticket id>/<random>/<file name>`:

    var/media/public/support/lebak/123/9f2c.../surat.pdf   (or the same S3 key)

The files are never served from MEDIA_URL: a view checks that the ticket
belongs to the requesting regency (or that an engineer asks) and streams them."""

import posixpath
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, storages
from django_tenants.utils import get_public_schema_name
from storages.utils import safe_join as s3_safe_join

from core.storage import TenantFileSystemStorage, TenantS3Storage


class SupportFileSystemStorage(TenantFileSystemStorage):
    @property
    def location(self) -> str:
        return str(Path(self.base_location).absolute() / get_public_schema_name())


class SupportS3Storage(TenantS3Storage):
    def _normalize_name(self, name: str) -> str:
        prefix = posixpath.join(self.location, get_public_schema_name())
        try:
            return str(s3_safe_join(prefix, name))
        except ValueError:
            raise SuspiciousFileOperation(
                f"The name {name!r} is outside the support desk's files."
            ) from None


def support_storage() -> Storage:
    """The attachments' storage, on the same backend as default storage."""
    default = storages["default"]
    if isinstance(default, TenantS3Storage):
        return SupportS3Storage()
    if isinstance(default, TenantFileSystemStorage):
        return SupportFileSystemStorage(location=default.base_location)
    # A plain storage (e.g. a test's in-memory one) has no schema prefix to fix.
    return default

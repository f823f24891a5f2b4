"""File storage that always lives under the current schema's prefix.

A regency's files are `<schema>/<name>` in the bucket (or under var/media/), so a
name used in one regency never resolves to another's file.

One storage instance serves every schema in a process, so the prefix is read from
the database connection on every call, never cached on the instance. Names stay
relative to the prefix: what `save()` returns and a FileField stores is the same
in every schema, and only the schema decides where it lands.
"""

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import safe_join as s3_safe_join

from core.db import tenant_connection


def current_prefix() -> str:
    """The current schema's name: `public` for the platform, the regency's otherwise."""
    return tenant_connection().schema_name


class TenantFileSystemStorage(FileSystemStorage):
    """Files under `<MEDIA_ROOT>/<schema>/`, served from `<MEDIA_URL><schema>/`.

    `base_location` stays the shared root (Django caches it); `location`, which
    every file operation joins names to with `safe_join`, adds the schema per call,
    so `../dumai/x` seen from Lebak escapes it and is refused."""

    @property
    def location(self) -> str:
        return str(Path(self.base_location).absolute() / current_prefix())

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        # A regency that never stored a file has no folder yet: its storage is
        # empty, as on S3, rather than missing.
        if path in ("", ".") and not Path(self.location).exists():
            return [], []
        return super().listdir(path)

    @property
    def base_url(self) -> str:
        # FileSystemStorage keeps a `base_url` argument in `_base_url`; the stubs omit it.
        given = getattr(self, "_base_url", None)
        root = str(self._value_or_setting(given, settings.MEDIA_URL) or "/")
        return urljoin(root if root.endswith("/") else f"{root}/", f"{current_prefix()}/")


class TenantS3Storage(S3Storage):
    """Objects under `<AWS_LOCATION>/<schema>/` in the bucket.

    django-storages turns every name into a key in `_normalize_name`, joining it
    to `location`; the schema is joined here, per call, instead of being baked
    into `location`."""

    def _normalize_name(self, name: str) -> str:
        prefix = posixpath.join(self.location, current_prefix())
        try:
            return str(s3_safe_join(prefix, name))
        except ValueError:
            raise SuspiciousFileOperation(
                f"The name {name!r} is outside the current schema's files."
            ) from None

    def _open(self, name: str, mode: str = "rb") -> Any:
        file = super()._open(name, mode)
        # S3File strips only `location` from the key; the caller asked for `name`.
        file.name = name
        return file

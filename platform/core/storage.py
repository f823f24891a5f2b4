"""File storage that always lives under the current schema's prefix.

A regency's files are `<schema>/<path>` in the bucket (or under var/media/), so a
path from one regency never resolves to another's file."""

from django.core.files.storage import FileSystemStorage
from django.db import connection
from storages.backends.s3 import S3Storage


def current_prefix() -> str:
    return str(connection.schema_name)


class TenantFileSystemStorage(FileSystemStorage):
    @property
    def base_location(self):  # type: ignore[no-untyped-def,override]
        return self._value_or_setting(self._location, self._media_root()) + "/" + current_prefix()

    def _media_root(self) -> str:
        from django.conf import settings

        return str(settings.MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[no-untyped-def,override]
        import os

        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[no-untyped-def,override]
        return f"{super().base_url}{current_prefix()}/"


class TenantS3Storage(S3Storage):
    @property
    def location(self):  # type: ignore[no-untyped-def,override]
        return current_prefix()

    @location.setter
    def location(self, value):  # type: ignore[no-untyped-def]
        pass

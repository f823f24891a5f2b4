"""A file stored by one regency is not reachable through another's storage,
on the local disk and on S3 (boto3 against moto's server mode)."""

from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django_tenants.utils import schema_context

from core.storage import TenantFileSystemStorage, TenantS3Storage
from tests.s3 import s3_bucket_create, s3_storage


@pytest.fixture(params=["filesystem", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """An empty storage of each kind: a fresh folder, or a fresh bucket."""
    if request.param == "filesystem":
        return TenantFileSystemStorage(location=tmp_path)
    endpoint = request.getfixturevalue("s3_endpoint")
    return s3_storage(endpoint, s3_bucket_create(endpoint))


def stored_keys(storage: Storage) -> list[str]:
    """Every object in the backend, as the path or key the backend itself uses."""
    if isinstance(storage, TenantS3Storage):
        client = storage.connection.meta.client
        listing = client.list_objects_v2(Bucket=storage.bucket_name)
        return sorted(entry["Key"] for entry in listing.get("Contents", []))
    assert isinstance(storage, TenantFileSystemStorage)
    root = Path(storage.base_location)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_file_stored_by_lebak_is_not_reachable_from_dumai(storage):
    with schema_context("lebak"):
        name = storage.save("permits/letter.txt", ContentFile(b"Lebak's letter"))
        assert storage.exists(name)

    with schema_context("dumai"):
        assert storage.listdir("") == ([], [])
        assert not storage.exists(name)
        with pytest.raises(FileNotFoundError):
            storage.open(name).read()
        storage.save("permits/own.txt", ContentFile(b"Dumai's own"))
        assert storage.listdir("permits") == ([], ["own.txt"])


def test_stored_file_is_kept_under_its_schemas_prefix(storage):
    with schema_context("lebak"):
        name = storage.save("permits/letter.txt", ContentFile(b"Lebak's letter"))
        with storage.open(name) as opened:
            assert opened.read() == b"Lebak's letter"
        assert storage.listdir("permits") == ([], ["letter.txt"])

    assert name == "permits/letter.txt"
    assert stored_keys(storage) == ["lebak/permits/letter.txt"]


def test_same_name_in_two_regencies_keeps_two_files(storage):
    with schema_context("lebak"):
        storage.save("logo.txt", ContentFile(b"Lebak"))
    with schema_context("dumai"):
        storage.save("logo.txt", ContentFile(b"Dumai"))
        with storage.open("logo.txt") as opened:
            assert opened.read() == b"Dumai"

    assert stored_keys(storage) == ["dumai/logo.txt", "lebak/logo.txt"]


@pytest.mark.parametrize("name", ["../dumai/letter.txt", "permits/../../dumai/letter.txt"])
def test_path_into_another_regency_is_refused(storage, name):
    with schema_context("dumai"):
        storage.save("letter.txt", ContentFile(b"Dumai's letter"))

    with schema_context("lebak"):
        with pytest.raises(SuspiciousFileOperation):
            storage.exists(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.open(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.save(name, ContentFile(b"overwrite"))


def test_file_url_carries_the_schema(storage):
    with schema_context("lebak"):
        url = storage.url("permits/letter.txt")

    assert "lebak/permits/letter.txt" in url


def test_default_storage_is_tenant_prefixed():
    assert isinstance(storages["default"], TenantFileSystemStorage | TenantS3Storage)

"""Export, restore and delete of a regency.

pg_dump runs as its own database session, so it only sees COMMITTED data, while
every test here runs inside a transaction that is rolled back. So:

- `sumenep` is a regency created and filled for real (committed) once for this
  module, by a module-scoped fixture that runs before any test's transaction
  opens and is torn down (schema dropped, rows deleted) after the last one has
  been rolled back. Its data includes values made to trip a naive rewrite of
  the dump: the schema's own qualified table names, a line starting with `SET `,
  quotes, semicolons, percent signs.
- The demo regency `lebak`, seeded and committed for the session, is exported
  as it is.
- What the tests themselves write (the exports' rows, restored schemas, status
  changes, dropped schemas) stays in the test's transaction and is rolled back.
  Tests never write rows into `sumenep`'s tables, since pg_dump would not see them.
- Files are not transactional: every test gets an empty MEDIA_ROOT of its own.
"""

import io
import json
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from django_tenants.utils import schema_context, schema_exists, tenant_context

from accounts.models import User
from core.db import tenant_connection
from core.models import AuditEvent
from organisation.models import Desa, Kecamatan
from tenants.exports import (
    dump_rewrite_schema,
    export_open,
    schema_table_checksums,
    storage_walk,
    tenant_delete,
    tenant_export,
    tenant_restore,
)
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Domain, Tenant, TenantExport, TenantTransition
from tenants.services import schema_drop, tenant_create

pytestmark = pytest.mark.django_db

S = Tenant.Status
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso")
# A kecamatan name built to break a regex rewrite of the dump or a line filter.
TRICKY_NAME = "Batuan; sumenep.organisation_kecamatan 'x' 100%\nSET search_path = public;"
PERMIT = b"%PDF-1.4 izin usaha Sumenep\n" + bytes(range(256))
LOGO = bytes(range(255, -1, -1)) * 40


@pytest.fixture(scope="module")
def sumenep(django_db_setup: None, django_db_blocker: Any) -> Iterator[Tenant]:
    """A committed regency with users, kecamatan and desa (see the module docstring)."""
    with django_db_blocker.unblock():
        tenant = tenant_create(slug="sumenep", region_code="35.29")
        try:
            with tenant_context(tenant):
                User.objects.create_user(
                    "admin@sumenep.test", "Sukowati-demo-2026", full_name="Admin Sumenep"
                )
                User.objects.create_user("staf@sumenep.test", None, full_name="Staf Kecamatan")
                batuan = Kecamatan.objects.create(code="35.29.01", name=TRICKY_NAME)
                Kecamatan.objects.create(code="35.29.02", name="Lenteng")
                Desa.objects.create(
                    code="35.29.01.2001",
                    name="Desa 'Gedang-Gedang'",
                    kind="desa",
                    kecamatan=batuan,
                )
            tenant_connection().set_schema_to_public()
            yield tenant
        finally:
            tenant_connection().set_schema_to_public()
            with transaction.atomic():
                schema_drop(tenant.schema_name)
                Domain.objects.filter(tenant=tenant).delete()
                TenantExport.objects.filter(tenant=tenant).delete()
                Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _store(tenant: Tenant, files: dict[str, bytes]) -> None:
    with tenant_context(tenant):
        for name, content in files.items():
            assert default_storage.save(name, ContentFile(content)) == name


def _read(tenant: Tenant, name: str) -> bytes:
    with tenant_context(tenant), default_storage.open(name, "rb") as handle:
        return handle.read()


def _files_of(schema: str) -> list[str]:
    with schema_context(schema):
        return list(storage_walk())


def _archive_members(export: TenantExport) -> dict[str, bytes]:
    with export_open(export) as handle, tarfile.open(fileobj=handle, mode="r:gz") as archive:
        return {
            m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
        }


def _export_with(source: TenantExport, members: dict[str, bytes]) -> TenantExport:
    """Another export row whose archive holds `members` (to forge damaged copies)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    with schema_context("public"):
        path = default_storage.save("exports/forged/forged.tar.gz", ContentFile(buffer.getvalue()))
    return TenantExport.objects.create(tenant=source.tenant, path=path)


def _assert_nothing_restored(slug: str) -> None:
    schema = slug.replace("-", "_")
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not schema_exists(schema)
    assert _files_of(schema) == []


# --- round trip -------------------------------------------------------------------


def test_round_trip_restores_equal_tables_and_identical_files(sumenep):
    _store(sumenep, {"permits/2026/izin.pdf": PERMIT, "logo.png": LOGO})

    export = tenant_export(tenant=sumenep, actor=ENGINEER)
    restored = tenant_restore(export=export, slug="sumenep-pulih", actor=ENGINEER)

    original = schema_table_checksums("sumenep")
    copy = schema_table_checksums("sumenep_pulih")
    assert original["accounts_user"]["rows"] == 2
    assert original["organisation_kecamatan"]["rows"] == 2
    assert original["organisation_desa"]["rows"] == 1
    assert copy == original
    assert export.table_checksums == original
    assert _read(restored, "permits/2026/izin.pdf") == PERMIT
    assert _read(restored, "logo.png") == LOGO
    with tenant_context(restored):
        assert Kecamatan.objects.get(code="35.29.01").name == TRICKY_NAME
        assert User.objects.get(email="admin@sumenep.test").check_password("Sukowati-demo-2026")


def test_demo_lebak_round_trips_as_lebak_pulih(regencies):
    lebak = regencies["lebak"]
    _store(lebak, {"surat/undangan.txt": b"Undangan rapat Lebak"})

    export = tenant_export(tenant=lebak, actor=ENGINEER)
    restored = tenant_restore(export=export, slug="lebak-pulih", actor=ENGINEER)

    original = schema_table_checksums("lebak")
    assert original["accounts_user"]["rows"] >= 1
    assert schema_table_checksums("lebak_pulih") == original
    assert _read(restored, "surat/undangan.txt") == b"Undangan rapat Lebak"


def test_restored_regency_is_suspended_without_domains_with_its_history(regencies):
    lebak = regencies["lebak"]
    export = tenant_export(tenant=lebak, actor=ENGINEER)

    restored = tenant_restore(export=export, slug="lebak-pulih", actor=ENGINEER)

    restored.refresh_from_db()
    assert restored.status == S.SUSPENDED
    assert restored.region_code == lebak.region_code  # while lebak itself stays active
    assert restored.schema_name == "lebak_pulih"
    assert not restored.domains.exists()
    (move,) = TenantTransition.objects.filter(tenant=restored)
    assert (move.from_status, move.to_status) == (S.PROSPECT, S.SUSPENDED)
    assert f"export #{export.pk}" in move.reason
    assert move.actor_email == ENGINEER.email
    assert AuditEvent.objects.filter(action="tenant.restore", target="lebak-pulih").exists()


# --- export -----------------------------------------------------------------------


def test_export_archive_holds_dump_files_and_a_manifest_of_tables_and_files(sumenep):
    _store(sumenep, {"permits/2026/izin.pdf": PERMIT})

    export = tenant_export(tenant=sumenep, actor=ENGINEER)

    members = _archive_members(export)
    assert set(members) == {"manifest.json", "schema.sql", "files/permits/2026/izin.pdf"}
    assert members["files/permits/2026/izin.pdf"] == PERMIT
    assert "CREATE SCHEMA sumenep;" in members["schema.sql"].decode()
    manifest = json.loads(members["manifest.json"])
    assert manifest["schema"] == "sumenep"
    assert manifest["tenant"]["slug"] == "sumenep"
    assert manifest["tenant"]["region_code"] == "35.29"
    assert manifest["tenant"]["time_zone"] == sumenep.time_zone
    assert set(manifest["tables"]) == set(schema_table_checksums("sumenep"))
    assert manifest["tables"]["organisation_kecamatan"]["rows"] == 2
    (listed,) = manifest["files"]
    assert listed["name"] == "permits/2026/izin.pdf"
    assert listed["size"] == len(PERMIT)
    assert len(listed["sha256"]) == 64
    with export_open(export) as handle:
        assert export.size_bytes == len(handle.read())
    assert export.created_by_email == ENGINEER.email
    assert AuditEvent.objects.filter(action="tenant.export", target="sumenep").exists()


def test_export_lands_under_the_public_prefix(regencies, media):
    export = tenant_export(tenant=regencies["lebak"], actor=ENGINEER)

    assert export.path.startswith("exports/lebak/lebak-")
    assert export.path.endswith(".tar.gz")
    on_disk = media / "public" / export.path
    assert on_disk.is_file()
    assert on_disk.stat().st_size == export.size_bytes


def test_export_cannot_be_read_through_a_regencys_storage(regencies):
    export = tenant_export(tenant=regencies["lebak"], actor=ENGINEER)

    for slug in ("lebak", "dumai"):
        with tenant_context(regencies[slug]):
            assert not default_storage.exists(export.path)
            assert _files_of(slug) == []
            with pytest.raises(SuspiciousFileOperation):
                default_storage.open(f"../public/{export.path}")


def test_export_of_a_regency_without_a_schema_is_refused():
    prospect = Tenant.objects.create(
        schema_name="pasaman",
        slug="pasaman",
        name="Pasaman",
        region_code="13.08",
        time_zone="Asia/Jakarta",
        status=S.PROSPECT,
    )
    with pytest.raises(ValidationError, match="has no schema"):
        tenant_export(tenant=prospect, actor=ENGINEER)
    assert not TenantExport.objects.filter(tenant=prospect).exists()


# --- restore refusals -------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("lebak", "already exists"),
        ("sumenep", "already exists"),
        ("Bad_Slug", "lowercase"),
        ("public", "reserved"),
    ],
)
def test_restore_refuses_a_taken_or_invalid_slug(sumenep, regencies, slug, message):
    export = TenantExport.objects.create(tenant=regencies["lebak"], path="exports/x.tar.gz")
    before = Tenant.objects.count()

    with pytest.raises(ValidationError, match=message):
        tenant_restore(export=export, slug=slug, actor=ENGINEER)

    assert Tenant.objects.count() == before


def test_restore_refuses_a_missing_archive(regencies):
    export = TenantExport.objects.create(
        tenant=regencies["lebak"], path="exports/lebak/gone.tar.gz"
    )

    with pytest.raises(ValidationError, match="missing from storage"):
        tenant_restore(export=export, slug="lebak-pulih", actor=ENGINEER)

    _assert_nothing_restored("lebak-pulih")


def test_restore_refuses_an_archive_that_is_not_one(regencies):
    with schema_context("public"):
        path = default_storage.save("exports/lebak/junk.tar.gz", ContentFile(b"not a tarball"))
    export = TenantExport.objects.create(tenant=regencies["lebak"], path=path)

    with pytest.raises(ValidationError, match="corrupt"):
        tenant_restore(export=export, slug="lebak-pulih", actor=ENGINEER)

    _assert_nothing_restored("lebak-pulih")


def test_restore_refuses_a_truncated_archive(regencies):
    export = tenant_export(tenant=regencies["lebak"], actor=ENGINEER)
    with export_open(export) as handle:
        content = handle.read()
    with schema_context("public"):
        path = default_storage.save(
            "exports/lebak/cut.tar.gz", ContentFile(content[: len(content) // 2])
        )
    cut = TenantExport.objects.create(tenant=regencies["lebak"], path=path)

    with pytest.raises(ValidationError, match="corrupt"):
        tenant_restore(export=cut, slug="lebak-pulih", actor=ENGINEER)

    _assert_nothing_restored("lebak-pulih")


def test_restore_refuses_a_dump_that_differs_from_its_manifest(sumenep):
    export = tenant_export(tenant=sumenep, actor=ENGINEER)
    members = _archive_members(export)
    members["schema.sql"] = members["schema.sql"].replace(b"Lenteng", b"Lentang")
    forged = _export_with(export, members)

    with pytest.raises(ValidationError, match="organisation_kecamatan"):
        tenant_restore(export=forged, slug="sumenep-pulih", actor=ENGINEER)

    _assert_nothing_restored("sumenep-pulih")


def test_restore_refuses_a_damaged_file_and_removes_the_files_already_copied(sumenep):
    _store(sumenep, {"a-first.txt": b"copied before the damaged one", "z/last.txt": b"original"})
    export = tenant_export(tenant=sumenep, actor=ENGINEER)
    members = _archive_members(export)
    members["files/z/last.txt"] = b"tampered"
    forged = _export_with(export, members)

    with pytest.raises(ValidationError, match=re.escape("z/last.txt does not match its checksum")):
        tenant_restore(export=forged, slug="sumenep-pulih", actor=ENGINEER)

    _assert_nothing_restored("sumenep-pulih")


def test_restore_refuses_an_archive_without_a_manifest(regencies):
    export = tenant_export(tenant=regencies["lebak"], actor=ENGINEER)
    members = _archive_members(export)
    del members["manifest.json"]
    forged = _export_with(export, members)

    with pytest.raises(ValidationError, match=re.escape("manifest.json is missing")):
        tenant_restore(export=forged, slug="lebak-pulih", actor=ENGINEER)

    _assert_nothing_restored("lebak-pulih")


def test_rewrite_renames_the_schema_but_never_the_data():
    dump = (
        "SET statement_timeout = 0;\n"
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        "CREATE SCHEMA lebak;\n"
        "CREATE TABLE lebak.note (id integer DEFAULT nextval('lebak.note_id_seq'::regclass), "
        "body text);\n"
        "-- a comment naming lebak.note\n"
        "INSERT INTO lebak.note (id, body) VALUES\n"
        "\t(1, 'see lebak.note;\nSET search_path = public;'),\n"
        "\t(2, 'it''s lebak.note');\n"
        "SELECT pg_catalog.setval('lebak.note_id_seq', 2, true);\n"
    )

    rewritten = dump_rewrite_schema(dump, old="lebak", new="lebak_pulih")

    assert rewritten.split("\n") == [
        "CREATE SCHEMA lebak_pulih;",
        "CREATE TABLE lebak_pulih.note (id integer DEFAULT "
        "nextval('lebak_pulih.note_id_seq'::regclass), body text);",
        "INSERT INTO lebak_pulih.note (id, body) VALUES",
        "\t(1, 'see lebak.note;",
        "SET search_path = public;'),",
        "\t(2, 'it''s lebak.note');",
        "SELECT pg_catalog.setval('lebak_pulih.note_id_seq', 2, true);",
    ]


# --- delete -----------------------------------------------------------------------


def _archive(tenant: Tenant) -> None:
    tenant_transition(tenant=tenant, to_status=S.SUSPENDED, actor=ENGINEER, reason="kontrak habis")
    tenant_transition(tenant=tenant, to_status=S.ARCHIVED, actor=ENGINEER, reason="kontrak habis")


def test_delete_refuses_a_wrong_confirmation(sumenep):
    _archive(sumenep)

    with pytest.raises(ValidationError, match="Type the slug 'sumenep' to confirm"):
        tenant_delete(tenant=sumenep, actor=ENGINEER, confirmation="sumenep-x")

    sumenep.refresh_from_db()
    assert sumenep.status == S.ARCHIVED
    assert schema_exists("sumenep")
    assert not TenantExport.objects.filter(tenant=sumenep).exists()


def test_delete_refuses_a_regency_that_is_not_archived(regencies):
    lebak = regencies["lebak"]

    with pytest.raises(ValidationError, match="can only become"):
        tenant_delete(tenant=lebak, actor=ENGINEER, confirmation="lebak")

    lebak.refresh_from_db()
    assert lebak.status == S.ACTIVE
    assert schema_exists("lebak")
    assert lebak.domains.exists()
    assert not TenantExport.objects.filter(tenant=lebak).exists()


def test_delete_takes_an_export_first_then_drops_schema_files_and_domains(sumenep):
    _store(sumenep, {"permits/2026/izin.pdf": PERMIT})
    _archive(sumenep)
    checksums = schema_table_checksums("sumenep")

    export = tenant_delete(
        tenant=sumenep, actor=ENGINEER, confirmation="sumenep", reason="Permintaan tertulis"
    )

    assert export.table_checksums == checksums
    assert _archive_members(export)["files/permits/2026/izin.pdf"] == PERMIT
    assert not schema_exists("sumenep")
    assert _files_of("sumenep") == []
    assert not Domain.objects.filter(tenant=sumenep).exists()
    sumenep.refresh_from_db()  # the row stays, for billing history
    assert sumenep.status == S.DELETED
    last = TenantTransition.objects.filter(tenant=sumenep).first()
    assert last is not None and last.to_status == S.DELETED
    assert "Permintaan tertulis" in last.reason and f"export #{export.pk}" in last.reason


def test_a_deleted_regencys_export_restores_into_a_new_one(sumenep):
    _store(sumenep, {"logo.png": LOGO})
    _archive(sumenep)
    original = schema_table_checksums("sumenep")
    export = tenant_delete(tenant=sumenep, actor=ENGINEER, confirmation="sumenep")

    restored = tenant_restore(export=export, slug="sumenep-baru", actor=ENGINEER)

    assert schema_table_checksums("sumenep_baru") == original
    assert _read(restored, "logo.png") == LOGO


# --- management commands ----------------------------------------------------------


def test_commands_export_and_restore_print_what_they_did(regencies):
    out = io.StringIO()
    call_command("tenant_export", "lebak", "--actor-email", "ops@sukowati.test", stdout=out)
    export = TenantExport.objects.get(tenant=regencies["lebak"])
    assert f"Export #{export.pk} of lebak: public/{export.path}" in out.getvalue()
    assert export.created_by_email == "ops@sukowati.test"

    out = io.StringIO()
    call_command("tenant_restore", str(export.pk), "lebak-pulih", stdout=out)
    assert "as lebak-pulih" in out.getvalue()
    assert Tenant.objects.get(slug="lebak-pulih").status == S.SUSPENDED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tenant_export", "atlantis"], "No regency with the slug 'atlantis'"),
        (["tenant_restore", "999999", "lebak-pulih"], "No export #999999"),
        (["tenant_delete", "lebak", "--confirm", "lebka"], "Type the slug 'lebak' to confirm"),
        (["tenant_delete", "lebak", "--confirm", "lebak"], "can only become"),
    ],
)
def test_commands_fail_with_the_reason(regencies, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(*args)

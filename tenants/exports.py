"""Export, restore and delete of a regency.

An export is one tar.gz in the platform's own storage (`public/exports/<slug>/`,
never under a regency's prefix) holding:

    manifest.json   who was exported, per-table row counts and checksums, the files
    schema.sql      pg_dump of the regency's schema (plain INSERTs)
    files/<name>    every file under the regency's storage prefix

A restore replays it into a NEW regency (own slug and schema, status suspended,
no domains), checks every table against the manifest's checksums and every file
against its sha256, and refuses the whole thing when anything differs. Deleting
a regency takes an export first, so nothing is ever deleted without a copy.
"""

import gzip
import hashlib
import io
import json
import posixpath
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
    schema_exists,
    tenant_context,
)

from tenants.audit import platform_audit
from tenants.lifecycle import Actor, tenant_transition, transition_refusal
from tenants.models import TEMPLATE_SCHEMA, Tenant, TenantExport, TenantTransition
from tenants.pgtools import pg_dump_schema
from tenants.services import schema_drop, schema_name_for_slug
from tenants.validators import validate_tenant_slug

MANIFEST_FORMAT = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAME = "schema.sql"
FILES_DIR = "files/"
EXPORTS_DIR = "exports"
# pg_dump and our checksum queries are separate snapshots; an export is kept only
# when the tables read the same before and after the dump (see _dump_consistent).
DUMP_ATTEMPTS = 3
_CHUNK = 1024 * 1024
_SCHEMA_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

# One SQL token of pg_dump's output: a string literal, a quoted identifier, a
# dollar-quoted body, a comment, a semicolon, or a run of anything else.
_SQL_TOKEN = re.compile(
    r"""
      '(?:[^']|'')*'
    | "(?:[^"]|"")*"
    | \$(?P<tag>[A-Za-z_][A-Za-z0-9_]*)?\$.*?\$(?P=tag)?\$
    | --[^\n]*
    | /\*.*?\*/
    | ;
    | [^'"$;/-]+
    | .
    """,
    re.DOTALL | re.VERBOSE,
)
# Statements pg_dump emits to set up its own session; replayed, they would change ours.
_SESSION_STATEMENT = re.compile(r"^(SET |SELECT pg_catalog\.set_config\()")


# --- checksums ---------------------------------------------------------------


def schema_table_checksums(schema: str) -> dict[str, dict[str, Any]]:
    """Row count and checksum of every base table in `schema`, by table name.

    The checksum is the md5 of the rows' md5s (each row as its text form), in
    sorted order: independent of physical row order, so it is equal for two
    schemas exactly when they hold the same rows. Hashing each row first keeps
    the aggregate 32 bytes a row, so a large table does not hit PostgreSQL's 1 GB
    limit for one text value."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind = 'r'
            ORDER BY c.relname
            """,
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        result: dict[str, dict[str, Any]] = {}
        for table in tables:
            cursor.execute(
                "SELECT count(*), "  # noqa: S608 - identifiers quoted below
                "coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') "
                f"FROM {_quote(schema)}.{_quote(table)} AS t"
            )
            count, checksum = cursor.fetchone()
            result[table] = {"rows": int(count), "md5": str(checksum)}
    return result


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# --- storage helpers -----------------------------------------------------------


def storage_walk(path: str = "") -> Iterator[str]:
    """Every file name under `path` in default storage, for the current schema."""
    directories, files = default_storage.listdir(path)
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from storage_walk(posixpath.join(path, directory) if path else directory)


def export_open(export: TenantExport) -> File:
    """The archive, opened from the platform's storage (for a download view)."""
    with schema_context(get_public_schema_name()):
        return default_storage.open(export.path, "rb")


# --- export ---------------------------------------------------------------------


@dataclass
class _ExportedFile:
    name: str
    size: int
    sha256: str


def tenant_export(*, tenant: Tenant, actor: Actor) -> TenantExport:
    """Dump a regency's schema and copy its files into one archive in the
    platform's storage; record it and audit it."""
    if tenant.is_template or tenant.schema_name in (get_public_schema_name(), TEMPLATE_SCHEMA):
        raise ValidationError(_("Only a regency can be exported."))
    if not schema_exists(tenant.schema_name):
        raise ValidationError(
            _("%(name)s has no schema to export (status: %(status)s).")
            % {"name": tenant.name, "status": Tenant.Status(tenant.status).label}
        )
    checksums, dump = _dump_consistent(tenant.schema_name)
    with tempfile.TemporaryDirectory(prefix="sukowati-export-") as scratch:
        archive_path = Path(scratch) / "export.tar.gz"
        dump_path = Path(scratch) / DUMP_NAME
        dump_path.write_text(dump, encoding="utf-8")
        del dump  # the archive is built from the file; do not hold the text twice
        with tarfile.open(archive_path, "w:gz") as archive:
            archive.add(dump_path, arcname=DUMP_NAME)
            files = _archive_tenant_files(archive, tenant)
            manifest = _manifest(tenant, checksums, files)
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=2).encode())
        size = archive_path.stat().st_size
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        wanted = f"{EXPORTS_DIR}/{tenant.slug}/{tenant.slug}-{stamp}.tar.gz"
        with schema_context(get_public_schema_name()), archive_path.open("rb") as handle:
            stored = default_storage.save(wanted, File(handle))
    try:
        with transaction.atomic():
            export = TenantExport.objects.create(
                tenant=tenant,
                path=stored,
                size_bytes=size,
                table_checksums=checksums,
                created_by_email=actor.email,
            )
            platform_audit(
                action="tenant.export",
                actor_email=actor.email,
                actor_name=actor.name,
                target=tenant.slug,
                detail={
                    "export_id": export.pk,
                    "path": stored,
                    "size_bytes": size,
                    "tables": len(checksums),
                    "files": len(files),
                },
            )
    except BaseException:
        with schema_context(get_public_schema_name()):
            default_storage.delete(stored)
        raise
    return export


def _dump_consistent(schema: str) -> tuple[dict[str, dict[str, Any]], str]:
    """pg_dump's text and the checksums it matches.

    pg_dump reads in its own snapshot and our checksum queries in theirs; when
    the checksums are equal before and after the dump, no write happened in
    between, so they describe the dump. A regency busy enough to change every
    time is refused: suspend it first."""
    for _attempt in range(DUMP_ATTEMPTS):
        before = schema_table_checksums(schema)
        dump = pg_dump_schema(schema)
        if schema_table_checksums(schema) == before:
            return before, dump
    raise ValidationError(
        _(
            "The data of schema %(schema)s kept changing while it was exported; "
            "suspend the regency and export again."
        )
        % {"schema": schema}
    )


def _archive_tenant_files(archive: tarfile.TarFile, tenant: Tenant) -> list[_ExportedFile]:
    exported: list[_ExportedFile] = []
    with tenant_context(tenant):
        for name in storage_walk():
            with default_storage.open(name, "rb") as source, tempfile.TemporaryFile() as copy:
                digest = hashlib.sha256()
                size = 0
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
                    size += len(chunk)
                copy.seek(0)
                info = tarfile.TarInfo(FILES_DIR + name)
                info.size = size
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, copy)
            exported.append(_ExportedFile(name=name, size=size, sha256=digest.hexdigest()))
    return exported


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _manifest(
    tenant: Tenant, checksums: dict[str, dict[str, Any]], files: list[_ExportedFile]
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "tenant": {
            "slug": tenant.slug,
            "name": tenant.name,
            "region_code": tenant.region_code,
            "province": tenant.province,
            "time_zone": tenant.time_zone,
            "status": tenant.status,
            "created_at": tenant.created_at.isoformat(),
            # Informational: entitlements live in the public schema, not the dump.
            "modules": sorted(tenant.entitlements.values_list("module_code", flat=True)),
        },
        "schema": tenant.schema_name,
        "tables": checksums,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in files],
    }


# --- restore --------------------------------------------------------------------


class ArchiveCorruptError(Exception):
    """The archive cannot be read or does not match its manifest."""


def tenant_restore(*, export: TenantExport, slug: str, actor: Actor) -> Tenant:
    """Create a NEW regency `slug` from an export: suspended, without domains.

    All or nothing: a refused or failed restore leaves no row, no schema and no
    file behind."""
    schema = schema_name_for_slug(slug)
    _validate_restore_slug(slug, schema)
    with tempfile.TemporaryDirectory(prefix="sukowati-restore-") as scratch:
        local = Path(scratch) / "export.tar.gz"
        _fetch_archive(export, local)
        try:
            with tarfile.open(local, "r:gz") as archive:
                return _restore_from_archive(
                    archive=archive, export=export, slug=slug, schema=schema, actor=actor
                )
        except (
            tarfile.TarError,
            EOFError,
            zlib.error,
            gzip.BadGzipFile,
            ArchiveCorruptError,
        ) as exc:
            raise ValidationError(
                _("Export #%(id)s is corrupt and cannot be restored: %(error)s")
                % {"id": export.pk, "error": exc}
            ) from exc


def _validate_restore_slug(slug: str, schema: str) -> None:
    """The checks of a new regency's slug. Unlike a new regency, a restored copy
    may share its region with a live one: it stays suspended, and the lifecycle
    refuses to activate it while the region is served."""
    try:
        validate_tenant_slug(slug)
    except ValidationError as exc:
        raise ValidationError({"slug": exc.messages}) from None
    if Tenant.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": [_("A regency with the slug '%(slug)s' already exists.") % {"slug": slug}]}
        )
    if schema_exists(schema):
        raise ValidationError(
            {
                "slug": [
                    _("A schema named '%(schema)s' already exists in the database.")
                    % {"schema": schema}
                ]
            }
        )
    with schema_context(schema):
        leftovers = default_storage.listdir("")
    if leftovers != ([], []):
        raise ValidationError(
            {
                "slug": [
                    _("The storage prefix '%(schema)s/' already holds files.") % {"schema": schema}
                ]
            }
        )


def _fetch_archive(export: TenantExport, local: Path) -> None:
    with schema_context(get_public_schema_name()):
        if not export.path or not default_storage.exists(export.path):
            raise ValidationError(
                _("The archive of export #%(id)s is missing from storage (%(path)s).")
                % {"id": export.pk, "path": export.path or "-"}
            )
        with default_storage.open(export.path, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, _CHUNK)


def _member_bytes(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise ArchiveCorruptError(
            _("%(name)s is missing from the archive.") % {"name": name}
        ) from None
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        raise ArchiveCorruptError(_("%(name)s is not a file.") % {"name": name})
    with handle:
        return handle.read()


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.loads(_member_bytes(archive, MANIFEST_NAME))
        valid = (
            manifest["format"] == MANIFEST_FORMAT
            and _SCHEMA_RE.match(manifest["schema"]) is not None
            and isinstance(manifest["tables"], dict)
            and isinstance(manifest["files"], list)
            and all(
                isinstance(f, dict) and {"name", "size", "sha256"} <= set(f)
                for f in manifest["files"]
            )
            and {"name", "region_code", "province", "time_zone"} <= set(manifest["tenant"])
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveCorruptError(_("the manifest cannot be read.")) from exc
    if not valid:
        raise ArchiveCorruptError(_("the manifest is not one this version can restore."))
    return dict(manifest)


def _restore_from_archive(
    *, archive: tarfile.TarFile, export: TenantExport, slug: str, schema: str, actor: Actor
) -> Tenant:
    manifest = _read_manifest(archive)
    try:
        dump = _member_bytes(archive, DUMP_NAME).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveCorruptError(_("the schema dump is not UTF-8 text.")) from exc
    sql = dump_rewrite_schema(dump, old=manifest["schema"], new=schema)
    del dump
    source = manifest["tenant"]
    copied: list[str] = []
    try:
        with transaction.atomic():
            tenant = Tenant(
                slug=slug,
                schema_name=schema,
                name=(_("%(name)s (restored)") % {"name": source["name"]})[:120],
                region_code=source["region_code"],
                province=source["province"],
                time_zone=source["time_zone"],
                # Created directly as suspended, not moved there by tenant_transition:
                # the lifecycle has no path prospect -> suspended, and passing through
                # provisioning/active would make the copy live, colliding with an
                # original that still serves the region. The transition row below
                # records the move honestly as "restored from export N".
                status=Tenant.Status.SUSPENDED,
            )
            tenant.full_clean()
            tenant.save()
            reason = _("Restored from export #%(id)s of %(source)s (%(date)s) by %(actor)s.") % {
                "id": export.pk,
                "source": export.tenant.slug,
                "date": export.created_at.strftime("%Y-%m-%d %H:%M"),
                "actor": actor.email or actor.name,
            }
            TenantTransition.objects.create(
                tenant=tenant,
                from_status=Tenant.Status.PROSPECT,
                to_status=Tenant.Status.SUSPENDED,
                actor_email=actor.email,
                actor_name=actor.name,
                reason=reason,
            )
            _replay(sql)
            restored = schema_table_checksums(schema)
            if restored != manifest["tables"]:
                differing = _differing_tables(restored, manifest["tables"])
                raise ArchiveCorruptError(
                    _("the restored tables differ from the manifest: %(tables)s.")
                    % {"tables": ", ".join(differing)}
                )
            with tenant_context(tenant):
                _restore_files(archive, manifest["files"], copied)
            platform_audit(
                action="tenant.restore",
                actor_email=actor.email,
                actor_name=actor.name,
                target=slug,
                detail={
                    "export_id": export.pk,
                    "source": export.tenant.slug,
                    "tables": len(restored),
                    "files": len(copied),
                },
            )
    except BaseException:
        if copied:
            with schema_context(schema):
                for name in copied:
                    default_storage.delete(name)
        raise
    return tenant


def _differing_tables(
    restored: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]
) -> list[str]:
    return sorted(t for t in set(restored) | set(expected) if restored.get(t) != expected.get(t))


def dump_rewrite_schema(sql: str, *, old: str, new: str) -> str:
    """pg_dump's text for schema `old`, rewritten to create and fill `new`.

    Rewritten statement by statement, never inside data: in an INSERT only the
    table name is renamed, so a value that happens to contain `old.` (or a line
    starting with `SET `) is restored exactly as exported. Every other statement
    is schema definition, where `old.` only occurs as a qualified name (also in
    `nextval('old.seq')` defaults, setval calls and function bodies). pg_dump's
    own session settings are left out."""
    qualified = re.compile(rf'(?<![\w"])(?:{re.escape(old)}|"{re.escape(old)}")\.')
    insert_head = re.compile(rf'^INSERT INTO (?:{re.escape(old)}|"{re.escape(old)}")\.')
    create_schema = re.compile(rf'^CREATE SCHEMA (?:{re.escape(old)}|"{re.escape(old)}");$')
    statements: list[str] = []
    created = False
    for statement in _sql_statements(sql):
        if _SESSION_STATEMENT.match(statement):
            continue
        if statement.startswith("INSERT INTO "):
            rewritten, count = insert_head.subn(f"INSERT INTO {new}.", statement, count=1)
            if count != 1:
                raise ArchiveCorruptError(_("the dump inserts into another schema."))
        elif create_schema.match(statement):
            rewritten, created = f"CREATE SCHEMA {new};", True
        else:
            rewritten = qualified.sub(f"{new}.", statement)
        statements.append(rewritten)
    if not created:
        raise ArchiveCorruptError(
            _("the dump does not create schema %(schema)s.") % {"schema": old}
        )
    return "\n".join(statements)


def _sql_statements(sql: str) -> Iterator[str]:
    """Each statement of pg_dump's output, without comments, ending in `;`."""
    parts: list[str] = []
    for match in _SQL_TOKEN.finditer(sql):
        piece = match.group(0)
        if piece.startswith("--") or (piece.startswith("/*") and piece.endswith("*/")):
            continue
        parts.append(piece)
        if piece == ";":
            statement = "".join(parts).strip()
            parts = []
            if statement != ";":
                yield statement
    if "".join(parts).strip():
        raise ArchiveCorruptError(_("the schema dump ends in the middle of a statement."))


def _replay(sql: str) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        raise ArchiveCorruptError(
            _("the schema dump does not replay: %(error)s") % {"error": exc}
        ) from exc
    # The replay ran with the session's search_path; make django-tenants set it again.
    connection.search_path_set_schemas = None  # type: ignore[attr-defined]


def _restore_files(
    archive: tarfile.TarFile, listed: list[dict[str, Any]], copied: list[str]
) -> None:
    """Copy the archive's files into the current schema's storage, each checked
    against the manifest; `copied` collects what was written, for cleanup."""
    in_archive = {
        m.name[len(FILES_DIR) :] for m in archive.getmembers() if m.name.startswith(FILES_DIR)
    }
    expected = {str(entry["name"]) for entry in listed}
    if in_archive != expected:
        raise ArchiveCorruptError(_("its files do not match the manifest."))
    for entry in listed:
        name = str(entry["name"])
        member = archive.getmember(FILES_DIR + name)
        source = archive.extractfile(member) if member.isfile() else None
        if source is None:
            raise ArchiveCorruptError(_("%(name)s is not a file.") % {"name": name})
        with source, tempfile.TemporaryFile() as copy:
            digest = hashlib.sha256()
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                copy.write(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise ArchiveCorruptError(
                    _("the file %(name)s does not match its checksum.") % {"name": name}
                )
            copy.seek(0)
            try:
                stored = default_storage.save(name, File(copy))
            except SuspiciousFileOperation as exc:
                raise ArchiveCorruptError(
                    _("the file name %(name)s is not allowed.") % {"name": name}
                ) from exc
            copied.append(stored)
            if stored != name:
                raise ArchiveCorruptError(
                    _("the file %(name)s could not keep its name.") % {"name": name}
                )


# --- delete ---------------------------------------------------------------------


def tenant_delete(
    *, tenant: Tenant, actor: Actor, confirmation: str, reason: str = ""
) -> TenantExport:
    """Delete an archived regency: export first, then drop its schema, its files
    and its domains. The row stays, with its history and billing records."""
    if confirmation.strip() != tenant.slug:
        raise ValidationError(
            _("Type the slug '%(slug)s' to confirm the deletion.") % {"slug": tenant.slug}
        )
    tenant.refresh_from_db()
    refusal = transition_refusal(tenant=tenant, to_status=Tenant.Status.DELETED)
    if refusal is not None:
        raise ValidationError(refusal)
    export = tenant_export(tenant=tenant, actor=actor)
    why = _("Deleted; export #%(id)s was taken first.") % {"id": export.pk}
    if reason.strip():
        why = f"{reason.strip()} ({why})"
    with transaction.atomic():
        schema_drop(tenant.schema_name)
        domains = list(tenant.domains.values_list("domain", flat=True))
        for domain in tenant.domains.all():
            domain.delete()
        tenant_transition(tenant=tenant, to_status=Tenant.Status.DELETED, actor=actor, reason=why)
        platform_audit(
            action="tenant.delete",
            actor_email=actor.email,
            actor_name=actor.name,
            target=tenant.slug,
            detail={"export_id": export.pk, "domains": domains},
        )
    # Files last: until the rows are committed the deletion can still fail, and the
    # files are only worth removing once it cannot. (The export holds them anyway.)
    with tenant_context(tenant):
        for name in list(storage_walk()):
            default_storage.delete(name)
    return export

"""The organisation's spreadsheets: which tables can be imported and exported,
with which columns, and the file kept between a dry run and its commit.

An uploaded file is stored under `imports/organisation/<uuid>` in the default
storage, which puts it under the regency's own prefix; the commit reads it back
and checks it again, so what is written is what the person saw in the dry run,
re-validated against the regency's data as it is at that moment."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.tabular import Table, table_read
from organisation.services.common import Actor
from organisation.tables import areas, positions, work_units
from organisation.tables.common import ImportPlan, ImportRefused, RowProblem

__all__ = [
    "KINDS",
    "ImportPlan",
    "ImportRefused",
    "RowProblem",
    "TableKind",
    "import_file_discard",
    "import_file_read",
    "import_file_save",
    "organisation_import_check",
    "organisation_import_commit",
    "table_kind",
]

IMPORT_DIR = "imports/organisation"


@dataclass(frozen=True)
class TableKind:
    slug: str  # in URLs
    key: str  # in audit rows and file names
    label: Promise
    columns: tuple[str, ...]
    required: tuple[str, ...]
    check: Callable[..., ImportPlan]
    commit: Callable[..., ImportPlan]
    export_rows: Callable[[], list[list[object]]]
    list_url: str


KINDS: dict[str, TableKind] = {
    kind.slug: kind
    for kind in (
        TableKind(
            slug="work-units",
            key="work_units",
            label=_("Work units"),
            columns=work_units.COLUMNS,
            required=work_units.REQUIRED,
            check=work_units.work_unit_import_check,
            commit=work_units.work_unit_import_commit,
            export_rows=work_units.work_unit_export_rows,
            list_url="organisation_work_units",
        ),
        TableKind(
            slug="positions",
            key="positions",
            label=_("Positions"),
            columns=positions.COLUMNS,
            required=positions.REQUIRED,
            check=positions.position_import_check,
            commit=positions.position_import_commit,
            export_rows=positions.position_export_rows,
            list_url="organisation_positions",
        ),
        TableKind(
            slug="areas",
            key="areas",
            label=_("Kecamatan and desa/kelurahan"),
            columns=areas.COLUMNS,
            required=areas.REQUIRED,
            check=areas.area_import_check,
            commit=areas.area_import_commit,
            export_rows=areas.area_export_rows,
            list_url="organisation_kecamatan_list",
        ),
    )
}


def table_kind(slug: str) -> TableKind | None:
    return KINDS.get(slug)


def _table(kind: TableKind, data: bytes, filename: str) -> Table:
    optional = [column for column in kind.columns if column not in kind.required]
    return table_read(data, filename=filename, required=kind.required, optional=optional)


def organisation_import_check(
    *, kind: TableKind, data: bytes, filename: str, region_code: str
) -> ImportPlan:
    """The dry run: what the file would do, and every row's problems. Writes
    nothing. Raises TableError when the file cannot be read as a table."""
    return kind.check(_table(kind, data, filename), region_code=region_code)


def organisation_import_commit(
    *,
    kind: TableKind,
    data: bytes,
    filename: str,
    region_code: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> ImportPlan:
    """Write the file in one transaction; ImportRefused (nothing written) when a
    row has a problem."""
    return kind.commit(
        _table(kind, data, filename),
        actor=actor,
        filename=filename,
        region_code=region_code,
        request=request,
    )


def import_file_save(*, data: bytes) -> str:
    return default_storage.save(f"{IMPORT_DIR}/{uuid.uuid4().hex}", ContentFile(data))


def import_file_read(name: str) -> bytes | None:
    """The stored upload, or None when it is gone (committed or cancelled elsewhere)."""
    if not name.startswith(f"{IMPORT_DIR}/") or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    return bytes(data)


def import_file_discard(name: str) -> None:
    if name.startswith(f"{IMPORT_DIR}/"):
        default_storage.delete(name)

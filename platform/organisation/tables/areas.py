"""Kecamatan and desa/kelurahan to and from spreadsheets: the regency's local
changes to the national code list (new names, a new desa after a split).
Columns:

    code, name, kind

`kind` (kecamatan, desa or kelurahan) is written for people reading the export
and ignored on import: a code's structure already says what it is. The checks
are those of the provisioning CSV (`area_row_problems`); rows whose name did not
change are left alone, so re-importing an export marks nothing as changed."""

from django.db import transaction
from django.http import HttpRequest

from core.tabular import Table
from organisation.models import Desa, Kecamatan
from organisation.services.areas import (
    KECAMATAN_RE,
    AreaImport,
    AreaRow,
    area_row_problems,
    areas_apply_import,
)
from organisation.services.common import Actor, organisation_audit
from organisation.tables.common import (
    NEW,
    UNCHANGED,
    UPDATED,
    ImportPlan,
    ImportRefused,
    PlanRow,
    cell_restore,
)

COLUMNS = ("code", "name", "kind")
REQUIRED = ("code", "name")


def area_export_rows() -> list[list[object]]:
    rows: list[tuple[str, str, str]] = [
        (k.code, k.name, "kecamatan") for k in Kecamatan.objects.all()
    ]
    rows += [(d.code, d.name, d.kind) for d in Desa.objects.all()]
    return [list(row) for row in sorted(rows)]


def area_import_check(table: Table, *, region_code: str) -> ImportPlan:
    plan = ImportPlan()
    names = dict(Kecamatan.objects.values_list("code", "name"))
    names.update(Desa.objects.values_list("code", "name"))
    # A desa may name a kecamatan that the same file adds, above or below it.
    kecamatan = set(Kecamatan.objects.values_list("code", flat=True)) | {
        cells.get("code", "").strip()
        for _line, cells in table.rows
        if KECAMATAN_RE.match(cells.get("code", "").strip())
        and cells.get("code", "").strip().startswith(f"{region_code}.")
    }
    seen: set[str] = set()
    for line, cells in table.rows:
        code = cells.get("code", "").strip()
        name = cell_restore(cells.get("name", "")).strip()
        for column, message in area_row_problems(
            code=code, name=name, region_code=region_code, seen=seen, kecamatan=kecamatan
        ):
            plan.add(line, column, message)
        if code:
            seen.add(code)
        row = PlanRow(line=line, code=code, name=name)
        if code not in names:
            row.action = NEW
        elif names[code] == name:
            row.action = UNCHANGED
        else:
            row.action, row.changes = UPDATED, ["name"]
        plan.rows.append(row)
    return plan.finish()


def area_import_commit(
    table: Table,
    *,
    actor: Actor,
    filename: str,
    region_code: str,
    request: HttpRequest | None = None,
) -> ImportPlan:
    """Check the file again; add the new areas and rename the changed ones, all
    in one transaction (`areas_apply_import`), or nothing."""
    with transaction.atomic():
        plan = area_import_check(table, region_code=region_code)
        if not plan.ok:
            raise ImportRefused(plan)
        changed = AreaImport(
            rows=[
                AreaRow(line=row.line, code=row.code, name=row.name)
                for row in plan.rows
                if row.action != UNCHANGED
            ]
        )
        areas_apply_import(parsed=changed)
        organisation_audit(
            action="areas.imported",
            actor=actor,
            target=filename,
            detail={
                **plan.counts,
                "created_codes": [r.code for r in plan.rows if r.action == NEW][:500],
                "updated_codes": [r.code for r in plan.rows if r.action == UPDATED][:500],
            },
            request=request,
        )
    return plan

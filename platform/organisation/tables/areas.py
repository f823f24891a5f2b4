"""Kecamatan and desa/kelurahan to and from spreadsheets: the regency's local
changes to the national code list (new names, a new desa after a split).
Columns:

    code, name, kind

`kind` (kecamatan, desa or kelurahan) is written for people reading the export
and ignored on import: a code's structure already says what it is. The checks
are those of the provisioning CSV (`area_row_problems`); rows whose name did not
change are left alone, so re-importing an export marks nothing as changed."""

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
from organisation.services.common import Actor
from organisation.tables.common import (
    UNCHANGED,
    ImportPlan,
    PlanRow,
    cell_restore,
    import_commit,
    plan_row_decide,
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
        plan_row_decide(row, {"name": names[code]} if code in names else None)
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

    def write(plan: ImportPlan) -> None:
        changed = AreaImport(
            rows=[
                AreaRow(line=row.line, code=row.code, name=row.name)
                for row in plan.rows
                if row.action != UNCHANGED
            ]
        )
        areas_apply_import(parsed=changed)

    return import_commit(
        table,
        check=area_import_check,
        write=write,
        action="areas.imported",
        actor=actor,
        filename=filename,
        region_code=region_code,
        request=request,
    )

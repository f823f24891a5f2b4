"""Work units to and from spreadsheets. Columns:

    code, name, kind, parent, kecamatan, active

`parent` is another unit's code, in this regency or anywhere in the same file
(before or after the row); `kecamatan` a kecamatan code (NN.NN.NN); `kind` a
kind's code or its English or Indonesian label. An empty `kind` or `active`
keeps what the unit has (a new unit: an agency, active)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.tabular import Table
from organisation.models import Kecamatan, WorkUnit
from organisation.services.common import Actor, org_code_normalise
from organisation.tables.common import (
    UNCHANGED,
    ImportPlan,
    PlanRow,
    active_cell,
    choice_lookup,
    code_name_check,
    coded_lines,
    flag_text,
    import_commit,
    kind_cell,
    plan_row_decide,
)

COLUMNS = ("code", "name", "kind", "parent", "kecamatan", "active")
REQUIRED = ("code", "name")


def work_unit_export_rows() -> list[list[object]]:
    units = WorkUnit.objects.select_related("parent", "kecamatan").order_by("code")
    return [
        [
            unit.code,
            unit.name,
            unit.kind,
            unit.parent.code if unit.parent else "",
            unit.kecamatan.code if unit.kecamatan else "",
            flag_text(unit.is_active),
        ]
        for unit in units
    ]


def _looped_codes(plan_rows: list[PlanRow], parent_of: dict[str, str | None]) -> set[str]:
    """Codes of the file's rows whose chain of parents comes back to themselves."""
    looped: set[str] = set()
    for row in plan_rows:
        seen: set[str] = set()
        current = parent_of.get(row.code)
        while current is not None and current not in seen:
            if current == row.code:
                looped.add(row.code)
                break
            seen.add(current)
            current = parent_of.get(current)
    return looped


def work_unit_import_check(table: Table, *, region_code: str = "") -> ImportPlan:
    plan = ImportPlan()
    kinds = choice_lookup(WorkUnit.Kind)
    existing = {u.code: u for u in WorkUnit.objects.select_related("parent", "kecamatan")}
    kecamatan_codes = set(Kecamatan.objects.values_list("code", flat=True))
    lines, codes, repeated = coded_lines(plan, table)
    in_file = {code for line, code in codes if code and line not in repeated}
    # The tree as it would be after the import: the regency's units, overlaid by the file.
    parent_of: dict[str, str | None] = {
        code: unit.parent.code if unit.parent else None for code, unit in existing.items()
    }
    checked: list[PlanRow] = []
    for (line, cells), (_line, code) in zip(lines, codes, strict=True):
        name = cells.get("name", "").strip()
        current = existing.get(code)
        code_name_check(plan, line, code=code, name=name)
        kind = kind_cell(
            plan,
            line,
            cells,
            choices=WorkUnit.Kind,
            lookup=kinds,
            keep=current.kind if current else WorkUnit.Kind.DINAS,
            not_a_kind=_("'%(value)s' is not a kind of work unit. Use one of: %(codes)s."),
        )

        parent = org_code_normalise(cells.get("parent", "")) or None
        if parent is not None:
            if parent == code:
                plan.add(line, "parent", _("A work unit cannot be its own parent."))
            elif parent not in existing and parent not in in_file:
                plan.add(
                    line,
                    "parent",
                    _(
                        "There is no work unit with the code %(code)s, in this regency or in "
                        "this file."
                    )
                    % {"code": parent},
                )

        kecamatan = cells.get("kecamatan", "").strip() or None
        if kecamatan is not None and kecamatan not in kecamatan_codes:
            plan.add(
                line,
                "kecamatan",
                _("There is no kecamatan with the code %(code)s in this regency.")
                % {"code": kecamatan},
            )

        active = active_cell(plan, line, cells, keep=current.is_active if current else True)

        row = PlanRow(
            line=line,
            code=code,
            name=name,
            values={"kind": kind, "parent": parent, "kecamatan": kecamatan, "active": active},
        )
        if code and line not in repeated:
            parent_of[code] = parent
            checked.append(row)
        plan.rows.append(row)

    looped = _looped_codes(checked, parent_of)
    for row in checked:
        if row.code in looped and row.values["parent"] != row.code:
            plan.add(
                row.line,
                "parent",
                _(
                    "Under %(parent)s, %(code)s would end up under itself: the parents in this "
                    "file form a loop."
                )
                % {"parent": row.values["parent"], "code": row.code},
            )
    for row in plan.rows:
        _decide(row, existing.get(row.code))
    return plan.finish()


def _decide(row: PlanRow, current: WorkUnit | None) -> None:
    plan_row_decide(
        row,
        {
            "name": current.name,
            "kind": current.kind,
            "parent": current.parent.code if current.parent else None,
            "kecamatan": current.kecamatan.code if current.kecamatan else None,
            "active": current.is_active,
        }
        if current
        else None,
    )


def _depths(rows: list[PlanRow]) -> dict[str, int]:
    """How many of the file's own rows sit above each row: parents are written first."""
    codes = {row.code for row in rows}
    parent_in_file = {
        row.code: row.values["parent"] for row in rows if row.values["parent"] in codes
    }
    depths: dict[str, int] = {}
    for row in rows:
        chain = []
        current: str | None = row.code
        while current is not None and current not in depths:
            chain.append(current)
            current = parent_in_file.get(current)
        base = depths[current] + 1 if current is not None else 0
        for offset, code in enumerate(reversed(chain)):
            depths[code] = base + offset
    return depths


def work_unit_import_commit(
    table: Table,
    *,
    actor: Actor,
    filename: str,
    region_code: str = "",
    request: HttpRequest | None = None,
) -> ImportPlan:
    """Check the file again and write it all, or nothing."""

    def write(plan: ImportPlan) -> None:
        units = {unit.code: unit for unit in WorkUnit.objects.all()}
        kecamatan = {k.code: k for k in Kecamatan.objects.all()}
        writes = [row for row in plan.rows if row.action != UNCHANGED]
        depths = _depths(writes)
        for row in sorted(writes, key=lambda r: depths[r.code]):
            unit = units.get(row.code) or WorkUnit(code=row.code)
            unit.name = row.name
            unit.kind = row.values["kind"]
            unit.parent = units[row.values["parent"]] if row.values["parent"] else None
            unit.kecamatan = kecamatan[row.values["kecamatan"]] if row.values["kecamatan"] else None
            unit.is_active = row.values["active"]
            unit.full_clean()
            unit.save()
            units[row.code] = unit

    return import_commit(
        table,
        check=work_unit_import_check,
        write=write,
        action="work_units.imported",
        actor=actor,
        filename=filename,
        region_code=region_code,
        request=request,
    )

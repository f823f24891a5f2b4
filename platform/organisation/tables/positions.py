"""Positions to and from spreadsheets. Columns:

    code, name, kind, active

`kind` is a kind's code or its English or Indonesian label. An empty `kind` or
`active` keeps what the position has (a new one: executive, active)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.tabular import Table
from organisation.models import Position
from organisation.services.common import Actor
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

COLUMNS = ("code", "name", "kind", "active")
REQUIRED = ("code", "name")


def position_export_rows() -> list[list[object]]:
    return [
        [position.code, position.name, position.kind, flag_text(position.is_active)]
        for position in Position.objects.order_by("code")
    ]


def position_import_check(table: Table, *, region_code: str = "") -> ImportPlan:
    plan = ImportPlan()
    kinds = choice_lookup(Position.Kind)
    existing = {p.code: p for p in Position.objects.all()}
    lines, codes, _repeated = coded_lines(plan, table)
    for (line, cells), (_line, code) in zip(lines, codes, strict=True):
        name = cells.get("name", "").strip()
        current = existing.get(code)
        code_name_check(plan, line, code=code, name=name)
        kind = kind_cell(
            plan,
            line,
            cells,
            choices=Position.Kind,
            lookup=kinds,
            keep=current.kind if current else Position.Kind.EXECUTIVE,
            not_a_kind=_("'%(value)s' is not a kind of position. Use one of: %(codes)s."),
        )
        active = active_cell(plan, line, cells, keep=current.is_active if current else True)
        row = PlanRow(line=line, code=code, name=name, values={"kind": kind, "active": active})
        plan_row_decide(
            row,
            {"name": current.name, "kind": current.kind, "active": current.is_active}
            if current
            else None,
        )
        plan.rows.append(row)
    return plan.finish()


def position_import_commit(
    table: Table,
    *,
    actor: Actor,
    filename: str,
    region_code: str = "",
    request: HttpRequest | None = None,
) -> ImportPlan:
    """Check the file again and write it all, or nothing."""

    def write(plan: ImportPlan) -> None:
        positions = {p.code: p for p in Position.objects.all()}
        for row in plan.rows:
            if row.action == UNCHANGED:
                continue
            position = positions.get(row.code) or Position(code=row.code)
            position.name = row.name
            position.kind = row.values["kind"]
            position.is_active = row.values["active"]
            position.full_clean()
            position.save()

    return import_commit(
        table,
        check=position_import_check,
        write=write,
        action="positions.imported",
        actor=actor,
        filename=filename,
        region_code=region_code,
        request=request,
    )

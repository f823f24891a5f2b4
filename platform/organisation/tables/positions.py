"""Positions to and from spreadsheets. Columns:

    code, name, kind, active

`kind` is a kind's code or its English or Indonesian label. An empty `kind` or
`active` keeps what the position has (a new one: executive, active)."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.tabular import Table
from organisation.models import Position
from organisation.services.common import Actor, organisation_audit
from organisation.services.work_units import org_code_normalise, org_code_problem
from organisation.tables.common import (
    NEW,
    UNCHANGED,
    UPDATED,
    ImportPlan,
    ImportRefused,
    PlanRow,
    cell_restore,
    choice_codes,
    choice_lookup,
    choice_parse,
    duplicates_mark,
    flag_parse,
    flag_problem,
    flag_text,
)

COLUMNS = ("code", "name", "kind", "active")
REQUIRED = ("code", "name")
NAME_MAX = 200


def position_export_rows() -> list[list[object]]:
    return [
        [position.code, position.name, position.kind, flag_text(position.is_active)]
        for position in Position.objects.order_by("code")
    ]


def position_import_check(table: Table, *, region_code: str = "") -> ImportPlan:
    plan = ImportPlan()
    kinds = choice_lookup(Position.Kind)
    existing = {p.code: p for p in Position.objects.all()}
    lines = [
        (line, {column: cell_restore(value) for column, value in cells.items()})
        for line, cells in table.rows
    ]
    codes = [(line, org_code_normalise(cells.get("code", ""))) for line, cells in lines]
    duplicates_mark(plan, codes)
    for (line, cells), (_line, code) in zip(lines, codes, strict=True):
        name = cells.get("name", "").strip()
        current = existing.get(code)
        problem = org_code_problem(code)
        if problem:
            plan.add(line, "code", problem)
        if not name:
            plan.add(line, "name", _("Enter a name."))
        elif len(name) > NAME_MAX:
            plan.add(
                line, "name", _("The name is longer than %(max)d characters.") % {"max": NAME_MAX}
            )
        kind_raw = cells.get("kind", "").strip()
        kind: str | None = current.kind if current else Position.Kind.EXECUTIVE
        if kind_raw:
            kind = choice_parse(kind_raw, kinds)
            if kind is None:
                plan.add(
                    line,
                    "kind",
                    _("'%(value)s' is not a kind of position. Use one of: %(codes)s.")
                    % {"value": kind_raw, "codes": choice_codes(Position.Kind)},
                )
        active_raw = cells.get("active", "").strip()
        active: bool | None = current.is_active if current else True
        if active_raw:
            active = flag_parse(active_raw)
            if active is None:
                plan.add(line, "active", flag_problem())
        row = PlanRow(line=line, code=code, name=name, values={"kind": kind, "active": active})
        if current is None:
            row.action = NEW
        else:
            before = {"name": current.name, "kind": current.kind, "active": current.is_active}
            after = {"name": name, "kind": kind, "active": active}
            row.changes = [column for column in before if before[column] != after[column]]
            row.action = UPDATED if row.changes else UNCHANGED
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
    with transaction.atomic():
        plan = position_import_check(table, region_code=region_code)
        if not plan.ok:
            raise ImportRefused(plan)
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
        organisation_audit(
            action="positions.imported",
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

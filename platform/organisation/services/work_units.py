"""Writes on the tree of work units. A unit that anybody points at (staff, role
scopes, sub-units) is deactivated rather than deleted, so history keeps its
meaning; only an unused unit can be deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from organisation.models import Kecamatan, WorkUnit
from organisation.services.common import (
    Actor,
    org_code_normalise,
    org_record_delete,
    org_record_errors,
    org_record_set_active,
    organisation_audit,
    organisation_audit_changes,
)


def work_unit_cycle_problem(*, unit: WorkUnit | None, parent: WorkUnit | None) -> str | None:
    """Why `parent` cannot be `unit`'s parent, or None: a unit cannot sit under
    itself or under one of its own sub-units."""
    if unit is None or unit.pk is None or parent is None:
        return None
    if parent.pk == unit.pk:
        return _("A work unit cannot be its own parent.")
    parents = dict(WorkUnit.objects.values_list("pk", "parent_id"))
    seen: set[int] = set()
    current: int | None = parent.pk
    while current is not None and current not in seen:
        if current == unit.pk:
            return _(
                "%(parent)s is one of %(unit)s's own sub-units: a unit cannot be placed "
                "under itself."
            ) % {"parent": parent.name, "unit": unit.name}
        seen.add(current)
        current = parents.get(current)
    return None


def _validate(
    *, unit: WorkUnit | None, code: str, name: str, parent: WorkUnit | None
) -> dict[str, str]:
    errors = org_record_errors(
        records=WorkUnit.objects.all(),
        record=unit,
        code=code,
        name=name,
        code_taken=_("Another work unit already has the code %(code)s."),
    )
    cycle = work_unit_cycle_problem(unit=unit, parent=parent)
    if cycle:
        errors["parent"] = cycle
    return errors


def _snapshot(unit: WorkUnit) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else "",
        "kecamatan": unit.kecamatan.code if unit.kecamatan else "",
        "active": unit.is_active,
    }


def work_unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    actor: Actor,
    parent: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    request: HttpRequest | None = None,
) -> WorkUnit:
    code = org_code_normalise(code)
    errors = _validate(unit=None, code=code, name=name, parent=parent)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        unit = WorkUnit(code=code, name=name.strip(), kind=kind, parent=parent, kecamatan=kecamatan)
        unit.full_clean()
        unit.save()
        organisation_audit(
            action="work_unit.created",
            actor=actor,
            target=unit.code,
            detail=_snapshot(unit),
            request=request,
        )
    return unit


def work_unit_update(
    *,
    unit: WorkUnit,
    code: str,
    name: str,
    kind: str,
    actor: Actor,
    parent: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    request: HttpRequest | None = None,
) -> WorkUnit:
    code = org_code_normalise(code)
    errors = _validate(unit=unit, code=code, name=name, parent=parent)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(unit)
    with transaction.atomic():
        unit.code = code
        unit.name = name.strip()
        unit.kind = kind
        unit.parent = parent
        unit.kecamatan = kecamatan
        unit.full_clean()
        unit.save()
        organisation_audit_changes(
            action="work_unit.updated",
            actor=actor,
            target=unit.code,
            before=before,
            after=_snapshot(unit),
            request=request,
        )
    return unit


def work_unit_set_active(
    *, unit: WorkUnit, active: bool, actor: Actor, request: HttpRequest | None = None
) -> WorkUnit:
    return org_record_set_active(
        record=unit,
        active=active,
        action="work_unit.reactivated" if active else "work_unit.deactivated",
        actor=actor,
        request=request,
    )


def work_unit_delete_problem(unit: WorkUnit) -> str | None:
    """Why `unit` cannot be deleted, or None when nothing points at it."""
    if unit.children.exists():
        return _("%(name)s has sub-units: move or delete them first, or deactivate it.") % {
            "name": unit.name
        }
    if unit.staff.exists():
        return _("Staff belong to %(name)s: deactivate it instead.") % {"name": unit.name}
    return None


def work_unit_delete(*, unit: WorkUnit, actor: Actor, request: HttpRequest | None = None) -> None:
    problem = work_unit_delete_problem(unit)
    if problem:
        raise ValidationError(problem)
    # Role scopes and the modules' records point at units too.
    org_record_delete(
        record=unit,
        snapshot=_snapshot(unit),
        action="work_unit.deleted",
        in_use=_("%(name)s is still in use (roles or records refer to it): deactivate it instead."),
        actor=actor,
        request=request,
    )

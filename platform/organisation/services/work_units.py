"""Writes on the tree of work units. A unit that anybody points at (staff, role
scopes, sub-units) is deactivated rather than deleted, so history keeps its
meaning; only an unused unit can be deleted."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from organisation.models import Kecamatan, WorkUnit
from organisation.services.common import Actor, organisation_audit

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")


def org_code_normalise(raw: str) -> str:
    """Codes are matched without regard to case or surrounding space: `setda`
    typed in a spreadsheet's parent column means SETDA."""
    return raw.strip().upper()


def org_code_problem(code: str) -> str | None:
    if not code:
        return _("Enter a code.")
    if len(code) > 40:
        return _("The code is longer than 40 characters.")
    if not CODE_RE.match(code):
        return _(
            "A code may contain only letters, digits and . _ / - and must start with a letter "
            "or digit."
        )
    return None


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
    errors: dict[str, str] = {}
    problem = org_code_problem(code)
    if problem:
        errors["code"] = problem
    else:
        taken = WorkUnit.objects.filter(code=code)
        if unit is not None and unit.pk is not None:
            taken = taken.exclude(pk=unit.pk)
        if taken.exists():
            errors["code"] = _("Another work unit already has the code %(code)s.") % {"code": code}
    if not name.strip():
        errors["name"] = _("Enter a name.")
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
        after = _snapshot(unit)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            organisation_audit(
                action="work_unit.updated",
                actor=actor,
                target=unit.code,
                detail={"changes": changes},
                request=request,
            )
    return unit


def work_unit_set_active(
    *, unit: WorkUnit, active: bool, actor: Actor, request: HttpRequest | None = None
) -> WorkUnit:
    if unit.is_active == active:
        return unit
    with transaction.atomic():
        unit.is_active = active
        unit.full_clean()
        unit.save(update_fields=["is_active"])
        organisation_audit(
            action="work_unit.reactivated" if active else "work_unit.deactivated",
            actor=actor,
            target=unit.code,
            detail={"name": unit.name},
            request=request,
        )
    return unit


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
    snapshot = _snapshot(unit)
    try:
        with transaction.atomic():
            unit.delete()
            organisation_audit(
                action="work_unit.deleted",
                actor=actor,
                target=str(snapshot["code"]),
                detail=snapshot,
                request=request,
            )
    except (ProtectedError, RestrictedError) as exc:
        # Role scopes and the modules' records point at units too.
        raise ValidationError(
            _("%(name)s is still in use (roles or records refer to it): deactivate it instead.")
            % {"name": snapshot["name"]}
        ) from exc

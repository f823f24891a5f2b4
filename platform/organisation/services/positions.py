"""Writes on the positions (jabatan) staff hold."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from organisation.models import Position
from organisation.services.common import Actor, organisation_audit
from organisation.services.work_units import org_code_normalise, org_code_problem


def _validate(*, position: Position | None, code: str, name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = org_code_problem(code)
    if problem:
        errors["code"] = problem
    else:
        taken = Position.objects.filter(code=code)
        if position is not None and position.pk is not None:
            taken = taken.exclude(pk=position.pk)
        if taken.exists():
            errors["code"] = _("Another position already has the code %(code)s.") % {"code": code}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    return errors


def _snapshot(position: Position) -> dict[str, object]:
    return {
        "code": position.code,
        "name": position.name,
        "kind": position.kind,
        "active": position.is_active,
    }


def position_create(
    *, code: str, name: str, kind: str, actor: Actor, request: HttpRequest | None = None
) -> Position:
    code = org_code_normalise(code)
    errors = _validate(position=None, code=code, name=name)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        position = Position(code=code, name=name.strip(), kind=kind)
        position.full_clean()
        position.save()
        organisation_audit(
            action="position.created",
            actor=actor,
            target=position.code,
            detail=_snapshot(position),
            request=request,
        )
    return position


def position_update(
    *,
    position: Position,
    code: str,
    name: str,
    kind: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Position:
    code = org_code_normalise(code)
    errors = _validate(position=position, code=code, name=name)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(position)
    with transaction.atomic():
        position.code = code
        position.name = name.strip()
        position.kind = kind
        position.full_clean()
        position.save()
        after = _snapshot(position)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            organisation_audit(
                action="position.updated",
                actor=actor,
                target=position.code,
                detail={"changes": changes},
                request=request,
            )
    return position


def position_set_active(
    *, position: Position, active: bool, actor: Actor, request: HttpRequest | None = None
) -> Position:
    if position.is_active == active:
        return position
    with transaction.atomic():
        position.is_active = active
        position.full_clean()
        position.save(update_fields=["is_active"])
        organisation_audit(
            action="position.reactivated" if active else "position.deactivated",
            actor=actor,
            target=position.code,
            detail={"name": position.name},
            request=request,
        )
    return position


def position_delete(
    *, position: Position, actor: Actor, request: HttpRequest | None = None
) -> None:
    """Only a position nobody holds can be deleted; otherwise deactivate it."""
    snapshot = _snapshot(position)
    try:
        with transaction.atomic():
            position.delete()
            organisation_audit(
                action="position.deleted",
                actor=actor,
                target=str(snapshot["code"]),
                detail=snapshot,
                request=request,
            )
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _("Staff hold the position %(name)s: deactivate it instead.")
            % {"name": snapshot["name"]}
        ) from exc

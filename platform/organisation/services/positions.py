"""Writes on the positions (jabatan) staff hold."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from organisation.models import Position
from organisation.services.common import (
    Actor,
    org_code_normalise,
    org_record_delete,
    org_record_errors,
    org_record_set_active,
    organisation_audit,
    organisation_audit_changes,
)


def _validate(*, position: Position | None, code: str, name: str) -> dict[str, str]:
    return org_record_errors(
        records=Position.objects.all(),
        record=position,
        code=code,
        name=name,
        code_taken=_("Another position already has the code %(code)s."),
    )


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
        organisation_audit_changes(
            action="position.updated",
            actor=actor,
            target=position.code,
            before=before,
            after=_snapshot(position),
            request=request,
        )
    return position


def position_set_active(
    *, position: Position, active: bool, actor: Actor, request: HttpRequest | None = None
) -> Position:
    return org_record_set_active(
        record=position,
        active=active,
        action="position.reactivated" if active else "position.deactivated",
        actor=actor,
        request=request,
    )


def position_delete(
    *, position: Position, actor: Actor, request: HttpRequest | None = None
) -> None:
    """Only a position nobody holds can be deleted; otherwise deactivate it."""
    org_record_delete(
        record=position,
        snapshot=_snapshot(position),
        action="position.deleted",
        in_use=_("Staff hold the position %(name)s: deactivate it instead."),
        actor=actor,
        request=request,
    )

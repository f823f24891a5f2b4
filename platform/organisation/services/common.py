"""What the organisation's writes share: who acts and their audit row, the codes
work units and positions are known by, and the writes that work the same on both
(switching a record on or off, deleting one nobody uses)."""

import re
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.audit import audit_record
from organisation.models import Position, WorkUnit
from tenants.lifecycle import Actor

__all__ = [
    "CODE_RE",
    "Actor",
    "org_code_normalise",
    "org_code_problem",
    "org_record_delete",
    "org_record_errors",
    "org_record_set_active",
    "organisation_audit",
    "organisation_audit_changes",
]

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")

# A work unit or a position: both are known by a unique code and switched off
# rather than deleted while anything uses them.
OrgRecord = TypeVar("OrgRecord", WorkUnit, Position)


def organisation_audit(
    *,
    action: str,
    actor: Actor,
    target: str,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    audit_record(
        action=action,
        actor_email=actor.email,
        actor_name=actor.name,
        target=target,
        detail=detail,
        request=request,
    )


def organisation_audit_changes(
    *,
    action: str,
    actor: Actor,
    target: str,
    before: dict[str, object],
    after: dict[str, object],
    request: HttpRequest | None = None,
) -> None:
    """The audit row of an edit: each changed field as [before, after]; none when
    nothing changed."""
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        organisation_audit(
            action=action, actor=actor, target=target, detail={"changes": changes}, request=request
        )


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


def org_record_errors(
    *,
    records: "QuerySet[OrgRecord]",
    record: OrgRecord | None,
    code: str,
    name: str,
    code_taken: str,
) -> dict[str, str]:
    """The code's and the name's problems, by field. `code_taken` is the message
    (with %(code)s) for a code another of `records` already has."""
    errors: dict[str, str] = {}
    problem = org_code_problem(code)
    if problem:
        errors["code"] = problem
    else:
        taken = records.filter(code=code)
        if record is not None and record.pk is not None:
            taken = taken.exclude(pk=record.pk)
        if taken.exists():
            errors["code"] = code_taken % {"code": code}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    return errors


def org_record_set_active(
    *,
    record: OrgRecord,
    active: bool,
    action: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> OrgRecord:
    """Switch `record` on or off, audited as `action`; nothing when it already is."""
    if record.is_active == active:
        return record
    with transaction.atomic():
        record.is_active = active
        record.full_clean()
        record.save(update_fields=["is_active"])
        organisation_audit(
            action=action,
            actor=actor,
            target=record.code,
            detail={"name": record.name},
            request=request,
        )
    return record


def org_record_delete(
    *,
    record: OrgRecord,
    snapshot: dict[str, object],
    action: str,
    in_use: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> None:
    """Delete `record` and audit it with `snapshot`. When the database refuses
    because something still points at it, a ValidationError with `in_use` (a
    message with %(name)s) and nothing is written."""
    try:
        with transaction.atomic():
            record.delete()
            organisation_audit(
                action=action,
                actor=actor,
                target=str(snapshot["code"]),
                detail=snapshot,
                request=request,
            )
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(in_use % {"name": snapshot["name"]}) from exc

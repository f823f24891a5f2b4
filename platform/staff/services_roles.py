"""Giving and taking away roles: module roles with a scope, and the regency
admin flag. Every change is audited as "role.assigned" / "role.revoked"."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from core.modules import role_lookup
from organisation.models import Kecamatan, WorkUnit
from staff.models import RoleAssignment
from staff.services import Actor

# The regency admin flag is audited like a module role of this pseudo-module.
PLATFORM_MODULE = "platform"
REGENCY_ADMIN_ROLE = "regency_admin"


def _holder_check(user: User) -> None:
    if user.is_support_agent:
        raise ValidationError(_("Sragen's support users cannot be given roles."))
    if not user.is_active:
        raise ValidationError(
            _("%(name)s is inactive: only active staff can be given roles.") % {"name": user}
        )


def _assignment_detail(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "module": assignment.module,
        "role": assignment.role,
        "scope": assignment.scope,
        "work_unit": assignment.work_unit.code if assignment.work_unit else "",
        "kecamatan": assignment.kecamatan.code if assignment.kecamatan else "",
    }


def role_assign(
    *,
    user: User,
    module: str,
    role: str,
    scope: str,
    actor: Actor,
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
) -> RoleAssignment:
    """Give `user` a module's role over a scope. The scope names exactly its object:
    a work unit for "work_unit", a kecamatan for "kecamatan", nothing for "regency".
    Raises ValidationError (per field where it can) for an unknown role, a missing
    scope object, an inactive person or an assignment they already hold."""
    _holder_check(user)
    if role_lookup(module, role) is None:
        raise ValidationError({"role": _("No installed module declares this role.")})
    if scope == RoleAssignment.Scope.REGENCY:
        work_unit, kecamatan = None, None
    elif scope == RoleAssignment.Scope.WORK_UNIT:
        if work_unit is None:
            raise ValidationError({"work_unit": _("Choose the work unit this role covers.")})
        kecamatan = None
    elif scope == RoleAssignment.Scope.KECAMATAN:
        if kecamatan is None:
            raise ValidationError({"kecamatan": _("Choose the kecamatan this role covers.")})
        work_unit = None
    else:
        raise ValidationError({"scope": _("Choose where this role applies.")})
    assignment = RoleAssignment(
        user=user,
        module=module,
        role=role,
        scope=scope,
        work_unit=work_unit,
        kecamatan=kecamatan,
        granted_by_email=actor.email,
    )
    duplicate = _("%(name)s already holds this role over this scope.") % {"name": user}
    # Checked here for the message; the unique constraint still decides when two
    # admins assign the same role at the same moment (the IntegrityError below).
    if RoleAssignment.objects.filter(
        user=user, module=module, role=role, scope=scope, work_unit=work_unit, kecamatan=kecamatan
    ).exists():
        raise ValidationError(duplicate)
    assignment.full_clean()
    try:
        with transaction.atomic():
            assignment.save()
            audit_record(
                action="role.assigned",
                actor_email=actor.email,
                actor_name=actor.name,
                target=user.email,
                detail=_assignment_detail(assignment),
            )
    except IntegrityError:
        raise ValidationError(duplicate) from None
    return assignment


def role_revoke(*, assignment: RoleAssignment, actor: Actor) -> None:
    """Take a role away; the person's next request no longer has it."""
    with transaction.atomic():
        detail = _assignment_detail(assignment)
        deleted, _rows = RoleAssignment.objects.filter(pk=assignment.pk).delete()
        if not deleted:
            return  # revoked a moment ago by another admin: audited there
        audit_record(
            action="role.revoked",
            actor_email=actor.email,
            actor_name=actor.name,
            target=assignment.user.email,
            detail=detail,
        )


def _admin_detail() -> dict[str, Any]:
    return {"module": PLATFORM_MODULE, "role": REGENCY_ADMIN_ROLE, "scope": "regency"}


def regency_admin_grant(*, user: User, actor: Actor) -> None:
    """Make `user` a regency admin (they will have to turn on two-factor sign-in)."""
    _holder_check(user)
    if user.is_regency_admin:
        raise ValidationError(_("%(name)s is already a regency admin.") % {"name": user})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_regency_admin=True)
        user.is_regency_admin = True
        audit_record(
            action="role.assigned",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
            detail=_admin_detail(),
        )


def regency_admin_revoke(*, user: User, actor: Actor) -> None:
    """Remove `user`'s regency admin flag. Refused for the admin acting (ask
    another admin) and for the last active admin (nobody could undo it)."""
    if actor.email.lower() == user.email.lower():
        raise ValidationError(_("You cannot remove your own admin role; ask another admin."))
    with transaction.atomic():
        # Locking every admin row makes two admins removing each other at the same
        # moment take turns, so the second one sees that only one admin is left.
        admins = list(
            User.objects.select_for_update()
            .filter(is_regency_admin=True, is_support_agent=False)
            .values_list("pk", "is_active")
        )
        if user.pk not in {pk for pk, _active in admins}:
            raise ValidationError(_("%(name)s is not a regency admin.") % {"name": user})
        if not any(active for pk, active in admins if pk != user.pk):
            raise ValidationError(_("The regency must keep at least one active admin."))
        User.objects.filter(pk=user.pk).update(is_regency_admin=False)
        user.is_regency_admin = False
        audit_record(
            action="role.revoked",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
            detail=_admin_detail(),
        )

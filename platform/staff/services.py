"""Writes on a regency's staff. They run in the schema of the request or task:
the caller has already chosen the regency."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.invitations import invitation_send
from accounts.models import User
from accounts.nip import nip_parse
from accounts.services import user_create
from core.audit import audit_record
from organisation.models import Kecamatan, Position, WorkUnit
from staff.models import StaffProfile


@dataclass(frozen=True)
class Actor:
    """Who acts, for the audit log: a signed-in admin, or a task acting for one."""

    email: str
    name: str = ""


def nip_normalise(raw: str) -> str:
    """The NIP's 18 digits (spaces removed), or "" for staff without one.
    Raises ValidationError naming the wrong part."""
    if not raw.strip():
        return ""
    return nip_parse(raw).value


def staff_create(
    *,
    email: str,
    full_name: str,
    actor: Actor,
    nip: str = "",
    position: Position | None = None,
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    phone: str = "",
) -> User:
    """A new staff member without a password: they set one through their invitation
    (`staff_invite`). Validates email and NIP uniqueness with a message per field."""
    email = email.strip().lower()
    nip = nip_normalise(nip)
    errors: dict[str, str] = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("Someone in this regency already uses this email address.")
    if nip and StaffProfile.objects.filter(nip=nip).exists():
        errors["nip"] = _("Someone in this regency already has this NIP.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = user_create(
            email=email, full_name=full_name.strip(), password=None, email_verified=True
        )
        profile = StaffProfile(
            user=user,
            nip=nip,
            position=position,
            work_unit=work_unit,
            kecamatan=kecamatan,
            phone=phone.strip(),
        )
        profile.full_clean()
        profile.save()
        audit_record(
            action="staff.created",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
            detail={"work_unit": work_unit.code if work_unit else ""},
        )
    return user


def staff_invite(*, user: User, host: str, actor: Actor) -> None:
    """Send (or send again) the invitation to set a password, after the caller's
    transaction commits: a rolled-back import never mails anyone."""

    def send() -> None:
        invitation_send(user=user, host=host, invited_by_email=actor.email)

    audit_record(
        action="invitation.sent",
        actor_email=actor.email,
        actor_name=actor.name,
        target=user.email,
    )
    transaction.on_commit(send)

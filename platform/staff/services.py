"""Writes on a regency's staff. They run in the schema of the request or task:
the caller has already chosen the regency."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.invitations import invitation_open, invitation_revoke
from accounts.models import Invitation, User
from accounts.nip import nip_parse
from accounts.services import user_create
from accounts.sessions import user_sessions_end
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


def _uniqueness_errors(*, email: str, nip: str, exclude_user: User | None = None) -> None:
    users = User.objects.all()
    profiles = StaffProfile.objects.all()
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
        profiles = profiles.exclude(user=exclude_user)
    errors: dict[str, str] = {}
    if users.filter(email__iexact=email).exists():
        errors["email"] = _("Someone in this regency already uses this email address.")
    if nip and profiles.filter(nip=nip).exists():
        errors["nip"] = _("Someone in this regency already has this NIP.")
    if errors:
        raise ValidationError(errors)


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
    _uniqueness_errors(email=email, nip=nip)
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


def staff_update(
    *,
    user: User,
    actor: Actor,
    email: str,
    full_name: str,
    nip: str = "",
    position: Position | None = None,
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    phone: str = "",
) -> User:
    """Change a person's details. A new email address becomes their sign-in
    address (verified: the admin vouches for it) and kills links already sent to
    the old one (the reset key covers the address)."""
    email = email.strip().lower()
    nip = nip_normalise(nip)
    _uniqueness_errors(email=email, nip=nip, exclude_user=user)
    with transaction.atomic():
        profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=user)
        before = {
            "email": user.email,
            "full_name": user.full_name,
            "nip": profile.nip,
            "position": profile.position_id,
            "work_unit": profile.work_unit_id,
            "kecamatan": profile.kecamatan_id,
            "phone": profile.phone,
        }
        user.full_name = full_name.strip()
        if email != user.email:
            user.email = email
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            Invitation.objects.filter(
                user=user, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(email=email)
        user.full_clean()
        user.save()
        profile.nip = nip
        profile.position = position
        profile.work_unit = work_unit
        profile.kecamatan = kecamatan
        profile.phone = phone.strip()
        profile.full_clean()
        profile.save()
        after = {
            "email": user.email,
            "full_name": user.full_name,
            "nip": profile.nip,
            "position": profile.position_id,
            "work_unit": profile.work_unit_id,
            "kecamatan": profile.kecamatan_id,
            "phone": profile.phone,
        }
        # Which fields changed, not their values: the log is not a second copy of
        # personal data.
        changed = sorted(field for field in after if after[field] != before[field])
        if changed:
            audit_record(
                action="staff.updated",
                actor_email=actor.email,
                actor_name=actor.name,
                target=user.email,
                detail={"fields": changed, "previous_email": before["email"]}
                if "email" in changed
                else {"fields": changed},
            )
    return user


def _invitable_check(user: User) -> None:
    if user.is_support_agent:
        raise ValidationError(_("Sragen's support users are not invited."))
    if not user.is_active:
        raise ValidationError(
            _("%(name)s is inactive: reactivate them before inviting them.") % {"name": user}
        )
    if user.has_usable_password():
        raise ValidationError(
            _("%(name)s has already set a password and can sign in.") % {"name": user}
        )


def staff_invite(*, user: User, host: str, actor: Actor) -> None:
    """Send (or send again) the invitation to set a password. The invitation is
    recorded now; the email goes out from a Celery task queued after the caller's
    transaction commits, so a rolled-back import mails nobody and an import of a
    thousand people does not wait for a thousand emails."""
    from staff.tasks import invitation_send_task

    _invitable_check(user)
    with transaction.atomic():
        invitation = invitation_open(user=user, invited_by_email=actor.email)
        audit_record(
            action="invitation.resent" if invitation.sent_count else "invitation.sent",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
        )
        user_id, email = user.pk, actor.email
        # robust: a broker outage must not undo the invitation (it can be resent);
        # the failure is logged.
        transaction.on_commit(lambda: invitation_send_task.delay(user_id, host, email), robust=True)


def staff_invitation_revoke(*, user: User, actor: Actor) -> int:
    """Withdraw the person's invitation: links already sent stop working."""
    if user.has_usable_password():
        raise ValidationError(
            _("%(name)s has already accepted the invitation; deactivate them instead.")
            % {"name": user}
        )
    with transaction.atomic():
        revoked = invitation_revoke(user=user)
        if not revoked:
            raise ValidationError(_("%(name)s has no invitation waiting.") % {"name": user})
        audit_record(
            action="invitation.revoked",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
        )
    return revoked


def staff_deactivate(*, user: User, actor: Actor) -> None:
    """Offboard a person: they can no longer sign in, every session of theirs ends
    now, invitations still waiting are revoked. Their role assignments stay, for
    the record (an inactive person holds nothing: staff.permissions), and so does
    everything they did and wrote."""
    if actor.email.lower() == user.email.lower():
        raise ValidationError(_("You cannot deactivate yourself; ask another admin."))
    if user.is_support_agent:
        raise ValidationError(_("Sragen's support users end with their support grant."))
    with transaction.atomic():
        # Locking every admin row makes two admins deactivating each other at the
        # same moment take turns, so the second sees only one admin is left.
        admins = list(
            User.objects.select_for_update()
            .filter(is_regency_admin=True, is_support_agent=False)
            .values_list("pk", "is_active")
        )
        user.refresh_from_db()
        if not user.is_active:
            raise ValidationError(_("%(name)s is already inactive.") % {"name": user})
        if user.is_regency_admin and not any(active for pk, active in admins if pk != user.pk):
            raise ValidationError(
                _("%(name)s is the last active admin: the regency must keep one.") % {"name": user}
            )
        now = timezone.now()
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        profile, _created = StaffProfile.objects.get_or_create(user=user)
        profile.deactivated_at = now
        profile.deactivated_by_email = actor.email
        profile.save(update_fields=["deactivated_at", "deactivated_by_email", "updated_at"])
        invitations = Invitation.objects.filter(
            user=user, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        sessions = user_sessions_end(user=user)
        audit_record(
            action="staff.deactivated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
            detail={"sessions_ended": sessions, "invitations_revoked": invitations},
        )


def staff_reactivate(*, user: User, actor: Actor) -> None:
    """Let a deactivated person sign in again, with the roles they had."""
    if user.is_support_agent:
        raise ValidationError(_("Sragen's support users end with their support grant."))
    with transaction.atomic():
        user.refresh_from_db()
        if user.is_active:
            raise ValidationError(_("%(name)s is already active.") % {"name": user})
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        StaffProfile.objects.filter(user=user).update(
            deactivated_at=None, deactivated_by_email="", updated_at=timezone.now()
        )
        audit_record(
            action="staff.reactivated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=user.email,
        )

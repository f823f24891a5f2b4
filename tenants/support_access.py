"""Support access: an engineer enters a regency only through a time-limited,
audited grant that the regency's admins can see and revoke. No shared passwords:
the engineer signs in through a one-time link signed by the console, as a support
user of the regency's own, and is signed out the moment the grant ends."""

import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from accounts.models import User
from core.audit import audit_record
from tenants.audit import platform_audit
from tenants.models import SupportAccessGrant, Tenant

MAX_HOURS = 72
ENTRY_LINK_SECONDS = 120
_SALT = "sukowati.support-access"


def regency_audit(*, tenant: Tenant, **event: Any) -> None:
    """Record a support-access event in the regency's own log too, whichever
    schema the caller is in: its admins see every engineer's grant, entry and
    revocation, including those made from the console."""
    if connection.schema_name == tenant.schema_name:  # type: ignore[attr-defined]
        audit_record(**event)
        return
    with tenant_context(tenant):
        audit_record(**event)


def support_grant_create(
    *, tenant: Tenant, engineer: User, reason: str, hours: int
) -> SupportAccessGrant:
    """Grant `engineer` (a public-schema platform engineer) access to `tenant`."""
    if engineer.platform_role != User.PlatformRole.ENGINEER:
        raise ValidationError(_("Only platform engineers can be granted support access."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why access is needed: the regency sees it.")]})
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError(
            {"hours": [_("Access lasts from 1 to %(max)d hours.") % {"max": MAX_HOURS}]}
        )
    if tenant.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
        raise ValidationError(_("%(name)s is not running.") % {"name": tenant.name})
    with transaction.atomic():
        grant = SupportAccessGrant.objects.create(
            tenant=tenant,
            engineer_email=engineer.email,
            engineer_name=engineer.full_name,
            reason=reason.strip(),
            expires_at=timezone.now() + timedelta(hours=hours),
        )
        platform_audit(
            action="support.grant",
            actor_email=engineer.email,
            actor_name=engineer.full_name,
            target=tenant.slug,
            detail={"grant": grant.pk, "hours": hours, "reason": grant.reason},
        )
        regency_audit(
            tenant=tenant,
            action="support.grant",
            actor_email=engineer.email,
            actor_name=engineer.full_name,
            target=engineer.email,
            detail={"grant": grant.pk, "hours": hours, "reason": grant.reason},
        )
    return grant


def support_entry_token(*, grant: SupportAccessGrant, engineer: User) -> str:
    """A one-time link token for entering the regency, valid for two minutes."""
    if grant.engineer_email != engineer.email:
        raise ValidationError(_("This grant belongs to another engineer."))
    if not grant.is_active_at(timezone.now()):
        raise ValidationError(_("This grant has ended."))
    nonce = secrets.token_hex(16)
    SupportAccessGrant.objects.filter(pk=grant.pk).update(entry_nonce=nonce)
    return signing.dumps({"grant": grant.pk, "nonce": nonce}, salt=_SALT)


def support_enter(*, token: str, tenant: Tenant) -> tuple[User, SupportAccessGrant]:
    """Check an entry token in the regency's own schema and return the support user
    to sign in. Raises ValidationError for a forged, stale, reused or ended link."""
    try:
        payload: dict[str, Any] = signing.loads(token, salt=_SALT, max_age=ENTRY_LINK_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This entry link has expired; open a new one from the console.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This entry link is not valid.")) from None
    with transaction.atomic():
        grant = (
            SupportAccessGrant.objects.select_for_update()
            .filter(pk=int(payload.get("grant") or 0), tenant=tenant)
            .first()
        )
        if grant is None or not payload.get("nonce") or grant.entry_nonce != payload["nonce"]:
            raise ValidationError(_("This entry link is not valid or was already used."))
        if not grant.is_active_at(timezone.now()):
            raise ValidationError(_("This support access has ended."))
        grant.entry_nonce = ""
        grant.last_entered_at = timezone.now()
        grant.save(update_fields=["entry_nonce", "last_entered_at"])
        user = _support_user(grant)
        detail = {"grant": grant.pk, "reason": grant.reason}
        audit_record(
            action="support.enter",
            actor_email=grant.engineer_email,
            actor_name=grant.engineer_name,
            target=user.email,
            detail=detail,
        )
        platform_audit(
            action="support.enter",
            actor_email=grant.engineer_email,
            actor_name=grant.engineer_name,
            target=tenant.slug,
            detail=detail,
        )
    return user, grant


def _support_user(grant: SupportAccessGrant) -> User:
    local = grant.engineer_email.replace("@", ".at.")
    email = f"support.{local}@support.sukowati.id"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            None,
            full_name=f"{grant.engineer_name} (Sragen support)",
            is_support_agent=True,
            is_regency_admin=True,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def support_grant_active(*, grant_id: int | None, tenant: Tenant) -> bool:
    if grant_id is None:
        return False
    grant = SupportAccessGrant.objects.filter(pk=grant_id, tenant=tenant).first()
    return grant is not None and grant.is_active_at(timezone.now())


def support_grant_revoke(*, grant: SupportAccessGrant, by_email: str, by_name: str = "") -> None:
    """End a grant now; the engineer's next request in the regency signs them out."""
    with transaction.atomic():
        locked = SupportAccessGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.revoked_by_email = by_email
        locked.entry_nonce = ""
        locked.save(update_fields=["revoked_at", "revoked_by_email", "entry_nonce"])
        detail = {"grant": locked.pk, "engineer": locked.engineer_email}
        platform_audit(
            action="support.revoke",
            actor_email=by_email,
            actor_name=by_name,
            target=locked.tenant.slug,
            detail=detail,
        )
        regency_audit(
            tenant=locked.tenant,
            action="support.revoke",
            actor_email=by_email,
            actor_name=by_name,
            target=locked.engineer_email,
            detail=detail,
        )
    grant.revoked_at = locked.revoked_at

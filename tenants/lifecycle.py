"""The tenant lifecycle, as one table of allowed moves and one function that makes
them. No other code changes `Tenant.status`.

    prospect -> provisioning -> active <-> suspended -> archived -> deleted
                     |
                     +-> prospect (provisioning cancelled)
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit import platform_audit
from tenants.models import Tenant, TenantTransition

S = Tenant.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.PROSPECT: frozenset({S.PROVISIONING}),
    S.PROVISIONING: frozenset({S.ACTIVE, S.PROSPECT}),
    S.ACTIVE: frozenset({S.SUSPENDED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.ARCHIVED}),
    S.ARCHIVED: frozenset({S.DELETED}),
    S.DELETED: frozenset(),
}


@dataclass(frozen=True)
class Actor:
    """Who asks for a change; a snapshot, because users live per schema."""

    email: str
    name: str = ""


SYSTEM = Actor(email="", name="Sukowati")


class TransitionRefused(Exception):
    """A lifecycle move that is not allowed, with a reason a person can act on."""


def transition_refusal(*, tenant: Tenant, to_status: str) -> str | None:
    """Why the move is refused, or None when it is allowed."""
    current = tenant.status
    if to_status == current:
        return _("%(name)s is already %(status)s.") % {
            "name": tenant.name,
            "status": Tenant.Status(current).label,
        }
    if to_status not in ALLOWED[current]:
        allowed = ", ".join(str(Tenant.Status(s).label) for s in sorted(ALLOWED[current]))
        return _("%(name)s is %(status)s; from there it can only become: %(allowed)s.") % {
            "name": tenant.name,
            "status": Tenant.Status(current).label,
            "allowed": allowed or _("nothing (this is final)"),
        }
    if to_status == S.ACTIVE:
        other = (
            Tenant.objects.regencies()
            .filter(region_code=tenant.region_code, status__in=Tenant.LIVE_STATUSES)
            .exclude(pk=tenant.pk)
            .first()
        )
        if other is not None:
            return _("%(code)s is already served by %(other)s; archive it first.") % {
                "code": tenant.region_code,
                "other": other.slug,
            }
    return None


def tenant_transition(
    *, tenant: Tenant, to_status: str, actor: Actor, reason: str
) -> TenantTransition:
    """Move a tenant to `to_status`, recording who, when and why."""
    if not reason.strip():
        raise TransitionRefused(_("Give a reason: it is kept in the tenant's history."))
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        refusal = transition_refusal(tenant=locked, to_status=to_status)
        if refusal is not None:
            raise TransitionRefused(refusal)
        from_status = locked.status
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        record = TenantTransition.objects.create(
            tenant=locked,
            from_status=from_status,
            to_status=to_status,
            actor_email=actor.email,
            actor_name=actor.name,
            reason=reason.strip(),
        )
        platform_audit(
            action="tenant.transition",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.slug,
            detail={"from": from_status, "to": to_status, "reason": reason.strip()},
        )
    tenant.status = to_status
    return record

"""Expenses: engineers' on-site visits (with receipts) and support time.

A site visit moves through one table of allowed transitions:

    draft -> submitted -> approved
      ^          |
      |          +-> rejected -> draft (corrected and submitted again)
      +----------+ (withdrawn)

Engineers write and submit visits; finance approves or rejects them (the views
check who may make which move). Approved visits are billed at cost on the next
invoice run. Support time counts unless finance excludes an entry before the
month is invoiced."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Invoice, SiteVisit, SiteVisitReceipt, SiteVisitTransition, SupportTime
from billing.models_expenses import RECEIPT_EXTENSIONS
from billing.money import month_bounds
from billing.usage import support_time_record
from tenants.audit import platform_audit
from tenants.lifecycle import Actor
from tenants.models import Tenant

V = SiteVisit.Status
MAX_RECEIPT_BYTES = 10 * 1024 * 1024

ALLOWED: dict[str, frozenset[str]] = {
    V.DRAFT: frozenset({V.SUBMITTED}),
    V.SUBMITTED: frozenset({V.APPROVED, V.REJECTED, V.DRAFT}),
    V.REJECTED: frozenset({V.DRAFT}),
    V.APPROVED: frozenset(),
}
# Moves only finance staff make.
FINANCE_MOVES = frozenset({V.APPROVED, V.REJECTED})


def site_visit_save(
    *,
    actor: Actor,
    tenant: Tenant,
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    people: str,
    transport_rupiah: int,
    lodging_rupiah: int,
    per_diem_rupiah: int,
    visit: SiteVisit | None = None,
) -> SiteVisit:
    """Create a visit (a draft), or change one that is still a draft."""
    if visit is not None and visit.status != V.DRAFT:
        raise ValidationError(
            _("This visit is %(status)s; only a draft can be changed.")
            % {"status": V(visit.status).label}
        )
    visit = visit or SiteVisit(submitted_by_email=actor.email)
    visit.tenant = tenant
    visit.purpose = purpose.strip()
    visit.starts_on = starts_on
    visit.ends_on = ends_on
    visit.people = people.strip()
    visit.transport_rupiah = transport_rupiah
    visit.lodging_rupiah = lodging_rupiah
    visit.per_diem_rupiah = per_diem_rupiah
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    visit.full_clean()
    with transaction.atomic():
        created = visit.pk is None
        visit.save()
        platform_audit(
            action="site_visit.create" if created else "site_visit.update",
            actor_email=actor.email,
            actor_name=actor.name,
            target=tenant.slug,
            detail={"visit": visit.pk, "total": visit.total_rupiah},
        )
    return visit


def site_visit_receipt_add(
    *, visit: SiteVisit, file: UploadedFile, description: str, actor: Actor
) -> SiteVisitReceipt:
    if visit.status != V.DRAFT:
        raise ValidationError(_("Receipts are added while the visit is a draft."))
    name = file.name or "receipt"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in RECEIPT_EXTENSIONS:
        raise ValidationError({"file": _("Upload a PDF, JPEG or PNG file.")})
    if (file.size or 0) > MAX_RECEIPT_BYTES:
        raise ValidationError({"file": _("A receipt may be at most 10 MB.")})
    receipt = SiteVisitReceipt(
        visit=visit,
        original_name=name[:200],
        description=description.strip(),
        uploaded_by_email=actor.email,
    )
    with transaction.atomic():
        receipt.file.save(name, file, save=False)
        receipt.full_clean()
        receipt.save()
        platform_audit(
            action="site_visit.receipt",
            actor_email=actor.email,
            actor_name=actor.name,
            target=visit.tenant.slug,
            detail={"visit": visit.pk, "receipt": receipt.pk},
        )
    return receipt


def site_visit_transition_refusal(*, visit: SiteVisit, to_status: str) -> str | None:
    if to_status not in ALLOWED[visit.status]:
        allowed = ", ".join(str(V(s).label) for s in sorted(ALLOWED[visit.status]))
        return _("This visit is %(status)s; from there it can only become: %(allowed)s.") % {
            "status": V(visit.status).label,
            "allowed": allowed or _("nothing (this is final)"),
        }
    if to_status == V.SUBMITTED and visit.total_rupiah > 0 and not visit.receipts.exists():
        return _("Attach the receipts before submitting the visit.")
    return None


def site_visit_transition(
    *, visit: SiteVisit, to_status: str, actor: Actor, reason: str = ""
) -> SiteVisitTransition:
    """The one function that changes a site visit's status."""
    if to_status == V.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is rejected.")})
    with transaction.atomic():
        locked = SiteVisit.objects.select_for_update().get(pk=visit.pk)
        refusal = site_visit_transition_refusal(visit=locked, to_status=to_status)
        if refusal is not None:
            raise ValidationError(refusal)
        from_status = locked.status
        locked.status = to_status
        fields = ["status"]
        if to_status in FINANCE_MOVES:
            locked.decided_by_email = actor.email
            locked.decided_at = timezone.now()
            fields += ["decided_by_email", "decided_at"]
        locked.save(update_fields=fields)
        record = SiteVisitTransition.objects.create(
            visit=locked,
            from_status=from_status,
            to_status=to_status,
            actor_email=actor.email,
            actor_name=actor.name,
            reason=reason.strip(),
        )
        platform_audit(
            action="site_visit.transition",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.tenant.slug,
            detail={"visit": locked.pk, "from": from_status, "to": to_status, "reason": reason},
        )
    visit.status = to_status
    return record


def support_time_log(
    *,
    tenant: Tenant,
    actor: Actor,
    minutes: int,
    worked_on: datetime.date,
    description: str,
) -> SupportTime:
    """Support time an engineer logs by hand (calls, remote sessions)."""
    if worked_on > timezone.localdate():
        raise ValidationError({"worked_on": _("Support time cannot be logged in the future.")})
    with transaction.atomic():
        entry = support_time_record(
            tenant=tenant,
            engineer_email=actor.email,
            minutes=minutes,
            idempotency_key=f"console:{uuid.uuid4().hex}",
            worked_on=worked_on,
            description=description,
            source="console",
        )
        platform_audit(
            action="support_time.log",
            actor_email=actor.email,
            actor_name=actor.name,
            target=tenant.slug,
            detail={"minutes": minutes, "worked_on": worked_on.isoformat()},
        )
    return entry


def support_time_exclude(*, entry: SupportTime, actor: Actor, reason: str) -> SupportTime:
    """Finance leaves an entry out of billing (e.g. the call was about Sragen's
    own fault), while the month is not yet invoiced."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this time is not billed.")})
    first, _last = month_bounds(entry.worked_on)
    issued = Invoice.objects.filter(
        tenant_id=entry.tenant_id, period_start=first, status__in=Invoice.ISSUED_STATUSES
    ).first()
    if issued is not None:
        raise ValidationError(
            _("%(month)s is already invoiced (%(number)s); correct it with a credit note.")
            % {"month": f"{first:%m/%Y}", "number": issued.number}
        )
    if entry.excluded_at is not None:
        return entry
    with transaction.atomic():
        entry.excluded_at = timezone.now()
        entry.excluded_by_email = actor.email
        entry.exclusion_reason = reason.strip()[:300]
        entry.save(update_fields=["excluded_at", "excluded_by_email", "exclusion_reason"])
        platform_audit(
            action="support_time.exclude",
            actor_email=actor.email,
            actor_name=actor.name,
            target=entry.tenant.slug,
            detail={"entry": entry.pk, "minutes": entry.minutes, "reason": entry.exclusion_reason},
        )
    return entry

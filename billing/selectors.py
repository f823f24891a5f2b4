"""Reads on billing records, all in the public schema.

Usage totals are SQL aggregations over the ledger (GROUP BY regency and meter),
never a loop over regency schemas. A month is the regency's own calendar month:
an event at 23:30 WIB on 31 October is October's for Lebak, and an event at the
same instant is November's for a WITA regency."""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from billing.models import (
    Invoice,
    SiteVisit,
    SupportTime,
    UsageEvent,
)
from billing.models_invoices import InvoiceLine
from tenants.models import Tenant

UsageTotals = dict[int, dict[str, int]]  # {tenant id: {meter: quantity}}


def local_month_bounds(
    time_zone: str, first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) instants of the days first..last in `time_zone`."""
    zone = ZoneInfo(time_zone)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def usage_totals(
    *,
    first: datetime.date,
    last: datetime.date,
    tenant_ids: list[int] | None = None,
) -> UsageTotals:
    """Quantity per regency and meter over the days first..last (each regency's
    own calendar). One GROUP BY query per time zone in use (Indonesia has three)."""
    tenants = Tenant.objects.all()
    if tenant_ids is not None:
        tenants = tenants.filter(pk__in=tenant_ids)
    totals: UsageTotals = defaultdict(dict)
    for time_zone in tenants.order_by().values_list("time_zone", flat=True).distinct():
        start, end = local_month_bounds(time_zone, first, last)
        events = UsageEvent.objects.filter(
            tenant__time_zone=time_zone, occurred_at__gte=start, occurred_at__lt=end
        )
        if tenant_ids is not None:
            events = events.filter(tenant_id__in=tenant_ids)
        rows = events.values("tenant_id", "meter").annotate(total=Sum("quantity")).order_by()
        for row in rows:
            totals[row["tenant_id"]][row["meter"]] = int(row["total"])
    return dict(totals)


def usage_total_for(tenant: Tenant, *, first: datetime.date, last: datetime.date) -> dict[str, int]:
    return usage_totals(first=first, last=last, tenant_ids=[tenant.pk]).get(tenant.pk, {})


def support_minutes(
    *, first: datetime.date, last: datetime.date, tenant_ids: list[int] | None = None
) -> dict[int, int]:
    """Support minutes per regency worked on first..last, leaving out entries
    finance excluded."""
    entries = SupportTime.objects.filter(
        worked_on__gte=first, worked_on__lte=last, excluded_at__isnull=True
    )
    if tenant_ids is not None:
        entries = entries.filter(tenant_id__in=tenant_ids)
    rows = entries.values("tenant_id").annotate(total=Sum("minutes")).order_by()
    return {row["tenant_id"]: int(row["total"]) for row in rows}


def site_visits_billable(
    *, period_start: datetime.date, period_end: datetime.date
) -> QuerySet[SiteVisit]:
    """Approved visits ended by the month's end and not yet on an invoice, other
    than this month's drafts (which a re-run replaces)."""
    billed = (
        InvoiceLine.objects.filter(site_visit__isnull=False)
        .exclude(invoice__status=Invoice.Status.VOID)
        .exclude(invoice__status=Invoice.Status.DRAFT, invoice__period_start=period_start)
        .values("site_visit_id")
    )
    return (
        SiteVisit.objects.filter(status=SiteVisit.Status.APPROVED, ends_on__lte=period_end)
        .exclude(pk__in=billed)
        .order_by("tenant_id", "starts_on", "pk")
    )


def invoices_for_console(
    *, status: str | None = None, period_start: datetime.date | None = None, tenant_slug: str = ""
) -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("tenant")
    if status == "overdue":
        invoices = invoices.filter(
            status__in=Invoice.OPEN_STATUSES, due_on__lt=timezone.localdate()
        )
    elif status:
        invoices = invoices.filter(status=status)
    if period_start is not None:
        invoices = invoices.filter(period_start=period_start)
    if tenant_slug:
        invoices = invoices.filter(tenant__slug=tenant_slug)
    return invoices.order_by("-period_start", "tenant__name")


def invoices_for_regency(tenant: Tenant) -> QuerySet[Invoice]:
    """What a regency sees: its own issued invoices, never drafts."""
    return (
        Invoice.objects.filter(tenant=tenant)
        .exclude(status=Invoice.Status.DRAFT)
        .order_by("-period_start", "-id")
    )


def invoice_for_regency(tenant: Tenant, invoice_id: int) -> Invoice | None:
    return invoices_for_regency(tenant).filter(pk=invoice_id).first()


def overdue_invoices(today: datetime.date) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES, due_on__lt=today)
        .select_related("tenant")
        .order_by("due_on", "pk")
    )


def receivables_total() -> int:
    """What regencies owe now, over every issued invoice."""
    sums = Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES).aggregate(
        total=Sum("total_rupiah"), credited=Sum("credited_rupiah"), paid=Sum("paid_rupiah")
    )
    return int((sums["total"] or 0) - (sums["credited"] or 0) - (sums["paid"] or 0))


def support_time_entries(
    *, first: datetime.date, last: datetime.date, tenant_slug: str = ""
) -> QuerySet[SupportTime]:
    entries = SupportTime.objects.select_related("tenant").filter(
        worked_on__gte=first, worked_on__lte=last
    )
    if tenant_slug:
        entries = entries.filter(tenant__slug=tenant_slug)
    return entries.order_by("-worked_on", "-id")


def site_visits_for_console(*, status: str = "") -> QuerySet[SiteVisit]:
    visits = SiteVisit.objects.select_related("tenant")
    if status:
        visits = visits.filter(status=status)
    return visits.order_by("-starts_on", "-id")


def tenants_billable() -> QuerySet[Tenant]:
    return (
        Tenant.objects.regencies()
        .exclude(status=Tenant.Status.PROSPECT)
        .filter(~Q(status=Tenant.Status.DELETED))
    )

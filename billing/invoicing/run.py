"""The monthly invoice run: one draft per regency and month, from subscriptions,
usage, support beyond the included hours and approved on-site costs.

Idempotent: a month's drafts are replaced line by line on a re-run, an issued
invoice is left alone, and runs for the same month wait for each other. All
inputs are read with a handful of set-based queries (usage is one GROUP BY per
time zone), so the run's cost grows with the number of regencies and events,
not with a query per regency."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.document_text import date_id, meter_label_id
from billing.models import (
    BillingCustomer,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    SiteVisit,
    Subscription,
)
from billing.money import month_bounds, per_minute, tax_of
from billing.pricebook import Prices, price_book_for_period, prices_load
from billing.selectors import site_visits_billable, support_minutes, usage_totals
from billing.services import customer_name_for
from billing.subscriptions import (
    LineDraft,
    active_days,
    subscription_lines,
    subscriptions_overlapping,
)
from tenants.audit import platform_audit
from tenants.lifecycle import Actor
from tenants.models import Tenant

# pg_advisory_xact_lock(namespace, month): runs for one month queue behind each other.
RUN_LOCK_NAMESPACE = 0x5B11


@dataclass
class RunReport:
    period_start: datetime.date
    drafted: list[int] = field(default_factory=list)
    redrafted: list[int] = field(default_factory=list)
    skipped_issued: list[int] = field(default_factory=list)
    removed_empty: int = 0


@dataclass
class _Inputs:
    subscriptions: dict[int, list[Subscription]]
    usage: dict[int, dict[str, int]]
    minutes: dict[int, int]
    visits: dict[int, list[SiteVisit]]


def invoice_run(
    *, period_start: datetime.date, actor: Actor, tenant_ids: list[int] | None = None
) -> RunReport:
    """Draft (or re-draft) the invoices of the month `period_start` is in, for
    every regency with something to bill (or only `tenant_ids`)."""
    first, last = month_bounds(period_start)
    version = price_book_for_period(first)
    if version is None:
        raise ValidationError(
            _("No published price book is in force on %(day)s: publish one first.")
            % {"day": first.isoformat()}
        )
    prices = prices_load(version)
    report = RunReport(period_start=first)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [RUN_LOCK_NAMESPACE, first.year * 100 + first.month],
            )
        run = InvoiceRun.objects.create(period_start=first, triggered_by_email=actor.email)
        inputs = _inputs(first, last, tenant_ids)
        existing_qs = Invoice.objects.filter(period_start=first).exclude(status=Invoice.Status.VOID)
        if tenant_ids is not None:
            existing_qs = existing_qs.filter(tenant_id__in=tenant_ids)
        existing = {invoice.tenant_id: invoice for invoice in existing_qs}
        billed_ids = (
            set(inputs.subscriptions) | set(inputs.usage) | set(inputs.minutes) | set(inputs.visits)
        )
        tenants = Tenant.objects.in_bulk(billed_ids | set(existing))
        customers = {
            c.tenant_id: c for c in BillingCustomer.objects.filter(tenant_id__in=tenants.keys())
        }
        to_create: list[Invoice] = []
        to_update: list[Invoice] = []
        to_remove: list[int] = []
        lines_of: dict[int, list[LineDraft]] = {}
        for tenant_id in sorted(tenants):
            invoice = existing.get(tenant_id)
            if invoice is not None and invoice.status != Invoice.Status.DRAFT:
                report.skipped_issued.append(invoice.pk)
                continue
            drafts = _lines_for(tenant_id, inputs, prices, first, last)
            if not drafts:
                if invoice is not None:
                    to_remove.append(invoice.pk)
                continue
            if invoice is None:
                tenant = tenants[tenant_id]
                customer = customers.get(tenant_id)
                invoice = Invoice(
                    tenant=tenant,
                    period_start=first,
                    period_end=last,
                    customer_name=customer.name if customer else customer_name_for(tenant),
                    apbd_code=customer.apbd_code if customer else "",
                )
                to_create.append(invoice)
            else:
                to_update.append(invoice)
            _set_totals(invoice, drafts, prices)
            lines_of[tenant_id] = drafts
        if to_remove:
            InvoiceLine.objects.filter(invoice_id__in=to_remove).delete()
            Invoice.objects.filter(pk__in=to_remove, status=Invoice.Status.DRAFT).delete()
        if to_update:
            InvoiceLine.objects.filter(invoice__in=to_update).delete()
            Invoice.objects.bulk_update(
                to_update,
                [
                    "price_book_version",
                    "subtotal_rupiah",
                    "taxable_rupiah",
                    "tax_rate_bp",
                    "tax_rupiah",
                    "total_rupiah",
                    "updated_at",
                ],
                batch_size=500,
            )
        Invoice.objects.bulk_create(to_create, batch_size=500)
        InvoiceLine.objects.bulk_create(
            (
                InvoiceLine(
                    invoice=invoice,
                    position=position,
                    kind=d.kind,
                    description=d.description[:300],
                    quantity=d.quantity,
                    unit=d.unit,
                    unit_price_rupiah=d.unit_price_rupiah,
                    amount_rupiah=d.amount_rupiah,
                    taxable=d.taxable,
                    module_code=d.module_code,
                    meter=d.meter,
                    site_visit_id=d.site_visit_id,
                )
                for invoice in [*to_update, *to_create]
                for position, d in enumerate(lines_of[invoice.tenant_id], start=1)
            ),
            batch_size=5000,
        )
        report.drafted = [invoice.pk for invoice in to_create]
        report.redrafted = [invoice.pk for invoice in to_update]
        report.removed_empty = len(to_remove)
        run.drafted = len(to_create)
        run.redrafted = len(to_update)
        run.skipped_issued = len(report.skipped_issued)
        run.removed_empty = len(to_remove)
        run.finished_at = timezone.now()
        run.save()
        platform_audit(
            action="invoice.run",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"{first:%Y-%m}",
            detail={
                "price_book": version.name,
                "drafted": run.drafted,
                "redrafted": run.redrafted,
                "skipped_issued": run.skipped_issued,
                "removed_empty": run.removed_empty,
                "only": tenant_ids,
            },
        )
    return report


def _inputs(first: datetime.date, last: datetime.date, tenant_ids: list[int] | None) -> _Inputs:
    subscriptions: dict[int, list[Subscription]] = defaultdict(list)
    for sub in subscriptions_overlapping(first, last):
        if tenant_ids is None or sub.tenant_id in tenant_ids:
            subscriptions[sub.tenant_id].append(sub)
    visits: dict[int, list[SiteVisit]] = defaultdict(list)
    billable = site_visits_billable(period_start=first, period_end=last)
    if tenant_ids is not None:
        billable = billable.filter(tenant_id__in=tenant_ids)
    for visit in billable:
        visits[visit.tenant_id].append(visit)
    return _Inputs(
        subscriptions=dict(subscriptions),
        usage=usage_totals(first=first, last=last, tenant_ids=tenant_ids),
        minutes=support_minutes(first=first, last=last, tenant_ids=tenant_ids),
        visits=dict(visits),
    )


def _lines_for(
    tenant_id: int, inputs: _Inputs, prices: Prices, first: datetime.date, last: datetime.date
) -> list[LineDraft]:
    lines: list[LineDraft] = []
    subs = inputs.subscriptions.get(tenant_id, [])
    for sub in subs:
        lines += subscription_lines(
            sub, period_start=first, period_end=last, price=prices.modules.get(sub.module_code)
        )
    for meter, quantity in sorted(inputs.usage.get(tenant_id, {}).items()):
        unit_price = prices.meters.get(meter)
        if unit_price is None:
            continue  # a meter the book does not price is not billed
        lines.append(
            LineDraft(
                kind="usage",
                description=f"Pemakaian: {meter_label_id(meter)} ({meter})",
                quantity=quantity,
                unit="transaksi",
                unit_price_rupiah=unit_price,
                amount_rupiah=quantity * unit_price,
                meter=meter,
                module_code=meter.partition(".")[0],
            )
        )
    lines += _support_lines(subs, inputs.minutes.get(tenant_id, 0), prices, first, last)
    for visit in inputs.visits.get(tenant_id, []):
        lines += _visit_lines(visit)
    return lines


def _support_lines(
    subs: list[Subscription],
    minutes: int,
    prices: Prices,
    first: datetime.date,
    last: datetime.date,
) -> list[LineDraft]:
    """Support beyond the hours the month's modules include (each module
    subscribed to on any day of the month counts once)."""
    modules = {sub.module_code for sub in subs if active_days(sub, first, last)}
    included_hours = sum(
        prices.modules[code].included_support_hours for code in modules if code in prices.modules
    )
    beyond = minutes - included_hours * 60
    rate = prices.version.support_hour_rupiah
    if beyond <= 0 or rate <= 0:
        return []
    hours, rest = divmod(beyond, 60)
    return [
        LineDraft(
            kind="support",
            description=(
                f"Dukungan teknis di luar {included_hours} jam yang termasuk langganan: "
                f"{hours} jam {rest} menit (tarif per jam)"
            ),
            quantity=beyond,
            unit="menit",
            unit_price_rupiah=rate,
            amount_rupiah=per_minute(rate, beyond),
        )
    ]


def _visit_lines(visit: SiteVisit) -> list[LineDraft]:
    """On-site costs at cost: not subject to PPN (they are reimbursed, not a
    service Sragen sells)."""
    when = (
        date_id(visit.starts_on)
        if visit.starts_on == visit.ends_on
        else f"{date_id(visit.starts_on)} s.d. {date_id(visit.ends_on)}"
    )
    parts = (
        ("transportasi", visit.transport_rupiah),
        ("penginapan", visit.lodging_rupiah),
        ("uang harian", visit.per_diem_rupiah),
    )
    return [
        LineDraft(
            kind="expense",
            description=f"Kunjungan lapangan ({visit.purpose}), {when}: {label}",
            quantity=1,
            unit="paket",
            unit_price_rupiah=amount,
            amount_rupiah=amount,
            taxable=False,
            site_visit_id=visit.pk,
        )
        for label, amount in parts
        if amount > 0
    ]


def _set_totals(invoice: Invoice, lines: list[LineDraft], prices: Prices) -> None:
    invoice.price_book_version = prices.version
    invoice.subtotal_rupiah = sum(line.amount_rupiah for line in lines)
    invoice.taxable_rupiah = sum(line.amount_rupiah for line in lines if line.taxable)
    invoice.tax_rate_bp = prices.version.tax_rate_bp
    invoice.tax_rupiah = tax_of(invoice.taxable_rupiah, invoice.tax_rate_bp)
    invoice.total_rupiah = invoice.subtotal_rupiah + invoice.tax_rupiah
    invoice.updated_at = timezone.now()

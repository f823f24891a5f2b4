"""The finance view's figures: receivables and their ageing, revenue per
regency, module and month, cost recovered against cost recorded, and recurring
revenue. Reads only, in the public schema, each an SQL aggregation (GROUP BY)
over billing's tables; Python only adds up the few rows that come back.

Definitions (docs/decisions/billing-stripe.md):

- Receivable: the balance (total - credited - paid) of every finalised or
  partially paid invoice. Its age is the days since the invoice was issued,
  bucketed 0-30, 31-60, 61-90 and 90+; "overdue" is the part past its due date.
- Revenue: the lines of issued invoices (finalised, partially paid, paid; never
  drafts or void ones), excluding PPN (tax is owed to the state, not earned),
  in the month the invoice is for. Credit notes lower it in the same month, by
  their share excluding PPN, as their own row ("credit notes"), because a
  credit note corrects an invoice, not one of its modules.
- Cost recorded: approved on-site visits (transport, lodging, per diem) in the
  month they ended, plus every support minute finance did not exclude, valued
  at the hourly support rate of the price book in force that month.
- Cost recovered: what issued invoices bill for those costs: visit lines at
  cost and support beyond the included hours, in the invoice's month. Support
  within the included hours is paid for by the subscription, so the support
  figures show that share as the gap between recorded and recovered.
- Recurring revenue (MRR): what the subscriptions active on a day bring in a
  month at the prices in force that month: a monthly plan its monthly fee, a
  yearly plan a twelfth of its yearly fee (rounded half up). ARR = 12 x MRR."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from billing.models import (
    CreditNote,
    Invoice,
    InvoiceLine,
    ModulePrice,
    PriceBookVersion,
    SiteVisit,
    StripeInvoiceSync,
    Subscription,
    SupportTime,
)
from billing.money import divide_half_up, month_bounds, per_minute
from billing.pricebook import price_book_for_period
from core.modules import module_by_code

BUCKETS = ("0-30", "31-60", "61-90", "90+")
CREDIT_NOTES = "_credit_notes"
KIND = InvoiceLine.Kind


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class Regency:
    tenant_id: int
    slug: str
    name: str


def _regency(row: Mapping[str, Any], prefix: str = "") -> Regency:
    return Regency(
        tenant_id=int(row[f"{prefix}tenant_id"]),
        slug=str(row[f"{prefix}tenant__slug"]),
        name=str(row[f"{prefix}tenant__name"]),
    )


# Receivables and ageing -------------------------------------------------------

BALANCE = F("total_rupiah") - F("credited_rupiah") - F("paid_rupiah")


def _bucket_filters(today: datetime.date) -> list[Q]:
    d30, d60, d90 = (today - datetime.timedelta(days=days) for days in (30, 60, 90))
    return [
        Q(issued_on__gte=d30),
        Q(issued_on__lt=d30, issued_on__gte=d60),
        Q(issued_on__lt=d60, issued_on__gte=d90),
        Q(issued_on__lt=d90),
    ]


@dataclass(frozen=True)
class AgeingRow:
    regency: Regency
    buckets: tuple[int, int, int, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.buckets)


def ageing_by_regency(*, today: datetime.date) -> list[AgeingRow]:
    """What each regency owes, by age of invoice (one GROUP BY query)."""
    filters = _bucket_filters(today)
    rows = (
        Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES)
        .values("tenant_id", "tenant__slug", "tenant__name")
        .annotate(
            **{f"b{i}": Sum(BALANCE, filter=where) for i, where in enumerate(filters)},
            overdue=Sum(BALANCE, filter=Q(due_on__lt=today)),
        )
        .order_by("tenant__name", "tenant_id")
    )
    result = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        buckets = tuple(int(row[f"b{i}"] or 0) for i in range(4))
        if sum(buckets) == 0:
            continue
        result.append(
            AgeingRow(
                regency=_regency(row),
                buckets=buckets,  # type: ignore[arg-type]
                overdue=int(row["overdue"] or 0),
            )
        )
    return result


def ageing_totals(rows: Iterable[AgeingRow]) -> AgeingRow:
    rows = list(rows)
    buckets = tuple(sum(row.buckets[i] for row in rows) for i in range(4))
    return AgeingRow(
        regency=Regency(0, "", _("All regencies")),
        buckets=buckets,  # type: ignore[arg-type]
        overdue=sum(row.overdue for row in rows),
    )


@dataclass(frozen=True)
class Receivable:
    invoice: Invoice
    age_days: int
    days_overdue: int
    stripe_state: str  # StripeInvoiceSync.State, or "" when never pushed

    @property
    def bucket(self) -> str:
        for limit, label in zip((30, 60, 90), BUCKETS, strict=False):
            if self.age_days <= limit:
                return label
        return BUCKETS[-1]


def receivables_open(*, today: datetime.date) -> list[Receivable]:
    """Every invoice with something still to pay, oldest first."""
    invoices = (
        Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES)
        .select_related("tenant", "stripe_sync")
        .order_by("issued_on", "pk")
    )
    result = []
    for invoice in invoices:
        if invoice.balance_rupiah <= 0:
            continue
        assert invoice.issued_on is not None and invoice.due_on is not None
        sync: StripeInvoiceSync | None = getattr(invoice, "stripe_sync", None)
        result.append(
            Receivable(
                invoice=invoice,
                age_days=max(0, (today - invoice.issued_on).days),
                days_overdue=max(0, (today - invoice.due_on).days),
                stripe_state=sync.state if sync else "",
            )
        )
    return result


# Revenue ----------------------------------------------------------------------


def module_label(key: str) -> str:
    """A revenue row's module as people read it."""
    if key == CREDIT_NOTES:
        return _("Credit notes")
    if key == f"_{KIND.SUPPORT}":
        return _("Support beyond included hours")
    if key == f"_{KIND.EXPENSE}":
        return _("On-site visits at cost")
    if key.startswith("_"):
        return str(KIND(key[1:]).label) if key[1:] in KIND.values else key[1:]
    module = module_by_code(key)
    return str(module.label_text or key) if module else key


@dataclass(frozen=True)
class RevenueRow:
    month: datetime.date
    regency: Regency
    module: str  # a module code, "_support", "_expense" or CREDIT_NOTES
    amount: int  # rupiah excluding PPN; negative for credit notes

    @property
    def module_label(self) -> str:
        return module_label(self.module)


def revenue_rows(*, first: datetime.date, last: datetime.date) -> list[RevenueRow]:
    """Revenue per month, regency and module over the months first..last."""
    months = Q(invoice__period_start__gte=first.replace(day=1), invoice__period_start__lte=last)
    issued = Q(invoice__status__in=Invoice.ISSUED_STATUSES)
    regency = ("invoice__tenant_id", "invoice__tenant__slug", "invoice__tenant__name")
    totals: dict[tuple[datetime.date, Regency, str], int] = defaultdict(int)
    lines = (
        InvoiceLine.objects.filter(months, issued)
        .values("invoice__period_start", *regency, "kind", "module_code")
        .annotate(amount=Sum("amount_rupiah"))
        .order_by()
    )
    for row in lines:
        module = row["module_code"] or f"_{row['kind']}"
        key = (row["invoice__period_start"], _regency(row, "invoice__"), module)
        totals[key] += int(row["amount"] or 0)
    notes = (
        CreditNote.objects.filter(months, issued)
        .values(
            "invoice_id",
            "invoice__period_start",
            *regency,
            "invoice__subtotal_rupiah",
            "invoice__total_rupiah",
        )
        .annotate(amount=Sum("amount_rupiah"))
        .order_by()
    )
    for row in notes:
        # The credit note's share excluding PPN, in the invoice's proportion.
        net = divide_half_up(
            int(row["amount"]) * int(row["invoice__subtotal_rupiah"]),
            int(row["invoice__total_rupiah"]),
        )
        key = (row["invoice__period_start"], _regency(row, "invoice__"), CREDIT_NOTES)
        totals[key] -= net
    return sorted(
        (RevenueRow(month, reg, module, amount) for (month, reg, module), amount in totals.items()),
        key=lambda r: (r.month, r.regency.name, r.module == CREDIT_NOTES, r.module),
    )


def revenue_by_month(
    rows: Iterable[RevenueRow], months: list[datetime.date]
) -> list[tuple[datetime.date, int]]:
    sums: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        sums[row.month] += row.amount
    return [(month, sums[month]) for month in months]


def revenue_by_regency(rows: Iterable[RevenueRow]) -> list[tuple[Regency, int]]:
    sums: dict[Regency, int] = defaultdict(int)
    for row in rows:
        sums[row.regency] += row.amount
    return sorted(sums.items(), key=lambda item: (-item[1], item[0].name))


def revenue_by_module(rows: Iterable[RevenueRow]) -> list[tuple[str, int]]:
    """(label, amount), largest first, credit notes last."""
    sums: dict[str, int] = defaultdict(int)
    for row in rows:
        sums[row.module] += row.amount
    ordered = sorted(sums.items(), key=lambda item: (item[0] == CREDIT_NOTES, -item[1]))
    return [(module_label(key), amount) for key, amount in ordered]


# Cost recovered against cost recorded -----------------------------------------


@dataclass(frozen=True)
class CostRow:
    month: datetime.date
    regency: Regency
    visits_recorded: int = 0
    support_recorded: int = 0
    visits_recovered: int = 0
    support_recovered: int = 0

    @property
    def recorded(self) -> int:
        return self.visits_recorded + self.support_recorded

    @property
    def recovered(self) -> int:
        return self.visits_recovered + self.support_recovered


def _support_rate(month: datetime.date, cache: dict[datetime.date, int]) -> int:
    if month not in cache:
        version = price_book_for_period(month)
        cache[month] = version.support_hour_rupiah if version else 0
    return cache[month]


def cost_rows(*, first: datetime.date, last: datetime.date) -> list[CostRow]:
    """Cost recorded and recovered per month and regency over first..last."""
    first = first.replace(day=1)
    last_day = month_bounds(last)[1]
    figures: dict[tuple[datetime.date, Regency], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    regency = ("tenant_id", "tenant__slug", "tenant__name")
    visits = (
        SiteVisit.objects.filter(
            status=SiteVisit.Status.APPROVED, ends_on__gte=first, ends_on__lte=last_day
        )
        .annotate(month=TruncMonth("ends_on"))
        .values("month", *regency)
        .annotate(total=Sum(F("transport_rupiah") + F("lodging_rupiah") + F("per_diem_rupiah")))
        .order_by()
    )
    for row in visits:
        figures[(row["month"], _regency(row))]["visits_recorded"] += int(row["total"] or 0)
    rates: dict[datetime.date, int] = {}
    support = (
        SupportTime.objects.filter(
            excluded_at__isnull=True, worked_on__gte=first, worked_on__lte=last_day
        )
        .annotate(month=TruncMonth("worked_on"))
        .values("month", *regency)
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in support:
        value = per_minute(_support_rate(row["month"], rates), int(row["minutes"] or 0))
        figures[(row["month"], _regency(row))]["support_recorded"] += value
    billed = (
        InvoiceLine.objects.filter(
            kind__in=[KIND.EXPENSE, KIND.SUPPORT],
            invoice__status__in=Invoice.ISSUED_STATUSES,
            invoice__period_start__gte=first,
            invoice__period_start__lte=last_day,
        )
        .values("invoice__period_start", *(f"invoice__{name}" for name in regency), "kind")
        .annotate(total=Sum("amount_rupiah"))
        .order_by()
    )
    for row in billed:
        field = "visits_recovered" if row["kind"] == KIND.EXPENSE else "support_recovered"
        key = (row["invoice__period_start"], _regency(row, "invoice__"))
        figures[key][field] += int(row["total"] or 0)
    return sorted(
        (CostRow(month, reg, **values) for (month, reg), values in figures.items()),
        key=lambda r: (r.month, r.regency.name),
    )


def cost_by_month(
    rows: Iterable[CostRow], months: list[datetime.date]
) -> list[tuple[datetime.date, int, int]]:
    """(month, recorded, recovered) for every month, zeros included."""
    recorded: dict[datetime.date, int] = defaultdict(int)
    recovered: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        recorded[row.month] += row.recorded
        recovered[row.month] += row.recovered
    return [(month, recorded[month], recovered[month]) for month in months]


# Recurring revenue ------------------------------------------------------------


@dataclass(frozen=True)
class RecurringRow:
    regency: Regency
    module: str
    plan: str
    starts_on: datetime.date
    mrr: int

    @property
    def module_label(self) -> str:
        return module_label(self.module)


def _monthly(price: ModulePrice | None, plan: str) -> int:
    if price is None:
        return 0
    if plan == Subscription.Plan.YEARLY:
        return divide_half_up(price.yearly_rupiah, 12)
    return price.monthly_rupiah


def _prices(
    version: PriceBookVersion | None, cache: dict[int, dict[str, ModulePrice]]
) -> dict[str, ModulePrice]:
    if version is None:
        return {}
    if version.pk not in cache:
        cache[version.pk] = {p.module_code: p for p in version.module_prices.all()}
    return cache[version.pk]


def _active_on(subs: Iterable[Subscription], on: datetime.date) -> list[Subscription]:
    return [s for s in subs if s.starts_on <= on and (s.ends_on is None or s.ends_on >= on)]


def _subscriptions(first: datetime.date, last: datetime.date) -> list[Subscription]:
    return list(
        Subscription.objects.filter(starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .exclude(tenant__is_template=True)
        .select_related("tenant")
        .order_by("tenant__name", "module_code", "pk")
    )


def recurring_rows(*, on: datetime.date) -> list[RecurringRow]:
    """Every subscription active on `on`, with what it brings in a month."""
    prices = _prices(price_book_for_period(on.replace(day=1)), {})
    return [
        RecurringRow(
            regency=Regency(sub.tenant_id, sub.tenant.slug, sub.tenant.name),
            module=sub.module_code,
            plan=sub.plan,
            starts_on=sub.starts_on,
            mrr=_monthly(prices.get(sub.module_code), sub.plan),
        )
        for sub in _active_on(_subscriptions(on, on), on)
    ]


def mrr_by_month(
    *, months: list[datetime.date], today: datetime.date
) -> list[tuple[datetime.date, int | None]]:
    """MRR on each month's last day (today for the current month; None for a
    month still to come), from one query over the subscriptions."""
    if not months:
        return []
    subs = _subscriptions(months[0], month_bounds(months[-1])[1])
    cache: dict[int, dict[str, ModulePrice]] = {}
    result: list[tuple[datetime.date, int | None]] = []
    for month in months:
        if month > today:
            result.append((month, None))
            continue
        on = min(month_bounds(month)[1], today)
        prices = _prices(price_book_for_period(month), cache)
        mrr = sum(_monthly(prices.get(s.module_code), s.plan) for s in _active_on(subs, on))
        result.append((month, mrr))
    return result

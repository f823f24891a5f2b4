"""The finance view: receivables and their ageing, revenue per regency, module
and month, cost recovered against cost recorded, recurring revenue; as charts
(inline SVG, each with its table) and as CSV/XLSX exports for the accounting
system, every export audited.

Finance staff only (FinanceRequiredMixin, as on every invoice page): engineers
get 403 here. The figures are sums over invoices and subscriptions; no page
or export here shows personal data."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView
from django_stubs_ext import StrOrPromise

from billing import finance
from billing.models import StripeEvent, StripeInvoiceSync
from billing.stripe_sync import stripe_sync_status
from console.finance_charts import bar_chart, line_chart
from console.forms_finance import FinanceRangeForm
from console.permissions import console_user
from console.views.billing import FinanceRequiredMixin
from core.tabular import table_export
from tenants.audit import platform_audit

EXPORT_FORMATS = ("csv", "xlsx")


def _month_label(month: datetime.date) -> str:
    return f"{month:%m/%Y}"


class FinanceOverviewView(FinanceRequiredMixin, TemplateView):
    template_name = "console/finance_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        form = FinanceRangeForm(self.request.GET or None)
        start, end = form.months()
        months = finance.months_between(start, end)
        labels = [_month_label(m) for m in months]

        ageing = finance.ageing_by_regency(today=today)
        ageing_total = finance.ageing_totals(ageing)
        revenue = finance.revenue_rows(first=start, last=end)
        revenue_months = finance.revenue_by_month(revenue, months)
        costs = finance.cost_by_month(finance.cost_rows(first=start, last=end), months)
        mrr_months = finance.mrr_by_month(months=months, today=today)
        recurring = finance.recurring_rows(on=today)
        mrr_now = sum(row.mrr for row in recurring)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "start": start,
            "end": end,
            "today": today,
            "query": self.request.GET.urlencode(),
            "stripe": stripe_sync_status(),
            "buckets": list(zip(finance.BUCKETS, ageing_total.buckets, strict=True)),
            "ageing": ageing,
            "ageing_total": ageing_total,
            "ageing_chart": bar_chart(
                [_("%(days)s days") % {"days": b} for b in finance.BUCKETS],
                [list(ageing_total.buckets)],
                [_("Receivable")],
            ),
            "revenue_total": sum(amount for _m, amount in revenue_months),
            "revenue_months": revenue_months,
            "revenue_chart": bar_chart(labels, [[a for _m, a in revenue_months]], [_("Revenue")]),
            "revenue_regencies": finance.revenue_by_regency(revenue),
            "revenue_modules": finance.revenue_by_module(revenue),
            "costs": costs,
            "cost_totals": (sum(c[1] for c in costs), sum(c[2] for c in costs)),
            "cost_chart": bar_chart(
                labels,
                [[c[1] for c in costs], [c[2] for c in costs]],
                [_("Cost recorded"), _("Cost recovered")],
            ),
            "mrr_months": mrr_months,
            "mrr_chart": line_chart(labels, [v for _m, v in mrr_months]),
            "recurring": recurring,
            "mrr_now": mrr_now,
            "arr_now": 12 * mrr_now,
        }


class FinanceReceivablesView(FinanceRequiredMixin, TemplateView):
    """Every open invoice with its age, and the Stripe events finance must look at."""

    template_name = "console/finance_receivables.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        receivables = finance.receivables_open(today=today)
        return {
            **super().get_context_data(**kwargs),
            "today": today,
            "receivables": receivables,
            "total": sum(r.invoice.balance_rupiah for r in receivables),
            "stripe": stripe_sync_status(),
            "states": dict(StripeInvoiceSync.State.choices),
            "conflicts": list(
                StripeEvent.objects.filter(outcome=StripeEvent.Outcome.CONFLICT)
                .select_related("invoice")
                .order_by("-created", "-id")[:20]
            ),
            "push_errors": list(
                StripeInvoiceSync.objects.exclude(last_error="")
                .filter(finalized_at__isnull=True)
                .select_related("invoice")
                .order_by("-updated_at")[:20]
            ),
        }


@dataclass(frozen=True)
class Report:
    slug: str
    columns: tuple[StrOrPromise, ...]
    rows: Callable[[datetime.date, datetime.date, datetime.date], Sequence[Sequence[object]]]


def _receivable_rows(
    _start: datetime.date, _end: datetime.date, today: datetime.date
) -> list[list[object]]:
    states = dict(StripeInvoiceSync.State.choices)
    return [
        [
            r.invoice.number,
            r.invoice.tenant.slug,
            r.invoice.tenant.name,
            r.invoice.period_start.strftime("%Y-%m"),
            r.invoice.issued_on,
            r.invoice.due_on,
            r.invoice.total_rupiah,
            r.invoice.credited_rupiah,
            r.invoice.paid_rupiah,
            r.invoice.balance_rupiah,
            r.age_days,
            r.bucket,
            r.days_overdue,
            str(states.get(r.stripe_state, "")),
        ]
        for r in finance.receivables_open(today=today)
    ]


def _ageing_rows(
    _start: datetime.date, _end: datetime.date, today: datetime.date
) -> list[list[object]]:
    return [
        [row.regency.slug, row.regency.name, *row.buckets, row.total, row.overdue]
        for row in finance.ageing_by_regency(today=today)
    ]


def _revenue_rows(
    start: datetime.date, end: datetime.date, _today: datetime.date
) -> list[list[object]]:
    return [
        [
            row.month.strftime("%Y-%m"),
            row.regency.slug,
            row.regency.name,
            row.module,
            row.module_label,
            row.amount,
        ]
        for row in finance.revenue_rows(first=start, last=end)
    ]


def _cost_rows(
    start: datetime.date, end: datetime.date, _today: datetime.date
) -> list[list[object]]:
    return [
        [
            row.month.strftime("%Y-%m"),
            row.regency.slug,
            row.regency.name,
            row.visits_recorded,
            row.support_recorded,
            row.recorded,
            row.visits_recovered,
            row.support_recovered,
            row.recovered,
        ]
        for row in finance.cost_rows(first=start, last=end)
    ]


def _recurring_rows(
    _start: datetime.date, _end: datetime.date, today: datetime.date
) -> list[list[object]]:
    return [
        [
            row.regency.slug,
            row.regency.name,
            row.module,
            row.module_label,
            row.plan,
            row.starts_on,
            row.mrr,
            12 * row.mrr,
        ]
        for row in finance.recurring_rows(on=today)
    ]


REPORTS = {
    "receivables": Report(
        "receivables",
        (
            _lazy("Invoice"),
            _lazy("Regency (slug)"),
            _lazy("Regency"),
            _lazy("Month"),
            _lazy("Issued on"),
            _lazy("Due on"),
            _lazy("Total (Rp)"),
            _lazy("Credited (Rp)"),
            _lazy("Paid (Rp)"),
            _lazy("Balance (Rp)"),
            _lazy("Age (days)"),
            _lazy("Ageing bucket"),
            _lazy("Days overdue"),
            _lazy("Stripe"),
        ),
        _receivable_rows,
    ),
    "ageing": Report(
        "ageing",
        (
            _lazy("Regency (slug)"),
            _lazy("Regency"),
            _lazy("0-30 days (Rp)"),
            _lazy("31-60 days (Rp)"),
            _lazy("61-90 days (Rp)"),
            _lazy("Over 90 days (Rp)"),
            _lazy("Total (Rp)"),
            _lazy("Overdue (Rp)"),
        ),
        _ageing_rows,
    ),
    "revenue": Report(
        "revenue",
        (
            _lazy("Month"),
            _lazy("Regency (slug)"),
            _lazy("Regency"),
            _lazy("Module code"),
            _lazy("Module"),
            _lazy("Revenue excl. PPN (Rp)"),
        ),
        _revenue_rows,
    ),
    "cost-recovery": Report(
        "cost-recovery",
        (
            _lazy("Month"),
            _lazy("Regency (slug)"),
            _lazy("Regency"),
            _lazy("Site visits recorded (Rp)"),
            _lazy("Support recorded (Rp)"),
            _lazy("Cost recorded (Rp)"),
            _lazy("Site visits billed (Rp)"),
            _lazy("Support billed (Rp)"),
            _lazy("Cost recovered (Rp)"),
        ),
        _cost_rows,
    ),
    "recurring": Report(
        "recurring",
        (
            _lazy("Regency (slug)"),
            _lazy("Regency"),
            _lazy("Module code"),
            _lazy("Module"),
            _lazy("Plan"),
            _lazy("Since"),
            _lazy("MRR (Rp)"),
            _lazy("ARR (Rp)"),
        ),
        _recurring_rows,
    ),
}


class FinanceExportView(FinanceRequiredMixin, View):
    """One report as CSV or XLSX, over the months of the filter; audited."""

    def get(self, request: HttpRequest, report: str, file_format: str) -> HttpResponse:
        spec = REPORTS.get(report)
        if spec is None or file_format not in EXPORT_FORMATS:
            raise Http404(_("There is no such export."))
        form = FinanceRangeForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            # The overview shows the same input with its errors.
            response = redirect("finance_overview")
            response["Location"] += f"?{request.GET.urlencode()}"
            return response
        start, end = form.months()
        today = timezone.localdate()
        rows = spec.rows(start, end, today)
        user = console_user(request)
        platform_audit(
            action="finance.export",
            actor_email=user.email,
            actor_name=user.full_name,
            target=spec.slug,
            detail={
                "format": file_format,
                "from": start.strftime("%Y-%m"),
                "to": end.strftime("%Y-%m"),
                "rows": len(rows),
            },
            request=request,
        )
        return table_export(
            rows=rows,
            columns=[str(column) for column in spec.columns],
            file_format=file_format,
            filename=f"sukowati-{spec.slug}-{start:%Y-%m}-{end:%Y-%m}",
        )

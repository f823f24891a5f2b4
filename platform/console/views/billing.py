"""Finance's console pages: invoices, the monthly run, credit notes, payments.

Who may do what (docs/decisions/billing.md): finance staff reach every billing
page; engineers reach only the expense pages (they log on-site visits and
support time, finance approves them) and get 403 here; regency users never
reach the console at all."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from billing.forms import (
    CreditNoteForm,
    InvoiceDraftForm,
    InvoiceFilterForm,
    InvoiceRunForm,
    PaymentForm,
    VoidForm,
)
from billing.invoicing.lifecycle import ALLOWED
from billing.invoicing.pdf import invoice_filename, invoice_pdf
from billing.invoicing.services import (
    credit_note_issue,
    invoice_draft_update,
    invoice_finalise,
    invoice_redraft,
    invoice_totals,
    invoice_void,
    payment_record,
)
from billing.models import Invoice, InvoiceRun
from billing.selectors import invoices_for_console, receivables_total
from billing.tasks import invoice_run_task
from console.permissions import PlatformStaffRequiredMixin
from console.views.common import actor_of, queue_on_commit
from core.forms import errors_onto_form

FINANCE = frozenset({"finance"})
PAGE_SIZE = 50


class FinanceRequiredMixin(PlatformStaffRequiredMixin):
    """Finance staff with MFA only; engineers and everyone else get 403."""

    platform_roles = FINANCE


def invoice_or_404(invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.select_related("tenant", "price_book_version").filter(pk=invoice_id).first()
    )
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    return invoice


class BillingHomeView(FinanceRequiredMixin, TemplateView):
    """Invoices, filtered, with the receivables total and the run button."""

    template_name = "billing/console/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = InvoiceFilterForm(self.request.GET or None)
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "status": form.cleaned_data["status"] or None,
                "period_start": _month(form.cleaned_data["month"]),
                "tenant_slug": form.cleaned_data["regency"].strip(),
            }
        invoices = list(invoices_for_console(**filters)[:PAGE_SIZE])
        return {
            **super().get_context_data(**kwargs),
            "filter_form": form,
            "invoices": invoices,
            "receivables": receivables_total(),
            "run_form": InvoiceRunForm(),
            "runs": list(InvoiceRun.objects.all()[:5]),
        }


def _month(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class InvoiceRunView(FinanceRequiredMixin, View):
    """The manual trigger of the monthly run (the same task beat queues)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InvoiceRunForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the months offered."))
            return redirect("billing_home")
        month = form.cleaned_data["month"]
        actor = actor_of(request)
        queue_on_commit(
            request,
            lambda: invoice_run_task.delay(month, actor.email),
            _("The invoice run could not be queued: is the task broker running?"),
        )
        messages.info(
            request,
            _("The invoices for %(month)s are being drawn up; reload in a minute.")
            % {"month": month[:7]},
        )
        return redirect("billing_home")


def _detail_context(
    invoice: Invoice, bound: dict[str, forms.BaseForm] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    return {
        "invoice": invoice,
        "totals": invoice_totals(invoice),
        "lines": list(invoice.lines.all()),
        "credit_notes": list(invoice.credit_notes.all()),
        "payments": list(invoice.payments.all()),
        "transitions": list(invoice.transitions.all()),
        "draft_form": bound.get("draft") or InvoiceDraftForm(instance=invoice, prefix="draft"),
        "credit_form": bound.get("credit") or CreditNoteForm(prefix="credit"),
        "payment_form": bound.get("payment") or PaymentForm(prefix="payment"),
        "void_form": bound.get("void") or VoidForm(prefix="void"),
        "can_void": Invoice.Status.VOID in ALLOWED[invoice.status]
        and not (invoice.paid_rupiah or invoice.credited_rupiah),
        "is_open": invoice.status in Invoice.OPEN_STATUSES,
        "refusals": _refusals(invoice, bound),
    }


def _refusals(invoice: Invoice, bound: dict[str, forms.BaseForm]) -> list[str]:
    """Errors of a form the page no longer shows (e.g. the draft form of an
    invoice finalised meanwhile), so the refusal is not lost."""
    shown = {
        "draft": invoice.is_draft,
        "credit": invoice.status in Invoice.OPEN_STATUSES,
        "payment": invoice.status in Invoice.OPEN_STATUSES,
        "void": Invoice.Status.VOID in ALLOWED[invoice.status],
    }
    return [
        str(error)
        for prefix, form in bound.items()
        if not shown.get(prefix, True)
        for error in form.non_field_errors()
    ]


def _render_detail(
    request: HttpRequest, invoice: Invoice, bound: dict[str, forms.BaseForm] | None = None
) -> HttpResponse:
    status = 400 if bound else 200
    return render(
        request,
        "billing/console/invoice_detail.html",
        _detail_context(invoice, bound),
        status=status,
    )


class InvoiceDetailView(FinanceRequiredMixin, View):
    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        return _render_detail(request, invoice_or_404(invoice_id))


class _InvoiceFormView(FinanceRequiredMixin, View):
    """POST a form about one invoice; on refusal the page shows it with the errors."""

    prefix = ""
    form_class: type[forms.Form] = forms.Form

    def post(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_or_404(invoice_id)
        form = self.make_form(request, invoice)
        if form.is_valid():
            try:
                message = self.act(request, invoice, form)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, message)
                return redirect("billing_invoice_detail", invoice_id=invoice.pk)
        return _render_detail(request, invoice_or_404(invoice_id), {self.prefix: form})

    def make_form(self, request: HttpRequest, invoice: Invoice) -> forms.BaseForm:
        return self.form_class(request.POST, prefix=self.prefix)

    def act(self, request: HttpRequest, invoice: Invoice, form: Any) -> str:
        raise NotImplementedError


class InvoiceDraftEditView(_InvoiceFormView):
    prefix = "draft"

    def make_form(self, request: HttpRequest, invoice: Invoice) -> forms.BaseForm:
        return InvoiceDraftForm(request.POST, instance=Invoice(pk=invoice.pk), prefix="draft")

    def act(self, request: HttpRequest, invoice: Invoice, form: Any) -> str:
        invoice_draft_update(
            invoice=invoice,
            actor=actor_of(request),
            apbd_code=form.cleaned_data["apbd_code"],
            notes=form.cleaned_data["notes"],
        )
        return _("The draft is saved.")


class CreditNoteCreateView(_InvoiceFormView):
    prefix = "credit"
    form_class = CreditNoteForm

    def act(self, request: HttpRequest, invoice: Invoice, form: Any) -> str:
        note = credit_note_issue(
            invoice=invoice,
            amount_rupiah=form.cleaned_data["amount_rupiah"],
            reason=form.cleaned_data["reason"],
            actor=actor_of(request),
        )
        return _("Credit note %(number)s issued.") % {"number": note.number}


class PaymentCreateView(_InvoiceFormView):
    prefix = "payment"
    form_class = PaymentForm

    def act(self, request: HttpRequest, invoice: Invoice, form: Any) -> str:
        payment_record(
            invoice=invoice,
            amount_rupiah=form.cleaned_data["amount_rupiah"],
            received_on=form.cleaned_data["received_on"],
            reference=form.cleaned_data["reference"],
            actor=actor_of(request),
        )
        return _("The payment is recorded.")


class InvoiceVoidView(_InvoiceFormView):
    prefix = "void"
    form_class = VoidForm

    def act(self, request: HttpRequest, invoice: Invoice, form: Any) -> str:
        invoice_void(invoice=invoice, actor=actor_of(request), reason=form.cleaned_data["reason"])
        return _("The invoice is void.")


class InvoiceFinaliseView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_or_404(invoice_id)
        try:
            invoice = invoice_finalise(invoice=invoice, actor=actor_of(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Invoice %(number)s is finalised.") % {"number": invoice.number}
            )
        return redirect("billing_invoice_detail", invoice_id=invoice.pk)


class InvoiceRedraftView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_or_404(invoice_id)
        try:
            invoice_redraft(invoice=invoice, actor=actor_of(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("billing_invoice_detail", invoice_id=invoice.pk)
        again = (
            Invoice.objects.filter(tenant=invoice.tenant, period_start=invoice.period_start)
            .exclude(status=Invoice.Status.VOID)
            .first()
        )
        if again is None:
            messages.info(request, _("Nothing is left to bill for that month; the draft is gone."))
            return redirect("billing_home")
        messages.success(request, _("The draft is drawn up again from the ledger."))
        return redirect("billing_invoice_detail", invoice_id=again.pk)


class InvoicePdfView(FinanceRequiredMixin, View):
    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_or_404(invoice_id)
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice_filename(invoice)}"'
        return response

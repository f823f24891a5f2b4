"""The regency's side of billing: its admins see and download its own issued
invoices. Every lookup is by the request's regency, so another regency's
invoice id answers 404 (tests/tenancy/test_billing_isolation.py)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.views import RegencyAdminRequiredMixin
from billing.invoicing.pdf import invoice_filename, invoice_pdf
from billing.invoicing.services import invoice_totals
from billing.models import Invoice
from billing.selectors import invoice_for_regency, invoices_for_regency
from core.audit import audit_record


def _own_invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    invoice = invoice_for_regency(request.tenant, invoice_id)  # type: ignore[attr-defined]
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    return invoice


class InvoiceListView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "billing/regency/invoice_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invoices = list(invoices_for_regency(self.request.tenant))  # type: ignore[attr-defined]
        balance = sum(i.balance_rupiah for i in invoices if i.status in Invoice.OPEN_STATUSES)
        return {**super().get_context_data(**kwargs), "invoices": invoices, "balance": balance}


class InvoiceDetailView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "billing/regency/invoice_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invoice = _own_invoice(self.request, kwargs["invoice_id"])
        return {
            **super().get_context_data(**kwargs),
            "invoice": invoice,
            "totals": invoice_totals(invoice),
            "lines": list(invoice.lines.all()),
            "credit_notes": list(invoice.credit_notes.all()),
            "payments": list(invoice.payments.all()),
        }


class InvoicePdfView(RegencyAdminRequiredMixin, View):
    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = _own_invoice(request, invoice_id)
        user = request.user
        # Recorded in the regency's own audit log: who fetched which invoice.
        audit_record(
            action="invoice.downloaded",
            actor_email=getattr(user, "email", ""),
            actor_name=getattr(user, "full_name", ""),
            target=invoice.number,
            request=request,
        )
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice_filename(invoice)}"'
        return response

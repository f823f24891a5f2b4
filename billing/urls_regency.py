"""A regency admin's invoices, at /billing/ on the regency's own site. The
namespace `billing` keeps them reachable while the regency is suspended
(core.middleware.SuspensionGateMiddleware), so it can see what to pay."""

from django.urls import path

from billing import views_regency

app_name = "billing"

urlpatterns = [
    path("", views_regency.InvoiceListView.as_view(), name="invoices"),
    path("<int:invoice_id>/", views_regency.InvoiceDetailView.as_view(), name="invoice"),
    path("<int:invoice_id>/pdf/", views_regency.InvoicePdfView.as_view(), name="invoice_pdf"),
]

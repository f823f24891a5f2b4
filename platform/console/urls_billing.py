"""The console's billing pages, at /billing/ on the root domain.

Mounted from config.urls_public next to console.urls (which stays flat and
engineer-only, as tests/console walks it). Every URL here requires platform
staff with MFA; all but the expense pages require finance staff. tests/billing
walks this list the same way."""

from django.urls import path

from console.views import billing, billing_expenses, billing_setup

INV = "invoices/<int:invoice_id>/"
P = "price-book/<int:version_id>/"
SV = "site-visits/<int:visit_id>/"

urlpatterns = [
    # invoices (finance)
    path("", billing.BillingHomeView.as_view(), name="billing_home"),
    path("run/", billing.InvoiceRunView.as_view(), name="billing_invoice_run"),
    path(INV, billing.InvoiceDetailView.as_view(), name="billing_invoice_detail"),
    path(f"{INV}draft/", billing.InvoiceDraftEditView.as_view(), name="billing_invoice_draft"),
    path(f"{INV}redraft/", billing.InvoiceRedraftView.as_view(), name="billing_invoice_redraft"),
    path(f"{INV}finalise/", billing.InvoiceFinaliseView.as_view(), name="billing_invoice_finalise"),
    path(f"{INV}void/", billing.InvoiceVoidView.as_view(), name="billing_invoice_void"),
    path(f"{INV}credit-notes/", billing.CreditNoteCreateView.as_view(), name="billing_credit_note"),
    path(f"{INV}payments/", billing.PaymentCreateView.as_view(), name="billing_payment"),
    path(f"{INV}pdf/", billing.InvoicePdfView.as_view(), name="billing_invoice_pdf"),
    # set-up (finance)
    path("price-book/", billing_setup.PriceBookView.as_view(), name="billing_price_book"),
    path(P, billing_setup.PriceBookVersionView.as_view(), name="billing_price_book_version"),
    path(
        f"{P}modules/<str:code>/",
        billing_setup.ModulePriceView.as_view(),
        name="billing_module_price",
    ),
    path(
        f"{P}meters/<str:code>/", billing_setup.MeterPriceView.as_view(), name="billing_meter_price"
    ),
    path(
        f"{P}publish/",
        billing_setup.PriceBookPublishView.as_view(),
        name="billing_price_book_publish",
    ),
    path(
        "subscriptions/",
        billing_setup.SubscriptionListView.as_view(),
        name="billing_subscriptions",
    ),
    path(
        "subscriptions/<int:subscription_id>/end/",
        billing_setup.SubscriptionEndView.as_view(),
        name="billing_subscription_end",
    ),
    path("usage/", billing_setup.UsageView.as_view(), name="billing_usage"),
    path("policy/", billing_setup.BillingPolicyView.as_view(), name="billing_policy"),
    # expenses (engineers and finance; approving and excluding: finance)
    path("site-visits/", billing_expenses.SiteVisitListView.as_view(), name="billing_site_visits"),
    path(
        "site-visits/new/",
        billing_expenses.SiteVisitCreateView.as_view(),
        name="billing_site_visit_create",
    ),
    path(SV, billing_expenses.SiteVisitDetailView.as_view(), name="billing_site_visit"),
    path(
        f"{SV}receipts/",
        billing_expenses.ReceiptUploadView.as_view(),
        name="billing_receipt_upload",
    ),
    path(
        f"{SV}receipts/<int:receipt_id>/",
        billing_expenses.ReceiptDownloadView.as_view(),
        name="billing_receipt_download",
    ),
    path(
        f"{SV}move/<str:to_status>/",
        billing_expenses.SiteVisitMoveView.as_view(),
        name="billing_site_visit_move",
    ),
    path("support-time/", billing_expenses.SupportTimeView.as_view(), name="billing_support_time"),
    path(
        "support-time/<int:entry_id>/exclude/",
        billing_expenses.SupportTimeExcludeView.as_view(),
        name="billing_support_time_exclude",
    ),
]

# Pages engineers may use too; every other one is finance staff's only.
STAFF_URL_NAMES = frozenset(
    {
        "billing_site_visits",
        "billing_site_visit_create",
        "billing_site_visit",
        "billing_receipt_upload",
        "billing_receipt_download",
        "billing_site_visit_move",
        "billing_support_time",
    }
)

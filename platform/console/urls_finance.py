"""The finance view, at /finance/ on the root domain (config.urls_public).
Finance staff with MFA only; tests/billing/test_finance_view.py walks this list."""

from django.urls import path

from console.views import finance

urlpatterns = [
    path("", finance.FinanceOverviewView.as_view(), name="finance_overview"),
    path("receivables/", finance.FinanceReceivablesView.as_view(), name="finance_receivables"),
    path(
        "export/<str:report>/<str:file_format>/",
        finance.FinanceExportView.as_view(),
        name="finance_export",
    ),
]

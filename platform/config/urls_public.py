"""URLs of the root domain: the platform console, in the public schema."""

from django.urls import include, path

from config.urls_common import common_patterns

urlpatterns = [
    *common_patterns,
    path("support/", include("support.urls_console")),
    path("billing/stripe/", include("billing.urls_stripe")),
    path("billing/", include("console.urls_billing")),
    path("finance/", include("console.urls_finance")),
    path("", include("console.urls")),
]

"""Stripe's webhook, mounted at /billing/stripe/ on the root domain only (it is
not in config.urls_tenant, so no regency host serves it)."""

from django.urls import path

from billing.webhooks import StripeWebhookView

urlpatterns = [
    path("webhook/", StripeWebhookView.as_view(), name="stripe_webhook"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Subscriptions follow module entitlements (see billing.signals); finalised
        # invoices are pushed to Stripe (billing.stripe_sync).
        from billing import signals, stripe_sync  # noqa: F401

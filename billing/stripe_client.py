"""The one place that talks to Stripe, through its official SDK. Amounts cross
this boundary only here (Stripe treats IDR as two-decimal: Rp 1 = 100)."""

from typing import Any

import stripe
from django.conf import settings


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_ENABLED)


def stripe_client() -> stripe.StripeClient:
    options: dict[str, Any] = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY or "", **options)


def rupiah_to_stripe(amount: int) -> int:
    return amount * 100

"""Stripe's side of billing: how far each invoice's push got, and every webhook
event Stripe sent, stored once.

Imported by billing.models, which is where Django registers them."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StripeInvoiceSync(models.Model):
    """One finalised invoice in Stripe: the push's progress (so that a retry
    never creates anything twice, even after Stripe has forgotten an
    idempotency key) and the payment state Stripe's events converged to.

    `state` changes only through `billing.stripe_events.stripe_state_merge`:
    the state with the highest (tier, event time, rank) wins, whatever order
    the events arrived in."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not in Stripe yet")
        DRAFT = "draft", _("Draft in Stripe")
        OPEN = "open", _("Awaiting payment")
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        UNCOLLECTIBLE = "uncollectible", _("Uncollectible")
        VOID = "void", _("Void in Stripe")
        PAID = "paid", _("Paid in Stripe")

    invoice = models.OneToOneField(
        "billing.Invoice", on_delete=models.PROTECT, related_name="stripe_sync"
    )
    stripe_invoice_id = models.CharField(max_length=64, blank=True)
    # Idempotency keys of the invoice items already created in Stripe.
    items_pushed = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    hosted_invoice_url = models.URLField(max_length=500, blank=True)
    push_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # Stripe's `created` of the event that set `state` (None: set by the push).
    state_since = models.DateTimeField(null=True, blank=True)
    state_event_id = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_invoice_id"],
                condition=~Q(stripe_invoice_id=""),
                name="stripe_sync_invoice_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} -> {self.stripe_invoice_id or '-'} ({self.state})"

    @property
    def is_pushed(self) -> bool:
        return self.finalized_at is not None


class StripeEvent(models.Model):
    """A webhook event as Stripe sent it, verified, stored once (its id is
    unique, so a replayed delivery is a no-op) and never changed (the database
    refuses updates and deletes, see the migration)."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        IGNORED = "ignored", _("Ignored")
        CONFLICT = "conflict", _("Needs finance's attention")

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField()  # when Stripe says the event happened
    livemode = models.BooleanField(default=False)
    object_id = models.CharField(max_length=100, blank=True)
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stripe_events",
    )
    payload = models.JSONField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["invoice", "created"])]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"

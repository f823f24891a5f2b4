from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class BillingCustomer(models.Model):
    """The regency as Sragen's customer; mirrored in Stripe when Stripe is configured."""

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="billing_customer")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("billing email"))
    stripe_customer_id = models.CharField(max_length=64, blank=True)
    address = models.TextField(_("address"), blank=True)
    # Copied onto each new draft invoice; finance can change it there before finalising.
    apbd_code = models.CharField(_("APBD budget code"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class UsageEvent(models.Model):
    """One billable use of a module (`permits.issued`, `ktp.printed`), written by
    the module inside its own transaction. Append-only; the idempotency key makes
    a retried action count once."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="usage_events")
    meter = models.CharField(max_length=60)
    quantity = models.PositiveIntegerField()
    occurred_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=200, blank=True)  # e.g. "permits:PRM/2026/000123"
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "occurred_at", "meter"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="usage_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.meter} x{self.quantity}"


class SupportTime(models.Model):
    """Time an engineer spent supporting a regency (a ticket reply, a call), in
    minutes. Billed beyond the hours the regency's plan includes."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="support_time")
    engineer_email = models.EmailField()
    minutes = models.PositiveIntegerField()
    worked_on = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200, blank=True)  # e.g. "support:ticket:123"
    idempotency_key = models.CharField(max_length=200, unique=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Finance approves support time by exception: an entry counts towards the
    # month's overage unless finance excludes it (with a reason) before invoicing.
    excluded_at = models.DateTimeField(null=True, blank=True)
    excluded_by_email = models.EmailField(blank=True)
    exclusion_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "worked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0), name="support_minutes_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.minutes} min on {self.worked_on}"


class SiteVisit(models.Model):
    """Engineers sent on site to a regency: costs billed at cost once finance
    approves them. Amounts in integer rupiah."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="site_visits")
    purpose = models.CharField(_("purpose"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    people = models.CharField(_("people sent"), max_length=300)
    transport_rupiah = models.PositiveBigIntegerField(_("transport"), default=0)
    lodging_rupiah = models.PositiveBigIntegerField(_("lodging"), default=0)
    per_diem_rupiah = models.PositiveBigIntegerField(_("per diem"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by_email = models.EmailField(blank=True)
    decided_by_email = models.EmailField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="site_visit_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.starts_on})"

    @property
    def total_rupiah(self) -> int:
        return self.transport_rupiah + self.lodging_rupiah + self.per_diem_rupiah


class SeatSnapshot(models.Model):
    """A regency's active staff (seats) on one of its own calendar days, taken
    daily by `seat_snapshot_task`: invoices bill seats from these rows instead of
    reaching into every regency's schema when they are drawn up."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="seat_snapshots")
    taken_on = models.DateField()  # the regency's local date
    active_staff = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "taken_on"], name="seat_snapshot_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.taken_on}: {self.active_staff} seats"


# Billing's other models, split by topic to keep files small; imported here so
# that Django registers them with this app.
from billing.models_expenses import SiteVisitReceipt, SiteVisitTransition  # noqa: E402
from billing.models_invoices import (  # noqa: E402
    BillingPolicy,
    BillingSuspension,
    CreditNote,
    DunningReminder,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    InvoiceTransition,
    NumberSequence,
    Payment,
)
from billing.models_pricebook import (  # noqa: E402
    MeterPrice,
    ModulePrice,
    PriceBookVersion,
    Subscription,
)
from billing.models_stripe import StripeEvent, StripeInvoiceSync  # noqa: E402

__all__ = [
    "BillingCustomer",
    "BillingPolicy",
    "BillingSuspension",
    "CreditNote",
    "DunningReminder",
    "Invoice",
    "InvoiceLine",
    "InvoiceRun",
    "InvoiceTransition",
    "MeterPrice",
    "ModulePrice",
    "NumberSequence",
    "Payment",
    "PriceBookVersion",
    "SeatSnapshot",
    "SiteVisit",
    "SiteVisitReceipt",
    "SiteVisitTransition",
    "StripeEvent",
    "StripeInvoiceSync",
    "Subscription",
    "SupportTime",
    "UsageEvent",
]

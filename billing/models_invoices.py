"""Invoices, their lines and transitions, numbering, credit notes, payments,
the billing policy and dunning records.

Imported by billing.models, which is where Django registers them."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Invoice(models.Model):
    """One regency's invoice for one calendar month.

    Its status changes only through `billing.invoicing.lifecycle.invoice_transition`.
    Once it leaves draft the database refuses changes to its amounts, number,
    dates and lines (see migration 0004): corrections are credit notes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINALISED = "finalised", _("Finalised")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")

    OPEN_STATUSES = (Status.FINALISED, Status.PARTIALLY_PAID)  # issued and not settled
    ISSUED_STATUSES = (Status.FINALISED, Status.PARTIALLY_PAID, Status.PAID)

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="invoices")
    period_start = models.DateField(_("month"))
    period_end = models.DateField()
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(_("number"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    price_book_version = models.ForeignKey(
        "billing.PriceBookVersion", on_delete=models.PROTECT, related_name="invoices"
    )
    customer_name = models.CharField(_("customer"), max_length=200)
    apbd_code = models.CharField(
        _("APBD budget code"),
        max_length=100,
        blank=True,
        help_text=_("The regency's budget line (kode rekening APBD) this invoice is paid from."),
    )
    notes = models.TextField(_("notes"), blank=True)
    subtotal_rupiah = models.PositiveBigIntegerField(default=0)
    taxable_rupiah = models.PositiveBigIntegerField(default=0)
    tax_rate_bp = models.PositiveIntegerField(default=0)
    tax_rupiah = models.PositiveBigIntegerField(default=0)
    total_rupiah = models.PositiveBigIntegerField(default=0)
    # Running sums kept by the credit-note and payment services, in the same
    # transaction as the rows they sum.
    credited_rupiah = models.PositiveBigIntegerField(default=0)
    paid_rupiah = models.PositiveBigIntegerField(default=0)
    stripe_invoice_id = models.CharField(max_length=64, blank=True)
    finalised_by_email = models.EmailField(blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "tenant__name"]
        constraints = [
            # The monthly run is idempotent: one live invoice per regency and month.
            models.UniqueConstraint(
                fields=["tenant", "period_start"],
                condition=~Q(status="void"),
                name="invoice_one_per_tenant_month",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="invoice_issued_has_number"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_rupiah__gte=models.F("credited_rupiah") + models.F("paid_rupiah")
                ),
                name="invoice_not_overpaid",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.number or f"draft {self.tenant_id} {self.period_start:%Y-%m}"

    @property
    def balance_rupiah(self) -> int:
        return self.total_rupiah - self.credited_rupiah - self.paid_rupiah

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class InvoiceLine(models.Model):
    """One line as billed: the amount is stored, never recomputed from the book."""

    class Kind(models.TextChoices):
        INSTALLATION = "installation", _("Installation")
        SUBSCRIPTION = "subscription", _("Subscription")
        USAGE = "usage", _("Usage")
        SUPPORT = "support", _("Support beyond included hours")
        EXPENSE = "expense", _("On-site visit costs")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=300)
    quantity = models.PositiveBigIntegerField()
    unit = models.CharField(max_length=20)
    unit_price_rupiah = models.PositiveBigIntegerField()
    amount_rupiah = models.PositiveBigIntegerField()
    taxable = models.BooleanField(default=True)
    module_code = models.CharField(max_length=40, blank=True)
    meter = models.CharField(max_length=60, blank=True)
    site_visit = models.ForeignKey(
        "billing.SiteVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )

    class Meta:
        ordering = ["invoice_id", "position"]

    def __str__(self) -> str:
        return self.description


class InvoiceTransition(models.Model):
    """One status move of an invoice: who, when, why (append-only)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Invoice.Status.choices)
    to_status = models.CharField(max_length=16, choices=Invoice.Status.choices)
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class NumberSequence(models.Model):
    """The last number given in a series and year. Locked FOR UPDATE by the
    transaction that takes the next number, so a rolled-back finalisation gives its
    number back and numbers have no gaps."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last_number}"


class CreditNote(models.Model):
    """A correction to an issued invoice: it lowers what the regency owes.
    Append-only; numbered in its own gapless series."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=30, unique=True)
    amount_rupiah = models.PositiveBigIntegerField()
    reason = models.TextField()
    issued_on = models.DateField()
    created_by_email = models.EmailField(blank=True)
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_rupiah__gt=0), name="credit_note_positive")
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """Money received against an invoice (append-only). Partial payments are
    allowed; more than the balance is refused."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        STRIPE = "stripe", _("Stripe")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount_rupiah = models.PositiveBigIntegerField()
    received_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices)
    reference = models.CharField(max_length=120, blank=True)
    # Set by automated sources (a Stripe event id) so a repeated delivery is a no-op.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    recorded_by_email = models.EmailField(blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_rupiah__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_rupiah} on {self.received_on}"


class InvoiceRun(models.Model):
    """One execution of the monthly run, for the console's history."""

    period_start = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    drafted = models.PositiveIntegerField(default=0)
    redrafted = models.PositiveIntegerField(default=0)
    skipped_issued = models.PositiveIntegerField(default=0)
    removed_empty = models.PositiveIntegerField(default=0)
    triggered_by_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.period_start:%Y-%m} at {self.started_at:%Y-%m-%d %H:%M}"


class BillingPolicy(models.Model):
    """Payment terms and dunning, set by finance. One row (pk=1)."""

    payment_terms_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("reminders, days overdue"),
    )
    suspend_after_days = models.PositiveSmallIntegerField(
        _("suspend after, days overdue"),
        default=60,
        help_text=_("The grace period: a regency is suspended this many days after a due date."),
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=40, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=150, blank=True)
    updated_by_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    DEFAULT_REMINDER_DAYS = (7, 14, 30)

    def __str__(self) -> str:
        return "billing policy"


class DunningReminder(models.Model):
    """A reminder level reached by an overdue invoice; each level is sent once."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    days_overdue = models.PositiveSmallIntegerField()
    sent_to = models.EmailField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "days_overdue"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} +{self.days_overdue}d"


class BillingSuspension(models.Model):
    """A suspension dunning made; lifted (and the regency reactivated) once
    nothing is overdue beyond the grace period."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.PROTECT, related_name="billing_suspensions"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(lifted_at__isnull=True),
                name="billing_suspension_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} since {self.created_at:%Y-%m-%d}"

"""The price book (versioned) and the subscriptions it prices.

Imported by billing.models, which is where Django registers them."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PriceBookVersion(models.Model):
    """One edition of Sragen's prices. A draft is edited; a published version is
    frozen (the database refuses changes to it and its prices), and invoices
    copy its amounts into their lines, so a new edition never alters an invoice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(
        _("effective from"),
        help_text=_("Invoices for months starting on or after this day use this version."),
    )
    tax_rate_bp = models.PositiveIntegerField(
        _("PPN rate (basis points)"),
        default=1100,
        validators=[MaxValueValidator(10_000)],
        help_text=_("1100 = 11 %."),
    )
    support_hour_rupiah = models.PositiveBigIntegerField(
        _("support beyond included hours, per hour"), default=0
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_by_email = models.EmailField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(status="published"),
                name="price_book_one_published_per_day",
            ),
            models.CheckConstraint(
                condition=Q(tax_rate_bp__lte=10_000), name="price_book_tax_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ModulePrice(models.Model):
    """What a module costs in one price-book version."""

    version = models.ForeignKey(
        PriceBookVersion, on_delete=models.CASCADE, related_name="module_prices"
    )
    module_code = models.CharField(_("module"), max_length=40)
    installation_rupiah = models.PositiveBigIntegerField(_("installation (one-off)"), default=0)
    monthly_rupiah = models.PositiveBigIntegerField(_("subscription per month"), default=0)
    yearly_rupiah = models.PositiveBigIntegerField(_("subscription per year"), default=0)
    included_support_hours = models.PositiveIntegerField(
        _("support hours included per month"), default=0
    )

    class Meta:
        ordering = ["module_code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "module_code"], name="module_price_unique")
        ]

    def __str__(self) -> str:
        return f"{self.module_code} @ {self.version_id}"


class MeterPrice(models.Model):
    """The fee for one unit of a usage meter (`permits.issued`) in one version."""

    version = models.ForeignKey(
        PriceBookVersion, on_delete=models.CASCADE, related_name="meter_prices"
    )
    meter = models.CharField(_("meter"), max_length=60)
    unit_rupiah = models.PositiveBigIntegerField(_("price per unit"), default=0)

    class Meta:
        ordering = ["meter"]
        constraints = [
            models.UniqueConstraint(fields=["version", "meter"], name="meter_price_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meter} @ {self.version_id}"


class Subscription(models.Model):
    """A regency's subscription to a module, from `starts_on` to `ends_on` (both
    days included; open-ended while `ends_on` is empty). Kept in step with the
    regency's entitlements: enabling a module opens one, disabling it ends it."""

    class Plan(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.PROTECT, related_name="subscriptions"
    )
    module_code = models.CharField(_("module"), max_length=40)
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices, default=Plan.MONTHLY)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    charge_installation = models.BooleanField(
        _("charge the installation fee"),
        default=True,
        help_text=_("Billed once, in the invoice for the month the subscription starts."),
    )
    created_by_email = models.EmailField(blank=True)
    ended_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenant_id", "module_code", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "module_code"],
                condition=Q(ends_on__isnull=True),
                name="subscription_one_open_per_module",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="subscription_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.module_code} from {self.starts_on}"

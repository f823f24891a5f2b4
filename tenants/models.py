from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import (
    validate_domain,
    validate_regency_code,
    validate_tenant_slug,
    validate_time_zone,
)

TEMPLATE_SCHEMA = "tenant_template"


class TenantQuerySet(models.QuerySet["Tenant"]):
    def regencies(self) -> "TenantQuerySet":
        """Every real regency, leaving out the template schema's row."""
        return self.filter(is_template=False)


class Tenant(TenantMixin):
    """A partner regency (or city) with its own PostgreSQL schema.

    One extra row, `is_template`, owns the template schema that provisioning clones;
    it is a tenant row so that `migrate_schemas` keeps it current."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        PROVISIONING = "provisioning", _("Provisioning")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")
        DELETED = "deleted", _("Deleted")

    LIVE_STATUSES = (Status.PROVISIONING, Status.ACTIVE)

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(
        _("slug"), max_length=30, unique=True, validators=[validate_tenant_slug]
    )
    region_code = models.CharField(
        _("Kemendagri region code"),
        max_length=5,
        blank=True,
        validators=[validate_regency_code],
    )
    province = models.CharField(_("province"), max_length=80, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROSPECT
    )
    is_template = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by tenants.services and the provisioning pipeline, which
    # validate first and clean up on failure; never implicitly from save().
    auto_create_schema = False
    auto_drop_schema = False

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One live instance per regency; a restored copy waits suspended until the
            # original is archived or deleted.
            models.UniqueConstraint(
                fields=["region_code"],
                condition=Q(status__in=["provisioning", "active"]),
                name="tenant_one_live_instance_per_region",
            ),
            models.CheckConstraint(
                condition=Q(is_template=True) | ~Q(region_code=""),
                name="tenant_region_code_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def serves_requests(self) -> bool:
        return self.status == self.Status.ACTIVE


class Domain(DomainMixin):
    """A host name that routes to a tenant. DomainMixin makes `domain` unique, so a
    domain belongs to one tenant only. A reserved domain (`is_active=False`) holds
    the name during provisioning but does not route yet."""

    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "domain"]

    def clean(self) -> None:
        validate_domain(self.domain)


class Entitlement(models.Model):
    """A module a regency may use: its row exists exactly while it is enabled."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="entitlements")
    module_code = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "module_code"], name="entitlement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tenant.slug}:{self.module_code}"


class EntitlementChange(models.Model):
    """Every enable and disable of a module, for the audit trail and for billing,
    which keeps subscriptions in step with it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="entitlement_log")
    module_code = models.CharField(max_length=40)
    enabled = models.BooleanField()
    actor_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.module_code}={'on' if self.enabled else 'off'}"


class TenantTransition(models.Model):
    """One lifecycle move of a tenant: who, when, why."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Tenant.Status.choices)
    to_status = models.CharField(max_length=16, choices=Tenant.Status.choices)
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ProvisioningRun(models.Model):
    """One attempt to turn a prospect into a running instance."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")
        SUCCEEDED = "succeeded", _("Succeeded")
        CANCELLED = "cancelled", _("Cancelled")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="provisioning_runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    admin_email = models.EmailField()
    admin_name = models.CharField(max_length=150)
    domains = models.JSONField(default=list)
    reference_csv = models.TextField(blank=True)
    requested_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(status__in=["running", "failed"]),
                name="provisioning_one_open_run_per_tenant",
            )
        ]

    def __str__(self) -> str:
        return f"provisioning #{self.pk} ({self.status})"


class ProvisioningStep(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(ProvisioningRun, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "name"], name="provisioning_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class TenantExport(models.Model):
    """A tenant's schema dump and files, one archive in storage."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="exports")
    path = models.CharField(max_length=300)
    size_bytes = models.BigIntegerField(default=0)
    table_checksums = models.JSONField(default=dict)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.path


class SupportAccessGrant(models.Model):
    """Time-limited permission for one engineer to enter one regency's site."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="support_grants")
    engineer_email = models.EmailField()
    engineer_name = models.CharField(max_length=150)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_email = models.EmailField(blank=True)
    # The nonce of the one entry link not yet used (entry links work once).
    entry_nonce = models.CharField(max_length=32, blank=True)
    last_entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.engineer_email} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, moment: "datetime") -> bool:
        return self.revoked_at is None and self.expires_at > moment


class TemplateSnapshot(models.Model):
    """The template schema's SQL at one migration state, replayed to create tenants."""

    fingerprint = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.fingerprint[:12]

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import (
    validate_domain,
    validate_regency_code,
    validate_tenant_slug,
    validate_time_zone,
)


class Tenant(TenantMixin):
    """A partner regency (or city) with its own PostgreSQL schema."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        PROVISIONING = "provisioning", _("Provisioning")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")
        DELETED = "deleted", _("Deleted")

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(
        _("slug"), max_length=30, unique=True, validators=[validate_tenant_slug]
    )
    region_code = models.CharField(
        _("Kemendagri region code"), max_length=5, unique=True, validators=[validate_regency_code]
    )
    province = models.CharField(_("province"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROSPECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by tenants.services, which validates first and cleans up
    # on failure; never implicitly from save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def serves_requests(self) -> bool:
        return self.status == self.Status.ACTIVE


class Domain(DomainMixin):
    """A host name that routes to a tenant. DomainMixin makes `domain` unique."""

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

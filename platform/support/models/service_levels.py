"""Service levels: plans with targets per priority, which plan each regency has,
and the holidays the desk's business hours skip."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class SupportPlan(models.Model):
    """A support plan: first-response and resolution targets per priority, in
    business minutes. Exactly one plan is the default for regencies without one."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_default = models.BooleanField(_("default plan"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="support_plan_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceTarget(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (business minutes)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "priority"], name="service_target_unique"),
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gt=0)
                & models.Q(resolution_minutes__gte=models.F("first_response_minutes")),
                name="service_target_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}:{self.priority}"


class TenantSupportPlan(models.Model):
    """The plan a regency has; a regency without a row has the default plan."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="support_plan")
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="tenants")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tenant_id} -> {self.plan.code}"


class Holiday(models.Model):
    """A day the desk is closed: a national holiday or a cuti bersama day, as set
    by the ministers' joint decree (SKB 3 Menteri) each year."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local holiday")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def clean(self) -> None:
        if not self.name.strip():
            raise ValidationError({"name": _("Name the holiday.")})

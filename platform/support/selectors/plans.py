"""Reads for the service-level screens: plans with their targets, which plan
each regency has, and the desk's holidays by year."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from support.models import Holiday, Priority, SupportPlan, TenantSupportPlan, Ticket
from support.services.plans import WORKING_DAY_MINUTES, plan_targets
from support.sla import Targets
from tenants.models import Tenant


def business_duration(minutes: int) -> str:
    """Business minutes as people say them: "4 h", "1 working day 2 h 30 min"."""
    days, rest = divmod(minutes, WORKING_DAY_MINUTES)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts)


@dataclass(frozen=True)
class TargetRow:
    priority: str
    label: str
    first_response_minutes: int
    resolution_minutes: int

    @property
    def first_response_text(self) -> str:
        return business_duration(self.first_response_minutes)

    @property
    def resolution_text(self) -> str:
        return business_duration(self.resolution_minutes)


def target_rows(targets: dict[str, Targets]) -> list[TargetRow]:
    return [
        TargetRow(
            priority=priority,
            label=str(Priority(priority).label),
            first_response_minutes=targets[priority].first_response_minutes,
            resolution_minutes=targets[priority].resolution_minutes,
        )
        for priority in Priority.values
    ]


@dataclass(frozen=True)
class RegencyPlanRow:
    tenant: Tenant
    plan: SupportPlan | None
    explicit: bool  # False: no plan of its own, so the default plan
    open_tickets: int


def regency_plans() -> list[RegencyPlanRow]:
    """Every regency with the plan its tickets are measured against."""
    default = SupportPlan.objects.filter(is_default=True).first()
    assigned = {row.tenant_id: row.plan for row in TenantSupportPlan.objects.select_related("plan")}
    tenants = Tenant.objects.regencies().annotate(
        open_tickets=Count("support_tickets", filter=Q(support_tickets__status__in=Ticket.ACTIVE))
    )
    return [
        RegencyPlanRow(
            tenant=tenant,
            plan=assigned.get(tenant.pk, default),
            explicit=tenant.pk in assigned,
            open_tickets=tenant.open_tickets,
        )
        for tenant in tenants.order_by("name")
    ]


@dataclass(frozen=True)
class PlanRow:
    plan: SupportPlan
    targets: list[TargetRow]
    regencies: list[RegencyPlanRow]


def plan_overview() -> list[PlanRow]:
    regencies = regency_plans()
    return [
        PlanRow(
            plan=plan,
            targets=target_rows(plan_targets(plan)),
            regencies=[row for row in regencies if row.plan is not None and row.plan.pk == plan.pk],
        )
        for plan in SupportPlan.objects.prefetch_related("targets")
    ]


def holiday_years(today: date) -> list[int]:
    """Years that have holidays, plus this year and the next (to add to)."""
    stored = (
        Holiday.objects.annotate(year=ExtractYear("date")).values_list("year", flat=True).distinct()
    )
    return sorted({*stored, today.year, today.year + 1})


def holidays_in(year: int) -> list[Holiday]:
    return list(Holiday.objects.filter(date__year=year).order_by("date"))

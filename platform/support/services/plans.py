"""Engineers' writes on service-level plans: creating a plan, changing its
targets, and giving a regency a plan. Audited in the public schema.

A change applies to the regency's open tickets too (support/services/deadlines.py):
their deadlines move to the new targets, keeping the business time already used.
The clocks read the current plan whenever they run (sla.targets_for), so leaving
open tickets on the old deadlines would mix two plans in one ticket's figures."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.audit import audit_record
from support.business_hours import sragen_calendar
from support.lifecycle import Actor
from support.models import Priority, ServiceTarget, Side, SupportPlan, TenantSupportPlan, Ticket
from support.services.deadlines import Rules, tickets_retime
from support.sla import FALLBACK_TARGETS, Targets, plan_for
from tenants.models import Tenant

WORKING_DAY_MINUTES = 510
# A year of working days: longer targets mean nothing, and the business-hours
# arithmetic walks day by day.
MAX_TARGET_MINUTES = 250 * WORKING_DAY_MINUTES
PlanTargets = Mapping[str, Targets]


def target_field(priority: str, clock: str) -> str:
    """The form field (and error key) of one target: `<priority>_<clock>`,
    clock being "first_response" or "resolution"."""
    return f"{priority}_{clock}"


def _engineer_only(actor: Actor) -> None:
    if actor.side != Side.ENGINEER:
        raise ValidationError(_("Only Sragen's engineers can do this."))


def plan_targets(plan: SupportPlan | None) -> dict[str, Targets]:
    """The plan's targets per priority; a missing row has the fallback, as the
    clocks do (sla.targets_for)."""
    stored = {
        target.priority: Targets(target.first_response_minutes, target.resolution_minutes)
        for target in (plan.targets.all() if plan is not None else [])
    }
    return {
        priority: stored.get(priority) or Targets(*FALLBACK_TARGETS[priority])
        for priority in Priority.values
    }


def targets_validate(targets: PlanTargets) -> None:
    """Every priority has a first response of at least one business minute and a
    resolution no shorter than it; errors are keyed by `target_field`."""
    errors: dict[str, list[str]] = {}
    for priority in Priority.values:
        target = targets.get(priority)
        label = Priority(priority).label
        first_key = target_field(priority, "first_response")
        resolution_key = target_field(priority, "resolution")
        if target is None:
            errors[first_key] = [_("Give the %(priority)s targets.") % {"priority": label}]
            continue
        for key, minutes in (
            (first_key, target.first_response_minutes),
            (resolution_key, target.resolution_minutes),
        ):
            if minutes < 1:
                errors[key] = [_("Give at least one business minute.")]
            elif minutes > MAX_TARGET_MINUTES:
                errors[key] = [
                    _("At most %(max)d business minutes (a year of working days).")
                    % {"max": MAX_TARGET_MINUTES}
                ]
        both_given = resolution_key not in errors and first_key not in errors
        if both_given and target.resolution_minutes < target.first_response_minutes:
            errors[resolution_key] = [
                _(
                    "The resolution target (%(resolution)d min) cannot be shorter than "
                    "the first response (%(first)d min)."
                )
                % {
                    "resolution": target.resolution_minutes,
                    "first": target.first_response_minutes,
                }
            ]
    if errors:
        raise ValidationError(errors)


def _name_clean(name: str, *, exclude_pk: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Name the plan.")]})
    taken = SupportPlan.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"name": [_("There is already a plan named “%(name)s”.") % {"name": name}]}
        )
    return name


def _unique_code(name: str) -> str:
    base = slugify(name)[:26] or "plan"
    code, number = base, 2
    used = set(SupportPlan.objects.filter(code__startswith=base).values_list("code", flat=True))
    while code in used:
        code = f"{base}-{number}"
        number += 1
    return code


def _targets_detail(targets: PlanTargets) -> dict[str, list[int]]:
    return {p: [t.first_response_minutes, t.resolution_minutes] for p, t in targets.items()}


def _targets_save(plan: SupportPlan, targets: PlanTargets) -> None:
    for priority in Priority.values:
        target = ServiceTarget.objects.filter(plan=plan, priority=priority).first() or (
            ServiceTarget(plan=plan, priority=priority)
        )
        target.first_response_minutes = targets[priority].first_response_minutes
        target.resolution_minutes = targets[priority].resolution_minutes
        target.full_clean()
        target.save()


def plan_create(*, actor: Actor, name: str, targets: PlanTargets) -> SupportPlan:
    """A new plan with a target for every priority. Its code is made from the
    name once; no regency has it until one is given it."""
    _engineer_only(actor)
    targets_validate(targets)
    with transaction.atomic():
        name = _name_clean(name, exclude_pk=None)
        plan = SupportPlan(code=_unique_code(name), name=name, is_default=False)
        plan.full_clean()
        plan.save()
        _targets_save(plan, targets)
        audit_record(
            action="support.plan.created",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"plan:{plan.code}",
            detail={"name": plan.name, "targets": _targets_detail(targets)},
        )
    return plan


@dataclass(frozen=True)
class PlanChange:
    plan: SupportPlan
    tickets_moved: list[int]


def _tickets_on(plan: SupportPlan) -> "QuerySet[Ticket]":
    """Tickets of the regencies that have `plan`, including, for the default
    plan, regencies without a plan of their own."""
    assigned = TenantSupportPlan.objects.values("tenant_id")
    condition = Q(tenant_id__in=assigned.filter(plan=plan))
    if plan.is_default:
        condition |= ~Q(tenant_id__in=assigned)
    return Ticket.objects.filter(condition)


def plan_update(
    *,
    actor: Actor,
    plan: SupportPlan,
    name: str,
    targets: PlanTargets,
    now: datetime | None = None,
) -> PlanChange:
    """Rename the plan and set its targets; the open tickets of its regencies
    get deadlines for the new targets."""
    _engineer_only(actor)
    targets_validate(targets)
    now = now or timezone.now()
    with transaction.atomic():
        # One change to a plan at a time: the next one starts from this one's targets.
        plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        name = _name_clean(name, exclude_pk=plan.pk)
        before = plan_targets(plan)
        after = {p: targets[p] for p in Priority.values}
        previous_name = plan.name
        plan.name = name
        plan.full_clean()
        plan.save(update_fields=["name"])
        _targets_save(plan, after)
        calendar = sragen_calendar()
        moved = tickets_retime(
            _tickets_on(plan),
            before=lambda t: Rules(before[t.priority], calendar),
            after=lambda t: Rules(after[t.priority], calendar),
            now=now,
        )
        audit_record(
            action="support.plan.updated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"plan:{plan.code}",
            detail={
                "name": {"before": previous_name, "after": plan.name},
                "before": _targets_detail(before),
                "after": _targets_detail(after),
                "tickets": moved,
            },
        )
    return PlanChange(plan=plan, tickets_moved=moved)


@dataclass(frozen=True)
class PlanAssignment:
    tenant: Tenant
    before: SupportPlan | None
    after: SupportPlan
    changed: bool
    tickets_moved: list[int]


def tenant_plan_assign(
    *, actor: Actor, tenant: Tenant, plan: SupportPlan, now: datetime | None = None
) -> PlanAssignment:
    """Give a regency a plan. Its open tickets move to the new plan's targets,
    keeping the business time already used; a breach already recorded stays."""
    _engineer_only(actor)
    if tenant.is_template:
        raise ValidationError({"tenant": [_("Choose a regency.")]})
    now = now or timezone.now()
    with transaction.atomic():
        # Locks the regency's row so that two assignments cannot both start from
        # the same old plan (a regency without a plan has no row of its own).
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        assigned = TenantSupportPlan.objects.filter(tenant=tenant).first()
        before = plan_for(tenant.pk)
        if assigned is not None and assigned.plan_id == plan.pk:
            return PlanAssignment(tenant, before, plan, changed=False, tickets_moved=[])
        if assigned is None:
            assigned = TenantSupportPlan(tenant=tenant)
        assigned.plan = plan
        assigned.full_clean()
        assigned.save()
        old_targets, new_targets = plan_targets(before), plan_targets(plan)
        calendar = sragen_calendar()
        moved = tickets_retime(
            Ticket.objects.filter(tenant=tenant),
            before=lambda t: Rules(old_targets[t.priority], calendar),
            after=lambda t: Rules(new_targets[t.priority], calendar),
            now=now,
        )
        audit_record(
            action="support.plan.assigned",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"tenant:{tenant.slug}",
            detail={
                "from": before.code if before is not None else "",
                "to": plan.code,
                "tickets": moved,
            },
        )
    return PlanAssignment(tenant, before, plan, changed=True, tickets_moved=moved)

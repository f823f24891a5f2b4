"""Subscriptions per regency and module, and what they charge in a month.

Proration rule (docs/decisions/billing.md): a monthly subscription is charged
for the days it is active in the month, both its first and last day included:
monthly fee x days active / days in the month, rounded half up to the rupiah.
A yearly subscription is charged its full yearly fee, in advance, in the month
each subscription year begins (the start date and its anniversaries); it is not
refunded if the subscription ends early. The installation fee is charged once,
in the month the subscription starts, unless the subscription says otherwise
(a module re-enabled after a pause is not installed again)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from billing.document_text import date_id, module_label_id
from billing.models import ModulePrice, Subscription
from billing.money import days_between, prorate
from core.modules import module_codes
from tenants.audit import platform_audit
from tenants.lifecycle import Actor
from tenants.models import Tenant


@dataclass(frozen=True)
class LineDraft:
    """An invoice line before it is saved."""

    kind: str
    description: str
    quantity: int
    unit: str
    unit_price_rupiah: int
    amount_rupiah: int
    taxable: bool = True
    module_code: str = ""
    meter: str = ""
    site_visit_id: int | None = None


def active_days(sub: Subscription, first: datetime.date, last: datetime.date) -> int:
    """Days of [first, last] on which the subscription is active."""
    start = max(sub.starts_on, first)
    end = min(sub.ends_on, last) if sub.ends_on else last
    return days_between(start, end)


def _anniversary(start: datetime.date, years: int) -> datetime.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one
        return start.replace(year=start.year + years, day=28)


def subscription_lines(
    sub: Subscription,
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    price: ModulePrice | None,
) -> list[LineDraft]:
    """What the subscription charges in the month [period_start, period_end]."""
    if price is None:
        return []
    lines: list[LineDraft] = []
    label = module_label_id(sub.module_code)
    if sub.charge_installation and period_start <= sub.starts_on <= period_end:
        lines.append(
            LineDraft(
                kind="installation",
                description=f"Biaya instalasi modul {label}",
                quantity=1,
                unit="paket",
                unit_price_rupiah=price.installation_rupiah,
                amount_rupiah=price.installation_rupiah,
                module_code=sub.module_code,
            )
        )
    if sub.plan == Subscription.Plan.MONTHLY:
        days = active_days(sub, period_start, period_end)
        if days:
            in_month = days_between(period_start, period_end)
            first = max(sub.starts_on, period_start)
            last = min(sub.ends_on, period_end) if sub.ends_on else period_end
            lines.append(
                LineDraft(
                    kind="subscription",
                    description=(
                        f"Langganan bulanan modul {label}, {date_id(first)} s.d. "
                        f"{date_id(last)} ({days}/{in_month} hari)"
                    ),
                    quantity=days,
                    unit="hari",
                    unit_price_rupiah=price.monthly_rupiah,
                    amount_rupiah=prorate(price.monthly_rupiah, days, in_month),
                    module_code=sub.module_code,
                )
            )
    else:
        years = 0
        while (begins := _anniversary(sub.starts_on, years)) <= period_end:
            if begins >= period_start and (sub.ends_on is None or begins <= sub.ends_on):
                until = _anniversary(sub.starts_on, years + 1) - datetime.timedelta(days=1)
                lines.append(
                    LineDraft(
                        kind="subscription",
                        description=(
                            f"Langganan tahunan modul {label}, {date_id(begins)} s.d. "
                            f"{date_id(until)}"
                        ),
                        quantity=1,
                        unit="tahun",
                        unit_price_rupiah=price.yearly_rupiah,
                        amount_rupiah=price.yearly_rupiah,
                        module_code=sub.module_code,
                    )
                )
            years += 1
    return lines


def subscriptions_overlapping(first: datetime.date, last: datetime.date) -> "list[Subscription]":
    """Every subscription active on at least one day of [first, last], all regencies."""
    return list(
        Subscription.objects.filter(starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .order_by("tenant_id", "module_code", "starts_on")
    )


def _validate_no_overlap(
    *, tenant: Tenant, module_code: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> None:
    others = Subscription.objects.filter(tenant=tenant, module_code=module_code).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        others = others.filter(starts_on__lte=ends_on)
    if others.exists():
        raise ValidationError(
            {
                "starts_on": _("%(name)s already subscribes to this module on some of these days.")
                % {"name": tenant.name}
            }
        )


def subscription_create(
    *,
    tenant: Tenant,
    module_code: str,
    starts_on: datetime.date,
    actor: Actor,
    plan: str = Subscription.Plan.MONTHLY,
    ends_on: datetime.date | None = None,
    charge_installation: bool | None = None,
) -> Subscription:
    """A subscription from `starts_on`. The installation fee is charged unless
    the regency subscribed to the module before (or `charge_installation` says)."""
    if module_code not in module_codes():
        raise ValidationError(
            {"module_code": _("There is no module '%(code)s'.") % {"code": module_code}}
        )
    if charge_installation is None:
        charge_installation = not Subscription.objects.filter(
            tenant=tenant, module_code=module_code
        ).exists()
    sub = Subscription(
        tenant=tenant,
        module_code=module_code,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        charge_installation=charge_installation,
        created_by_email=actor.email,
    )
    sub.full_clean()
    with transaction.atomic():
        _validate_no_overlap(
            tenant=tenant, module_code=module_code, starts_on=starts_on, ends_on=ends_on
        )
        sub.save()
        platform_audit(
            action="subscription.create",
            actor_email=actor.email,
            actor_name=actor.name,
            target=tenant.slug,
            detail={"module": module_code, "plan": plan, "starts_on": starts_on.isoformat()},
        )
    return sub


def subscription_end(
    *, subscription: Subscription, ends_on: datetime.date, actor: Actor
) -> Subscription:
    """End an open subscription on `ends_on` (that day is still charged)."""
    if subscription.ends_on is not None:
        raise ValidationError(_("This subscription has already ended."))
    if ends_on < subscription.starts_on:
        raise ValidationError({"ends_on": _("A subscription cannot end before its first day.")})
    with transaction.atomic():
        subscription.ends_on = ends_on
        subscription.ended_by_email = actor.email
        subscription.full_clean()
        subscription.save(update_fields=["ends_on", "ended_by_email"])
        platform_audit(
            action="subscription.end",
            actor_email=actor.email,
            actor_name=actor.name,
            target=subscription.tenant.slug,
            detail={"module": subscription.module_code, "ends_on": ends_on.isoformat()},
        )
    return subscription


def subscription_follow_entitlement(
    *, tenant: Tenant, module_code: str, enabled: bool, on: datetime.date, actor: Actor
) -> Subscription | None:
    """Keep subscriptions in step with an entitlement that was just enabled or
    disabled on the regency's date `on`."""
    open_sub = Subscription.objects.filter(
        tenant=tenant, module_code=module_code, ends_on__isnull=True
    ).first()
    if enabled:
        if open_sub is not None:
            return open_sub
        # Disabled and enabled again the same day: the day is already charged,
        # so the subscription simply goes on.
        same_day = Subscription.objects.filter(
            tenant=tenant, module_code=module_code, ends_on__gte=on
        ).first()
        if same_day is not None:
            same_day.ends_on = None
            same_day.ended_by_email = ""
            same_day.save(update_fields=["ends_on", "ended_by_email"])
            return same_day
        return subscription_create(
            tenant=tenant, module_code=module_code, starts_on=on, actor=actor
        )
    if open_sub is None:
        return None
    return subscription_end(subscription=open_sub, ends_on=max(on, open_sub.starts_on), actor=actor)

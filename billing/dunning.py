"""Dunning: reminders at the days overdue finance configures, suspension after
the grace period, and automatic reactivation once nothing is overdue beyond it.

Rule (docs/decisions/billing.md): an invoice is N days overdue N days after its
due date. When it reaches a reminder day, the regency's billing contact gets one
reminder (levels reached together, after an outage, send one email). On reaching
`suspend_after_days`, the regency is suspended through the tenant lifecycle.
When no invoice of the regency is overdue that long any more (paid, credited or
voided), the suspension dunning made is lifted and the regency reactivated."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.models import (
    BillingCustomer,
    BillingPolicy,
    BillingSuspension,
    DunningReminder,
    Invoice,
)
from billing.money import rupiah
from tenants.audit import platform_audit
from tenants.lifecycle import Actor, TransitionRefused, tenant_transition
from tenants.models import Tenant

logger = logging.getLogger(__name__)

DUNNING = Actor(email="", name="Sukowati (billing)")


def billing_policy() -> BillingPolicy:
    policy, _created = BillingPolicy.objects.get_or_create(
        pk=1, defaults={"reminder_days": list(BillingPolicy.DEFAULT_REMINDER_DAYS)}
    )
    return policy


def billing_policy_update(
    *,
    actor: Actor,
    payment_terms_days: int,
    reminder_days: list[int],
    suspend_after_days: int,
    bank_name: str = "",
    bank_account_number: str = "",
    bank_account_name: str = "",
) -> BillingPolicy:
    days = sorted(set(reminder_days))
    if any(day <= 0 for day in days):
        raise ValidationError(
            {"reminder_days": _("Reminder days are whole days after the due date, 1 or more.")}
        )
    if suspend_after_days <= 0:
        raise ValidationError({"suspend_after_days": _("The grace period is at least one day.")})
    with transaction.atomic():
        policy = BillingPolicy.objects.select_for_update().get(pk=billing_policy().pk)
        policy.payment_terms_days = payment_terms_days
        policy.reminder_days = days
        policy.suspend_after_days = suspend_after_days
        policy.bank_name = bank_name.strip()
        policy.bank_account_number = bank_account_number.strip()
        policy.bank_account_name = bank_account_name.strip()
        policy.updated_by_email = actor.email
        policy.full_clean()
        policy.save()
        platform_audit(
            action="billing.policy",
            actor_email=actor.email,
            actor_name=actor.name,
            target="billing policy",
            detail={
                "payment_terms_days": payment_terms_days,
                "reminder_days": days,
                "suspend_after_days": suspend_after_days,
            },
        )
    return policy


@dataclass
class DunningReport:
    reminded: list[str] = field(default_factory=list)  # invoice numbers
    suspended: list[str] = field(default_factory=list)  # regency slugs
    reactivated: list[str] = field(default_factory=list)


def dunning_run(*, today: datetime.date | None = None) -> DunningReport:
    """Send due reminders, suspend regencies past the grace period, and lift
    suspensions whose invoices are settled. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    policy = billing_policy()
    report = DunningReport()
    overdue = (
        Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES, due_on__lt=today)
        .select_related("tenant")
        .order_by("due_on", "pk")
    )
    for invoice in overdue:
        assert invoice.due_on is not None
        days = (today - invoice.due_on).days
        if _remind(invoice, days, policy):
            report.reminded.append(invoice.number)
        if days >= policy.suspend_after_days and _suspend(invoice, days):
            report.suspended.append(invoice.tenant.slug)
    open_suspensions = BillingSuspension.objects.filter(lifted_at__isnull=True).select_related(
        "tenant"
    )
    for suspension in open_suspensions:
        if billing_suspension_lift_if_settled(tenant=suspension.tenant, today=today):
            report.reactivated.append(suspension.tenant.slug)
    return report


def _remind(invoice: Invoice, days: int, policy: BillingPolicy) -> bool:
    reached = [d for d in policy.reminder_days if d <= days]
    if not reached:
        return False
    with transaction.atomic():
        sent = set(
            DunningReminder.objects.filter(invoice=invoice).values_list("days_overdue", flat=True)
        )
        new = [d for d in reached if d not in sent]
        if not new:
            return False
        customer = BillingCustomer.objects.filter(tenant_id=invoice.tenant_id).first()
        email = customer.email if customer else ""
        DunningReminder.objects.bulk_create(
            [DunningReminder(invoice=invoice, days_overdue=d, sent_to=email) for d in new],
            ignore_conflicts=True,
        )
        platform_audit(
            action="invoice.reminder",
            actor_email=DUNNING.email,
            actor_name=DUNNING.name,
            target=invoice.number,
            detail={"days_overdue": days, "levels": new, "to": email},
        )
        if email:
            invoice_id, level = invoice.pk, max(new)
            transaction.on_commit(lambda: reminder_send(invoice_id=invoice_id, days_overdue=level))
    return True


def reminder_send(*, invoice_id: int, days_overdue: int) -> None:
    """Email one reminder to the regency's billing contact, in Indonesian."""
    invoice = Invoice.objects.select_related("tenant").get(pk=invoice_id)
    customer = BillingCustomer.objects.filter(tenant_id=invoice.tenant_id).first()
    if customer is None or not customer.email:
        return
    policy = billing_policy()
    with translation.override("id"):
        context = {
            "invoice": invoice,
            "customer": customer,
            "days_overdue": days_overdue,
            "balance": rupiah(invoice.balance_rupiah),
            "suspend_after_days": policy.suspend_after_days,
            "policy": policy,
        }
        subject = _("Payment reminder: invoice %(number)s is %(days)s days overdue") % {
            "number": invoice.number,
            "days": days_overdue,
        }
        body = render_to_string("billing/email/reminder.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [customer.email])
    except Exception:
        # The reminder is recorded; a mail outage must not undo the dunning run.
        logger.exception("Could not send the payment reminder for invoice %s", invoice.number)


def _suspend(invoice: Invoice, days: int) -> bool:
    tenant = invoice.tenant
    if tenant.status != Tenant.Status.ACTIVE:
        return False
    if BillingSuspension.objects.filter(tenant=tenant, lifted_at__isnull=True).exists():
        return False
    try:
        with transaction.atomic():
            tenant_transition(
                tenant=tenant,
                to_status=Tenant.Status.SUSPENDED,
                actor=DUNNING,
                reason=_("Invoice %(number)s is unpaid %(days)s days after its due date.")
                % {"number": invoice.number, "days": days},
            )
            BillingSuspension.objects.create(tenant=tenant, invoice=invoice)
    except TransitionRefused:
        logger.exception("Dunning could not suspend %s", tenant.slug)
        return False
    return True


def tenant_overdue_beyond_grace(tenant: Tenant, today: datetime.date) -> bool:
    limit = today - datetime.timedelta(days=billing_policy().suspend_after_days)
    return Invoice.objects.filter(
        tenant=tenant, status__in=Invoice.OPEN_STATUSES, due_on__lte=limit
    ).exists()


def billing_suspension_lift_if_settled(
    *, tenant: Tenant, today: datetime.date | None = None
) -> bool:
    """Reactivate a regency dunning suspended once nothing is overdue beyond the
    grace period. A suspension an engineer made for another reason is not touched."""
    today = today or timezone.localdate()
    suspension = BillingSuspension.objects.filter(tenant=tenant, lifted_at__isnull=True).first()
    if suspension is None or tenant_overdue_beyond_grace(tenant, today):
        return False
    with transaction.atomic():
        reason = _("The overdue invoices are settled.")
        tenant.refresh_from_db(fields=["status"])
        if tenant.status == Tenant.Status.SUSPENDED:
            try:
                with transaction.atomic():
                    tenant_transition(
                        tenant=tenant, to_status=Tenant.Status.ACTIVE, actor=DUNNING, reason=reason
                    )
            except TransitionRefused as refused:
                logger.warning("Dunning could not reactivate %s: %s", tenant.slug, refused)
                return False
        suspension.lifted_at = timezone.now()
        suspension.lifted_reason = reason
        suspension.save(update_fields=["lifted_at", "lifted_reason"])
    return True

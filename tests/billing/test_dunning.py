"""Dunning: reminders on the configured days overdue, suspension through the
tenant lifecycle after the grace period, reactivation once paid."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from billing.dunning import billing_policy_update, dunning_run
from billing.invoicing.services import credit_note_issue, invoice_finalise, payment_record
from billing.models import BillingCustomer, BillingSuspension, DunningReminder, Invoice
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Tenant
from tests.billing.conftest import FINANCE
from tests.billing.test_invoices import draft_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(price_book) -> Invoice:
    """A finalised invoice of 3.330.000 with reminders at 7, 14 and 30 days and
    suspension at 45 days overdue."""
    billing_policy_update(
        actor=FINANCE, payment_terms_days=30, reminder_days=[14, 7, 30], suspend_after_days=45
    )
    invoice = invoice_finalise(invoice=draft_for("dunned"), actor=FINANCE)
    BillingCustomer.objects.create(
        tenant=invoice.tenant, name=invoice.customer_name, email="keuangan@dunned.test"
    )
    return invoice


def days_after_due(invoice: Invoice, days: int) -> datetime.date:
    assert invoice.due_on is not None
    return invoice.due_on + datetime.timedelta(days=days)


def mine() -> list:
    """The reminders sent to the test regency (the demo's invoices are dunned too)."""
    return [m for m in mail.outbox if m.to == ["keuangan@dunned.test"]]


def test_reminders_go_out_on_the_configured_days_once_each(
    overdue, django_capture_on_commit_callbacks
):
    sent_on = {}
    for days in range(0, 35):
        with django_capture_on_commit_callbacks(execute=True):
            report = dunning_run(today=days_after_due(overdue, days))
        if overdue.number in report.reminded:
            sent_on[days] = len(mine())
    assert sent_on == {7: 1, 14: 2, 30: 3}
    assert overdue.number in mine()[0].subject
    assert set(
        DunningReminder.objects.filter(invoice=overdue).values_list("days_overdue", flat=True)
    ) == {7, 14, 30}


def test_levels_reached_together_send_one_reminder(overdue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(today=days_after_due(overdue, 20))  # the worker was down until day 20
    assert len(mine()) == 1
    assert " 14 " in mine()[0].subject and " 20 " not in mine()[0].subject


def test_no_reminder_for_an_invoice_not_yet_due_or_paid(overdue):
    payment_record(
        invoice=overdue, amount_rupiah=overdue.total_rupiah, received_on=timezone.localdate(),
        actor=FINANCE,
    )  # fmt: skip
    assert overdue.number not in dunning_run(today=days_after_due(overdue, 60)).reminded


@pytest.fixture
def clock(monkeypatch):
    """Set `clock.today` to move the calendar Sragen's code reads."""

    class Clock:
        today = timezone.localdate()

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: Clock.today)
    return Clock


def test_suspended_after_the_grace_period_and_reactivated_once_paid(overdue, clock):
    tenant = overdue.tenant
    clock.today = days_after_due(overdue, 44)
    assert tenant.slug not in dunning_run().suspended
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ACTIVE

    clock.today = days_after_due(overdue, 45)
    report = dunning_run()
    tenant.refresh_from_db()
    assert tenant.slug in report.suspended
    assert tenant.status == Tenant.Status.SUSPENDED
    move = tenant.transitions.get()
    assert (move.from_status, move.to_status) == ("active", "suspended")
    assert overdue.number in move.reason
    clock.today = days_after_due(overdue, 46)
    assert tenant.slug not in dunning_run().suspended  # once

    payment_record(invoice=overdue, amount_rupiah=1_000_000, received_on=clock.today, actor=FINANCE)
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.SUSPENDED  # partly paid is still overdue

    payment_record(
        invoice=overdue, amount_rupiah=overdue.balance_rupiah, received_on=clock.today,
        actor=FINANCE,
    )  # fmt: skip
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ACTIVE
    assert tenant.transitions.order_by("-created_at", "-pk").first().to_status == "active"
    assert BillingSuspension.objects.get(tenant=tenant).lifted_at is not None


def test_a_credit_note_that_settles_the_invoice_reactivates_too(overdue, clock):
    clock.today = days_after_due(overdue, 50)
    dunning_run()
    overdue.tenant.refresh_from_db()
    assert overdue.tenant.status == Tenant.Status.SUSPENDED
    credit_note_issue(
        invoice=overdue, amount_rupiah=overdue.total_rupiah, reason="Dibebaskan", actor=FINANCE
    )
    overdue.tenant.refresh_from_db()
    assert overdue.tenant.status == Tenant.Status.ACTIVE


def test_a_suspension_made_by_an_engineer_is_not_lifted_by_a_payment(overdue):
    tenant = overdue.tenant
    tenant_transition(
        tenant=tenant, to_status=Tenant.Status.SUSPENDED,
        actor=Actor(email="engineer@sukowati.test"), reason="Insiden keamanan",
    )  # fmt: skip
    payment_record(
        invoice=overdue, amount_rupiah=overdue.total_rupiah, received_on=timezone.localdate(),
        actor=FINANCE,
    )  # fmt: skip
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.SUSPENDED

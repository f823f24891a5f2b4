"""Billing's periodic jobs. They run in the public schema, where billing's
tables are."""

import datetime

from celery import shared_task
from django.utils import timezone

from billing.dunning import dunning_run
from billing.invoicing.run import invoice_run
from billing.money import previous_month_start
from billing.seats import seat_snapshot_all
from tenants.lifecycle import Actor


@shared_task
def seat_snapshot_task() -> int:
    """Today's seats of every billed regency (one query over all their schemas);
    returns how many regencies were counted."""
    return len(seat_snapshot_all())


@shared_task
def invoice_run_task(period_start: str = "", actor_email: str = "") -> dict[str, int]:
    """Draft the month's invoices: the month of `period_start` (ISO date), or by
    default the month that just ended (beat runs this on the 1st). Re-running is
    harmless: drafts are replaced, issued invoices left alone."""
    first = (
        datetime.date.fromisoformat(period_start)
        if period_start
        else previous_month_start(timezone.localdate())
    )
    actor = Actor(email=actor_email, name="" if actor_email else "Sukowati (monthly run)")
    report = invoice_run(period_start=first, actor=actor)
    return {
        "drafted": len(report.drafted),
        "redrafted": len(report.redrafted),
        "skipped_issued": len(report.skipped_issued),
    }


@shared_task
def dunning_run_task() -> dict[str, int]:
    """Reminders, suspensions past the grace period, reactivations once paid."""
    report = dunning_run()
    return {
        "reminded": len(report.reminded),
        "suspended": len(report.suspended),
        "reactivated": len(report.reactivated),
    }

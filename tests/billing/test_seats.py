"""Seats for billing: a regency's active staff (not its inactive people, not
Sragen's support users), counted across every regency in one SQL statement and
recorded once per regency per local day."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import SeatSnapshot
from billing.seats import (
    seat_snapshot_all,
    seats_by_tenant,
    seats_count,
    seats_latest,
)
from billing.tasks import seat_snapshot_task
from config.celery import app
from tenants.models import Tenant
from tests.accounts.helpers import new_user

pytestmark = pytest.mark.django_db


def orm_count(slug: str) -> int:
    with schema_context(slug):
        return User.objects.filter(is_active=True, is_support_agent=False).count()


def test_seats_count_active_staff_only(regencies):
    lebak = regencies["lebak"]
    before = seats_count(lebak)

    new_user("lebak")
    inactive = new_user("lebak")
    with schema_context("lebak"):
        User.objects.filter(pk=inactive.pk).update(is_active=False)
        User.objects.create_user(
            "support.eng.at.sukowati.test@support.sukowati.id",
            None,
            full_name="Engineer (Sragen support)",
            is_support_agent=True,
            is_regency_admin=True,
        )

    assert seats_count(lebak) == before + 1
    assert seats_count(lebak) == orm_count("lebak")


def test_every_regency_is_counted_in_one_sql_statement(regencies):
    tenants = list(regencies.values())
    with CaptureQueriesContext(connection) as queries:
        counts = seats_by_tenant(tenants)

    assert len(queries) == 1
    statement = queries[0]["sql"]
    assert statement.count("UNION ALL") == len(tenants) - 1
    for tenant in tenants:
        assert f'"{tenant.schema_name}"."accounts_user"' in statement
        assert counts[tenant.pk] == orm_count(tenant.slug)


def test_the_count_does_not_depend_on_the_current_schema(regencies):
    with schema_context("dumai"):
        from_dumai = seats_by_tenant(list(regencies.values()))
    assert from_dumai == seats_by_tenant(list(regencies.values()))


def test_snapshot_takes_each_billed_regency_on_its_own_calendar_day(regencies):
    # 16:30 UTC on 1 March: 23:30 in Lebak and Dumai (WIB), 00:30 on 2 March in
    # Balangan (WITA).
    at = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    seat_snapshot_all(at=at)

    taken = dict(
        SeatSnapshot.objects.filter(tenant__in=regencies.values()).values_list(
            "tenant__slug", "taken_on"
        )
    )
    assert taken == {
        "lebak": date(2026, 3, 1),
        "dumai": date(2026, 3, 1),
        "balangan": date(2026, 3, 2),
    }
    for slug, tenant in regencies.items():
        assert SeatSnapshot.objects.get(tenant=tenant).active_staff == orm_count(slug)
    assert not SeatSnapshot.objects.filter(tenant__is_template=True).exists()


def test_snapshot_skips_regencies_that_do_not_run(regencies):
    Tenant.objects.filter(pk=regencies["dumai"].pk).update(status=Tenant.Status.ARCHIVED)
    Tenant.objects.filter(pk=regencies["balangan"].pk).update(status=Tenant.Status.SUSPENDED)
    seat_snapshot_all()
    snapshotted = set(SeatSnapshot.objects.values_list("tenant__slug", flat=True))
    assert {"lebak", "balangan"} <= snapshotted
    assert "dumai" not in snapshotted


def test_snapshot_is_idempotent_per_regency_and_day(regencies):
    lebak = regencies["lebak"]
    at = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    seat_snapshot_all(at=at)
    first = SeatSnapshot.objects.get(tenant=lebak)

    new_user("lebak")
    seat_snapshot_all(at=at)

    assert SeatSnapshot.objects.filter(tenant=lebak).count() == 1
    again = SeatSnapshot.objects.get(tenant=lebak)
    assert again.pk == first.pk
    assert again.active_staff == first.active_staff + 1


def test_seats_latest_is_the_newest_day(regencies):
    lebak = regencies["lebak"]
    assert seats_latest(lebak) is None
    seat_snapshot_all(at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    new_user("lebak")
    seat_snapshot_all(at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    latest = seats_latest(lebak)
    assert latest is not None
    assert latest.taken_on == date(2026, 3, 2)
    assert latest.active_staff == orm_count("lebak")


def test_the_daily_task_snapshots_and_is_on_the_beat_schedule(regencies):
    assert seat_snapshot_task() >= 3
    assert SeatSnapshot.objects.filter(tenant__in=regencies.values()).count() == 3
    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "billing.tasks.seat_snapshot_task" in entries

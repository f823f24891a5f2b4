"""The daily digest: each handling officer gets their overdue and nearly due
items, and nobody else's; the beat job fans out to regencies using permits."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django_tenants.utils import tenant_context

from core.db import tenant_connection
from core.workdays import WorkCalendar, local_today
from modules.permits.digest import digest_build, digest_send
from modules.permits.models import Application
from tenants.models import Tenant
from tests.permits.support import (
    service_new,
    staff,
    submit,
    unit_new,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def desk(lebak):
    """A unit's applications: overdue, nearly due, far off, with the applicant,
    and one assigned; and the people around them."""
    with tenant_context(lebak):
        service = service_new()
        unit = service.handling_unit
        today = local_today()
        calendar = WorkCalendar()
        past, soon, later = (
            today - datetime.timedelta(days=10),
            calendar.add(today, 1),
            today + datetime.timedelta(days=60),
        )

        def item(status, due, **extra):
            application = submit(service)
            Application.objects.filter(pk=application.pk).update(
                status=status, legal_due_on=due, **extra
            )
            application.refresh_from_db()
            return application

        people = {
            "technical": staff("technical_team", unit=unit, name="Tim Teknis"),
            "member": staff("technical_team", unit=unit, name="Anggota Tim"),
            "approver": staff("approver", unit=unit, name="Kepala Dinas"),
            "front": staff("front_office", unit=unit, name="Petugas Loket"),
            "elsewhere": staff("technical_team", unit=unit_new(), name="Tim Lain"),
        }
        items = {
            "overdue": item(S.VERIFICATION, past),
            "near": item(S.APPROVAL, soon),
            "far": item(S.VERIFICATION, later),
            "returned": item(S.RETURNED, past),
            "assigned": item(S.RECOMMENDATION, past, assigned_to=people["member"]),
        }
    return {"tenant": lebak, "people": people, "items": items}


def numbers(digest, user) -> set[str]:
    return {entry.application.number for entry in digest.get(user, [])}


def test_the_digest_lists_each_persons_overdue_and_near_items_only(desk):
    people, items = desk["people"], desk["items"]
    with tenant_context(desk["tenant"]):
        digest = digest_build()
    assert numbers(digest, people["technical"]) == {items["overdue"].number}
    assert numbers(digest, people["member"]) == {items["overdue"].number, items["assigned"].number}
    assert numbers(digest, people["approver"]) == {items["near"].number}
    assert numbers(digest, people["front"]) == set()
    assert numbers(digest, people["elsewhere"]) == set()
    overdue_entry = next(
        e for e in digest[people["technical"]] if e.application == items["overdue"]
    )
    assert overdue_entry.overdue and overdue_entry.days >= 1


def test_the_digest_is_emailed_once_a_day_to_the_right_people(desk):
    people, items = desk["people"], desk["items"]
    with tenant_context(desk["tenant"]):
        today = local_today()
        cache.delete_many(
            [f"permits:digest:{today.isoformat()}:{person.pk}" for person in people.values()]
        )
        mail.outbox.clear()
        sent = digest_send()
        again = digest_send()
    mine = {
        next(iter(m.to)): m
        for m in mail.outbox
        if next(iter(m.to)) in {p.email for p in people.values()}
    }
    assert set(mine) == {
        people["technical"].email,
        people["member"].email,
        people["approver"].email,
    }
    assert sent >= 3 and again == 0
    body = mine[people["technical"].email].body
    assert items["overdue"].number in body
    assert items["far"].number not in body and items["returned"].number not in body
    assert "/permits/office/" in body


def test_the_beat_job_queues_a_digest_in_each_active_regency_using_permits(regencies, monkeypatch):
    from modules.permits import tasks
    from tenants.services import entitlement_set
    from tenants.tasks import permits_digest_fanout_task
    from tests.permits.support import entitle

    entitle("lebak")
    entitlement_set(
        tenant=regencies["dumai"],
        module_code="permits",
        enabled=False,
        actor_email="x@sukowati.test",
    )
    queued: list[str] = []

    def record() -> None:
        # The schema the task would carry: the one current when it is queued.
        queued.append(tenant_connection().schema_name)

    monkeypatch.setattr(tasks.overdue_digest_task, "delay", record)
    count = permits_digest_fanout_task()
    expected = set(
        Tenant.objects.filter(
            status=Tenant.Status.ACTIVE, entitlements__module_code="permits"
        ).values_list("schema_name", flat=True)
    )
    assert count == len(queued)
    assert set(queued) == expected
    assert "lebak" in queued and "dumai" not in queued


def test_the_digest_task_runs_in_the_regency_it_was_queued_for(desk):
    from modules.permits.tasks import overdue_digest_task

    with tenant_context(desk["tenant"]):
        cache.delete_many(
            [f"permits:digest:{local_today().isoformat()}:{p.pk}" for p in desk["people"].values()]
        )
        mail.outbox.clear()
        assert overdue_digest_task.run() >= 3
    assert desk["people"]["technical"].email in {m.to[0] for m in mail.outbox}

"""The application state machine: every allowed and forbidden move by role and
scope, what a move records, and issuing (certificate and one billing event)."""

import datetime
import itertools

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from billing.models import UsageEvent
from core.models import AuditEvent
from modules.permits.models import Application, ApplicationTransition, Certificate
from modules.permits.workflow import TransitionRefused, application_transition
from tests.permits.support import (
    grant,
    person,
    service_new,
    staff,
    submit,
    unit_new,
)

pytestmark = pytest.mark.django_db

S = Application.Status
ROLES = ("front_office", "back_office", "technical_team", "approver")
# Written out here, apart from the code's table, so that a change to either is noticed.
ALLOWED: dict[tuple[str, str], set[str]] = {
    (S.SUBMITTED, S.COMPLETENESS): {"front_office"},
    (S.COMPLETENESS, S.VERIFICATION): {"front_office"},
    (S.COMPLETENESS, S.RETURNED): {"front_office"},
    (S.COMPLETENESS, S.REJECTED): {"front_office"},
    (S.RETURNED, S.COMPLETENESS): {"front_office", "applicant"},
    (S.VERIFICATION, S.RECOMMENDATION): {"back_office", "technical_team"},
    (S.VERIFICATION, S.RETURNED): {"back_office", "technical_team"},
    (S.VERIFICATION, S.REJECTED): {"back_office", "technical_team"},
    (S.RECOMMENDATION, S.APPROVAL): {"technical_team"},
    (S.RECOMMENDATION, S.REJECTED): {"technical_team"},
    (S.APPROVAL, S.ISSUED): {"approver"},
    (S.APPROVAL, S.REJECTED): {"approver"},
    (S.ISSUED, S.COMPLETED): {"front_office"},
}


@pytest.fixture
def world(lebak):
    """A service handled by a unit of its own; for each role, one holder whose scope
    covers the application (half by unit, half by kecamatan) and one whose scope
    is another unit and another kecamatan; the applicant; a stranger."""
    from organisation.models import Kecamatan

    with tenant_context(lebak):
        service = service_new()
        here, elsewhere = list(Kecamatan.objects.order_by("code")[:2])
        other_unit = unit_new()
        actors = {}
        for index, role in enumerate(ROLES):
            inside = person(name=f"{role} inside")
            if index % 2:
                grant(inside, role, kecamatan=here)
            else:
                grant(inside, role, unit=service.handling_unit)
            outside = person(name=f"{role} outside")
            grant(outside, role, unit=other_unit)
            grant(outside, role, kecamatan=elsewhere)
            actors[f"{role}:inside"] = inside
            actors[f"{role}:outside"] = outside
        applicant = person(name="Pemohon")
        actors["applicant"] = applicant
        actors["stranger"] = person(name="Orang lain")
        application = submit(service, kecamatan=here, applicant_user=applicant)
    return {"tenant": lebak, "service": service, "application": application, "actors": actors}


def expected(source: str, target: str, actor_key: str) -> bool:
    roles = ALLOWED.get((source, target), set())
    if actor_key == "applicant":
        return "applicant" in roles
    role, _sep, where = actor_key.partition(":")
    return where == "inside" and role in roles


@pytest.mark.parametrize("source", S.values)
def test_every_move_from_each_state_is_allowed_exactly_by_the_table_role_and_scope(world, source):
    application = world["application"]
    with tenant_context(world["tenant"]):
        for target, (key, actor) in itertools.product(S.values, world["actors"].items()):
            Application.objects.filter(pk=application.pk).update(status=source)
            before = ApplicationTransition.objects.filter(application=application).count()
            allowed = expected(source, target, key)
            try:
                application_transition(
                    application=application, to_status=target, actor=actor, reason="Alasan"
                )
            except TransitionRefused:
                moved = False
            else:
                moved = True
            assert moved is allowed, f"{source} -> {target} by {key}"
            application.refresh_from_db()
            if moved:
                assert application.status == target
                last = ApplicationTransition.objects.filter(application=application).last()
                assert last is not None
                assert (last.from_status, last.to_status, last.actor_email) == (
                    source,
                    target,
                    actor.email,
                )
            else:
                assert application.status == source
                assert (
                    ApplicationTransition.objects.filter(application=application).count() == before
                )


def test_a_move_records_who_when_and_why_and_is_audited(world):
    application = world["application"]
    clerk = world["actors"]["front_office:inside"]
    with tenant_context(world["tenant"]):
        application_transition(application=application, to_status=S.COMPLETENESS, actor=clerk)
        transition = application_transition(
            application=application, to_status=S.RETURNED, actor=clerk, reason="KTP buram"
        )
        assert transition.actor_name == "front_office inside"
        assert transition.reason == "KTP buram"
        assert transition.at is not None
        audit = AuditEvent.objects.filter(
            action="permits.application.transition", target=application.number
        ).first()
        assert audit is not None
        assert audit.actor_email == clerk.email
        assert audit.detail == {"from": "completeness", "to": "returned", "reason": "KTP buram"}


def test_returning_or_rejecting_needs_a_reason(world):
    application = world["application"]
    clerk = world["actors"]["front_office:inside"]
    with tenant_context(world["tenant"]):
        application_transition(application=application, to_status=S.COMPLETENESS, actor=clerk)
        for target in (S.RETURNED, S.REJECTED):
            with pytest.raises(TransitionRefused, match="reason"):
                application_transition(
                    application=application, to_status=target, actor=clerk, reason="  "
                )
        application.refresh_from_db()
        assert application.status == S.COMPLETENESS


def test_a_rejection_keeps_its_reason_and_stops_the_clock(world):
    application = world["application"]
    clerk = world["actors"]["front_office:inside"]
    with tenant_context(world["tenant"]):
        application_transition(application=application, to_status=S.COMPLETENESS, actor=clerk)
        application_transition(
            application=application, to_status=S.REJECTED, actor=clerk, reason="Bukan wewenang"
        )
        application.refresh_from_db()
        assert application.rejection_reason == "Bukan wewenang"
        assert application.finished_at is not None
        assert application.working_days_taken >= 1


def test_a_service_can_give_a_step_to_another_role(lebak):
    from organisation.models import Kecamatan

    with tenant_context(lebak):
        service = service_new(step_roles={"verification": "back_office"})
        technical = staff("technical_team", unit=service.handling_unit)
        back = staff("back_office", unit=service.handling_unit)
        application = submit(service, kecamatan=Kecamatan.objects.first())
        Application.objects.filter(pk=application.pk).update(status=S.VERIFICATION)
        with pytest.raises(TransitionRefused):
            application_transition(
                application=application, to_status=S.RECOMMENDATION, actor=technical
            )
        application_transition(application=application, to_status=S.RECOMMENDATION, actor=back)
        application.refresh_from_db()
        assert application.status == S.RECOMMENDATION


def test_an_inactive_person_cannot_move_anything(world):
    clerk = world["actors"]["front_office:inside"]
    clerk.is_active = False
    with tenant_context(world["tenant"]):
        clerk.save()
        with pytest.raises(TransitionRefused):
            application_transition(
                application=world["application"], to_status=S.COMPLETENESS, actor=clerk
            )


def test_issuing_creates_one_certificate_and_one_usage_event_even_when_retried(world):
    application = world["application"]
    approver = world["actors"]["approver:inside"]
    with tenant_context(world["tenant"]):
        Application.objects.filter(pk=application.pk).update(status=S.APPROVAL)
        application_transition(application=application, to_status=S.ISSUED, actor=approver)
        with pytest.raises(TransitionRefused):
            application_transition(application=application, to_status=S.ISSUED, actor=approver)
        assert Certificate.objects.filter(application=application).count() == 1
        events = UsageEvent.objects.filter(idempotency_key=f"permits-issued-lebak-{application.pk}")
        assert events.count() == 1
        assert events.get().meter == "permits.issued"
        application.refresh_from_db()
        assert application.finished_at is not None


def test_a_failed_issue_rolls_back_the_move_and_the_usage_event(world, monkeypatch):
    application = world["application"]
    approver = world["actors"]["approver:inside"]

    def broken(**kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr("modules.permits.certificates.certificate_issue", broken)
    with tenant_context(world["tenant"]):
        Application.objects.filter(pk=application.pk).update(status=S.APPROVAL)
        with pytest.raises(RuntimeError):
            application_transition(application=application, to_status=S.ISSUED, actor=approver)
        application.refresh_from_db()
        assert application.status == S.APPROVAL
        assert not ApplicationTransition.objects.filter(
            application=application, to_status=S.ISSUED
        ).exists()
        assert not UsageEvent.objects.filter(
            idempotency_key=f"permits-issued-lebak-{application.pk}"
        ).exists()


def test_the_clock_stops_while_the_applicant_revises(world, monkeypatch):
    application = world["application"]
    clerk = world["actors"]["front_office:inside"]
    applicant = world["actors"]["applicant"]
    with tenant_context(world["tenant"]):
        application_transition(application=application, to_status=S.COMPLETENESS, actor=clerk)
        application_transition(
            application=application, to_status=S.RETURNED, actor=clerk, reason="Lengkapi NIB"
        )
        application.refresh_from_db()
        due_before = application.legal_due_on
        # Returned three calendar weeks ago: fifteen working days with the applicant.
        ApplicationTransition.objects.filter(application=application, to_status=S.RETURNED).update(
            at=ApplicationTransition.objects.get(application=application, to_status=S.RETURNED).at
            - datetime.timedelta(days=21)
        )
        application_transition(application=application, to_status=S.COMPLETENESS, actor=applicant)
        application.refresh_from_db()
        from core.workdays import WorkCalendar

        gained = WorkCalendar().between(due_before, application.legal_due_on)
        assert 13 <= gained <= 15  # fewer only if holidays fell in those weeks


def test_the_applicant_is_emailed_about_each_move_once_it_is_committed(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from modules.permits import tasks

    monkeypatch.setattr(
        tasks.application_email_task, "delay", lambda pk: tasks.application_email_task.run(pk)
    )
    application = world["application"]
    clerk = world["actors"]["front_office:inside"]
    with tenant_context(world["tenant"]):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            application_transition(application=application, to_status=S.COMPLETENESS, actor=clerk)
            application_transition(
                application=application, to_status=S.RETURNED, actor=clerk, reason="Foto buram"
            )
    assert [m.to for m in mail.outbox] == [["siti@contoh.test"], ["siti@contoh.test"]]
    assert "Foto buram" in mail.outbox[1].body
    assert application.tracking_code in mail.outbox[1].body

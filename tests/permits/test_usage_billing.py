"""Exactly one `permits.issued` usage event per issued certificate, recorded in
the issuing transaction: a retried issuing step counts once, and an issuing step
that fails leaves neither a certificate nor an event."""

import pytest
from django.db import transaction

from billing.models import UsageEvent
from modules.permits.certificates import certificate_issue
from modules.permits.models import Certificate
from modules.permits.workflow import application_transition
from tenants.models import Tenant
from tests.permits.helpers_public import (
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
    staff_with_role,
)


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


def events_for(application) -> list[UsageEvent]:
    return list(UsageEvent.objects.filter(idempotency_key=f"permits-issued-lebak-{application.pk}"))


def test_issuing_twice_returns_the_same_certificate_and_counts_once():
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        application = application_make(service=service_make(), status=S.APPROVAL)
        first = certificate_issue(application=application, actor=approver)
        again = certificate_issue(application=application, actor=approver)
        assert again.pk == first.pk and again.number == first.number
        assert Certificate.objects.filter(application=application).count() == 1
    events = events_for(application)
    assert len(events) == 1
    event = events[0]
    assert (event.meter, event.quantity) == ("permits.issued", 1)
    assert event.tenant == Tenant.objects.get(slug="lebak")
    assert event.source == f"permits:{application.number}"


def test_failed_issuing_transaction_leaves_no_event_and_no_certificate():
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        application = application_make(service=service_make(), status=S.APPROVAL)
        with pytest.raises(RuntimeError), transaction.atomic():
            certificate_issue(application=application, actor=approver)
            raise RuntimeError("the step failed after issuing")
        assert not Certificate.objects.filter(application=application).exists()
    assert events_for(application) == []


def test_retry_after_a_failed_attempt_counts_once():
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        application = application_make(service=service_make(), status=S.APPROVAL)
        with pytest.raises(RuntimeError), transaction.atomic():
            certificate_issue(application=application, actor=approver)
            raise RuntimeError("first attempt lost")
        certificate_issue(application=application, actor=approver)
        certificate_issue(application=application, actor=approver)
    assert len(events_for(application)) == 1


def test_workflow_issue_records_one_event_and_a_failing_move_records_none(monkeypatch):
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        service = service_make()
        done = application_make(service=service, status=S.APPROVAL)
        application_transition(application=done, to_status=S.ISSUED, actor=approver)
        assert Certificate.objects.filter(application=done).exists()

        failing = application_make(service=service, status=S.APPROVAL)

        def audit_fails(**kwargs):
            raise RuntimeError("audit log unavailable")

        monkeypatch.setattr("modules.permits.workflow.audit_record", audit_fails)
        with pytest.raises(RuntimeError):
            application_transition(application=failing, to_status=S.ISSUED, actor=approver)
        failing.refresh_from_db()
        assert failing.status == S.APPROVAL
        assert not Certificate.objects.filter(application=failing).exists()
    assert len(events_for(done)) == 1
    assert events_for(failing) == []


def test_each_regency_counts_its_own_certificates():
    with in_regency("dumai"):
        approver = staff_with_role("approver")
        application = application_make(service=service_make(), status=S.APPROVAL)
        certificate_issue(application=application, actor=approver)
    event = UsageEvent.objects.get(idempotency_key=f"permits-issued-dumai-{application.pk}")
    assert event.tenant.slug == "dumai"

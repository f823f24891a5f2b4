"""Inboxes: each step's items for the roles and scope of the signed-in person,
filters, overdue flags, assignment, comments, the application page (personal
data audited) and a query count that does not grow with the inbox."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.models import AuditEvent
from modules.permits.models import Application
from tests.permits.support import (
    person,
    service_new,
    signed_in,
    staff,
    submit,
    unit_new,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def office(lebak):
    """A service handled by a unit of its own, and applications in several steps."""
    with schema_context("lebak"):
        service = service_new(name="Izin Kotak Masuk")
        apps = {}
        for status in (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL):
            application = submit(service)
            Application.objects.filter(pk=application.pk).update(status=status)
            apps[status] = application
    return {"service": service, "unit": service.handling_unit, "apps": apps}


def numbers_in(response) -> set[str]:
    page = response.content.decode()
    return {number for number in _all_numbers() if f'data-number="{number}"' in page}


_NUMBERS: set[str] = set()


def _all_numbers() -> set[str]:
    return _NUMBERS


@pytest.fixture(autouse=True)
def _known_numbers(office):
    _NUMBERS.clear()
    _NUMBERS.update(a.number for a in office["apps"].values())


@pytest.mark.parametrize(
    ("role", "statuses"),
    [
        ("front_office", {S.SUBMITTED, S.COMPLETENESS}),
        ("back_office", {S.VERIFICATION}),
        ("technical_team", {S.VERIFICATION, S.RECOMMENDATION}),
        ("approver", {S.APPROVAL}),
    ],
)
def test_each_role_sees_the_steps_it_handles_in_its_unit(office, role, statuses):
    with schema_context("lebak"):
        user = staff(role, unit=office["unit"])
    response = signed_in("lebak", user).get("/permits/office/")
    assert response.status_code == 200
    assert numbers_in(response) == {office["apps"][s].number for s in statuses}


def test_a_kecamatan_scope_sees_the_applications_of_that_kecamatan(office):
    with schema_context("lebak"):
        kecamatan = office["apps"][S.SUBMITTED].kecamatan
        user = staff("front_office", kecamatan=kecamatan)
    assert numbers_in(signed_in("lebak", user).get("/permits/office/")) == {
        office["apps"][S.SUBMITTED].number,
        office["apps"][S.COMPLETENESS].number,
    }


def test_staff_of_another_unit_see_none_of_them(office):
    with schema_context("lebak"):
        user = staff("front_office", unit=unit_new())
    assert numbers_in(signed_in("lebak", user).get("/permits/office/")) == set()


def test_people_without_a_permit_role_have_no_inbox(office):
    with schema_context("lebak"):
        user = person()
    assert signed_in("lebak", user).get("/permits/office/").status_code == 403


def test_filters_by_step_service_number_and_assignment(office):
    with schema_context("lebak"):
        user = staff("front_office", unit=office["unit"])
        Application.objects.filter(pk=office["apps"][S.COMPLETENESS].pk).update(assigned_to=user)
    client = signed_in("lebak", user)
    submitted, completeness = office["apps"][S.SUBMITTED], office["apps"][S.COMPLETENESS]
    assert numbers_in(client.get("/permits/office/?status=submitted")) == {submitted.number}
    assert numbers_in(client.get("/permits/office/?mine=on")) == {completeness.number}
    assert numbers_in(client.get(f"/permits/office/?q={submitted.number}")) == {submitted.number}
    assert numbers_in(client.get(f"/permits/office/?service={office['service'].pk}")) == {
        submitted.number,
        completeness.number,
    }


def test_overdue_items_are_flagged_and_can_be_filtered(office):
    with schema_context("lebak"):
        user = staff("front_office", unit=office["unit"])
        late = office["apps"][S.SUBMITTED]
        Application.objects.filter(pk=late.pk).update(
            legal_due_on=datetime.date(2024, 1, 5), target_due_on=datetime.date(2024, 1, 3)
        )
    client = signed_in("lebak", user)
    page = client.get("/permits/office/").content.decode()
    row = page[page.index(f'data-number="{late.number}"') - 40 :]
    assert 'data-overdue="1"' in row[:200]
    assert numbers_in(client.get("/permits/office/?overdue=on")) == {late.number}


def page_queries(captured) -> list[str]:
    """The page's own queries, without host routing's (cached, refreshed at times)."""
    routing = ("tenants_domain", "tenants_entitlement", "SET search_path")
    return [q["sql"] for q in captured.captured_queries if not any(r in q["sql"] for r in routing)]


def test_the_inbox_costs_the_same_number_of_queries_for_5_or_40_items(office):
    with schema_context("lebak"):
        user = staff("front_office", unit=office["unit"])
    client = signed_in("lebak", user)
    client.get("/permits/office/")  # warm caches (routing, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get("/permits/office/")
    with schema_context("lebak"):
        for _ in range(35):
            submit(office["service"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/permits/office/")
    assert response.status_code == 200
    assert len(page_queries(many)) == len(page_queries(few))
    assert len(page_queries(many)) <= 16  # one of them: the menu's role lookup


def test_the_application_page_shows_personal_data_and_audits_the_view(office):
    application = office["apps"][S.COMPLETENESS]
    with schema_context("lebak"):
        user = staff("front_office", unit=office["unit"])
    response = signed_in("lebak", user).get(f"/permits/office/a/{application.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert application.applicant_nik in page
    assert "Jl. Multatuli 7" in page
    assert 'data-move="verification"' in page and 'data-move="returned"' in page
    with schema_context("lebak"):
        event = AuditEvent.objects.get(action="personal_data.viewed", actor_email=user.email)
        assert event.target == application.number


def test_the_application_page_is_hidden_from_staff_outside_its_scope(office):
    application = office["apps"][S.COMPLETENESS]
    with schema_context("lebak"):
        user = staff("front_office", unit=unit_new())
    assert signed_in("lebak", user).get(f"/permits/office/a/{application.pk}/").status_code == 404
    with schema_context("lebak"):
        assert not AuditEvent.objects.filter(
            action="personal_data.viewed", actor_email=user.email
        ).exists()


def test_a_button_moves_the_application_and_a_refused_move_says_why(office):
    application = office["apps"][S.COMPLETENESS]
    with schema_context("lebak"):
        clerk = staff("front_office", unit=office["unit"])
    client = signed_in("lebak", clerk)
    response = client.post(
        f"/permits/office/a/{application.pk}/move/", {"to_status": "approval"}, follow=True
    )
    assert "cannot move" in response.content.decode()
    client.post(f"/permits/office/a/{application.pk}/move/", {"to_status": "verification"})
    with schema_context("lebak"):
        application.refresh_from_db()
        assert application.status == S.VERIFICATION


def test_an_item_is_assigned_to_someone_who_handles_its_step(office):
    application = office["apps"][S.VERIFICATION]
    with schema_context("lebak"):
        lead = staff("technical_team", unit=office["unit"], name="Ketua Tim")
        member = staff("technical_team", unit=office["unit"], name="Anggota Tim")
        clerk = staff("front_office", unit=office["unit"], name="Petugas Loket")
    client = signed_in("lebak", lead)
    page = client.get(f"/permits/office/a/{application.pk}/").content.decode()
    assert "Anggota Tim" in page and "Petugas Loket" not in page
    client.post(f"/permits/office/a/{application.pk}/assign/", {"assignee": member.pk})
    with schema_context("lebak"):
        application.refresh_from_db()
        assert application.assigned_to == member
    response = client.post(
        f"/permits/office/a/{application.pk}/assign/", {"assignee": clerk.pk}, follow=True
    )
    assert "does not handle this step" in response.content.decode()
    with schema_context("lebak"):
        application.refresh_from_db()
        assert application.assigned_to == member
    # A person who does not act on the step cannot assign it.
    signed_in("lebak", clerk).post(f"/permits/office/a/{application.pk}/assign/", {"assignee": ""})
    with schema_context("lebak"):
        application.refresh_from_db()
        assert application.assigned_to == member


def test_comments_are_kept_and_shown_inert(office):
    application = office["apps"][S.VERIFICATION]
    with schema_context("lebak"):
        user = staff("technical_team", unit=office["unit"])
    client = signed_in("lebak", user)
    client.post(
        f"/permits/office/a/{application.pk}/comment/", {"body": "<img src=x onerror=alert(1)>"}
    )
    page = client.get(f"/permits/office/a/{application.pk}/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page

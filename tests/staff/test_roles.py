"""Regency admins give and take away roles, each with a scope, and the admin
role itself; every change is audited."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from accounts.models import User
from core.models import AuditEvent
from staff.models import RoleAssignment
from staff.services import Actor
from staff.services_roles import (
    regency_admin_grant,
    regency_admin_revoke,
    role_assign,
    role_revoke,
)
from tests.accounts.helpers import client_at
from tests.staff.helpers_roles import (
    regency_admin,
    signed_in,
    staff_member,
    two_kecamatan,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(regencies) -> User:
    return regency_admin("lebak")


@pytest.fixture
def client(admin):
    return signed_in("lebak", admin)


def actor_of(user: User) -> Actor:
    return Actor(email=user.email, name=user.full_name)


def assignments_of(user: User) -> list[tuple[str, str, str]]:
    with schema_context("lebak"):
        return list(RoleAssignment.objects.filter(user=user).values_list("module", "role", "scope"))


def last_event(action: str) -> AuditEvent:
    with schema_context("lebak"):
        return AuditEvent.objects.filter(action=action).latest("id")


# --- who may use the screens ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/roles/", "/staff/{pk}/roles/"])
def test_staff_who_are_not_admins_get_403(regencies, path):
    person = staff_member("lebak")
    response = signed_in("lebak", person).get(path.format(pk=person.pk))
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(regencies):
    response = client_at("lebak.localhost").get("/staff/roles/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_non_admin_cannot_assign_by_posting_either(regencies):
    person = staff_member("lebak")
    target = staff_member("lebak")
    response = signed_in("lebak", person).post(
        f"/staff/{target.pk}/roles/", {"role": "permits:approver", "scope": "regency"}
    )
    assert response.status_code == 403
    assert assignments_of(target) == []


# --- the overview ----------------------------------------------------------------------


def test_overview_lists_every_modules_roles_with_their_holders_and_scopes(client):
    kec_a, _kec_b = two_kecamatan("lebak")
    holder = staff_member("lebak", full_name="Rina Kusumawati")
    with schema_context("lebak"):
        RoleAssignment.objects.create(
            user=holder, module="ktp", role="verifier", scope="kecamatan", kecamatan=kec_a
        )
    html = client.get("/staff/roles/").content.decode()

    for label in ("One-stop permits", "Front office", "Approver", "Kantaya", "Unit admin"):
        assert label in html
    assert "Regency admin" in html
    assert 'data-testid="requires-mfa"' in html
    assert "Rina Kusumawati" in html
    assert f"Kecamatan: {kec_a.name}" in html


def test_overview_filters_by_module_role_work_unit_and_kecamatan(client):
    kec_a, kec_b = two_kecamatan("lebak")
    health = unit("lebak", "DINKES")
    in_a = staff_member("lebak", full_name="Officer Kecamatan A")
    in_b = staff_member("lebak", full_name="Officer Kecamatan B")
    nurse = staff_member("lebak", full_name="Officer Dinkes")
    with schema_context("lebak"):
        RoleAssignment.objects.create(
            user=in_a, module="permits", role="front_office", scope="kecamatan", kecamatan=kec_a
        )
        RoleAssignment.objects.create(
            user=in_b, module="permits", role="front_office", scope="kecamatan", kecamatan=kec_b
        )
        RoleAssignment.objects.create(
            user=nurse, module="kantaya", role="staff", scope="work_unit", work_unit=health
        )

    by_kecamatan = client.get("/staff/roles/", {"kecamatan": kec_a.pk}).content.decode()
    assert "Officer Kecamatan A" in by_kecamatan
    assert "Officer Kecamatan B" not in by_kecamatan
    assert "Officer Dinkes" not in by_kecamatan

    by_unit = client.get("/staff/roles/", {"work_unit": health.pk}).content.decode()
    assert "Officer Dinkes" in by_unit
    assert "Officer Kecamatan A" not in by_unit

    by_module = client.get("/staff/roles/", {"module": "kantaya"}).content.decode()
    assert "Officer Dinkes" in by_module
    assert "Officer Kecamatan A" not in by_module
    assert 'data-testid="role-permits-front_office"' not in by_module
    assert 'data-testid="role-kantaya-staff"' in by_module

    by_role = client.get("/staff/roles/", {"role": "permits:front_office"}).content.decode()
    assert "Officer Kecamatan A" in by_role and "Officer Kecamatan B" in by_role
    assert "Officer Dinkes" not in by_role


# --- one person's roles ---------------------------------------------------------------


def test_person_page_offers_roles_grouped_by_module_and_flags_those_requiring_mfa(client):
    person = staff_member("lebak", full_name="Bambang Sutrisno")
    html = client.get(f"/staff/{person.pk}/roles/").content.decode()
    assert "Bambang Sutrisno" in html
    assert '<optgroup label="One-stop permits">' in html
    assert '<optgroup label="KTP service">' in html
    assert "Approver (requires two-factor sign-in)" in html
    assert 'value="permits:front_office"' in html


def test_assigning_a_role_over_a_work_unit_is_saved_and_audited(client, admin):
    person = staff_member("lebak")
    service = unit("lebak", "DPMPTSP-YAN")
    response = client.post(
        f"/staff/{person.pk}/roles/",
        {"role": "permits:back_office", "scope": "work_unit", "work_unit": service.pk},
    )
    assert response.status_code == 302
    assert assignments_of(person) == [("permits", "back_office", "work_unit")]

    event = last_event("role.assigned")
    assert event.actor_email == admin.email
    assert event.target == person.email
    assert event.detail == {
        "module": "permits",
        "role": "back_office",
        "scope": "work_unit",
        "work_unit": "DPMPTSP-YAN",
        "kecamatan": "",
    }
    page = client.get(f"/staff/{person.pk}/roles/").content.decode()
    assert "Back office" in page
    assert f"Work unit: {service.name}" in page


def test_revoking_a_role_removes_it_and_is_audited(client, admin):
    kec_a, _kec_b = two_kecamatan("lebak")
    person = staff_member("lebak")
    with schema_context("lebak"):
        assignment = RoleAssignment.objects.create(
            user=person, module="ktp", role="operator", scope="kecamatan", kecamatan=kec_a
        )
    response = client.post(f"/staff/{person.pk}/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert assignments_of(person) == []

    event = last_event("role.revoked")
    assert (event.actor_email, event.target) == (admin.email, person.email)
    assert event.detail["module"] == "ktp"
    assert event.detail["role"] == "operator"
    assert event.detail["kecamatan"] == kec_a.code


def test_revoke_is_post_only(client):
    person = staff_member("lebak")
    with schema_context("lebak"):
        assignment = RoleAssignment.objects.create(
            user=person, module="ktp", role="operator", scope="regency"
        )
    assert client.get(f"/staff/{person.pk}/roles/{assignment.pk}/revoke/").status_code == 405
    assert len(assignments_of(person)) == 1


def test_a_duplicate_assignment_is_a_clear_error_not_a_crash(client):
    person = staff_member("lebak")
    data = {"role": "kantaya:supervisor", "scope": "regency"}
    assert client.post(f"/staff/{person.pk}/roles/", data).status_code == 302
    response = client.post(f"/staff/{person.pk}/roles/", data)
    assert response.status_code == 400
    assert "already holds this role over this scope" in response.content.decode()
    assert len(assignments_of(person)) == 1


def test_the_scope_names_its_work_unit_or_kecamatan(client):
    person = staff_member("lebak")
    no_unit = client.post(
        f"/staff/{person.pk}/roles/", {"role": "permits:back_office", "scope": "work_unit"}
    )
    assert no_unit.status_code == 400
    assert "Choose the work unit this role covers." in no_unit.content.decode()
    no_kecamatan = client.post(
        f"/staff/{person.pk}/roles/", {"role": "permits:back_office", "scope": "kecamatan"}
    )
    assert "Choose the kecamatan this role covers." in no_kecamatan.content.decode()
    assert assignments_of(person) == []


def test_a_regency_scope_ignores_a_stray_work_unit(admin, regencies):
    person = staff_member("lebak")
    with schema_context("lebak"):
        assignment = role_assign(
            user=person,
            module="permits",
            role="front_office",
            scope="regency",
            work_unit=unit("lebak", "DINKES"),
            actor=actor_of(admin),
        )
        assert assignment.work_unit is None


def test_only_active_staff_can_be_given_roles(client):
    person = staff_member("lebak", active=False)
    page = client.get(f"/staff/{person.pk}/roles/").content.decode()
    assert 'data-testid="inactive-notice"' in page
    response = client.post(
        f"/staff/{person.pk}/roles/", {"role": "permits:front_office", "scope": "regency"}
    )
    assert response.status_code == 400
    assert "only active staff can be given roles" in response.content.decode()
    assert assignments_of(person) == []


def test_a_role_no_module_declares_is_refused(admin, regencies):
    person = staff_member("lebak")
    with schema_context("lebak"), pytest.raises(ValidationError) as raised:
        role_assign(
            user=person, module="permits", role="mayor", scope="regency", actor=actor_of(admin)
        )
    assert "role" in raised.value.message_dict
    with schema_context("lebak"), pytest.raises(ValidationError):
        role_assign(
            user=person, module="nope", role="staff", scope="regency", actor=actor_of(admin)
        )
    assert assignments_of(person) == []


def test_support_users_are_not_the_regencys_to_manage(client):
    with schema_context("lebak"):
        agent = User.objects.create_user(
            "support.x@support.sukowati.id", None, full_name="Support", is_support_agent=True
        )
    assert client.get(f"/staff/{agent.pk}/roles/").status_code == 404


def test_revoking_twice_is_harmless_and_audited_once(admin, regencies):
    person = staff_member("lebak")
    with schema_context("lebak"):
        assignment = RoleAssignment.objects.create(
            user=person, module="ktp", role="supervisor", scope="regency"
        )
        before = AuditEvent.objects.filter(action="role.revoked", target=person.email).count()
        role_revoke(assignment=assignment, actor=actor_of(admin))
        role_revoke(assignment=assignment, actor=actor_of(admin))
        after = AuditEvent.objects.filter(action="role.revoked", target=person.email).count()
    assert after - before == 1


# --- the regency admin role ----------------------------------------------------------------


def test_making_someone_an_admin_is_audited_as_a_platform_role(client, admin):
    person = staff_member("lebak")
    page = client.get(f"/staff/{person.pk}/roles/").content.decode()
    assert "Requires two-factor sign-in" in page
    assert client.post(f"/staff/{person.pk}/roles/admin/grant/").status_code == 302
    with schema_context("lebak"):
        assert User.objects.get(pk=person.pk).is_regency_admin
    event = last_event("role.assigned")
    assert event.target == person.email
    assert event.detail == {"module": "platform", "role": "regency_admin", "scope": "regency"}


def test_removing_another_admin_is_audited(client, admin):
    other = regency_admin("lebak")
    assert client.post(f"/staff/{other.pk}/roles/admin/revoke/").status_code == 302
    with schema_context("lebak"):
        assert not User.objects.get(pk=other.pk).is_regency_admin
    event = last_event("role.revoked")
    assert (event.actor_email, event.target) == (admin.email, other.email)
    assert event.detail["role"] == "regency_admin"


def test_an_admin_cannot_remove_their_own_admin_role(client, admin):
    page = client.get(f"/staff/{admin.pk}/roles/").content.decode()
    assert 'data-testid="admin-self"' in page
    response = client.post(f"/staff/{admin.pk}/roles/admin/revoke/", follow=True)
    assert "You cannot remove your own admin role" in response.content.decode()
    with schema_context("lebak"):
        assert User.objects.get(pk=admin.pk).is_regency_admin


def test_the_last_active_admin_cannot_be_removed(admin, regencies):
    other = regency_admin("lebak")
    with schema_context("lebak"):
        # Only `admin` and `other` remain admins, and `other` is inactive.
        User.objects.filter(is_regency_admin=True).exclude(pk__in=[admin.pk, other.pk]).update(
            is_regency_admin=False
        )
        User.objects.filter(pk=other.pk).update(is_active=False)
        with pytest.raises(ValidationError, match="at least one active admin"):
            regency_admin_revoke(user=admin, actor=actor_of(other))
        assert User.objects.get(pk=admin.pk).is_regency_admin
        # With a second active admin it can be done.
        User.objects.filter(pk=other.pk).update(is_active=True)
        regency_admin_revoke(user=admin, actor=actor_of(other))
        assert not User.objects.get(pk=admin.pk).is_regency_admin


def test_an_inactive_person_cannot_be_made_admin(admin, regencies):
    person = staff_member("lebak", active=False)
    with schema_context("lebak"), pytest.raises(ValidationError):
        regency_admin_grant(user=person, actor=actor_of(admin))

"""Offboarding: deactivating a person ends their sessions at once, revokes what
is pending, keeps their roles and history on record, and can be undone."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tenants.utils import schema_context

from accounts.models import Invitation, User, UserSession
from core.models import AuditEvent
from staff.models import RoleAssignment, StaffProfile
from staff.permissions import permission_scope
from staff.services import Actor, staff_deactivate, staff_invite
from tests.accounts.helpers import PASSWORD, client_at, sign_in
from tests.conftest import admin_email
from tests.staff.helpers_people import ADMIN, person_create

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs or None, urlconf="config.urls_tenant")


def _signed_in_by_password(user: User):
    client = client_at("lebak.localhost")
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    assert client.get("/").wsgi_request.user == user
    return client


def test_deactivation_ends_a_live_session_at_once(admin_client, staff_user):
    victim = _signed_in_by_password(staff_user)
    session_key = victim.session.session_key
    with schema_context("lebak"):
        assert Session.objects.filter(session_key=session_key).exists()
        assert UserSession.objects.filter(user=staff_user, session_key=session_key).exists()

    response = admin_client.post(_url("staff_deactivate", pk=staff_user.pk))

    assert response.status_code == 302
    assert not victim.get("/").wsgi_request.user.is_authenticated
    with schema_context("lebak"):
        assert not Session.objects.filter(session_key=session_key).exists()
        assert not UserSession.objects.filter(user=staff_user).exists()


def test_every_session_of_the_person_ends(admin_client, staff_user):
    phone = _signed_in_by_password(staff_user)
    laptop = _signed_in_by_password(staff_user)

    admin_client.post(_url("staff_deactivate", pk=staff_user.pk))

    assert not phone.get("/").wsgi_request.user.is_authenticated
    assert not laptop.get("/").wsgi_request.user.is_authenticated


def test_a_deactivated_person_cannot_sign_in(admin_client, staff_user):
    admin_client.post(_url("staff_deactivate", pk=staff_user.pk))
    client = client_at("lebak.localhost")
    sign_in(client, staff_user.email, PASSWORD)
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_deactivation_keeps_roles_and_history_but_they_give_nothing(admin_client, staff_user):
    with schema_context("lebak"):
        RoleAssignment.objects.create(
            user=staff_user, module="ktp", role="operator", scope="regency"
        )
        history = AuditEvent.objects.filter(target=staff_user.email).count()

    admin_client.post(_url("staff_deactivate", pk=staff_user.pk))

    with schema_context("lebak"):
        staff_user.refresh_from_db()
        assert not staff_user.is_active
        assert RoleAssignment.objects.filter(user=staff_user).count() == 1
        assert permission_scope(staff_user, module="ktp", roles=["operator"]).is_empty
        assert AuditEvent.objects.filter(target=staff_user.email).count() == history + 1
        event = AuditEvent.objects.filter(action="staff.deactivated").latest("pk")
        profile = StaffProfile.objects.get(user=staff_user)
    assert (event.actor_email, event.target) == (admin_email("lebak"), staff_user.email)
    assert profile.deactivated_at is not None
    assert profile.deactivated_by_email == admin_email("lebak")


def test_deactivation_revokes_a_pending_invitation(admin_client):
    person = person_create()
    with schema_context("lebak"):
        staff_invite(user=person, host="lebak.localhost", actor=ADMIN)

    admin_client.post(_url("staff_deactivate", pk=person.pk))

    with schema_context("lebak"):
        assert Invitation.objects.get(user=person).revoked_at is not None


def test_reactivation_lets_the_person_back_in_with_their_roles(admin_client, staff_user):
    with schema_context("lebak"):
        RoleAssignment.objects.create(
            user=staff_user, module="ktp", role="operator", scope="regency"
        )
    admin_client.post(_url("staff_deactivate", pk=staff_user.pk))

    response = admin_client.post(_url("staff_reactivate", pk=staff_user.pk))

    assert response.status_code == 302
    with schema_context("lebak"):
        staff_user.refresh_from_db()
        assert staff_user.is_active
        assert StaffProfile.objects.get(user=staff_user).deactivated_at is None
        assert not permission_scope(staff_user, module="ktp", roles=["operator"]).is_empty
        assert AuditEvent.objects.filter(action="staff.reactivated", target=staff_user.email)
    assert _signed_in_by_password(staff_user)


def test_an_admin_cannot_deactivate_themselves(admin_client, lebak_admin):
    response = admin_client.post(_url("staff_deactivate", pk=lebak_admin.pk), follow=True)

    assert "You cannot deactivate yourself" in response.content.decode()
    with schema_context("lebak"):
        lebak_admin.refresh_from_db()
        assert lebak_admin.is_active


def test_the_last_active_admin_cannot_be_deactivated(lebak_admin):
    with schema_context("lebak"):
        assert list(
            User.objects.filter(is_regency_admin=True, is_active=True).values_list("pk", flat=True)
        ) == [lebak_admin.pk]
        with pytest.raises(ValidationError, match="last active admin"):
            staff_deactivate(user=lebak_admin, actor=Actor(email="someone@lebak.test"))
        lebak_admin.refresh_from_db()
        assert lebak_admin.is_active


def test_another_admin_can_deactivate_an_admin(second_admin_client, lebak_admin):
    response = second_admin_client.post(_url("staff_deactivate", pk=lebak_admin.pk))
    assert response.status_code == 302
    with schema_context("lebak"):
        lebak_admin.refresh_from_db()
        assert not lebak_admin.is_active


def test_signing_out_removes_the_session_from_the_index(staff_user):
    client = _signed_in_by_password(staff_user)
    key = client.session.session_key
    client.post("/accounts/logout/")
    with schema_context("lebak"):
        assert not UserSession.objects.filter(session_key=key).exists()

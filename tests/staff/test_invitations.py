"""Invitations: sent through a Celery task once the transaction commits, resent
and counted, expiring with PASSWORD_RESET_TIMEOUT, revoked for good, and
accepted by choosing a password."""

import datetime

import pytest
from allauth.account.forms import default_token_generator
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Invitation, User
from core.models import AuditEvent
from staff.services import staff_invite
from tests.accounts.helpers import client_at
from tests.staff.helpers_people import ADMIN, accept, invitation_path, person_create

pytestmark = pytest.mark.django_db

HOST = "lebak.localhost"


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs or None, urlconf="config.urls_tenant")


def _invite(admin_client, person: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url("staff_invite", pk=person.pk))
    assert response.status_code == 302


def _invitation(person: User) -> Invitation:
    with schema_context("lebak"):
        return Invitation.objects.filter(user=person).latest("pk")


def test_invitation_waits_for_the_commit_and_goes_through_the_task(
    sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    with schema_context("lebak"), django_capture_on_commit_callbacks() as callbacks:
        staff_invite(user=person, host=HOST, actor=ADMIN)
        assert sent_invitations == []
        assert mail.outbox == []

    assert len(callbacks) == 1
    with schema_context("lebak"):
        callbacks[0]()
    assert sent_invitations == [(person.pk, HOST, ADMIN.email)]
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    invitation = _invitation(person)
    assert (invitation.sent_count, invitation.invited_by_email) == (1, ADMIN.email)


def test_create_with_send_now_invites_the_person(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    with schema_context("lebak"):
        from organisation.models import WorkUnit

        unit = WorkUnit.objects.get(code="DISDUKCAPIL")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            _url("staff_create"),
            {
                "full_name": "Wulan Puspitasari",
                "email": "wulan.undangan@lebak.test",
                "nip": "",
                "work_unit": unit.pk,
                "send_invitation": "on",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["wulan.undangan@lebak.test"]]
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="invitation.sent", target="wulan.undangan@lebak.test"
        ).exists()


def test_accepting_sets_the_password_and_marks_the_invitation_accepted(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)

    response = accept(client_at(HOST), invitation_path(person.email), "Pelayanan-baru-2026")

    assert response.status_code == 302
    with schema_context("lebak"):
        person.refresh_from_db()
        assert person.check_password("Pelayanan-baru-2026")
        assert AuditEvent.objects.filter(action="invitation.accepted", target=person.email)
    invitation = _invitation(person)
    assert invitation.accepted_at is not None
    assert invitation.status == Invitation.Status.ACCEPTED


def test_link_works_once(admin_client, sent_invitations, django_capture_on_commit_callbacks):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    path = invitation_path(person.email)
    accept(client_at(HOST), path)

    again = client_at(HOST).get(path, follow=True)

    assert again.context["token_fail"]


def test_resend_sends_again_and_counts(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    _invite(admin_client, person, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]
    with schema_context("lebak"):
        assert Invitation.objects.filter(user=person).count() == 1
        actions = list(
            AuditEvent.objects.filter(target=person.email, action__startswith="invitation.")
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions == ["invitation.sent", "invitation.resent"]
    invitation = _invitation(person)
    assert invitation.sent_count == 2
    page = admin_client.get(_url("staff_detail", pk=person.pk)).content.decode()
    assert 'data-testid="invitation-sent-count">2<' in page
    # The second link works as well as the first.
    assert accept(client_at(HOST), invitation_path(person.email)).status_code == 302


def test_invitation_older_than_the_timeout_shows_expired_with_a_resend_button(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with schema_context("lebak"):
        Invitation.objects.filter(user=person).update(last_sent_at=long_ago)

    page = admin_client.get(_url("staff_detail", pk=person.pk)).content.decode()

    assert _invitation(person).status == Invitation.Status.EXPIRED
    assert 'data-testid="invitation-status">Expired<' in page
    assert 'data-testid="invitation-send">Send again<' in page


def test_expired_link_is_refused(
    admin_client, sent_invitations, django_capture_on_commit_callbacks, monkeypatch
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    path = invitation_path(person.email)
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = accept(client_at(HOST), path)

    assert response.status_code == 200
    assert response.context["token_fail"]
    with schema_context("lebak"):
        person.refresh_from_db()
        assert not person.has_usable_password()


def test_revocation_kills_the_link(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    path = invitation_path(person.email)

    response = admin_client.post(_url("staff_invitation_revoke", pk=person.pk))

    assert response.status_code == 302
    invitation = _invitation(person)
    assert invitation.revoked_at is not None
    opened = client_at(HOST).get(path, follow=True)
    assert opened.context["token_fail"]
    with schema_context("lebak"):
        person.refresh_from_db()
        assert not person.has_usable_password()
        assert AuditEvent.objects.filter(action="invitation.revoked", target=person.email)


def test_revoked_invitee_gets_no_link_through_forgot_password(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    admin_client.post(_url("staff_invitation_revoke", pk=person.pk))
    mail.outbox.clear()

    response = client_at(HOST).post("/accounts/password/reset/", {"email": person.email})

    assert response.status_code == 302
    assert mail.outbox == []


def test_a_queued_email_is_not_sent_after_revocation(admin_client, sent_invitations, monkeypatch):
    """The admin revokes before the worker gets to the email: nothing goes out."""
    from staff.tasks import invitation_send_task

    person = person_create()
    with schema_context("lebak"):
        staff_invite(user=person, host=HOST, actor=ADMIN)  # on_commit never runs here
    admin_client.post(_url("staff_invitation_revoke", pk=person.pk))

    with schema_context("lebak"):
        assert invitation_send_task.apply(args=(person.pk, HOST, ADMIN.email)).get() is False
    assert mail.outbox == []


def test_reinviting_after_revocation_gives_a_working_link(
    admin_client, sent_invitations, django_capture_on_commit_callbacks
):
    person = person_create()
    _invite(admin_client, person, django_capture_on_commit_callbacks)
    admin_client.post(_url("staff_invitation_revoke", pk=person.pk))
    _invite(admin_client, person, django_capture_on_commit_callbacks)

    assert accept(client_at(HOST), invitation_path(person.email)).status_code == 302
    with schema_context("lebak"):
        assert Invitation.objects.filter(user=person, revoked_at__isnull=False).count() == 1
        assert Invitation.objects.filter(user=person, accepted_at__isnull=False).count() == 1


def test_someone_who_set_a_password_is_not_invited_again(admin_client, sent_invitations):
    person = person_create(password=True)

    response = admin_client.post(_url("staff_invite", pk=person.pk), follow=True)

    assert "has already set a password" in response.content.decode()
    with schema_context("lebak"):
        assert not Invitation.objects.filter(user=person).exists()

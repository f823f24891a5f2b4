"""The staff people screens, their export and the invitation task stay inside
the regency: another regency's people cannot be reached by their id, exports
hold only the regency's own staff, and an invitation is sent from the schema it
was queued in."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Invitation, User
from staff.models import StaffProfile
from staff.tasks import invitation_send_task
from tests.accounts.helpers import client_at
from tests.conftest import admin_email
from tests.workers import Worker, outside_test_transaction, wait_for

GET_URLS = ["staff_detail", "staff_edit"]
POST_URLS = [
    "staff_edit",
    "staff_invite",
    "staff_invitation_revoke",
    "staff_deactivate",
    "staff_reactivate",
]


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs or None, urlconf="config.urls_tenant")


def _lebak_admin_client():
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(User.objects.get(email=admin_email("lebak")))
    return client


@pytest.fixture
def balangan_person(db: None) -> User:
    """A Balangan staff member whose id does not exist in Lebak's schema."""
    with schema_context("lebak"):
        beyond_lebak = (
            User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1000
    with schema_context("balangan"):
        user = User.objects.create(
            pk=beyond_lebak,
            email="rahasia.balangan@balangan.test",
            full_name="Rahasia Balangan",
        )
        StaffProfile.objects.create(user=user, nip="198503172010011002")
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_URLS)
def test_another_regencys_person_is_not_found_by_id(balangan_person, name):
    response = _lebak_admin_client().get(_url(name, pk=balangan_person.pk))
    assert response.status_code == 404
    assert "Rahasia Balangan" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_URLS)
def test_actions_on_another_regencys_person_are_not_found(balangan_person, name):
    response = _lebak_admin_client().post(
        _url(name, pk=balangan_person.pk), {"full_name": "Diubah", "email": "x@lebak.test"}
    )
    assert response.status_code == 404
    with schema_context("balangan"):
        person = User.objects.get(pk=balangan_person.pk)
        assert (person.full_name, person.is_active) == ("Rahasia Balangan", True)
        assert not Invitation.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_search_and_export_hold_only_the_regencys_own_staff(balangan_person):
    client = _lebak_admin_client()

    found = client.get(_url("staff_list"), {"q": "Rahasia"}).context["rows"]
    exported = client.get(_url("staff_export"), {"include_nip": "on"}).content.decode("utf-8-sig")

    assert found == []
    assert "@lebak.test" in exported
    for other in ("@balangan.test", "@dumai.test", "Rahasia Balangan", "198503172010011002"):
        assert other not in exported
    with schema_context("lebak"):
        lebak_people = User.objects.filter(is_support_agent=False).count()
    assert len(exported.strip().splitlines()) == lebak_people + 1


def _invitation_sent(schema: str, user_id: int) -> Invitation | None:
    with schema_context(schema):
        return Invitation.objects.filter(user_id=user_id, last_sent_at__isnull=False).first()


@pytest.fixture
def open_invitations(db: None):
    """The demo staff member with the same id in Lebak and in Dumai (two different
    people), each turned into an invitee (no password yet, an open invitation not
    sent), committed so that the worker sees them; put back afterwards."""
    with schema_context("lebak"):
        lebak_user = User.objects.filter(email__endswith="@lebak.test", is_regency_admin=False)
        user_id = lebak_user.order_by("pk").values_list("pk", flat=True)[0]
    passwords = {}
    for schema in ("lebak", "dumai"):
        with schema_context(schema):
            passwords[schema] = User.objects.get(pk=user_id).password
    now = timezone.now()
    with outside_test_transaction() as cursor:
        for schema in ("lebak", "dumai"):
            cursor.execute(
                f'UPDATE "{schema}".accounts_user SET password = %s WHERE id = %s',
                ["!invited-in-a-test", user_id],
            )
            cursor.execute(
                f'INSERT INTO "{schema}".accounts_invitation '
                "(user_id, email, invited_by_email, created_at, sent_count) "
                f'SELECT id, email, %s, %s, 0 FROM "{schema}".accounts_user WHERE id = %s',
                [admin_email(schema), now, user_id],
            )
    yield user_id
    with outside_test_transaction() as cursor:
        for schema in ("lebak", "dumai"):
            cursor.execute(
                f'DELETE FROM "{schema}".accounts_invitation '
                "WHERE user_id = %s AND created_at = %s",
                [user_id, now],
            )
            cursor.execute(
                f'UPDATE "{schema}".accounts_user SET password = %s WHERE id = %s',
                [passwords[schema], user_id],
            )


@pytest.mark.worker
def test_invitation_task_runs_in_the_schema_it_was_queued_in(
    celery_worker_session: Worker, open_invitations: int
):
    user_id = open_invitations
    with schema_context("lebak"):
        invitation_send_task.delay(user_id, "lebak.localhost", admin_email("lebak"))

    sent = wait_for(lambda: _invitation_sent("lebak", user_id), worker=celery_worker_session)

    assert sent.sent_count == 1
    assert _invitation_sent("dumai", user_id) is None
    log = celery_worker_session.log.read_text()
    assert "http://lebak.localhost/accounts/password/reset/key/" in log
    assert "dumai.localhost/accounts/password" not in log

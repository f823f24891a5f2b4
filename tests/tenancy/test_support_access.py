"""Engineers enter a regency only through a time-limited, audited, revocable grant."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from core.models import AuditEvent
from tenants.models import SupportAccessGrant
from tenants.support_access import support_entry_token, support_grant_create
from tests.accounts.helpers import client_at, new_user, sign_in, sign_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer() -> User:
    with schema_context("public"):
        return User.objects.get(email="engineer@sukowati.test")


@pytest.fixture
def grant(regencies, engineer) -> SupportAccessGrant:
    return support_grant_create(
        tenant=regencies["lebak"], engineer=engineer, reason="Tiket #12: gagal cetak", hours=2
    )


def _enter(host: str, token: str):
    client = client_at(host)
    return client, client.get(f"/support-access/enter/{token}/")


def test_entry_link_signs_the_engineer_in_as_a_support_user(grant, engineer):
    client, response = _enter(
        "lebak.localhost", support_entry_token(grant=grant, engineer=engineer)
    )
    assert response.status_code == 302
    user = client.get("/").wsgi_request.user
    assert user.is_support_agent
    assert "Budi Santoso" in user.full_name
    assert not user.has_usable_password()
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="support.enter", actor_email=engineer.email
        ).exists()
    with schema_context("public"):
        assert AuditEvent.objects.filter(action="support.enter", target="lebak").exists()


def test_entry_link_works_once(grant, engineer):
    token = support_entry_token(grant=grant, engineer=engineer)
    _enter("lebak.localhost", token)
    client, response = _enter("lebak.localhost", token)
    assert response.status_code == 403
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_entry_link_for_lebak_is_refused_at_dumai(grant, engineer):
    _client, response = _enter(
        "dumai.localhost", support_entry_token(grant=grant, engineer=engineer)
    )
    assert response.status_code == 403
    with schema_context("dumai"):
        assert not User.objects.filter(is_support_agent=True).exists()


def test_forged_entry_link_is_refused(grant):
    _client, response = _enter("lebak.localhost", "eyJncmFudCI6MX0:forged:signature")
    assert response.status_code == 403


def test_expired_grant_cannot_be_entered(grant, engineer):
    token = support_entry_token(grant=grant, engineer=engineer)
    SupportAccessGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    _client, response = _enter("lebak.localhost", token)
    assert response.status_code == 403


def test_revocation_by_the_regency_admin_signs_the_engineer_out(grant, engineer):
    support, _ = _enter("lebak.localhost", support_entry_token(grant=grant, engineer=engineer))
    assert support.get("/").status_code == 200

    admin = client_at("lebak.localhost")
    sign_in_as(admin, "lebak", "admin@lebak.test")
    page = admin.get("/support-access/")
    assert "Tiket #12: gagal cetak" in page.content.decode()
    assert admin.post(f"/support-access/{grant.pk}/revoke/").status_code == 302

    response = support.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not support.get("/").wsgi_request.user.is_authenticated
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(action="support.revoke").exists()


def test_only_regency_admins_see_the_grants(grant):
    staff = new_user("lebak")
    client = client_at("lebak.localhost")
    sign_in(client, staff.email)
    assert client.get("/support-access/").status_code == 403


def test_lebak_admin_cannot_revoke_a_dumai_grant(regencies, engineer):
    dumai_grant = support_grant_create(
        tenant=regencies["dumai"], engineer=engineer, reason="Migrasi data", hours=1
    )
    admin = client_at("lebak.localhost")
    sign_in_as(admin, "lebak", "admin@lebak.test")
    assert admin.post(f"/support-access/{dumai_grant.pk}/revoke/").status_code == 404
    dumai_grant.refresh_from_db()
    assert dumai_grant.revoked_at is None


@pytest.mark.parametrize(("hours", "reason"), [(0, "x"), (73, "x"), (2, "  ")])
def test_grant_needs_a_reason_and_a_bounded_duration(regencies, engineer, hours, reason):
    with pytest.raises(ValidationError):
        support_grant_create(
            tenant=regencies["lebak"], engineer=engineer, reason=reason, hours=hours
        )


def test_only_platform_engineers_get_grants(regencies):
    someone = new_user("public")
    with pytest.raises(ValidationError):
        support_grant_create(tenant=regencies["lebak"], engineer=someone, reason="x", hours=1)


def test_grants_and_console_revocations_reach_that_regencys_log_only(grant, engineer):
    from tenants.support_access import support_grant_revoke

    # The console revokes from the public schema.
    support_grant_revoke(grant=grant, by_email=engineer.email, by_name=engineer.full_name)

    with schema_context("lebak"):
        lebak = set(
            AuditEvent.objects.filter(detail__grant=grant.pk).values_list("action", flat=True)
        )
    with schema_context("dumai"):
        dumai = AuditEvent.objects.filter(detail__grant=grant.pk, action__startswith="support.")
        assert not dumai.exists()
    assert {"support.grant", "support.revoke"} <= lebak

"""Every sign-in, failed sign-in and sign-out is in the regency's own audit log."""

import pytest
from django_tenants.utils import schema_context

from core.models import AuditEvent
from tests.accounts.helpers import client_at, new_user, sign_in

pytestmark = pytest.mark.django_db


def _events(schema: str, target: str) -> list[str]:
    with schema_context(schema):
        return list(
            AuditEvent.objects.filter(target=target).order_by("id").values_list("action", flat=True)
        )


def test_sign_in_and_failure_are_audited_in_the_regency_only():
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    sign_in(client, user.email, "wrong-password-1")
    sign_in(client, user.email)
    client.post("/accounts/logout/")
    assert _events("lebak", user.email) == [
        "auth.sign_in_failed",
        "auth.sign_in",
        "auth.sign_out",
    ]
    assert _events("dumai", user.email) == []
    assert _events("public", user.email) == []


def test_failed_sign_in_records_the_address_and_client_ip_not_the_password():
    client = client_at("balangan.localhost")
    sign_in(client, "nobody@example.test", "Rahasia-123")
    with schema_context("balangan"):
        event = AuditEvent.objects.get(action="auth.sign_in_failed", target="nobody@example.test")
    assert event.ip_address is not None
    assert "Rahasia" not in str(event.detail)

"""The tenant lifecycle: every allowed and every forbidden move."""

import itertools

import pytest
from django.utils import translation

from core.models import AuditEvent
from tenants.lifecycle import ALLOWED, Actor, TransitionRefused, tenant_transition
from tenants.models import Tenant, TenantTransition

pytestmark = pytest.mark.django_db

S = Tenant.Status
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso")
EXPECTED_ALLOWED = {
    (S.PROSPECT, S.PROVISIONING),
    (S.PROVISIONING, S.ACTIVE),
    (S.PROVISIONING, S.PROSPECT),
    (S.ACTIVE, S.SUSPENDED),
    (S.SUSPENDED, S.ACTIVE),
    (S.SUSPENDED, S.ARCHIVED),
    (S.ARCHIVED, S.DELETED),
}
ALL_PAIRS = list(itertools.permutations(S.values, 2))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _tenant(status: str) -> Tenant:
    return Tenant.objects.create(
        schema_name="pacitan",
        slug="pacitan",
        name="Pacitan",
        region_code="35.01",
        province="Jawa Timur",
        time_zone="Asia/Jakarta",
        status=status,
    )


def test_table_is_exactly_the_documented_lifecycle():
    table = {(a, b) for a, targets in ALLOWED.items() for b in targets}
    assert table == EXPECTED_ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_ALLOWED))
def test_allowed_move_is_made_and_recorded(from_status, to_status):
    tenant = _tenant(from_status)
    record = tenant_transition(
        tenant=tenant, to_status=to_status, actor=ENGINEER, reason="Perjanjian kerja sama"
    )
    tenant.refresh_from_db()
    assert tenant.status == to_status
    assert (record.from_status, record.to_status) == (from_status, to_status)
    assert (record.actor_email, record.reason) == (ENGINEER.email, "Perjanjian kerja sama")
    event = AuditEvent.objects.get(action="tenant.transition", target="pacitan")
    assert event.detail == {"from": from_status, "to": to_status, "reason": "Perjanjian kerja sama"}


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    sorted(pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED),
)
def test_forbidden_move_is_refused_with_a_reason(from_status, to_status):
    tenant = _tenant(from_status)
    with pytest.raises(TransitionRefused) as excinfo:
        tenant_transition(tenant=tenant, to_status=to_status, actor=ENGINEER, reason="coba")
    assert "can only become" in str(excinfo.value)
    tenant.refresh_from_db()
    assert tenant.status == from_status
    assert not TenantTransition.objects.filter(tenant=tenant).exists()


def test_move_to_the_same_status_is_refused():
    tenant = _tenant(S.ACTIVE)
    with pytest.raises(TransitionRefused, match="already Active"):
        tenant_transition(tenant=tenant, to_status=S.ACTIVE, actor=ENGINEER, reason="x")


def test_a_reason_is_required():
    tenant = _tenant(S.ACTIVE)
    with pytest.raises(TransitionRefused, match="reason"):
        tenant_transition(tenant=tenant, to_status=S.SUSPENDED, actor=ENGINEER, reason="  ")
    tenant.refresh_from_db()
    assert tenant.status == S.ACTIVE


def test_reactivation_is_refused_while_another_instance_serves_the_region(regencies):
    copy = Tenant.objects.create(
        schema_name="lebak_copy",
        slug="lebak-copy",
        name="Lebak (salinan)",
        region_code="36.02",
        province="Banten",
        time_zone="Asia/Jakarta",
        status=S.SUSPENDED,
    )
    with pytest.raises(TransitionRefused, match="already served by lebak"):
        tenant_transition(tenant=copy, to_status=S.ACTIVE, actor=ENGINEER, reason="restore")

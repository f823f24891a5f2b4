import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tenants.models import Tenant, TenantTransition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_suspend_and_reactivate_are_recorded(regencies):
    call_command(
        "tenant_lifecycle", "dumai", "suspend", "--reason", "Tagihan", stdout=io.StringIO()
    )
    assert Tenant.objects.get(slug="dumai").status == Tenant.Status.SUSPENDED
    call_command(
        "tenant_lifecycle", "dumai", "reactivate", "--reason", "Lunas", stdout=io.StringIO()
    )
    moves = TenantTransition.objects.filter(tenant__slug="dumai").order_by("id")
    assert [(m.to_status, m.reason) for m in moves] == [
        ("suspended", "Tagihan"),
        ("active", "Lunas"),
    ]


def test_forbidden_move_exits_with_the_reason(regencies):
    with pytest.raises(CommandError, match="can only become"):
        call_command("tenant_lifecycle", "lebak", "archive", "--reason", "x", stdout=io.StringIO())
    assert Tenant.objects.get(slug="lebak").status == Tenant.Status.ACTIVE


def test_unknown_regency_is_named():
    with pytest.raises(CommandError, match="no regency 'maros'"):
        call_command("tenant_lifecycle", "maros", "suspend", "--reason", "x")

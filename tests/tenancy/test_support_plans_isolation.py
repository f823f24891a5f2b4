"""The service-level plan and holiday screens exist only in the engineers'
console at the root domain: on a regency's host every one of their paths
answers 404 (never the page, never a change), whoever asks, for GET and POST."""

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from core.models import AuditEvent
from support.models import Holiday, SupportPlan, TenantSupportPlan
from tests.accounts.helpers import client_at
from tests.support.conftest import regency_client, regency_user

pytestmark = pytest.mark.django_db

SCREENS = [
    "plan_list",
    "plan_create",
    "plan_edit",
    "plan_assign",
    "tenant_plan",
    "holiday_list",
    "holiday_delete",
]


def _paths() -> list[tuple[str, str]]:
    plan = SupportPlan.objects.get(code="prioritas")
    holiday = Holiday.objects.order_by("-date").first()
    assert holiday is not None
    kwargs: dict[str, dict[str, object]] = {
        "plan_edit": {"pk": plan.pk},
        "plan_assign": {"pk": plan.pk},
        "tenant_plan": {"slug": "lebak"},
        "holiday_delete": {"pk": holiday.pk},
    }
    return [
        (
            name,
            reverse(
                f"support_console:{name}", kwargs=kwargs.get(name), urlconf="config.urls_public"
            ),
        )
        for name in SCREENS
    ]


def test_the_walk_covers_every_plan_and_holiday_screen():
    from support.urls_console import urlpatterns

    names = {p.name for p in urlpatterns}
    assert set(SCREENS) <= names
    assert {n for n in names if n and (n.startswith(("plan", "holiday")) or "_plan" in n)} == set(
        SCREENS
    )


@pytest.mark.parametrize("who", ["anonymous", "admin", "staff"])
@pytest.mark.parametrize("slug", ["lebak", "dumai"])
def test_a_regency_host_never_serves_the_plan_screens(regencies, slug, who):
    if who == "anonymous":
        client = client_at(f"{slug}.localhost")
    else:
        client = regency_client(slug, regency_user(slug, admin=who == "admin"))
    prioritas = SupportPlan.objects.get(code="prioritas")
    holidays = Holiday.objects.count()
    for name, path in _paths():
        for method in ("get", "post"):
            response = getattr(client, method)(
                path, {"tenant": slug, "plan": prioritas.pk, "name": "Baru", "date": "2030-01-02"}
            )
            assert response.status_code == 404, (slug, who, method, name)
    # Nothing changed through a regency's host.
    assert Holiday.objects.count() == holidays
    assert not TenantSupportPlan.objects.filter(tenant=regencies["dumai"]).exists()
    assert not AuditEvent.objects.filter(action__startswith="support.plan.").exists()
    assert not AuditEvent.objects.filter(action__startswith="support.holiday.").exists()
    with schema_context(slug):
        assert not AuditEvent.objects.filter(action__startswith="support.plan.").exists()

"""The tenant page: lifecycle actions only where the lifecycle allows them, and
every action refused with its reason and without a change."""

import pytest
from django.apps import apps
from django.utils import translation

from core.models import AuditEvent
from core.modules import ModuleConfig
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Domain, Entitlement, Tenant, TenantTransition
from tests.console.conftest import console_url

pytestmark = pytest.mark.django_db
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso")


def _move(tenant: Tenant, to_status: str) -> None:
    tenant_transition(tenant=tenant, to_status=to_status, actor=ENGINEER, reason="Uji")


def _page(console, slug: str) -> str:
    response = console.get(console_url("console_tenant_detail", slug=slug))
    assert response.status_code == 200
    return response.content.decode()


def _offered(html: str) -> set[str]:
    moves = {s for s in Tenant.Status.values if f'data-testid="move-{s}"' in html}
    if 'data-testid="delete-form"' in html:
        moves.add("deleted")
    return moves


def test_page_shows_facts_domains_and_history(console, regencies):
    _move(regencies["lebak"], Tenant.Status.SUSPENDED)
    html = _page(console, "lebak")
    assert 'data-testid="tenant-name">Lebak' in html
    assert "lebak.localhost" in html
    assert "Uji" in html  # the transition's reason, in the history
    assert "36.02" in html


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ([], {"suspended"}),
        (["suspended"], {"active", "archived"}),
        (["suspended", "archived"], {"deleted"}),
    ],
)
def test_only_allowed_moves_are_offered(console, regencies, path, offered):
    for status in path:
        _move(regencies["dumai"], status)
    assert _offered(_page(console, "dumai")) == offered


def test_a_provisioning_regency_is_not_offered_activation(console, engineer):
    from tenants.services import tenant_prospect_create

    bogor = tenant_prospect_create(slug="bogor", region_code="32.01", actor_email=engineer.email)
    _move(bogor, Tenant.Status.PROVISIONING)
    assert _offered(_page(console, "bogor")) == set()


def test_forbidden_move_shows_the_reason_and_changes_nothing(console, regencies):
    before = TenantTransition.objects.count()
    response = console.post(
        console_url("console_transition", slug="lebak", to_status="archived"),
        {"move_archived-reason": "Kontrak selesai"},
    )
    assert response.status_code == 200
    assert "from there it can only become: Suspended" in response.content.decode()
    regencies["lebak"].refresh_from_db()
    assert regencies["lebak"].status == Tenant.Status.ACTIVE
    assert TenantTransition.objects.count() == before


def test_activating_a_provisioning_regency_by_hand_is_refused(console, engineer):
    from tenants.services import tenant_prospect_create

    bogor = tenant_prospect_create(slug="bogor", region_code="32.01", actor_email=engineer.email)
    _move(bogor, Tenant.Status.PROVISIONING)
    response = console.post(
        console_url("console_transition", slug="bogor", to_status="active"),
        {"move_active-reason": "Cepat"},
    )
    assert "activated by its provisioning run" in response.content.decode()
    bogor.refresh_from_db()
    assert bogor.status == Tenant.Status.PROVISIONING


def test_a_move_without_a_reason_is_refused(console, regencies):
    response = console.post(
        console_url("console_transition", slug="dumai", to_status="suspended"),
        {"move_suspended-reason": ""},
    )
    assert "This field is required." in response.content.decode()
    regencies["dumai"].refresh_from_db()
    assert regencies["dumai"].status == Tenant.Status.ACTIVE


def test_suspend_is_recorded_with_the_engineer_and_the_reason(console, engineer, regencies):
    response = console.post(
        console_url("console_transition", slug="dumai", to_status="suspended"),
        {"move_suspended-reason": "Tagihan belum dibayar"},
    )
    assert response.status_code == 302
    regencies["dumai"].refresh_from_db()
    assert regencies["dumai"].status == Tenant.Status.SUSPENDED
    record = regencies["dumai"].transitions.first()
    assert (record.actor_email, record.reason) == (engineer.email, "Tagihan belum dibayar")


def test_delete_needs_the_slug_typed(console, regencies):
    _move(regencies["balangan"], Tenant.Status.SUSPENDED)
    _move(regencies["balangan"], Tenant.Status.ARCHIVED)
    with translation.override("en"):
        response = console.post(
            console_url("console_delete", slug="balangan"),
            {"delete-confirmation": "lebak", "delete-reason": ""},
        )
    assert "Type the slug &#x27;balangan&#x27; to confirm the deletion." in (
        response.content.decode()
    )
    regencies["balangan"].refresh_from_db()
    assert regencies["balangan"].status == Tenant.Status.ARCHIVED


# --- modules ------------------------------------------------------------------------


class SampleModule(ModuleConfig):
    name = "tests.core"
    code = "sample"
    label_text = "Sample service"


@pytest.fixture
def sample_module(monkeypatch):
    module = SampleModule("tests.core", apps.get_app_config("core").module)
    monkeypatch.setattr("core.modules.installed_modules", lambda: [module])
    monkeypatch.setattr("console.views.common.installed_modules", lambda: [module])
    return module


def test_with_no_module_installed_the_page_says_so(console, regencies, monkeypatch):
    monkeypatch.setattr("console.views.common.installed_modules", lambda: [])
    Entitlement.objects.filter(tenant=regencies["lebak"]).delete()
    assert 'data-testid="no-modules"' in _page(console, "lebak")


def test_module_toggle_enables_and_disables(console, engineer, regencies, sample_module):
    html = _page(console, "lebak")
    assert 'data-module="sample" data-enabled="0"' in html
    url = console_url("console_module", slug="lebak", code="sample")
    assert console.post(url, {"enabled": "1"}).status_code == 302
    assert Entitlement.objects.filter(tenant=regencies["lebak"], module_code="sample").exists()
    assert 'data-module="sample" data-enabled="1"' in _page(console, "lebak")
    assert AuditEvent.objects.filter(
        action="module.enable", actor_email=engineer.email, target="lebak"
    ).exists()
    console.post(url, {"enabled": "0"})
    assert not Entitlement.objects.filter(tenant=regencies["lebak"], module_code="sample").exists()


def test_unknown_module_is_refused_with_a_message(console, regencies, sample_module):
    url = console_url("console_module", slug="lebak", code="nope")
    page = console.post(url, {"enabled": "1"}, follow=True).content.decode()
    assert "There is no module &#x27;nope&#x27;." in page
    assert not Entitlement.objects.filter(module_code="nope").exists()


# --- domains ------------------------------------------------------------------------


def test_domain_add_and_remove(console, regencies):
    add = console_url("console_domain_add", slug="lebak")
    assert console.post(add, {"domain-domain": "layanan.lebakkab.go.id"}).status_code == 302
    domain = Domain.objects.get(domain="layanan.lebakkab.go.id")
    assert domain.tenant == regencies["lebak"]
    assert not domain.is_primary
    remove = console_url("console_domain_remove", slug="lebak", domain_id=domain.pk)
    assert console.post(remove).status_code == 302
    assert not Domain.objects.filter(domain="layanan.lebakkab.go.id").exists()


def test_a_taken_domain_is_refused_next_to_the_field(console, regencies):
    response = console.post(
        console_url("console_domain_add", slug="lebak"), {"domain-domain": "dumai.localhost"}
    )
    assert response.status_code == 200
    assert "dumai.localhost already belongs to Dumai." in response.content.decode()
    assert Domain.objects.get(domain="dumai.localhost").tenant == regencies["dumai"]


def test_the_primary_domain_cannot_be_removed(console, regencies):
    primary = Domain.objects.get(domain="lebak.localhost")
    page = console.post(
        console_url("console_domain_remove", slug="lebak", domain_id=primary.pk), follow=True
    ).content.decode()
    assert "Make another domain primary before removing lebak.localhost." in page
    assert Domain.objects.filter(pk=primary.pk).exists()


def test_make_primary_moves_the_flag(console, regencies):
    console.post(
        console_url("console_domain_add", slug="lebak"), {"domain-domain": "lebakkab.go.id"}
    )
    other = Domain.objects.get(domain="lebakkab.go.id")
    console.post(console_url("console_domain_primary", slug="lebak", domain_id=other.pk))
    assert list(
        regencies["lebak"].domains.filter(is_primary=True).values_list("domain", flat=True)
    ) == ["lebakkab.go.id"]


def test_a_domain_of_another_regency_is_404(console, regencies):
    dumai = Domain.objects.get(domain="dumai.localhost")
    response = console.post(console_url("console_domain_remove", slug="lebak", domain_id=dumai.pk))
    assert response.status_code == 404
    assert Domain.objects.filter(pk=dumai.pk).exists()

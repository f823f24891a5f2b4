"""A module's URLs answer only in regencies entitled to it; its menu shows only there."""

import pytest
from django.apps import apps

from core.modules import MenuEntry, ModuleConfig
from tenants.services import entitlement_set
from tests.accounts.helpers import client_at, new_user, sign_in

pytestmark = pytest.mark.django_db


class SampleModule(ModuleConfig):
    name = "tests.core"
    code = "sample"
    label_text = "Sample service"
    menu = (MenuEntry(label="Inbox", url_name="inbox"),)

    @property
    def has_urls(self) -> bool:
        return True  # its URLs are tests.core.sample_module_urls


@pytest.fixture
def sample_module(monkeypatch, settings):
    module = SampleModule("tests.core", apps.get_app_config("core").module)
    monkeypatch.setattr("core.modules.installed_modules", lambda: [module])
    monkeypatch.setattr("core.context_processors.installed_modules", lambda: [module])
    settings.ROOT_URLCONF = "tests.core.sample_module_urls"
    return module


def test_module_url_is_404_where_not_entitled(sample_module, regencies):
    response = client_at("lebak.localhost").get("/sample/inbox/")
    assert response.status_code == 404


def test_module_url_answers_where_entitled(sample_module, regencies):
    entitlement_set(
        tenant=regencies["lebak"],
        module_code="sample",
        enabled=True,
        actor_email="engineer@sukowati.test",
    )
    assert client_at("lebak.localhost").get("/sample/inbox/").content == b"sample inbox"
    assert client_at("dumai.localhost").get("/sample/inbox/").status_code == 404


def test_disabling_takes_effect_on_the_next_request(sample_module, regencies):
    entitlement_set(
        tenant=regencies["dumai"],
        module_code="sample",
        enabled=True,
        actor_email="engineer@sukowati.test",
    )
    assert client_at("dumai.localhost").get("/sample/inbox/").status_code == 200
    entitlement_set(
        tenant=regencies["dumai"],
        module_code="sample",
        enabled=False,
        actor_email="engineer@sukowati.test",
    )
    assert client_at("dumai.localhost").get("/sample/inbox/").status_code == 404


def test_menu_lists_only_entitled_modules(sample_module, regencies):
    entitlement_set(
        tenant=regencies["balangan"],
        module_code="sample",
        enabled=True,
        actor_email="engineer@sukowati.test",
    )
    for slug, shown in (("balangan", True), ("lebak", False)):
        user = new_user(slug)
        client = client_at(f"{slug}.localhost")
        sign_in(client, user.email)
        page = client.get("/").content.decode()
        assert ("Sample service" in page) is shown


def test_every_change_is_logged_for_audit_and_billing(sample_module, regencies):
    from core.models import AuditEvent
    from tenants.models import EntitlementChange

    lebak = regencies["lebak"]
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert entitlement_set(
        tenant=lebak, module_code="sample", enabled=True, actor_email="engineer@sukowati.test"
    )
    assert not entitlement_set(
        tenant=lebak, module_code="sample", enabled=True, actor_email="engineer@sukowati.test"
    )
    assert entitlement_set(
        tenant=lebak, module_code="sample", enabled=False, actor_email="engineer@sukowati.test"
    )
    log = list(
        EntitlementChange.objects.filter(tenant=lebak, module_code="sample")
        .order_by("id")
        .values_list("module_code", "enabled")
    )
    assert log == [("sample", True), ("sample", False)]
    actions = list(
        AuditEvent.objects.filter(target="lebak", action__startswith="module.", id__gt=before)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["module.enable", "module.disable"]


def test_unknown_module_is_refused(sample_module, regencies):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        entitlement_set(
            tenant=regencies["lebak"],
            module_code="ktp",
            enabled=True,
            actor_email="engineer@sukowati.test",
        )

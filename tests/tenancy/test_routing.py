"""Each host reaches its own regency, and only it."""

import pytest

from core.db import tenant_connection
from tenants.models import Tenant
from tenants.services import domain_add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["lebak", "balangan", "dumai"])
def test_each_demo_host_resolves_to_its_own_regency(client_for, slug):
    response = client_for(slug).get("/accounts/login/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant.slug == slug
    assert tenant_connection().schema_name == slug


def test_root_domain_serves_the_console_in_public_schema(client_for):
    response = client_for(None).get("/accounts/login/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant is None
    assert tenant_connection().schema_name == "public"


def test_unknown_host_gets_a_clear_404_page(client):
    response = client.get("/", HTTP_HOST="maros.localhost")
    assert response.status_code == 404
    assert "maros.localhost" in response.content.decode()
    assert "Sukowati" in response.content.decode()


def test_host_with_port_and_upper_case_resolves(client):
    response = client.get("/accounts/login/", HTTP_HOST="LEBAK.LocalHost:8000")
    assert response.status_code == 200
    assert response.wsgi_request.tenant.slug == "lebak"


def test_suspended_regency_shows_service_suspended_page(client_for, regencies):
    lebak = regencies["lebak"]
    lebak.status = Tenant.Status.SUSPENDED
    lebak.save()
    response = client_for("lebak").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Service suspended" in response.content.decode()
    assert lebak.name in response.content.decode()


def test_suspension_is_seen_by_the_very_next_request(client_for, regencies):
    assert client_for("dumai").get("/").status_code == 302  # to sign-in
    Tenant.objects.filter(pk=regencies["dumai"].pk).update(status=Tenant.Status.SUSPENDED)
    regencies["dumai"].refresh_from_db()
    regencies["dumai"].save()  # the save signal is what invalidates routing
    assert client_for("dumai").get("/").status_code == 503


def test_new_domain_is_served_by_the_very_next_request(client, regencies):
    assert client.get("/accounts/login/", HTTP_HOST="sipakar.localhost").status_code == 404
    domain_add(
        tenant=regencies["balangan"],
        domain="sipakar.localhost",
        actor_email="engineer@sukowati.test",
    )
    response = client.get("/accounts/login/", HTTP_HOST="sipakar.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.tenant.slug == "balangan"


def test_custom_domain_routes_once_attached_and_others_get_404(client, regencies):
    host = "perizinan.lebakkab.go.id"
    assert client.get("/accounts/login/", HTTP_HOST=host).status_code == 404
    domain_add(tenant=regencies["lebak"], domain=host, actor_email="engineer@sukowati.test")
    response = client.get("/accounts/login/", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.wsgi_request.tenant.slug == "lebak"
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 404


def test_syntactically_invalid_host_is_refused(client):
    assert client.get("/", HTTP_HOST="bad host!").status_code == 400


def test_reserved_domain_does_not_route_until_attached(client, regencies):
    from tenants.models import Domain

    Domain.objects.create(tenant=regencies["dumai"], domain="reserved.localhost", is_active=False)
    assert client.get("/accounts/login/", HTTP_HOST="reserved.localhost").status_code == 404


def _change_made_by_another_process(tenant_pk: int) -> None:
    """What another web process does: write the row, then a new generation token.
    No signal fires in this process."""
    import uuid

    from django.core.cache import caches

    from tenants.routing import GENERATION_KEY

    Tenant.objects.filter(pk=tenant_pk).update(status=Tenant.Status.SUSPENDED)
    caches["platform"].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def test_change_by_another_process_is_seen_at_the_next_recheck(client_for, regencies, settings):
    settings.TENANT_ROUTING_RECHECK_SECONDS = 0
    assert client_for("balangan").get("/").status_code == 302
    _change_made_by_another_process(regencies["balangan"].pk)
    assert client_for("balangan").get("/").status_code == 503


def test_between_rechecks_the_process_keeps_its_routes(client_for, regencies, settings):
    settings.TENANT_ROUTING_RECHECK_SECONDS = 3600
    assert client_for("balangan").get("/").status_code == 302
    _change_made_by_another_process(regencies["balangan"].pk)
    # Still the cached route: no query, no cache read, until the recheck is due.
    assert client_for("balangan").get("/").status_code == 302

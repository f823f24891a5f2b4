"""The permit service keeps each regency's applications, files, catalogue,
counters, guest codes and digests to itself."""

import uuid

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context, tenant_context

from modules.permits.catalogue import service_type_update
from modules.permits.digest import digest_build
from modules.permits.models import Application, NumberSequence, ServiceType
from tests.accounts.helpers import client_at
from tests.permits.support import (
    catalogue_ready,
    person,
    service_new,
    signed_in,
    staff,
    streamed,
    submit,
)

pytestmark = pytest.mark.django_db
SECRET_NAME = "Rahasia Balangan Saja"


@pytest.fixture
def both(regencies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    catalogue_ready("lebak")
    catalogue_ready("balangan")
    with schema_context("balangan"):
        service = service_new()
        application = submit(service, name=SECRET_NAME)
    return {"balangan_app": application, "balangan_service": service, "media": tmp_path}


def test_lebak_staff_cannot_open_a_balangan_application_or_its_documents(both):
    application = both["balangan_app"]
    with schema_context("balangan"):
        document = application.documents.get()
    with schema_context("lebak"):
        officer = staff("front_office")  # over the whole of Lebak
    client = signed_in("lebak", officer)
    for url in (
        f"/permits/office/a/{application.pk}/",
        f"/permits/office/a/{application.pk}/documents/{document.pk}/",
    ):
        response = client.get(url)
        body = streamed(response)
        assert SECRET_NAME.encode() not in body
        assert response.status_code in (404, 200)
    assert SECRET_NAME not in client.get("/permits/office/").content.decode()


def test_a_lebak_session_is_not_signed_in_at_balangan(both):
    with schema_context("lebak"):
        officer = staff("front_office")
    client = signed_in("lebak", officer)
    response = client.get("/permits/office/", HTTP_HOST="balangan.localhost")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_documents_are_stored_under_the_regencys_own_prefix(both):
    application = both["balangan_app"]
    with schema_context("balangan"):
        name = str(application.documents.get().file.name)
        assert default_storage.exists(name)
    with schema_context("lebak"):
        assert not default_storage.exists(name)
    assert (both["media"] / "balangan" / name).exists()
    assert not (both["media"] / "lebak" / name).exists()


def test_a_confirmation_page_is_not_found_at_another_regency(both):
    code = both["balangan_app"].tracking_code
    response = client_at("lebak.localhost").get(f"/permits/apply/done/{code}/")
    assert response.status_code == 404


def test_a_guest_code_issued_at_lebak_is_worthless_at_balangan(both):
    from django.core.cache import cache

    from modules.permits.guest import _address_key

    email = f"g-{uuid.uuid4().hex[:6]}@contoh.test"
    mail.outbox.clear()
    client_at("lebak.localhost").post("/permits/apply/guest/", {"email": email})
    key = f"permits:guest-code:{_address_key(email)}"
    with schema_context("lebak"):
        assert cache.get(key) is not None
    with schema_context("balangan"):
        assert cache.get(key) is None
    # Balangan never sent this address a code; its verify page asks for one first.
    assert client_at("balangan.localhost").get("/permits/apply/guest/verify/").status_code == 302


def test_a_catalogue_override_in_lebak_leaves_balangan_alone(both):
    with schema_context("lebak"):
        siup = ServiceType.objects.get(master_code="siup")
        service_type_update(
            service=siup, changes={"name": "SIUP Lebak"}, actor_email="a@lebak.test"
        )
    with schema_context("balangan"):
        siup_b = ServiceType.objects.get(master_code="siup")
        assert siup_b.name != "SIUP Lebak" and siup_b.overridden_fields == []


def test_application_counters_are_per_regency(both):
    year = both["balangan_app"].number.split("/")[1]
    with schema_context("balangan"):
        balangan_before = NumberSequence.objects.get(prefix="PRM", year=int(year)).last
    with schema_context("lebak"):
        submit(service_new())
    with schema_context("balangan"):
        assert NumberSequence.objects.get(prefix="PRM", year=int(year)).last == balangan_before


def test_the_digest_of_a_regency_lists_only_its_own_applications(both, regencies):
    application = both["balangan_app"]
    with schema_context("balangan"):
        Application.objects.filter(pk=application.pk).update(
            status="completeness", legal_due_on="2024-01-05"
        )
    with tenant_context(regencies["lebak"]):
        officer = staff("front_office")
        digest = digest_build()
    names = {entry.application.applicant_name for entry in digest.get(officer, [])}
    assert SECRET_NAME not in names


def test_a_regency_without_the_module_gets_404_on_every_permit_page(regencies):
    from tenants.services import entitlement_set

    entitlement_set(
        tenant=regencies["dumai"],
        module_code="permits",
        enabled=False,
        actor_email="x@sukowati.test",
    )
    with schema_context("dumai"):
        admin = person(admin=True)
    client = signed_in("dumai", admin)
    for url in ("/permits/apply/", "/permits/office/", "/permits/office/catalogue/"):
        assert client.get(url).status_code == 404

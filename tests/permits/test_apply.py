"""Applying: as a guest with a verified email, with an account, at the counter;
numbers and tracking codes; double submission; markup; the confirmation."""

import re
import uuid

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from core.models import AuditEvent
from modules.permits.models import Application, ServiceType
from modules.permits.numbering import TRACKING_ALPHABET
from organisation.models import Desa, Kecamatan
from tests.accounts.helpers import client_at
from tests.permits.support import (
    NIK,
    emailed_code,
    form_key,
    grant,
    pdf,
    person,
    service_new,
    signed_in,
    submit,
)

pytestmark = pytest.mark.django_db
HOST = "lebak.localhost"


@pytest.fixture
def service(lebak):
    with schema_context("lebak"):
        return service_new(
            code=f"uji-{uuid.uuid4().hex[:6]}",
            form_fields=[{"name": "luas", "label": "Luas (m²)", "type": "int", "required": True}],
            fee_rule={"kind": "per_unit", "field": "luas", "rate": 1000, "minimum": 5000},
        )


@pytest.fixture
def place(lebak):
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.order_by("code").first()
        desa = Desa.objects.filter(kecamatan=kecamatan).first()
        return kecamatan, desa


def form_data(client, service, place, **overrides):
    """A filled apply form: the submission key from the page, files fresh each time."""
    page = client.get(f"/permits/apply/{service.code}/")
    assert page.status_code == 200, page.status_code
    key = form_key(page.content.decode())
    kecamatan, desa = place
    data = {
        "submission_key": key,
        "applicant_name": "Siti Rahmawati",
        "applicant_nik": NIK,
        "applicant_email": "siti@contoh.test",
        "applicant_phone": "081234567890",
        "applicant_address": "Jl. Multatuli No. 7",
        "kecamatan": kecamatan.pk,
        "desa": desa.pk if desa else "",
        "f_luas": 120,
        "doc_ktp": pdf(),
    }
    data.update(overrides)
    return data


def guest_client(email: str):
    """A visitor who verified `email` through the code flow."""
    client = client_at(HOST)
    mail.outbox.clear()
    response = client.post("/permits/apply/guest/", {"email": email})
    assert response.status_code == 302
    code = emailed_code()
    response = client.post("/permits/apply/guest/verify/", {"code": code})
    assert response.status_code == 302
    return client


def test_the_service_list_is_public(service):
    response = client_at(HOST).get("/permits/apply/")
    assert response.status_code == 200
    assert service.name in response.content.decode()


def test_a_guest_must_verify_an_email_before_the_form(service):
    response = client_at(HOST).get(f"/permits/apply/{service.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/permits/apply/guest/?next=")


def test_a_guest_applies_with_a_verified_email_and_gets_a_number_and_tracking_code(
    service, place, monkeypatch, django_capture_on_commit_callbacks
):
    from modules.permits import tasks

    monkeypatch.setattr(
        tasks.application_submitted_email_task,
        "delay",
        lambda pk: tasks.application_submitted_email_task.run(pk),
    )
    email = f"guest-{uuid.uuid4().hex[:6]}@contoh.test"
    client = guest_client(email)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/permits/apply/{service.code}/",
            form_data(client, service, place, applicant_email="someone-else@contoh.test"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("lebak"):
        application = Application.objects.get(service=service)
        assert application.channel == Application.Channel.GUEST
        assert application.applicant_email == email  # the verified address, not the posted one
        assert re.fullmatch(r"PRM/\d{4}/\d{6}", application.number)
        assert re.fullmatch(f"[{TRACKING_ALPHABET}]{{12}}", application.tracking_code)
        assert application.fee_rupiah == 120000
        assert application.form_data == {"luas": 120}
        assert application.documents.count() == 1
        assert application.transitions.get().to_status == Application.Status.SUBMITTED
    done = client.get(response["Location"])
    assert done.status_code == 200
    assert application.number in done.content.decode()
    assert application.tracking_code in done.content.decode()
    assert [m.to for m in mail.outbox] == [[email]]
    assert application.tracking_code in mail.outbox[0].body
    assert f"http://lebak.localhost/permits/public/track/{application.tracking_code}/" in (
        mail.outbox[0].body
    )


def test_the_confirmation_page_is_only_for_the_session_that_applied(service, place):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    response = client.post(f"/permits/apply/{service.code}/", form_data(client, service, place))
    assert client.get(response["Location"]).status_code == 200
    assert client_at(HOST).get(response["Location"]).status_code == 404


def test_a_wrong_code_is_refused_and_five_wrong_codes_end_it(service):
    email = f"g-{uuid.uuid4().hex[:6]}@contoh.test"
    client = client_at(HOST)
    client.post("/permits/apply/guest/", {"email": email})
    code = emailed_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        assert client.post("/permits/apply/guest/verify/", {"code": wrong}).status_code == 200
    assert client.post("/permits/apply/guest/verify/", {"code": code}).status_code == 429
    assert client.get(f"/permits/apply/{service.code}/").status_code == 302


def test_codes_sent_to_one_address_are_rate_limited(service):
    email = f"g-{uuid.uuid4().hex[:6]}@contoh.test"
    statuses = [
        client_at(HOST).post("/permits/apply/guest/", {"email": email}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def test_an_expired_code_is_refused(service, settings, monkeypatch):
    import time

    email = f"g-{uuid.uuid4().hex[:6]}@contoh.test"
    client = client_at(HOST)
    client.post("/permits/apply/guest/", {"email": email})
    code = emailed_code()
    later = time.time() + 16 * 60
    monkeypatch.setattr("modules.permits.guest.time.time", lambda: later)
    response = client.post("/permits/apply/guest/verify/", {"code": code})
    assert response.status_code == 200
    assert b"wrong or has expired" in response.content


def test_a_signed_in_person_applies_with_their_account(service, place):
    with schema_context("lebak"):
        citizen = person(name="Budi Warga")
    client = signed_in("lebak", citizen)
    response = client.post(f"/permits/apply/{service.code}/", form_data(client, service, place))
    assert response.status_code == 302
    with schema_context("lebak"):
        application = Application.objects.get(service=service)
        assert application.channel == Application.Channel.ONLINE
        assert application.applicant_user == citizen
        assert application.applicant_email == citizen.email
    mine = client.get("/permits/mine/")
    assert application.number in mine.content.decode()


def test_the_front_office_applies_on_a_citizens_behalf(service, place):
    with schema_context("lebak"):
        clerk = person()
        grant(clerk, "front_office")
        outsider = person()
    client = signed_in("lebak", clerk)
    page = client.get(f"/permits/office/counter/{service.code}/")
    key = form_key(page.content.decode())
    data = form_data(signed_in("lebak", outsider), service, place, applicant_email="")
    data["submission_key"] = key
    response = client.post(f"/permits/office/counter/{service.code}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("lebak"):
        application = Application.objects.get(service=service)
        assert application.channel == Application.Channel.FRONT_OFFICE
        assert application.applicant_user is None
        assert application.transitions.get().actor_email == clerk.email
    assert signed_in("lebak", outsider).get("/permits/office/counter/").status_code == 403


def test_a_double_submission_creates_one_application(service, place):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    data = form_data(client, service, place)
    first = client.post(f"/permits/apply/{service.code}/", data)
    data["doc_ktp"] = pdf()
    second = client.post(f"/permits/apply/{service.code}/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with schema_context("lebak"):
        assert Application.objects.filter(service=service).count() == 1


def test_someone_elses_form_key_reveals_nothing(service, place):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    data = form_data(client, service, place)
    client.post(f"/permits/apply/{service.code}/", data)
    intruder = guest_client(f"i-{uuid.uuid4().hex[:6]}@contoh.test")
    data["doc_ktp"] = pdf()
    response = intruder.post(f"/permits/apply/{service.code}/", data)
    assert response.status_code == 400
    assert b"expired" in response.content


def test_numbers_are_consecutive_per_regency_and_year(service):
    with schema_context("lebak"):
        first, second = submit(service), submit(service)
        prefix, year, n1 = first.number.split("/")
        assert second.number == f"{prefix}/{year}/{int(n1) + 1:06d}"


def test_markup_is_stored_as_typed_and_shown_inert(service, place):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    markup = '<script>alert("x")</script><b>Siti</b>'
    client.post(
        f"/permits/apply/{service.code}/",
        form_data(client, service, place, applicant_name=markup, applicant_address=markup),
    )
    with schema_context("lebak"):
        application = Application.objects.get(service=service)
        assert application.applicant_name == markup
        clerk = person()
        grant(clerk, "front_office")
    page = signed_in("lebak", clerk).get(f"/permits/office/a/{application.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_a_business_application_records_investment_and_workforce(lebak, place):
    with schema_context("lebak"):
        siup = ServiceType.objects.get(master_code="siup")
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    data = form_data(client, siup, place)
    data.pop("f_luas")
    data.update(
        {
            "business_name": "CV Maju Jaya",
            "investment_rupiah": 250_000_000,
            "workforce": 12,
            "f_jenis_usaha": "Toko kelontong",
            "f_alamat_usaha": "Pasar Rangkasbitung",
            "f_kelembagaan": "Pengecer",
            "f_barang_jasa": "Sembako",
            "doc_nib": pdf("nib.pdf"),
            "doc_foto_lokasi": pdf("foto.pdf"),
            "doc_neraca": pdf("neraca.pdf"),
        }
    )
    response = client.post(f"/permits/apply/{siup.code}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("lebak"):
        application = Application.objects.get(service=siup, business_name="CV Maju Jaya")
        assert (application.investment_rupiah, application.workforce) == (250_000_000, 12)
        assert application.documents.count() == 4


def test_a_missing_document_and_a_bad_nik_are_shown_next_to_their_fields(service, place):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    data = form_data(client, service, place, applicant_nik="1234")
    data.pop("doc_ktp")
    response = client.post(f"/permits/apply/{service.code}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="doc_ktp"' in page
    assert 'data-field="applicant_nik"' in page
    with schema_context("lebak"):
        assert not Application.objects.filter(service=service).exists()


def test_a_desa_of_another_kecamatan_is_refused(service, place):
    with schema_context("lebak"):
        kecamatan, _desa = place
        elsewhere = Desa.objects.exclude(kecamatan=kecamatan).first()
        assert elsewhere is not None
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    response = client.post(
        f"/permits/apply/{service.code}/", form_data(client, service, place, desa=elsewhere.pk)
    )
    assert response.status_code == 400
    assert 'data-field="desa"' in response.content.decode()


def test_the_desa_list_follows_the_chosen_kecamatan(service, place):
    kecamatan, desa = place
    response = client_at(HOST).get(f"/permits/apply/desa/?kecamatan={kecamatan.pk}")
    assert desa.name in response.content.decode()


def test_an_applicant_hands_in_a_revision_with_new_documents(service, place):
    from modules.permits.workflow import application_transition

    with schema_context("lebak"):
        citizen = person(name="Budi Warga")
        clerk = person()
        grant(clerk, "front_office")
        application = submit(service, applicant_user=citizen)
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant

    with tenant_context(Tenant.objects.get(slug="lebak")):
        application_transition(application=application, to_status="completeness", actor=clerk)
        application_transition(
            application=application, to_status="returned", actor=clerk, reason="KTP buram"
        )
    client = signed_in("lebak", citizen)
    page = client.get(f"/permits/mine/{application.pk}/")
    assert "KTP buram" in page.content.decode()
    response = client.post(
        f"/permits/mine/{application.pk}/", {"note": "KTP baru", "doc_ktp": pdf("ktp-baru.pdf")}
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        application.refresh_from_db()
        assert application.status == "completeness"
        assert application.documents.count() == 2
        assert (
            AuditEvent.objects.filter(
                action="permits.application.transition", target=application.number
            ).count()
            == 3
        )
    # Someone else's application is not theirs to see.
    with schema_context("lebak"):
        stranger = person()
    assert signed_in("lebak", stranger).get(f"/permits/mine/{application.pk}/").status_code == 404


def test_the_apply_and_counter_pages_render(service):
    with schema_context("lebak"):
        clerk = person()
        grant(clerk, "front_office")
    visitor = client_at(HOST)
    for url in ("/permits/apply/", "/permits/apply/guest/"):
        assert visitor.get(url).status_code == 200
    client = signed_in("lebak", clerk)
    for url in (
        "/permits/office/counter/",
        f"/permits/office/counter/{service.code}/",
        "/permits/mine/",
        f"/permits/apply/{service.code}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.content.decode().split("</head>", 1)[1]

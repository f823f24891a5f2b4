"""The regency admin's people screens: list, search and filters, masked NIPs,
the seat count, create and edit with field errors, the audited detail page and
exports, and who may open them."""

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accounts.models import User
from accounts.nip import nip_parse
from core.models import AuditEvent
from organisation.models import Kecamatan, Position, WorkUnit
from staff.models import StaffProfile
from staff.selectors import nip_masked, staff_active_count
from tests.staff.helpers_people import VALID_NIPS, person_create

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs or None, urlconf="config.urls_tenant")


def _form_data(**overrides: object) -> dict[str, object]:
    with schema_context("lebak"):
        unit = WorkUnit.objects.get(code="DPMPTSP-YAN")
        position = Position.objects.get(code="PETUGAS-FO")
    data = {
        "full_name": "Nurul Hasanah",
        "email": "nurul.hasanah.baru@lebak.test",
        "nip": "19850317 201001 1 002",
        "position": position.pk,
        "work_unit": unit.pk,
        "kecamatan": "",
        "phone": "0812 3456 7890",
    }
    data.update(overrides)
    return data


def _nip_message(raw: str) -> str:
    with translation.override("en"):
        try:
            nip_parse(raw)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError(f"{raw} is a valid NIP")


def test_list_shows_nips_masked_and_the_seat_count(admin_client):
    person = person_create(nip=VALID_NIPS[0], full_name="Zulkifli Maskara")

    response = admin_client.get(_url("staff_list"), {"q": "Zulkifli Maskara"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "19850317 ****** *002" in body
    assert VALID_NIPS[0] not in body
    with schema_context("lebak"):
        seats = staff_active_count()
        expected = User.objects.filter(is_active=True, is_support_agent=False).count()
    assert seats == expected
    assert response.context["seats"] == seats
    assert [row.user.pk for row in response.context["rows"]] == [person.pk]


def test_nip_mask_keeps_birth_date_and_last_three_digits():
    assert nip_masked("198503172010011002") == "19850317 ****** *002"
    assert nip_masked("") == ""


def test_search_finds_by_name_email_and_nip_typed_with_spaces(admin_client):
    person = person_create(nip=VALID_NIPS[1], full_name="Kartika Sarirasa")
    for query in ("sarirasa", person.email.upper(), "19900101 201503 2 001"):
        rows = admin_client.get(_url("staff_list"), {"q": query}).context["rows"]
        assert [row.user.pk for row in rows] == [person.pk], query


def test_work_unit_filter_includes_sub_units(admin_client):
    with schema_context("lebak"):
        parent = WorkUnit.objects.get(code="DPMPTSP")
        child = WorkUnit.objects.get(code="DPMPTSP-TEKNIS")  # under DPMPTSP-YAN, under DPMPTSP
        other = WorkUnit.objects.get(code="DINKES")
        inside = person_create(full_name="Yoga Subunit")
        outside = person_create(full_name="Yoga Subunit")
        StaffProfile.objects.filter(user=inside).update(work_unit=child)
        StaffProfile.objects.filter(user=outside).update(work_unit=other)

    rows = admin_client.get(
        _url("staff_list"), {"q": "Yoga Subunit", "work_unit": parent.pk}
    ).context["rows"]

    assert [row.user.pk for row in rows] == [inside.pk]


def test_status_filter_separates_active_invited_and_inactive(admin_client):
    invited = person_create(full_name="Status Tiga")
    active = person_create(full_name="Status Tiga", password=True)
    inactive = person_create(full_name="Status Tiga", password=True)
    with schema_context("lebak"):
        User.objects.filter(pk=inactive.pk).update(is_active=False)
    found = {}
    for status in ("active", "invited", "inactive"):
        rows = admin_client.get(_url("staff_list"), {"q": "Status Tiga", "status": status})
        found[status] = [row.user.pk for row in rows.context["rows"]]
    assert found == {"active": [active.pk], "invited": [invited.pk], "inactive": [inactive.pk]}


def test_list_is_paginated(admin_client):
    response = admin_client.get(_url("staff_list"))
    page = response.context["page"]
    assert page.paginator.per_page == 25
    assert page.paginator.count > 25  # the demo's staff and admin
    assert len(response.context["rows"]) == 25
    assert admin_client.get(_url("staff_list"), {"page": 2}).status_code == 200


@pytest.mark.parametrize("nip", VALID_NIPS)
def test_create_form_accepts_valid_nips(admin_client, nip):
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = admin_client.post(_url("staff_create"), _form_data(nip=grouped, send_invitation=""))
    assert response.status_code == 302
    with schema_context("lebak"):
        user = User.objects.get(email="nurul.hasanah.baru@lebak.test")
        assert user.staff_profile.nip == nip
        assert not user.has_usable_password()
    assert response["Location"] == _url("staff_detail", pk=user.pk)


@pytest.mark.parametrize(
    "nip",
    [
        "19850317201001100",  # 17 digits
        "1985031720100110AB",  # not digits
        "198513172010011002",  # birth month 13
        "198502302010011002",  # 30 February
        "198503172010131002",  # appointment month 13
        "198503172099011002",  # appointed in the future
        "199503172005011002",  # appointed at 10
        "198503172010013002",  # sex digit 3
        "198503172010011000",  # serial 000
    ],
)
def test_create_form_shows_the_nip_parse_message_on_the_nip_field(admin_client, nip):
    response = admin_client.post(_url("staff_create"), _form_data(nip=nip))

    assert response.status_code == 400
    assert response.context["form"].errors["nip"] == [_nip_message(nip)]
    assert 'data-field="nip"' in response.content.decode()
    with schema_context("lebak"):
        assert not User.objects.filter(email="nurul.hasanah.baru@lebak.test").exists()


def test_duplicate_email_and_nip_are_refused_with_field_errors(admin_client):
    existing = person_create(nip=VALID_NIPS[2])

    response = admin_client.post(
        _url("staff_create"), _form_data(email=existing.email.upper(), nip=VALID_NIPS[2])
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["email"] == ["Someone in this regency already uses this email address."]
    assert errors["nip"] == ["Someone in this regency already has this NIP."]
    with schema_context("lebak"):
        assert User.objects.filter(email__iexact=existing.email).count() == 1


def test_phone_must_look_like_a_phone_number(admin_client):
    response = admin_client.post(_url("staff_create"), _form_data(phone="=HYPERLINK(1)"))
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors


def test_kecamatan_officer_is_created_with_their_kecamatan(admin_client):
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.order_by("code")[0]
    response = admin_client.post(
        _url("staff_create"), _form_data(kecamatan=kecamatan.pk, send_invitation="")
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        profile = StaffProfile.objects.get(user__email="nurul.hasanah.baru@lebak.test")
        assert profile.kecamatan_id == kecamatan.pk


def test_edit_changes_the_details_and_audits_which_fields(admin_client):
    person = person_create(nip=VALID_NIPS[0])

    response = admin_client.post(
        _url("staff_edit", pk=person.pk),
        _form_data(full_name="Agus Prasetyo Utomo", email="agus.baru@lebak.test", phone=""),
    )

    assert response.status_code == 302
    with schema_context("lebak"):
        person.refresh_from_db()
        assert (person.full_name, person.email) == ("Agus Prasetyo Utomo", "agus.baru@lebak.test")
        assert EmailAddress.objects.get(user=person).email == "agus.baru@lebak.test"
        event = AuditEvent.objects.filter(action="staff.updated").latest("pk")
    assert set(event.detail["fields"]) >= {"email", "full_name", "position", "work_unit"}
    assert event.target == "agus.baru@lebak.test"


def test_detail_shows_the_full_nip_and_its_facts_and_the_view_is_audited(admin_client):
    person = person_create(nip=VALID_NIPS[1])

    response = admin_client.get(_url("staff_detail", pk=person.pk))

    assert response.status_code == 200
    body = response.content.decode()
    assert "19900101 201503 2 001" in body
    assert "1 January 1990" in body
    assert "March 2015" in body
    assert "Female" in body
    with schema_context("lebak"):
        event = AuditEvent.objects.filter(action="personal_data.viewed").latest("pk")
    assert (event.actor_email, event.target, event.detail) == (
        "admin@lebak.test",
        person.email,
        {"fields": ["nip"]},
    )


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_export_masks_nips_unless_asked_and_every_export_is_audited(admin_client):
    person = person_create(nip=VALID_NIPS[0], full_name="Ekspor Satu")

    masked = _csv_rows(admin_client.get(_url("staff_export"), {"q": "Ekspor Satu"}))
    full = _csv_rows(
        admin_client.get(
            _url("staff_export"), {"q": "Ekspor Satu", "include_nip": "on", "file_format": "csv"}
        )
    )

    assert masked[1][:3] == ["Ekspor Satu", person.email, "19850317 ****** *002"]
    assert full[1][:3] == ["Ekspor Satu", person.email, VALID_NIPS[0]]
    with schema_context("lebak"):
        exports = list(AuditEvent.objects.filter(action="export").order_by("pk"))[-2:]
        viewed = AuditEvent.objects.filter(action="personal_data.viewed").latest("pk")
    assert [e.detail["include_nip"] for e in exports] == [False, True]
    assert viewed.detail["fields"] == ["nip"]
    assert viewed.detail["rows"] == 1


def test_xlsx_export_neutralises_formulas(admin_client):
    person_create(full_name='=HYPERLINK("http://x")')

    response = admin_client.get(_url("staff_export"), {"q": "HYPERLINK", "file_format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=1).value == '\'=HYPERLINK("http://x")'


PERSON_URLS = [
    ("get", "staff_detail"),
    ("get", "staff_edit"),
    ("post", "staff_edit"),
    ("post", "staff_invite"),
    ("post", "staff_invitation_revoke"),
    ("post", "staff_deactivate"),
    ("post", "staff_reactivate"),
]
LIST_URLS = [
    ("get", "staff_list"),
    ("get", "staff_export"),
    ("get", "staff_create"),
    ("post", "staff_create"),
]


@pytest.mark.parametrize(("method", "name"), PERSON_URLS + LIST_URLS)
def test_non_admin_gets_403_on_every_people_url(staff_client, method, name):
    target = person_create()
    url = _url(name, pk=target.pk) if (method, name) in PERSON_URLS else _url(name)

    response = getattr(staff_client, method)(url, _form_data() if method == "post" else {})

    assert response.status_code == 403
    with schema_context("lebak"):
        target.refresh_from_db()
        assert target.is_active
        assert not target.invitations.exists()


@pytest.mark.parametrize(("method", "name"), PERSON_URLS + LIST_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client, method, name):
    target = person_create()
    url = _url(name, pk=target.pk) if (method, name) in PERSON_URLS else _url(name)
    response = getattr(anonymous_client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

"""The catalogue: Sragen's master as shipped, loading it into a regency, and a
master update reaching the regency without erasing what the regency changed."""

import copy

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from modules.permits.catalogue import (
    catalogue_sync,
    master_parse,
    master_read,
    service_type_revert,
    service_type_update,
)
from modules.permits.catalogue.rules import fee_compute
from modules.permits.models import ServiceType
from tests.permits.support import grant, person, signed_in

pytestmark = pytest.mark.django_db


def master_v2(**changes):
    data: dict = {"version": 2, "services": copy.deepcopy(list(master_read().entries.values()))}
    for entry in data["services"]:
        entry.update(changes.get(entry["code"], {}))
    return data


def test_the_master_is_a_realistic_versioned_catalogue():
    master = master_read()
    entries = master.entries.values()
    assert isinstance(master.version, int)
    assert len(master.entries) >= 20
    kinds = {entry["kind"] for entry in entries}
    assert kinds == {"permit", "non_permit"}
    for code in (
        "rekomendasi-pbg",
        "iumk",
        "siup",
        "tdup",
        "izin-reklame",
        "izin-gangguan",
        "kkpr",
        "izin-apotek",
        "izin-klinik",
        "sip-dokter",
        "sip-bidan",
        "rekomendasi-penelitian",
        "legalisasi",
    ):
        assert code in master.entries
    for entry in entries:
        assert entry["requirements"], entry["code"]
        assert 1 <= entry["target_days"] <= entry["legal_days"], entry["code"]
        assert entry["step_roles"], entry["code"]
    delegated = {entry["code"] for entry in entries if entry["delegated_to_kecamatan"]}
    assert {"pbg-rumah-sederhana", "iumk", "siup-mikro"} <= delegated
    assert "rekomendasi-penelitian" not in delegated
    paid = {entry["code"] for entry in entries if entry["fee_rule"]["kind"] != "free"}
    assert {"rekomendasi-pbg", "izin-reklame"} <= paid
    assert "siup" not in paid


def test_a_master_with_a_malformed_entry_is_refused():
    data = master_v2()
    data["services"][0]["fee_rule"] = {"kind": "per_unit", "field": "nothing", "rate": 5}
    with pytest.raises(Exception, match=data["services"][0]["code"]):
        master_parse(data)


def test_loading_the_catalogue_creates_every_master_entry_once(lebak):
    with schema_context("lebak"):
        master = master_read()
        linked = ServiceType.objects.exclude(master_code="")
        assert set(linked.values_list("master_code", flat=True)) >= set(master.entries)
        assert set(linked.values_list("master_version", flat=True)) == {master.version}
        again = catalogue_sync()
        assert again.created == [] and again.updated == []
        siup = ServiceType.objects.get(master_code="siup")
        assert siup.name == "Surat Izin Usaha Perdagangan (SIUP)"
        assert siup.kind == ServiceType.Kind.PERMIT and siup.is_business


def test_a_master_update_reaches_the_regency_without_erasing_its_overrides(lebak):
    with schema_context("lebak"):
        siup = ServiceType.objects.get(master_code="siup")
        service_type_update(
            service=siup,
            changes={"name": "SIUP Kabupaten Lebak", "legal_days": 4},
            actor_email="admin@lebak.test",
        )
        siup.refresh_from_db()
        assert sorted(siup.overridden_fields) == ["legal_days", "name"]

        new_entry = copy.deepcopy(master_read().entries["legalisasi"])
        new_entry.update(code="izin-baru", name="Izin Baru dari Sragen")
        data = master_v2(
            siup={"name": "SIUP (nama baru Sragen)", "legal_days": 6, "target_days": 1}
        )
        data["services"].append(new_entry)
        result = catalogue_sync(master=master_parse(data))

        siup.refresh_from_db()
        assert siup.name == "SIUP Kabupaten Lebak"  # overridden: kept
        assert siup.legal_days == 4  # overridden: kept
        assert siup.target_days == 1  # not overridden: the master's new value
        assert siup.master_version == 2
        assert "izin-baru" in result.created
        assert ServiceType.objects.get(master_code="izin-baru").name == "Izin Baru dari Sragen"


def test_reverting_fields_gives_them_the_masters_value_again(lebak):
    with schema_context("lebak"):
        tdup = ServiceType.objects.get(master_code="tdup")
        master_entry = master_read().entries["tdup"]
        service_type_update(
            service=tdup,
            changes={"name": "TDUP Lebak", "legal_days": 2, "target_days": 1},
            actor_email="admin@lebak.test",
        )
        service_type_revert(service=tdup, fields=["name"], actor_email="admin@lebak.test")
        tdup.refresh_from_db()
        assert tdup.name == master_entry["name"]
        assert sorted(tdup.overridden_fields) == ["legal_days", "target_days"]
        service_type_revert(service=tdup, fields=None, actor_email="admin@lebak.test")
        tdup.refresh_from_db()
        assert tdup.overridden_fields == []
        assert (tdup.legal_days, tdup.target_days) == (
            master_entry["legal_days"],
            master_entry["target_days"],
        )


def test_a_deactivated_entry_stays_deactivated_after_a_master_update(lebak):
    with schema_context("lebak"):
        ServiceType.objects.filter(master_code="iuts").update(is_active=False)
        catalogue_sync(master=master_parse(master_v2(iuts={"legal_days": 12})))
        iuts = ServiceType.objects.get(master_code="iuts")
        assert iuts.is_active is False
        assert iuts.legal_days == 12


def test_a_regencys_own_service_keeps_its_code_when_the_master_adds_the_same(lebak):
    with schema_context("lebak"):
        ServiceType.objects.create(
            code="izin-sumur-bor",
            name="Izin Sumur Bor Lebak",
            kind="permit",
            legal_days=5,
            target_days=3,
        )
        entry = copy.deepcopy(master_read().entries["legalisasi"])
        entry.update(code="izin-sumur-bor", name="Izin Sumur Bor (Sragen)")
        data = master_v2()
        data["services"].append(entry)
        catalogue_sync(master=master_parse(data))
        own = ServiceType.objects.get(code="izin-sumur-bor")
        assert own.master_code == "" and own.name == "Izin Sumur Bor Lebak"
        assert ServiceType.objects.get(master_code="izin-sumur-bor").code == "izin-sumur-bor-2"


@pytest.mark.parametrize(
    ("rule", "data", "fee"),
    [
        ({"kind": "free"}, {}, 0),
        ({"kind": "fixed", "amount": 150000}, {}, 150000),
        (
            {"kind": "per_unit", "field": "m2", "rate": 12500, "minimum": 250000},
            {"m2": 120},
            1500000,
        ),
        ({"kind": "per_unit", "field": "m2", "rate": 12500, "minimum": 250000}, {"m2": 10}, 250000),
    ],
)
def test_fee_rules(rule, data, fee):
    assert fee_compute(rule, data) == fee


def test_the_sync_command_pushes_the_master_to_a_regency(lebak, capsys):
    with schema_context("lebak"):
        ServiceType.objects.filter(master_code="siup").update(name="Lama")
    call_command("permits_catalogue_sync", regency=["lebak"])
    assert "lebak: master v" in capsys.readouterr().out
    with schema_context("lebak"):
        assert (
            ServiceType.objects.get(master_code="siup").name
            == master_read().entries["siup"]["name"]
        )


# --- screens ---------------------------------------------------------------------


def test_the_admin_sees_the_catalogue_with_kinds_deadlines_fees_and_delegation(lebak):
    with schema_context("lebak"):
        admin = person(admin=True)
    response = signed_in("lebak", admin).get("/permits/office/catalogue/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-code="siup"' in page
    assert "Rp 12.500 per m²" in page
    assert "Non-permit service" in page


def test_editing_a_master_entry_on_screen_records_the_override_and_revert_undoes_it(lebak):
    with schema_context("lebak"):
        admin = person(admin=True)
        siup = ServiceType.objects.get(master_code="siup")
        from modules.permits.forms_catalogue import ServiceTypeForm

        data = {k: v for k, v in ServiceTypeForm.initial_for(siup).items() if v is not None}
        data["delegated_kecamatan"] = []
        data["handling_unit"] = siup.handling_unit_id or ""
    data.update(legal_days=4, target_days=1)
    client = signed_in("lebak", admin)
    response = client.post(f"/permits/office/catalogue/{siup.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("lebak"):
        siup.refresh_from_db()
        assert siup.legal_days == 4
        assert sorted(siup.overridden_fields) == ["legal_days", "target_days"]
    client.post(f"/permits/office/catalogue/{siup.pk}/revert/", {"field": "legal_days"})
    with schema_context("lebak"):
        siup.refresh_from_db()
        assert siup.legal_days == master_read().entries["siup"]["legal_days"]
        assert siup.overridden_fields == ["target_days"]


def test_the_admin_adds_an_own_service_and_deactivates_it(lebak):
    with schema_context("lebak"):
        admin = person(admin=True)
    client = signed_in("lebak", admin)
    assert client.get("/permits/office/catalogue/new/").status_code == 200
    response = client.post(
        "/permits/office/catalogue/new/",
        {
            "code": "izin-keramaian-lebak",
            "name": "Rekomendasi Izin Keramaian",
            "kind": "non_permit",
            "requirements": "ktp | Fotokopi KTP | required\nproposal | Proposal acara | optional",
            "form_fields": '[{"name": "peserta", "label": "Jumlah peserta", "type": "int"}]',
            "legal_days": 3,
            "target_days": 1,
            "fee_kind": "per_unit",
            "fee_field": "peserta",
            "fee_rate": 100,
            "fee_minimum": 5000,
            "validity_months": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("lebak"):
        own = ServiceType.objects.get(code="izin-keramaian-lebak")
        assert own.master_code == ""
        assert own.requirements[1] == {
            "code": "proposal",
            "label": "Proposal acara",
            "required": False,
        }
        assert own.fee_rule == {
            "kind": "per_unit",
            "field": "peserta",
            "rate": 100,
            "minimum": 5000,
        }
    client.post(f"/permits/office/catalogue/{own.pk}/active/", {"active": "0"})
    with schema_context("lebak"):
        own.refresh_from_db()
        assert own.is_active is False


def test_a_service_form_with_a_target_longer_than_the_legal_deadline_is_refused(lebak):
    with schema_context("lebak"):
        admin = person(admin=True)
    response = signed_in("lebak", admin).post(
        "/permits/office/catalogue/new/",
        {
            "code": "x-1",
            "name": "X",
            "kind": "permit",
            "requirements": "",
            "legal_days": 3,
            "target_days": 5,
            "fee_kind": "free",
            "validity_months": 0,
        },
    )
    assert response.status_code == 400
    assert b"cannot be longer than the legal deadline" in response.content


def test_front_office_reads_the_catalogue_but_cannot_edit_it(lebak):
    with schema_context("lebak"):
        clerk = person()
        grant(clerk, "front_office")
        siup = ServiceType.objects.get(master_code="siup")
    client = signed_in("lebak", clerk)
    assert client.get("/permits/office/catalogue/").status_code == 200
    assert client.get(f"/permits/office/catalogue/{siup.pk}/").status_code == 403
    assert client.post("/permits/office/catalogue/new/", {}).status_code == 403


def test_a_regency_wide_back_office_keeps_the_catalogue_but_a_kecamatan_one_does_not(lebak):
    from organisation.models import Kecamatan

    with schema_context("lebak"):
        wide, local = person(), person()
        grant(wide, "back_office")
        grant(local, "back_office", kecamatan=Kecamatan.objects.first())
        siup = ServiceType.objects.get(master_code="siup")
    assert signed_in("lebak", wide).get(f"/permits/office/catalogue/{siup.pk}/").status_code == 200
    assert signed_in("lebak", local).get(f"/permits/office/catalogue/{siup.pk}/").status_code == 403


def test_people_without_a_permit_role_cannot_read_the_catalogue_screen(lebak):
    with schema_context("lebak"):
        nobody = person()
    assert signed_in("lebak", nobody).get("/permits/office/catalogue/").status_code == 403

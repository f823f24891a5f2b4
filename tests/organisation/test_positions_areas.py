"""Positions, and the regency's kecamatan and desa/kelurahan: screens and imports."""

import pytest
from django_tenants.utils import schema_context

from core.models import AuditEvent
from organisation.models import Desa, Kecamatan, Position
from tests.organisation.tables import (
    count_shown,
    csv_bytes,
    dry_run,
    import_file,
    problems_shown,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def test_position_create_edit_deactivate_and_delete_when_unused(admin_client):
    client = admin_client("lebak")
    response = client.post(
        "/organisation/positions/new/",
        {"code": "t-juru", "name": "Juru Ukur", "kind": "functional"},
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        position = Position.objects.get(code="T-JURU")
    client.post(
        f"/organisation/positions/{position.pk}/",
        {"code": "T-JURU", "name": "Juru Ukur Pertanahan", "kind": "functional"},
    )
    client.post(f"/organisation/positions/{position.pk}/active/", {"active": "0"})
    with schema_context("lebak"):
        position.refresh_from_db()
        assert (position.name, position.is_active) == ("Juru Ukur Pertanahan", False)
        assert AuditEvent.objects.filter(action="position.deactivated", target="T-JURU").exists()
    assert "Juru Ukur Pertanahan" in client.get("/organisation/positions/").content.decode()
    client.post(f"/organisation/positions/{position.pk}/delete/")
    with schema_context("lebak"):
        assert not Position.objects.filter(code="T-JURU").exists()


def test_position_code_taken_is_shown_on_the_code_field(admin_client):
    response = admin_client("lebak").post(
        "/organisation/positions/new/",
        {"code": "camat", "name": "Camat Lagi", "kind": "structural"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="code"' in html and "already has the code CAMAT" in html


def test_positions_import_accepts_kind_codes_and_labels_and_is_idempotent(admin_client):
    rows = [
        ["Code", " Name ", "KIND", "active"],  # headers match without case or space
        ["T-SURVEYOR", "Surveyor Pemetaan", "Functional", "ya"],
        ["T-SOPIR", "Pengemudi", "executive (pelaksana)", "tidak"],
        ["camat", "Camat", "STRUCTURAL", ""],
    ]
    client = admin_client("lebak")
    import_file(client, "positions", "jabatan.xlsx", xlsx_bytes(rows))
    with schema_context("lebak"):
        assert Position.objects.get(code="T-SURVEYOR").kind == Position.Kind.FUNCTIONAL
        driver = Position.objects.get(code="T-SOPIR")
        assert (driver.kind, driver.is_active) == (Position.Kind.EXECUTIVE, False)
    html, _url = dry_run(client, "positions", "jabatan.xlsx", xlsx_bytes(rows))
    assert (count_shown(html, "new"), count_shown(html, "unchanged")) == (0, 3)


def test_positions_import_lists_bad_kinds(admin_client):
    rows = [["code", "name", "kind"], ["T-X", "X", "Manager"]]
    html, _url = dry_run(admin_client("lebak"), "positions", "p.csv", csv_bytes(rows))
    assert problems_shown(html) == {(2, "kind")}
    assert "structural, functional, executive" in html


def test_kecamatan_list_shows_desa_counts_and_its_page_lists_them(admin_client):
    client = admin_client("lebak")
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.get(code="36.02.01")
        desa_count = kecamatan.desa.filter(kind=Desa.Kind.DESA).count()
        first = kecamatan.desa.earliest("code")
    html = client.get("/organisation/kecamatan/").content.decode()
    row = html[html.index('data-kecamatan="36.02.01"') :]
    assert f'data-testid="desa-count">{desa_count}<' in row[: row.index("</tr>")]
    page = client.get(f"/organisation/kecamatan/{kecamatan.pk}/").content.decode()
    assert first.name in page and first.code in page


def test_renaming_marks_a_local_change_and_is_audited(admin_client):
    client = admin_client("lebak")
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.get(code="36.02.01")
        desa = kecamatan.desa.earliest("code")
    client.post(f"/organisation/kecamatan/{kecamatan.pk}/edit/", {"name": "Malingping Raya"})
    client.post(f"/organisation/desa/{desa.pk}/edit/", {"name": "Desa Baru Nama"})
    with schema_context("lebak"):
        kecamatan.refresh_from_db()
        desa.refresh_from_db()
        assert (kecamatan.name, kecamatan.is_local_change) == ("Malingping Raya", True)
        assert (desa.name, desa.is_local_change) == ("Desa Baru Nama", True)
        assert AuditEvent.objects.filter(action="desa.renamed", target=desa.code).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("36.02.02.2999", "must start with this kecamatan&#x27;s code, 36.02.01"),
        ("36.02.01.999", "NN.NN.NN.NNNN"),
        ("36.02.01.3001", "NN.NN.NN.NNNN"),
        ("36.02.01.2002", "already exists"),
    ],
)
def test_a_local_desa_code_must_sit_under_its_kecamatan(admin_client, code, message):
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.get(code="36.02.01")
    response = admin_client("lebak").post(
        f"/organisation/kecamatan/{kecamatan.pk}/", {"code": code, "name": "Desa Pemekaran"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="code"' in html and message in html
    with schema_context("lebak"):
        assert not Desa.objects.filter(name="Desa Pemekaran").exists()


def test_a_local_desa_and_kelurahan_are_added(admin_client):
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.get(code="36.02.01")
    client = admin_client("lebak")
    client.post(
        f"/organisation/kecamatan/{kecamatan.pk}/",
        {"code": "36.02.01.2999", "name": "Desa Pemekaran"},
    )
    client.post(
        f"/organisation/kecamatan/{kecamatan.pk}/",
        {"code": "36.02.01.1999", "name": "Kelurahan Baru"},
    )
    with schema_context("lebak"):
        desa = Desa.objects.get(code="36.02.01.2999")
        kelurahan = Desa.objects.get(code="36.02.01.1999")
    assert (desa.kind, desa.is_local_change, desa.kecamatan_id) == ("desa", True, kecamatan.pk)
    assert kelurahan.kind == "kelurahan"


def test_area_import_adds_and_renames_with_a_dry_run_first(admin_client):
    rows = [
        ["code", "name"],
        ["36.02.99.2001", "Desa Di Kecamatan Baru"],  # its kecamatan comes later in the file
        ["36.02.99", "Kecamatan Baru"],
        ["36.02.01", "Malingping"],  # unchanged
        ["36.02.01.2002", "Cilangkahan Indah"],
    ]
    client = admin_client("lebak")
    html, _url = dry_run(client, "areas", "wilayah.csv", csv_bytes(rows, delimiter=";"))
    assert (
        count_shown(html, "new"),
        count_shown(html, "updated"),
        count_shown(html, "unchanged"),
    ) == (2, 1, 1)
    with schema_context("lebak"):
        assert not Kecamatan.objects.filter(code="36.02.99").exists()
    import_file(client, "areas", "wilayah.csv", csv_bytes(rows, delimiter=";"))
    with schema_context("lebak"):
        assert Desa.objects.get(code="36.02.99.2001").kecamatan.code == "36.02.99"
        assert Desa.objects.get(code="36.02.01.2002").name == "Cilangkahan Indah"
        assert not Kecamatan.objects.get(code="36.02.01").is_local_change
        assert AuditEvent.objects.filter(action="areas.imported").exists()


def test_area_import_lists_codes_outside_the_regency(admin_client):
    rows = [
        ["code", "name"],
        ["14.72.01", "Dumai Barat"],
        ["36.02.01.2002", ""],
        ["36.02.01", "Malingping"],
        ["36.02.01", "Lagi"],
    ]
    html, _url = dry_run(admin_client("lebak"), "areas", "wilayah.csv", csv_bytes(rows))
    assert problems_shown(html) == {(2, "code"), (3, "name"), (5, "code")}
    assert "outside this regency" in html

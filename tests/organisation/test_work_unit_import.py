"""Importing work units from CSV and XLSX: a dry run that lists every row's
problems and writes nothing, an all-or-nothing commit, and a second import of
the same file that changes nothing."""

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from django_tenants.utils import schema_context

from core.models import AuditEvent
from organisation.models import Kecamatan, WorkUnit
from organisation.tables import IMPORT_DIR, KINDS, organisation_import_check
from tests.organisation.tables import (
    WORK_UNIT_HEADER,
    count_shown,
    csv_bytes,
    dry_run,
    import_file,
    problems_shown,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

# An en dash and an accent: characters that differ between Windows-1252 and UTF-8.
NAME = "Bidang Pemberdayaan Perempuan \u2013 Anak \u00e9"

GOOD = [
    WORK_UNIT_HEADER,
    ["T-DINAS", "Dinas Uji Coba", "dinas", "", "", "yes"],
    ["T-DINAS-1", "Bidang Satu", "bagian", "T-DINAS", "", ""],
    ["T-KEC", "Kantor Kecamatan Uji", "Kecamatan office", "", "36.02.01", ""],
]


def parent_code(unit: WorkUnit) -> str | None:
    return unit.parent.code if unit.parent else None


def lebak_units() -> dict[str, WorkUnit]:
    with schema_context("lebak"):
        return {u.code: u for u in WorkUnit.objects.select_related("parent", "kecamatan")}


def test_dry_run_lists_every_rows_problem_and_writes_nothing(admin_client):
    rows = [
        WORK_UNIT_HEADER,
        ["T-OK", "Dinas Baik", "dinas", "", "", "yes"],
        ["T-OK", "Duplicate", "dinas", "", "", ""],
        ["T-KIND", "Bidang", "nonsense", "", "", ""],
        ["T-KEC", "Kantor", "kecamatan", "", "99.99.99", ""],
        ["T-NONAME", "", "dinas", "", "", ""],
        ["T-ORPHAN", "Unit", "dinas", "NOPE", "", ""],
        ["T-FLAG", "Unit", "BADAN", "", "", "maybe"],
        ["T-LABEL", "Unit", "Agency (dinas)", "", "", ""],
        ["T-LOOP-A", "Loop A", "dinas", "T-LOOP-B", "", ""],
        ["T-LOOP-B", "Loop B", "dinas", "T-LOOP-A", "", ""],
        ["SETDA", "Sekretariat Daerah", "sekretariat", "SETDA-PEM", "", ""],
    ]
    before = lebak_units()
    client = admin_client("lebak")
    html, _url = dry_run(client, "work-units", "units.csv", csv_bytes(rows))

    assert problems_shown(html) == {
        (3, "code"),
        (4, "kind"),
        (5, "kecamatan"),
        (6, "name"),
        (7, "parent"),
        (8, "active"),
        (10, "parent"),
        (11, "parent"),
        (12, "parent"),  # SETDA-PEM is SETDA's own sub-unit
    }
    assert "appears again in this file (first on row 2)" in html
    assert "There is no kecamatan with the code 99.99.99" in html
    assert 'data-testid="import-commit"' not in html
    assert lebak_units().keys() == before.keys()
    with schema_context("lebak"):
        assert not AuditEvent.objects.filter(action="work_units.imported").exists()


def test_commit_writes_the_file_and_audits_it(admin_client):
    client = admin_client("lebak")
    html = import_file(client, "work-units", "units.csv", csv_bytes(GOOD))
    assert "3 new, 0 updated, 0 unchanged" in html
    units = lebak_units()
    assert parent_code(units["T-DINAS-1"]) == "T-DINAS"
    assert units["T-KEC"].kind == WorkUnit.Kind.KECAMATAN
    with schema_context("lebak"):
        assert units["T-KEC"].kecamatan_id == Kecamatan.objects.get(code="36.02.01").pk
    with schema_context("lebak"):
        event = AuditEvent.objects.get(action="work_units.imported")
    assert event.detail["new"] == 3 and event.target == "units.csv"


def test_importing_the_same_file_twice_creates_nothing_new(admin_client):
    client = admin_client("lebak")
    import_file(client, "work-units", "units.csv", csv_bytes(GOOD))
    count = len(lebak_units())
    html, review_url = dry_run(client, "work-units", "units.csv", csv_bytes(GOOD))
    assert (count_shown(html, "new"), count_shown(html, "updated")) == (0, 0)
    assert count_shown(html, "unchanged") == 3
    client.post(review_url)
    assert len(lebak_units()) == count


def test_changed_rows_are_updated_and_empty_kind_or_active_keep_the_unit_as_is(admin_client):
    client = admin_client("lebak")
    import_file(client, "work-units", "units.csv", csv_bytes(GOOD))
    changed = [
        WORK_UNIT_HEADER,
        ["T-DINAS", "Dinas Uji Coba Baru", "", "", "", "no"],
        ["T-DINAS-1", "Bidang Satu", "", "T-DINAS", "", ""],
    ]
    html, review_url = dry_run(client, "work-units", "changed.csv", csv_bytes(changed))
    assert (count_shown(html, "updated"), count_shown(html, "unchanged")) == (1, 1)
    client.post(review_url)
    dinas = lebak_units()["T-DINAS"]
    assert (dinas.name, dinas.kind, dinas.is_active) == ("Dinas Uji Coba Baru", "dinas", False)


def test_parents_may_be_declared_later_in_the_file(admin_client):
    rows = [
        WORK_UNIT_HEADER,
        ["T-GRANDCHILD", "Seksi", "bagian", "T-CHILD", "", ""],
        ["T-CHILD", "Bidang", "bagian", "t-root", "", ""],  # parent codes ignore case
        ["T-ROOT", "Dinas", "dinas", "", "", ""],
    ]
    import_file(admin_client("lebak"), "work-units", "later.csv", csv_bytes(rows))
    units = lebak_units()
    assert parent_code(units["T-GRANDCHILD"]) == "T-CHILD"
    assert parent_code(units["T-CHILD"]) == "T-ROOT"


def test_commit_checks_again_and_writes_nothing_when_the_data_changed_since_the_dry_run(
    admin_client,
):
    with schema_context("lebak"):
        WorkUnit.objects.create(code="T-GONE", name="Soon gone")
    rows = [
        WORK_UNIT_HEADER,
        ["T-NEW", "New", "dinas", "", "", ""],
        ["T-SUB", "Sub", "bagian", "T-GONE", "", ""],
    ]
    client = admin_client("lebak")
    html, review_url = dry_run(client, "work-units", "units.csv", csv_bytes(rows))
    assert not problems_shown(html)
    with schema_context("lebak"):
        WorkUnit.objects.filter(code="T-GONE").delete()
    response = client.post(review_url)
    assert response.status_code == 409
    assert problems_shown(response.content.decode()) == {(3, "parent")}
    assert "T-NEW" not in lebak_units()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        (
            "excel-windows.csv",
            csv_bytes(
                [
                    WORK_UNIT_HEADER,
                    ["T-ENC", NAME, "bagian", "", "", ""],
                ],
                encoding="cp1252",
            ),
        ),
        (
            "excel-utf8.csv",
            "\ufeff".encode()
            + csv_bytes(
                [
                    WORK_UNIT_HEADER,
                    ["T-ENC", NAME, "bagian", "", "", ""],
                ]
            ),
        ),
        (
            "excel-indonesia.csv",
            csv_bytes(
                [
                    WORK_UNIT_HEADER,
                    ["T-ENC", NAME, "bagian", "", "", ""],
                ],
                delimiter=";",
            ),
        ),
        (
            "units.xlsx",
            xlsx_bytes(
                [
                    WORK_UNIT_HEADER,
                    ["T-ENC", NAME, "bagian", None, None, None],
                ]
            ),
        ),
    ],
    ids=["windows-1252", "utf-8-bom", "semicolon", "xlsx"],
)
def test_spreadsheets_as_excel_saves_them_are_read(admin_client, filename, content):
    import_file(admin_client("lebak"), "work-units", filename, content)
    unit = lebak_units()["T-ENC"]
    assert unit.name == NAME
    assert unit.kind == WorkUnit.Kind.BAGIAN


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("units.csv", b"\x00\x01\x02binary\x00", "This is not a CSV or XLSX file."),
        ("units.xlsx", b"code,name\nA,B\n", "The XLSX file is damaged or not a spreadsheet."),
        (
            "units.xlsx",
            b"PK\x03\x04 not really a zip",
            "The XLSX file is damaged or not a spreadsheet.",
        ),
        ("units.csv", b"kode,nama\nA,B\n", "Column(s) missing from the first row: code, name."),
        ("units.csv", b"   \n", "The file is empty."),
        ("units.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
    ],
    ids=["binary", "csv-named-xlsx", "broken-zip", "wrong-header", "empty", "pdf"],
)
def test_malformed_file_is_refused_on_the_upload_page_with_a_clear_message(
    admin_client, filename, content, message
):
    client = admin_client("lebak")
    with schema_context("lebak"):
        stored_before = (
            default_storage.listdir(IMPORT_DIR)[1] if default_storage.exists(IMPORT_DIR) else []
        )
    response = client.post("/organisation/work-units/import/", {"file": upload(filename, content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="file"' in html
    assert message in html.replace("&#x27;", "'")
    with schema_context("lebak"):
        stored_after = (
            default_storage.listdir(IMPORT_DIR)[1] if default_storage.exists(IMPORT_DIR) else []
        )
    assert stored_after == stored_before


def test_header_only_file_is_a_problem_not_an_empty_import():
    with schema_context("lebak"), translation.override("en"):
        plan = organisation_import_check(
            kind=KINDS["work-units"],
            data=b"code,name\n",
            filename="x.csv",
            region_code="36.02",
        )
    assert not plan.ok
    assert plan.problems[0].message == "The file has no rows below the header."


def test_cancel_discards_the_uploaded_file_and_the_review_is_gone(admin_client):
    client = admin_client("lebak")
    _html, review_url = dry_run(client, "work-units", "units.csv", csv_bytes(GOOD))
    token = review_url.rstrip("/").rsplit("/", 1)[-1]
    stored = client.session["organisation_imports"][token]["name"]
    with schema_context("lebak"):
        assert default_storage.exists(stored)
    client.post(f"{review_url}cancel/")
    with schema_context("lebak"):
        assert not default_storage.exists(stored)
    assert client.get(review_url).status_code == 404
    assert "T-DINAS" not in lebak_units()


def test_a_review_token_means_nothing_in_another_session(admin_client):
    _html, review_url = dry_run(admin_client("lebak"), "work-units", "units.csv", csv_bytes(GOOD))
    other = admin_client("lebak")
    assert other.get(review_url).status_code == 404
    assert other.post(review_url).status_code == 404
    assert "T-DINAS" not in lebak_units()

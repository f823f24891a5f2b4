"""The public tracking page: the timeline of an application by its tracking code,
with no personal data beyond the applicant's initials, and a limit on lookups
per client address."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from modules.permits.tracking import name_mask
from tests.accounts.helpers import client_at, random_ip
from tests.permits.helpers_public import (
    ADDRESS,
    EMAIL,
    NIK,
    PHONE,
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
)
from tests.permits.test_dashboards import statements


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


def track(code: str, client: Client | None = None):
    client = client or client_at("lebak.localhost")
    return client.get("/permits/public/track/", {"code": code})


def test_name_mask_keeps_initials_only():
    assert name_mask("Siti Rahmawati") == "S*** R***"
    assert name_mask("  Ahmad  ") == "A***"
    assert name_mask("") == ""


def test_timeline_shows_steps_with_dates_and_the_status():
    with in_regency("lebak"):
        application = application_make(
            service=service_make(name="Izin Reklame", legal_days=5), status=S.VERIFICATION
        )
    response = track(application.tracking_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Izin Reklame" in html
    assert application.number in html
    assert 'data-status="verification"' in html
    steps = html[html.index('data-testid="track-steps"') :]
    steps = steps[: steps.index("</ol>")]
    assert [
        s for s in ("submitted", "completeness", "verification") if f'data-status="{s}"' in steps
    ] == [
        "submitted",
        "completeness",
        "verification",
    ]
    assert steps.count("<time") == 3
    assert "the rules allow 5" in html


def test_tracking_page_leaks_no_personal_data():
    with in_regency("lebak"):
        application = application_make(service=service_make(), status=S.RETURNED)
    html = track(application.tracking_code).content.decode()
    assert "S*** R***" in html
    for private in (NIK, EMAIL, PHONE, ADDRESS, "Siti Rahmawati", "Rahmawati"):
        assert private not in html, private
    # Nor who handled it on the staff side.
    assert "Petugas Rahasia" not in html and "petugas@lebak.test" not in html
    # The reason for returning it is what the applicant needs to act on.
    assert "Berkas kurang lengkap" in html


def test_code_may_be_typed_in_lower_case_with_spaces():
    with in_regency("lebak"):
        application = application_make(service=service_make(), status=S.SUBMITTED)
    code = application.tracking_code.lower()
    spaced = f" {code[:4]} {code[4:8]} {code[8:]} "
    assert track(spaced).status_code == 200


def test_unknown_code_is_a_friendly_not_found_revealing_nothing():
    response = track("ABCDEFGHJKMN")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="track-not-found"' in html
    assert 'data-testid="track-result"' not in html


def test_overdue_application_is_flagged_and_finished_ones_show_days_taken():
    today = timezone.localdate()
    with in_regency("lebak"):
        service = service_make(legal_days=3)
        late = application_make(
            service=service,
            status=S.VERIFICATION,
            submitted_at=timezone.now() - datetime.timedelta(days=20),
            legal_due_on=today - datetime.timedelta(days=10),
        )
        done = application_make(
            service=service,
            status=S.COMPLETED,
            finished_at=timezone.now(),
            working_days_taken=2,
        )
    assert 'data-testid="track-overdue"' in track(late.tracking_code).content.decode()
    html = track(done.tracking_code).content.decode()
    assert 'data-testid="track-overdue"' not in html
    elapsed = html[html.index('data-testid="track-elapsed"') :]
    assert elapsed[: elapsed.index("</dd>")].split(">", 1)[1].strip().startswith("2 working days")
    # Picked up and not yet rated: the survey is offered.
    assert f"/permits/public/survey/{done.tracking_code}/" in html


def test_lookups_are_limited_per_client_address():
    with in_regency("lebak"):
        application = application_make(service=service_make(), status=S.SUBMITTED)
    address = random_ip()
    client = Client(HTTP_HOST="lebak.localhost", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    for attempt in range(settings.PERMITS_LOOKUPS_PER_MINUTE):
        code = application.tracking_code if attempt % 2 else f"WRONG{attempt:07d}"
        assert track(code, client).status_code in (200, 404)
    refused = track(application.tracking_code, client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    html = refused.content.decode()
    assert 'data-testid="rate-limited"' in html and "Too many lookups" in html
    assert application.number not in html
    # Another address is not affected; the empty form is not a lookup.
    assert track(application.tracking_code).status_code == 200
    assert client.get("/permits/public/track/").status_code == 200


def test_survey_lookups_count_towards_the_limit():
    address = random_ip()
    client = Client(HTTP_HOST="lebak.localhost", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    for attempt in range(settings.PERMITS_LOOKUPS_PER_MINUTE):
        assert client.get(f"/permits/public/survey/GUESS{attempt:07d}/").status_code == 404
    assert client.get("/permits/public/survey/GUESS9999999/").status_code == 429


def test_page_costs_the_same_queries_with_many_steps(django_assert_max_num_queries):
    with in_regency("lebak"):
        service = service_make()
        short = application_make(service=service, status=S.SUBMITTED)
        long = application_make(service=service, status=S.COMPLETED)
    client = client_at("lebak.localhost")
    track(short.tracking_code, client)  # warm the routing cache
    with django_assert_max_num_queries(12) as short_queries:
        track(short.tracking_code, client)
    with django_assert_max_num_queries(12) as long_queries:
        track(long.tracking_code, client)
    assert statements(long_queries) == statements(short_queries)

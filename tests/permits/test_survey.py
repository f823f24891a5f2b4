"""The IKM of PermenPANRB 14/2017: the formula on a worked example, the grade
boundaries, and the applicant's survey after pick-up (once per application)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from modules.permits.models import SurveyResponse
from modules.permits.survey import ikm_grade, ikm_index, ikm_index_from_sums
from tests.accounts.helpers import client_at
from tests.permits.helpers_public import (
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
)

# Four respondents, elements U1..U9.
WORKED_EXAMPLE = [
    (4, 4, 3, 4, 3, 3, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 4, 4, 3, 4, 2, 3),
]
# By hand: element sums 14, 13, 11, 16, 13, 13, 16, 11, 12 (total 119); means are
# sums / 4, so the sum of means is 119 / 4 = 29.75; x 1/9 = 3.30556; x 25 = 82.639,
# printed 82.64: grade B (76.61-88.30), "Good".
WORKED_INDEX = Decimal("82.64")


def test_worked_example_gives_known_index_and_grade():
    index = ikm_index(WORKED_EXAMPLE)
    assert index == WORKED_INDEX
    grade = ikm_grade(index)
    assert grade is not None and grade.letter == "B"


def test_index_from_sums_equals_index_from_responses():
    sums = [sum(column) for column in zip(*WORKED_EXAMPLE, strict=True)]
    assert sums == [14, 13, 11, 16, 13, 13, 16, 11, 12]
    assert ikm_index_from_sums(sums=sums, count=4) == WORKED_INDEX


def test_extremes_are_100_and_25():
    assert ikm_index([(4,) * 9]) == Decimal("100.00")
    assert ikm_index([(1,) * 9, (1,) * 9]) == Decimal("25.00")
    assert ikm_index([]) is None
    assert ikm_grade(None) is None


@pytest.mark.parametrize(
    ("index", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(index, letter):
    grade = ikm_grade(Decimal(index))
    assert grade is not None and grade.letter == letter


def test_scores_outside_1_to_4_are_refused():
    with pytest.raises(ValueError):
        ikm_index([(5, 4, 4, 4, 4, 4, 4, 4, 4)])
    with pytest.raises(ValueError):
        ikm_index([(4, 4, 4)])


# --- the survey page ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


def _answers(scores=(4, 4, 3, 4, 3, 3, 4, 3, 3), comment="Cepat"):
    return {**{f"u{i}": str(score) for i, score in enumerate(scores, start=1)}, "comment": comment}


def _completed_application():
    with in_regency("lebak"):
        return application_make(service=service_make(), status=S.COMPLETED)


def test_applicant_rates_once_after_pick_up():
    application = _completed_application()
    client = client_at("lebak.localhost")
    url = f"/permits/public/survey/{application.tracking_code}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-element="u') == 9
    assert "Behaviour of the staff" in html

    response = client.post(url, _answers())
    assert response.status_code == 201
    assert 'data-testid="survey-thanks"' in response.content.decode()
    with in_regency("lebak"):
        saved = SurveyResponse.objects.get(application=application)
        assert (saved.u1, saved.u3, saved.u9, saved.comment) == (4, 3, 3, "Cepat")

    again = client.post(url, _answers(scores=(1,) * 9))
    assert again.status_code == 400
    with in_regency("lebak"):
        assert SurveyResponse.objects.filter(application=application).count() == 1
        assert SurveyResponse.objects.get(application=application).u1 == 4
    assert 'data-testid="survey-done"' in client.get(url).content.decode()


def test_survey_is_closed_before_pick_up():
    with in_regency("lebak"):
        application = application_make(service=service_make(), status=S.ISSUED)
    client = client_at("lebak.localhost")
    url = f"/permits/public/survey/{application.tracking_code}/"
    assert 'data-testid="survey-not-open"' in client.get(url).content.decode()
    assert client.post(url, _answers()).status_code == 400
    with in_regency("lebak"):
        assert not SurveyResponse.objects.filter(application=application).exists()


def test_missing_rating_is_shown_on_the_field():
    application = _completed_application()
    answers = _answers()
    del answers["u5"]
    response = client_at("lebak.localhost").post(
        f"/permits/public/survey/{application.tracking_code}/", answers
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a rating for this element." in html
    with in_regency("lebak"):
        assert not SurveyResponse.objects.filter(application=application).exists()


def test_unknown_code_is_a_friendly_not_found():
    response = client_at("lebak.localhost").get("/permits/public/survey/ZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert 'data-testid="survey-not-found"' in response.content.decode()


def test_ikm_page_shows_the_index_per_service_and_period():
    with in_regency("lebak"):
        service = service_make(name="Layanan Uji IKM")
        for scores in WORKED_EXAMPLE:
            application = application_make(service=service, status=S.COMPLETED)
            SurveyResponse.objects.create(
                application=application,
                submitted_at=timezone.now(),
                **{f"u{i}": score for i, score in enumerate(scores, start=1)},
            )
    client = client_at("lebak.localhost")
    for period in ("month", "quarter", "year"):
        html = client.get(f"/permits/public/ikm/?period={period}").content.decode()
        row = html[html.index('data-service="Layanan Uji IKM"') :]
        row = row[: row.index("</tr>")]
        assert "82.64" in row or "82,64" in row, period
        assert ">B<" in row

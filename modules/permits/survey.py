"""The community satisfaction index (IKM, Indeks Kepuasan Masyarakat) of
PermenPANRB 14/2017, and the applicant's survey after pick-up.

Each respondent rates nine service elements from 1 to 4. The index is the mean
score of each element weighted by 1/9 (the regulation's equal weight), summed and
scaled by 25 to the 25-100 range. The pure functions here take scores or sums, so
the dashboards can feed them sums aggregated in SQL."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from modules.permits.models import Application, SurveyResponse

SCORE_MIN = 1
SCORE_MAX = 4
SCALE = Decimal(25)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Element:
    field: str
    label: str | Promise


# The nine elements in the regulation's order (U1-U9).
ELEMENTS: tuple[Element, ...] = (
    Element("u1", gettext_lazy("Requirements")),
    Element("u2", gettext_lazy("Systems, mechanisms and procedures")),
    Element("u3", gettext_lazy("Time to complete")),
    Element("u4", gettext_lazy("Cost / fee")),
    Element("u5", gettext_lazy("Products: specification of the type of service")),
    Element("u6", gettext_lazy("Competence of the staff")),
    Element("u7", gettext_lazy("Behaviour of the staff")),
    Element("u8", gettext_lazy("Handling of complaints, suggestions and feedback")),
    Element("u9", gettext_lazy("Facilities and infrastructure")),
)
FIELDS: tuple[str, ...] = tuple(element.field for element in ELEMENTS)

# What each score means, as the questionnaire's answers read.
SCORE_LABELS: dict[int, str | Promise] = {
    1: gettext_lazy("Poor"),
    2: gettext_lazy("Fair"),
    3: gettext_lazy("Good"),
    4: gettext_lazy("Very good"),
}


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str | Promise
    # The lowest index (two decimals) that earns it.
    minimum: Decimal


# PermenPANRB 14/2017, converted IKM value ranges (nilai interval konversi).
GRADES: tuple[Grade, ...] = (
    Grade("A", gettext_lazy("Very good"), Decimal("88.31")),
    Grade("B", gettext_lazy("Good"), Decimal("76.61")),
    Grade("C", gettext_lazy("Fair"), Decimal("65.00")),
    Grade("D", gettext_lazy("Poor"), Decimal("25.00")),
)


def ikm_index_from_sums(*, sums: Sequence[int], count: int) -> Decimal | None:
    """The index of `count` responses whose scores of U1..U9 add up to `sums`
    (None without a response): sum over elements of mean x 1/9, times 25, rounded
    half up to two decimals as the regulation's reports print it."""
    if count <= 0:
        return None
    if len(sums) != len(ELEMENTS):
        raise ValueError("IKM needs the sums of all nine elements")
    total = sum((Decimal(element_sum) / count for element_sum in sums), Decimal(0))
    return (total / len(ELEMENTS) * SCALE).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ikm_index(responses: Iterable[Sequence[int]]) -> Decimal | None:
    """The index of a set of responses, each the nine scores U1..U9 in order."""
    sums = [0] * len(ELEMENTS)
    count = 0
    for scores in responses:
        if len(scores) != len(ELEMENTS):
            raise ValueError("an IKM response has nine scores")
        for position, score in enumerate(scores):
            if not SCORE_MIN <= score <= SCORE_MAX:
                raise ValueError(f"IKM scores are {SCORE_MIN} to {SCORE_MAX}, not {score}")
            sums[position] += score
        count += 1
    return ikm_index_from_sums(sums=sums, count=count)


def ikm_grade(index: Decimal | None) -> Grade | None:
    """The quality grade of an index; None for no index."""
    if index is None:
        return None
    rounded = index.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for grade in GRADES:
        if rounded >= grade.minimum:
            return grade
    # Below 25 cannot come from scores of 1 to 4; grade it as the lowest anyway.
    return GRADES[-1]


def response_scores(response: SurveyResponse) -> tuple[int, ...]:
    return tuple(int(getattr(response, field)) for field in FIELDS)


def survey_submit(
    *,
    application: Application,
    scores: Sequence[int],
    comment: str = "",
    request: HttpRequest | None = None,
) -> SurveyResponse:
    """Record the applicant's ratings, once per application, after pick-up."""
    if application.status != Application.Status.COMPLETED:
        raise ValidationError(_("The survey opens once the permit has been picked up."))
    if len(scores) != len(ELEMENTS) or any(not SCORE_MIN <= score <= SCORE_MAX for score in scores):
        raise ValidationError(_("Rate each of the nine elements from 1 to 4."))
    response = SurveyResponse(
        application=application,
        comment=comment.strip(),
        submitted_at=timezone.now(),
        **dict(zip(FIELDS, scores, strict=True)),
    )
    try:
        with transaction.atomic():
            if SurveyResponse.objects.filter(application=application).exists():
                raise ValidationError(_("This application has already been rated. Thank you."))
            response.full_clean(validate_unique=False)
            response.save()
            audit_record(
                action="permits.survey.submitted",
                target=application.number,
                detail={"index": str(ikm_index([tuple(scores)]))},
                request=request,
            )
    except IntegrityError:
        # Two submissions at the same moment: the other one won.
        raise ValidationError(_("This application has already been rated. Thank you.")) from None
    return response

"""What the public tracking page shows for a tracking code, and the lookup limit.

Whoever holds a tracking code sees the application's progress and nothing that
identifies the applicant beyond initials: no NIK, address, phone or email, and
no staff names. Lookups are limited per client address, so codes cannot be
guessed by trying many (they are long and random as well)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import Promise

from core.audit import client_ip
from core.workdays import WorkCalendar
from modules.permits.models import Application, ApplicationTransition
from modules.permits.numbering import tracking_code_normalise
from modules.permits.regency import regency_localdate

TRACKING_CODE_MAX = 24
WINDOW_SECONDS = 60
# A reason is shown only where the applicant must act on it or learn the decision.
REASON_SHOWN_FOR = frozenset({Application.Status.RETURNED, Application.Status.REJECTED})
FINISHED = frozenset(
    {Application.Status.ISSUED, Application.Status.COMPLETED, Application.Status.REJECTED}
)


def name_mask(name: str) -> str:
    """`Siti Rahmawati` -> `S*** R***`: enough for the applicant to recognise."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)


def tracking_code_clean(raw: str) -> str:
    """The code as typed or pasted (spaces, dashes and case do not matter)."""
    return tracking_code_normalise(raw)


@dataclass(frozen=True)
class Step:
    status: str
    label: str | Promise
    at: datetime.datetime
    reason: str


@dataclass(frozen=True)
class Tracking:
    application: Application
    applicant_masked: str
    steps: list[Step]
    working_days_elapsed: int
    legal_days: int
    target_days: int
    finished: bool
    overdue: bool
    certificate_number: str
    can_rate: bool
    rated: bool


def tracking_lookup(code: str) -> Tracking | None:
    """The tracking view of the application with this code, or None."""
    code = tracking_code_clean(code)
    if not code or len(code) > TRACKING_CODE_MAX:
        return None
    application = (
        Application.objects.select_related("service", "certificate", "survey")
        .filter(tracking_code=code)
        .first()
    )
    if application is None:
        return None
    labels = dict(Application.Status.choices)
    steps = [
        Step(
            status=transition.to_status,
            label=labels.get(transition.to_status, transition.to_status),
            at=transition.at,
            reason=transition.reason if transition.to_status in REASON_SHOWN_FOR else "",
        )
        for transition in ApplicationTransition.objects.filter(application=application).only(
            "to_status", "reason", "at"
        )
    ]
    finished = application.status in FINISHED
    if finished and application.working_days_taken is not None:
        elapsed = application.working_days_taken
    else:
        # Counted as the inbox counts it: the day of receipt is day 1.
        elapsed = WorkCalendar().elapsed(
            due=application.legal_due_on,
            days=application.service.legal_days,
            today=regency_localdate(),
        )
    certificate = getattr(application, "certificate", None)
    rated = getattr(application, "survey", None) is not None
    return Tracking(
        application=application,
        applicant_masked=name_mask(application.applicant_name),
        steps=steps,
        working_days_elapsed=elapsed,
        legal_days=application.service.legal_days,
        target_days=application.service.target_days,
        finished=finished,
        overdue=not finished and regency_localdate() > application.legal_due_on,
        certificate_number=certificate.number if certificate else "",
        can_rate=application.status == Application.Status.COMPLETED and not rated,
        rated=rated,
    )


def lookup_allowed(request: HttpRequest) -> bool:
    """Count one lookup by this client; False once it made more than the limit in
    the current window. The cache is per regency (tenant-prefixed keys)."""
    limit = int(settings.PERMITS_LOOKUPS_PER_MINUTE)
    key = f"permits:lookups:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add and incr: this lookup opens a new one.
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit

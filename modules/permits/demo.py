"""Demo permit applications for a demo regency: some 150 over the last six months,
in every state, some overdue, the older ones decided with certificates, many of
the picked-up ones rated. Runs in the regency's schema (seed_demo).

Rows are written directly with bulk inserts (the seed runs at the start of every
test session), with timestamps on the regency's working days and office hours, so
inboxes, tracking pages and dashboards show what a real office's would. No
billing usage is recorded for them: they were never issued for real. Idempotent:
a regency that has demo applications gets nothing more."""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.db import tenant_connection
from core.workdays import WorkCalendar, local_date, local_today, regency_zone
from modules.permits.catalogue import catalogue_sync
from modules.permits.catalogue.rules import fee_compute
from modules.permits.certificates import CERTIFICATE_PREFIX
from modules.permits.models import (
    Application,
    ApplicationTransition,
    Certificate,
    NumberSequence,
    ServiceType,
    SurveyResponse,
)
from modules.permits.numbering import APPLICATION_PREFIX, TRACKING_ALPHABET, TRACKING_LENGTH
from modules.permits.regency import months_add
from organisation.models import Desa, Kecamatan, WorkUnit

S = Application.Status
KEY_PREFIX = "demo-"
HISTORY_DAYS = 180

# Final states and how many of each; "overdue" ones are open past their deadline.
PLAN: tuple[tuple[str, int, bool], ...] = (
    (S.COMPLETED, 58, False),
    (S.ISSUED, 14, False),
    (S.REJECTED, 10, False),
    (S.RETURNED, 6, False),
    (S.SUBMITTED, 9, False),
    (S.COMPLETENESS, 9, False),
    (S.VERIFICATION, 11, False),
    (S.RECOMMENDATION, 7, False),
    (S.APPROVAL, 8, False),
    (S.COMPLETENESS, 4, True),
    (S.VERIFICATION, 6, True),
    (S.RECOMMENDATION, 4, True),
    (S.APPROVAL, 4, True),
)
PATHS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.SUBMITTED,),
    S.COMPLETENESS: (S.SUBMITTED, S.COMPLETENESS),
    S.RETURNED: (S.SUBMITTED, S.COMPLETENESS, S.RETURNED),
    S.VERIFICATION: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION),
    S.RECOMMENDATION: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION),
    S.APPROVAL: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL),
    S.ISSUED: (
        S.SUBMITTED,
        S.COMPLETENESS,
        S.VERIFICATION,
        S.RECOMMENDATION,
        S.APPROVAL,
        S.ISSUED,
    ),
    S.COMPLETED: (
        S.SUBMITTED,
        S.COMPLETENESS,
        S.VERIFICATION,
        S.RECOMMENDATION,
        S.APPROVAL,
        S.ISSUED,
        S.COMPLETED,
    ),
    S.REJECTED: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.REJECTED),
}
# Who moves an application into each state (the demo office's staff, by role).
ACTORS: dict[str, tuple[str, str]] = {
    S.COMPLETENESS: ("front.office", "Dian Puspita"),
    S.RETURNED: ("front.office", "Dian Puspita"),
    S.VERIFICATION: ("front.office", "Dian Puspita"),
    S.RECOMMENDATION: ("tim.teknis", "Agus Wibowo"),
    S.APPROVAL: ("tim.teknis", "Agus Wibowo"),
    S.ISSUED: ("kepala.dinas", "Hendra Gunawan"),
    S.REJECTED: ("back.office", "Yuni Kartika"),
    S.COMPLETED: ("front.office", "Dian Puspita"),
}
REASONS: dict[str, str] = {
    S.RETURNED: "Gambar teknis belum ditandatangani; mohon unggah ulang.",
    S.REJECTED: "Lokasi tidak sesuai dengan rencana tata ruang (RDTR).",
}
FIRST_NAMES = (
    "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Sri", "Joko", "Nur", "Eko",
    "Wati", "Hadi", "Lestari", "Bambang", "Yuliana", "Rudi", "Fitri", "Slamet", "Ratna", "Dedi",
)  # fmt: skip
LAST_NAMES = (
    "Rahmawati", "Hidayat", "Susanti", "Santoso", "Marlina", "Setiawan", "Wahyuni",
    "Prasetyo", "Haryanto", "Kurniawan", "Anggraini", "Saputra", "Handayani", "Nugroho",
)  # fmt: skip
BUSINESS_WORDS = (
    ("CV", "Toko", "Usaha Dagang", "PT"),
    ("Maju", "Sumber", "Karya", "Berkah", "Sinar", "Mitra", "Cahaya"),
    ("Jaya", "Makmur", "Abadi", "Sejahtera", "Mandiri", "Lestari", "Utama"),
)
STREETS = ("Jl. Raya", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Sudirman", "Jl. Veteran", "Gg. Melati")


@dataclass
class _Planned:
    application: Application
    steps: list[tuple[str, datetime.datetime]]


def demo_permits_seed() -> int:
    """Create the demo applications if this regency has none; returns how many."""
    if Application.objects.filter(submission_key__startswith=KEY_PREFIX).exists():
        return 0
    if not ServiceType.objects.exists():
        catalogue_sync()
    services = list(
        ServiceType.objects.filter(is_active=True).prefetch_related("delegated_kecamatan")
    )
    kecamatan = list(Kecamatan.objects.order_by("code")[:8])
    if not services or not kecamatan:
        return 0
    # Reproducible per regency; nothing secret is drawn from it.
    rng = random.Random(f"permits-demo-{tenant_connection().schema_name}")  # noqa: S311
    desa_by_kecamatan: dict[int, list[Desa]] = {}
    for desa in Desa.objects.filter(kecamatan__in=kecamatan).order_by("code"):
        desa_by_kecamatan.setdefault(desa.kecamatan_id, []).append(desa)
    offices = {
        unit.kecamatan_id: unit
        for unit in WorkUnit.objects.filter(kind=WorkUnit.Kind.KECAMATAN, is_active=True)
        if unit.kecamatan_id is not None
    }
    calendar = WorkCalendar()
    now = timezone.now()
    with transaction.atomic():
        planned = [
            _plan(
                index=index,
                status=status,
                overdue=overdue,
                rng=rng,
                services=services,
                kecamatan=kecamatan,
                desa_by_kecamatan=desa_by_kecamatan,
                offices=offices,
                calendar=calendar,
                now=now,
            )
            for index, (status, overdue) in enumerate(
                (status, overdue) for status, count, overdue in PLAN for _ in range(count)
            )
        ]
        planned.sort(key=lambda item: item.application.submitted_at)
        _numbers_assign([item.application for item in planned])
        Application.objects.bulk_create([item.application for item in planned], batch_size=500)
        _transitions_create(planned)
        certificates = _certificates_create(planned, rng=rng)
        _surveys_create(planned, rng=rng, now=now)
    return len(planned) + certificates


def _local(day: datetime.date, rng: random.Random, *, earliest: int = 8) -> datetime.datetime:
    """A moment in office hours on `day`, in the regency's zone."""
    minutes = rng.randint(earliest * 60, 15 * 60 + 30)
    return datetime.datetime.combine(
        day, datetime.time(minutes // 60, minutes % 60), tzinfo=regency_zone()
    )


def _plan(
    *,
    index: int,
    status: str,
    overdue: bool,
    rng: random.Random,
    services: Sequence[ServiceType],
    kecamatan: Sequence[Kecamatan],
    desa_by_kecamatan: dict[int, list[Desa]],
    offices: dict[int, WorkUnit],
    calendar: WorkCalendar,
    now: datetime.datetime,
) -> _Planned:
    service = rng.choice(services)
    place = rng.choice(kecamatan)
    today = local_today()
    path = PATHS[status]
    finished = status in (S.ISSUED, S.COMPLETED, S.REJECTED)
    legal = max(service.legal_days, 1)
    if finished:
        ago = rng.randint(legal + 12, HISTORY_DAYS)
    elif overdue:
        ago = rng.randint(2 * legal + 4, 2 * legal + 40)
    else:
        ago = rng.randint(0, max(legal - 2, 1))
    received = calendar.next_workday(today - datetime.timedelta(days=ago))
    if received > today:
        received = today
    submitted_at = min(_local(received, rng), now - datetime.timedelta(minutes=5))
    legal_due = calendar.deadline(received, service.legal_days)
    target_due = calendar.deadline(received, service.target_days)

    # Working days the decision takes: mostly within the target, a few late.
    if finished:
        roll = rng.random()
        if roll < 0.7:
            taken = rng.randint(1, max(service.target_days, 1))
        elif roll < 0.88:
            taken = rng.randint(service.target_days, legal)
        else:
            taken = legal + rng.randint(1, 4)
    else:
        taken = calendar.between(received, today) + 1
    steps = _steps(
        path=path,
        received=received,
        submitted_at=submitted_at,
        taken=taken,
        rng=rng,
        calendar=calendar,
        now=now,
    )
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    business = service.is_business
    desa_choices: list[Desa | None] = [*desa_by_kecamatan.get(place.pk, [])] or [None]
    desa = rng.choice(desa_choices)
    delegated = service.delegated_to_kecamatan and (
        not service.delegated_kecamatan.all()
        or place.pk in {k.pk for k in service.delegated_kecamatan.all()}
    )
    unit = offices.get(place.pk) if delegated else service.handling_unit
    form_data = _form_data(service, rng)
    decided_at = next((at for state, at in steps if state in (S.ISSUED, S.REJECTED)), None)
    application = Application(
        tracking_code="".join(rng.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH)),
        service=service,
        status=status,
        channel=rng.choice((Application.Channel.GUEST, Application.Channel.FRONT_OFFICE)),
        applicant_name=name,
        applicant_nik=_nik(place, rng),
        applicant_email=f"{name.lower().replace(' ', '.')}{index}@contoh.test",
        applicant_phone="08" + "".join(rng.choice("0123456789") for _ in range(10)),
        applicant_address=(
            f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, "
            f"{desa.name.title() if desa else place.name.title()}"
        ),
        business_name=_business_name(rng) if business else "",
        investment_rupiah=rng.randint(5, 800) * 10_000_000 if business else 0,
        workforce=rng.randint(2, 120) if business else 0,
        kecamatan=place,
        desa=desa,
        handling_unit=unit if unit and unit.is_active else None,
        delegated=bool(delegated and unit),
        form_data=form_data,
        fee_rupiah=fee_compute(service.fee_rule, form_data),
        submitted_at=submitted_at,
        legal_due_on=legal_due,
        target_due_on=target_due,
        finished_at=decided_at,
        working_days_taken=(
            max(calendar.elapsed(due=legal_due, days=legal, today=local_date(decided_at)), 1)
            if decided_at
            else None
        ),
        rejection_reason=REASONS[S.REJECTED] if status == S.REJECTED else "",
        submission_key=f"{KEY_PREFIX}{index:04d}",
    )
    return _Planned(application=application, steps=steps)


def _steps(
    *,
    path: Sequence[str],
    received: datetime.date,
    submitted_at: datetime.datetime,
    taken: int,
    rng: random.Random,
    calendar: WorkCalendar,
    now: datetime.datetime,
) -> list[tuple[str, datetime.datetime]]:
    """The moments the application entered each state of `path`: the decision on
    working day `taken` (day 1 = day of receipt), earlier steps spread before it."""
    steps = [(path[0], submitted_at)]
    decisions = (S.ISSUED, S.REJECTED)
    working = [state for state in path[1:] if state != S.COMPLETED]
    last_day = calendar.add(received, max(taken - 1, 0))
    today = local_date(now)
    last_day = min(last_day, today)
    previous = submitted_at
    for position, state in enumerate(working, start=1):
        if state in decisions or position == len(working):
            day = last_day
        else:
            share = (taken - 1) * position // (len(working) + 1)
            day = min(calendar.add(received, share), last_day)
        moment = _local(day, rng)
        if moment <= previous:
            moment = previous + datetime.timedelta(minutes=rng.randint(10, 90))
        moment = min(moment, now - datetime.timedelta(minutes=len(working) - position + 1))
        steps.append((state, moment))
        previous = moment
    if path[-1] == S.COMPLETED:
        pickup = calendar.add(local_date(previous), rng.randint(1, 4))
        moment = _local(min(pickup, today), rng)
        if moment <= previous or moment >= now:
            moment = min(
                previous + datetime.timedelta(hours=2), now - datetime.timedelta(seconds=1)
            )
        steps.append((S.COMPLETED, moment))
    return steps


def _numbers_assign(applications: Sequence[Application]) -> None:
    """Application numbers in submission order, from the regency's counters."""
    by_year: dict[int, list[Application]] = {}
    for application in applications:
        by_year.setdefault(local_date(application.submitted_at).year, []).append(application)
    for year, items in by_year.items():
        first = _numbers_take(APPLICATION_PREFIX, year, len(items))
        for offset, application in enumerate(items):
            application.number = f"{APPLICATION_PREFIX}/{year}/{first + offset:06d}"


def _numbers_take(prefix: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers of a counter; returns the first."""
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first


def _transitions_create(planned: Sequence[_Planned]) -> None:
    rows = []
    for item in planned:
        previous = ""
        for state, at in item.steps:
            email, name = ACTORS.get(state, ("", item.application.applicant_name))
            rows.append(
                ApplicationTransition(
                    application=item.application,
                    from_status=previous,
                    to_status=state,
                    actor_email=f"{email}@demo.test" if email else "",
                    actor_name=name,
                    reason=REASONS.get(state, ""),
                    at=at,
                )
            )
            previous = state
    ApplicationTransition.objects.bulk_create(rows, batch_size=1000)


def _certificates_create(planned: Sequence[_Planned], *, rng: random.Random) -> int:
    issued = [
        (item.application, at) for item in planned for state, at in item.steps if state == S.ISSUED
    ]
    issued.sort(key=lambda pair: pair[1])
    by_year: dict[int, list[tuple[Application, datetime.datetime]]] = {}
    for application, at in issued:
        by_year.setdefault(local_date(at).year, []).append((application, at))
    rows = []
    for year, items in by_year.items():
        first = _numbers_take(CERTIFICATE_PREFIX, year, len(items))
        for offset, (application, at) in enumerate(items):
            months = application.service.validity_months
            rows.append(
                Certificate(
                    application=application,
                    number=f"{CERTIFICATE_PREFIX}/{year}/{first + offset:06d}",
                    issued_at=at,
                    valid_until=months_add(local_date(at), months) if months else None,
                    issued_by_email="kepala.dinas@demo.test",
                    issued_by_name=ACTORS[S.ISSUED][1],
                )
            )
    Certificate.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _surveys_create(
    planned: Sequence[_Planned], *, rng: random.Random, now: datetime.datetime
) -> None:
    rows = []
    for item in planned:
        if item.application.status != S.COMPLETED or rng.random() > 0.7:
            continue
        picked_up = item.steps[-1][1]
        at = min(picked_up + datetime.timedelta(hours=rng.randint(1, 72)), now)
        # Mostly good and very good, as Sragen's published surveys are (IKM ~ 80-88).
        scores = {f"u{i}": rng.choices((2, 3, 4), weights=(1, 9, 7))[0] for i in range(1, 10)}
        rows.append(
            SurveyResponse(
                application=item.application,
                submitted_at=at,
                comment=rng.choice(
                    ("", "", "Pelayanan cepat dan ramah.", "Antrian perlu dipercepat.")
                ),
                **scores,
            )
        )
    SurveyResponse.objects.bulk_create(rows, batch_size=500)


def _nik(place: Kecamatan, rng: random.Random) -> str:
    """A NIK of the official shape: kecamatan code, birth date (+40 for women), serial."""
    region = place.code.replace(".", "")[:6].ljust(6, "0")
    born = datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
    day = born.day + (40 if rng.random() < 0.5 else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def _business_name(rng: random.Random) -> str:
    return " ".join(rng.choice(words) for words in BUSINESS_WORDS)


def _form_data(service: ServiceType, rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in service.form_fields or []:
        kind, name = spec.get("type"), spec.get("name")
        if not name:
            continue
        if kind == "int":
            data[name] = rng.randint(max(int(spec.get("min", 1)), 1), 400)
        elif kind == "choice" and spec.get("options"):
            data[name] = rng.choice(spec["options"])
        elif kind == "bool":
            data[name] = True
        elif kind == "date":
            data[name] = (local_today() - datetime.timedelta(days=rng.randint(1, 60))).isoformat()
        else:
            data[name] = f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}"
    return data

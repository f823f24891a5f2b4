"""Selectors for the permit dashboards and the IKM page.

Figures are aggregated in SQL per month (in the regency's zone) and service.
Closed months are read from `ServiceMonthStat`, filled the first time a dashboard
asks for them; only the current month is aggregated live, over an indexed range.
A page therefore costs a fixed handful of queries whose work does not grow with
the years of history behind it."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth

from modules.permits.models import Application, ServiceMonthStat, ServiceType, SurveyResponse
from modules.permits.regency import months_add, regency_localdate, regency_month_start, regency_zone
from modules.permits.survey import FIELDS, Grade, ikm_grade, ikm_index_from_sums

MonthKey = tuple[datetime.date, int]  # (first day of the month, service id)
MAX_MONTHS = 36
DONE = (Application.Status.ISSUED, Application.Status.COMPLETED)


def _percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Additive counts and sums; rates are derived, never stored or summed."""

    submitted: int = 0
    finished: int = 0
    finished_on_time: int = 0
    days_taken: int = 0
    legal_days: int = 0
    issued: int = 0
    businesses: int = 0
    investment_rupiah: int = 0
    workforce: int = 0
    surveys: int = 0
    score_sums: list[int] = field(default_factory=lambda: [0] * len(FIELDS))

    def add(self, other: "Figures") -> "Figures":
        self.submitted += other.submitted
        self.finished += other.finished
        self.finished_on_time += other.finished_on_time
        self.days_taken += other.days_taken
        self.legal_days += other.legal_days
        self.issued += other.issued
        self.businesses += other.businesses
        self.investment_rupiah += other.investment_rupiah
        self.workforce += other.workforce
        self.surveys += other.surveys
        self.score_sums = [a + b for a, b in zip(self.score_sums, other.score_sums, strict=True)]
        return self

    @property
    def compliance(self) -> Decimal | None:
        """Share of decisions made within the legal deadline, in percent."""
        return _percent(self.finished_on_time, self.finished)

    @property
    def speed_up(self) -> Decimal | None:
        """Working days taken per legal working day (0.43 = done in 43% of the time
        the rules allow), over all decisions: a ratio of sums, so months combine."""
        if self.legal_days <= 0:
            return None
        return (Decimal(self.days_taken) / self.legal_days).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def ikm(self) -> Decimal | None:
        return ikm_index_from_sums(sums=self.score_sums, count=self.surveys)

    @property
    def grade(self) -> Grade | None:
        return ikm_grade(self.ikm)


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], month_first(first)
    while month <= last:
        months.append(month)
        month = months_add(month, 1)
    return months


def _month(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, tzinfo=regency_zone(), output_field=DateField())


def figures_aggregate(
    *, start: datetime.datetime, end: datetime.datetime
) -> dict[MonthKey, Figures]:
    """Figures per (month, service) of everything that happened in [start, end):
    three grouped queries over indexed ranges."""
    figures: dict[MonthKey, Figures] = defaultdict(Figures)
    submitted = (
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(month=_month("submitted_at"))
        .values("month", "service_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for submitted_row in submitted:
        key = (submitted_row["month"], submitted_row["service_id"])
        figures[key].submitted = submitted_row["n"]

    issued = Q(status__in=DONE)
    business = issued & (Q(service__is_business=True) | ~Q(business_name=""))
    finished = (
        Application.objects.filter(
            finished_at__gte=start, finished_at__lt=end, working_days_taken__isnull=False
        )
        .annotate(month=_month("finished_at"))
        .values("month", "service_id")
        .annotate(
            finished=Count("id"),
            on_time=Count("id", filter=Q(working_days_taken__lte=F("service__legal_days"))),
            days=Sum("working_days_taken"),
            legal=Sum("service__legal_days"),
            issued=Count("id", filter=issued),
            businesses=Count("id", filter=business),
            investment=Sum("investment_rupiah", filter=business),
            workforce=Sum("workforce", filter=business),
        )
        .order_by()
    )
    for finished_row in finished:
        item = figures[(finished_row["month"], finished_row["service_id"])]
        item.finished = finished_row["finished"]
        item.finished_on_time = finished_row["on_time"]
        item.days_taken = finished_row["days"] or 0
        item.legal_days = finished_row["legal"] or 0
        item.issued = finished_row["issued"]
        item.businesses = finished_row["businesses"]
        item.investment_rupiah = finished_row["investment"] or 0
        item.workforce = finished_row["workforce"] or 0

    surveys = (
        SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(month=_month("submitted_at"))
        .values("month", "application__service_id")
        .annotate(n=Count("id"), **{f"s_{name}": Sum(name) for name in FIELDS})
        .order_by()
    )
    for survey_row in surveys:
        values: dict[str, Any] = dict(survey_row)
        item = figures[(values["month"], values["application__service_id"])]
        item.surveys = values["n"]
        item.score_sums = [int(values[f"s_{name}"] or 0) for name in FIELDS]
    return dict(figures)


def _stat_figures(stat: ServiceMonthStat) -> Figures:
    sums = list(stat.score_sums or [])
    return Figures(
        submitted=stat.submitted,
        finished=stat.finished,
        finished_on_time=stat.finished_on_time,
        days_taken=stat.days_taken,
        legal_days=stat.legal_days,
        issued=stat.issued,
        businesses=stat.businesses,
        investment_rupiah=stat.investment_rupiah,
        workforce=stat.workforce,
        surveys=stat.surveys,
        score_sums=sums if len(sums) == len(FIELDS) else [0] * len(FIELDS),
    )


def _stat_row(month: datetime.date, service_id: int | None, item: Figures) -> ServiceMonthStat:
    return ServiceMonthStat(
        month=month,
        service_id=service_id,
        submitted=item.submitted,
        finished=item.finished,
        finished_on_time=item.finished_on_time,
        days_taken=item.days_taken,
        legal_days=item.legal_days,
        issued=item.issued,
        businesses=item.businesses,
        investment_rupiah=item.investment_rupiah,
        workforce=item.workforce,
        surveys=item.surveys,
        score_sums=item.score_sums,
    )


def figures_by_month(*, first: datetime.date, last: datetime.date) -> dict[MonthKey, Figures]:
    """Figures per (month, service) for the months from `first` to `last`."""
    current = month_first(regency_localdate())
    first, last = month_first(first), month_first(last)
    closed_last = min(last, months_add(current, -1))
    figures: dict[MonthKey, Figures] = {}
    stored: set[datetime.date] = set()
    if first <= closed_last:
        for stat in ServiceMonthStat.objects.filter(month__gte=first, month__lte=closed_last):
            if stat.service_id is None:
                stored.add(stat.month)
            else:
                figures[(stat.month, stat.service_id)] = _stat_figures(stat)
        missing = [m for m in months_between(first, closed_last) if m not in stored]
        if missing:
            figures.update(_months_compute(missing))
    if first <= current <= last:
        figures.update(
            figures_aggregate(
                start=regency_month_start(current),
                end=regency_month_start(months_add(current, 1)),
            )
        )
    return figures


def _months_compute(months: list[datetime.date]) -> dict[MonthKey, Figures]:
    """Aggregate the closed `months` (one span of queries) and keep them."""
    computed = figures_aggregate(
        start=regency_month_start(months[0]),
        end=regency_month_start(months_add(months[-1], 1)),
    )
    wanted = set(months)
    kept = {key: item for key, item in computed.items() if key[0] in wanted}
    rows = [_stat_row(month, None, Figures()) for month in months]
    rows += [_stat_row(month, service_id, item) for (month, service_id), item in kept.items()]
    # Two first views at once compute the same month: the second's rows are dropped.
    ServiceMonthStat.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return kept


def stats_forget() -> int:
    """Drop the stored monthly figures (after data was corrected or imported
    into past months); the next dashboard view recomputes them."""
    deleted, _by_model = ServiceMonthStat.objects.all().delete()
    return deleted


# --- what the pages show ----------------------------------------------------------


@dataclass(frozen=True)
class ServiceLine:
    service_id: int
    name: str
    code: str
    total: Figures
    per_month: list[Figures]


@dataclass(frozen=True)
class Dashboard:
    months: list[datetime.date]
    per_month: list[Figures]  # every service together
    services: list[ServiceLine]  # those with any activity, busiest first
    total: Figures


def dashboard_build(
    *, first: datetime.date, last: datetime.date, service_id: int | None = None
) -> Dashboard:
    months = months_between(first, last)
    figures = figures_by_month(first=first, last=last)
    if service_id is not None:
        figures = {key: item for key, item in figures.items() if key[1] == service_id}
    names = {
        row["id"]: (row["name"], row["code"])
        for row in ServiceType.objects.values("id", "name", "code")
    }
    index = {month: position for position, month in enumerate(months)}
    per_month = [Figures() for _ in months]
    by_service: dict[int, list[Figures]] = {}
    for (month, sid), item in figures.items():
        if month not in index:
            continue
        per_month[index[month]].add(item)
        by_service.setdefault(sid, [Figures() for _ in months])[index[month]].add(item)
    services = []
    for sid, series in by_service.items():
        total = _sum(series)
        name, code = names.get(sid, (str(sid), ""))
        services.append(
            ServiceLine(service_id=sid, name=name, code=code, total=total, per_month=series)
        )
    services.sort(key=lambda line: (-line.total.submitted, line.name))
    return Dashboard(months=months, per_month=per_month, services=services, total=_sum(per_month))


def _sum(items: Iterable[Figures]) -> Figures:
    total = Figures()
    for item in items:
        total.add(item)
    return total


def export_rows(dashboard: Dashboard) -> Iterator[list[object]]:
    """One row per service and month with any activity, for CSV/XLSX."""
    for line in dashboard.services:
        for month, item in zip(dashboard.months, line.per_month, strict=True):
            if not (item.submitted or item.finished or item.surveys):
                continue
            grade = item.grade
            yield [
                month.strftime("%Y-%m"),
                line.code,
                line.name,
                item.submitted,
                item.finished,
                item.finished_on_time,
                float(item.compliance) if item.compliance is not None else None,
                float(item.speed_up) if item.speed_up is not None else None,
                item.issued,
                item.businesses,
                item.investment_rupiah,
                item.workforce,
                item.surveys,
                float(item.ikm) if item.ikm is not None else None,
                grade.letter if grade else "",
            ]


EXPORT_COLUMNS = (
    "month",
    "service_code",
    "service",
    "submitted",
    "decided",
    "decided_within_legal_days",
    "compliance_percent",
    "speed_up_actual_per_legal_days",
    "certificates_issued",
    "businesses_legalised",
    "investment_rupiah",
    "jobs",
    "survey_responses",
    "ikm_index",
    "ikm_grade",
)


# --- IKM per service and period ---------------------------------------------------

PERIODS = ("month", "quarter", "year")


def period_of(month: datetime.date, period: str) -> str:
    if period == "year":
        return f"{month.year}"
    if period == "quarter":
        return f"{month.year} Q{(month.month - 1) // 3 + 1}"
    return month.strftime("%Y-%m")


@dataclass(frozen=True)
class IkmRow:
    period: str
    service: str  # "" for every service together
    figures: Figures


def ikm_table(*, first: datetime.date, last: datetime.date, period: str) -> list[IkmRow]:
    """The index per period (newest first), each period's overall row first and
    then one row per service that was rated in it."""
    dashboard = dashboard_build(first=first, last=last)
    overall: dict[str, Figures] = {}
    per_service: dict[tuple[str, str], Figures] = {}
    for month, item in zip(dashboard.months, dashboard.per_month, strict=True):
        overall.setdefault(period_of(month, period), Figures()).add(item)
    for line in dashboard.services:
        for month, item in zip(dashboard.months, line.per_month, strict=True):
            if item.surveys:
                key = (period_of(month, period), line.name)
                per_service.setdefault(key, Figures()).add(item)
    rows: list[IkmRow] = []
    for label in sorted(overall, reverse=True):
        rows.append(IkmRow(period=label, service="", figures=overall[label]))
        rows += [
            IkmRow(period=label, service=name, figures=item)
            for (key, name), item in sorted(per_service.items())
            if key == label
        ]
    return rows

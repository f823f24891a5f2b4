"""Monthly figures per regency: support hours (handed to billing through
billing.SupportTime) and service levels met or breached."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.utils import timezone

from billing.models import SupportTime
from support.models import Ticket
from tenants.models import Tenant

# Months are the desk's (Sragen's) calendar months.
REPORT_ZONE = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, today: date | None = None) -> "Month":
        """`YYYY-MM`, or the current month when absent or malformed."""
        today = today or timezone.localdate(timezone=REPORT_ZONE)
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(today.year, today.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first_day, time(0), tzinfo=REPORT_ZONE)
        end = datetime.combine(self.next.first_day, time(0), tzinfo=REPORT_ZONE)
        return start, end

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class HoursRow:
    tenant: Tenant
    minutes: int
    entries: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def support_hours_by_regency(month: Month) -> list[HoursRow]:
    """Minutes of support recorded for each regency in the month (all sources:
    ticket replies and anything else billing.SupportTime holds)."""
    totals = (
        SupportTime.objects.filter(
            worked_on__gte=month.first_day, worked_on__lt=month.next.first_day
        )
        .values("tenant_id")
        .annotate(minutes=Sum("minutes"), entries=Count("id"))
    )
    by_tenant = {row["tenant_id"]: row for row in totals}
    tenants = Tenant.objects.regencies().filter(pk__in=by_tenant).order_by("name")
    return [
        HoursRow(
            tenant=tenant,
            minutes=by_tenant[tenant.pk]["minutes"],
            entries=by_tenant[tenant.pk]["entries"],
        )
        for tenant in tenants
    ]


@dataclass(frozen=True)
class ServiceLevelRow:
    tenant: Tenant
    opened: int
    first_response_met: int
    first_response_breached: int
    first_response_median: float | None  # business minutes
    resolution_met: int
    resolution_breached: int
    resolution_median: float | None
    rating_average: float | None

    @property
    def met(self) -> int:
        return self.first_response_met + self.resolution_met

    @property
    def breached(self) -> int:
        return self.first_response_breached + self.resolution_breached

    @property
    def met_percent(self) -> int | None:
        total = self.met + self.breached
        return round(100 * self.met / total) if total else None


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _row(tenant: Tenant, tickets: list[Ticket], now: datetime) -> ServiceLevelRow:
    first_met = first_breached = res_met = res_breached = 0
    first_times, res_times, ratings = [], [], []
    for t in tickets:
        overdue_first = (
            t.first_response_at is None
            and t.status in Ticket.ACTIVE
            and t.first_response_due_at is not None
            and t.first_response_due_at <= now
        )
        if t.first_response_breached or overdue_first:
            first_breached += 1
        elif t.first_response_at is not None:
            first_met += 1
        if t.first_response_business_minutes is not None:
            first_times.append(t.first_response_business_minutes)
        overdue_res = (
            t.status in Ticket.RUNNING
            and t.resolution_due_at is not None
            and t.resolution_due_at <= now
        )
        if t.resolution_breached or overdue_res:
            res_breached += 1
        elif (
            t.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) and t.merged_into_id is None
        ):
            res_met += 1
        if t.resolution_business_minutes is not None and t.merged_into_id is None:
            res_times.append(t.resolution_business_minutes)
        if t.rating is not None:
            ratings.append(t.rating)
    return ServiceLevelRow(
        tenant=tenant,
        opened=len(tickets),
        first_response_met=first_met,
        first_response_breached=first_breached,
        first_response_median=_median(first_times),
        resolution_met=res_met,
        resolution_breached=res_breached,
        resolution_median=_median(res_times),
        rating_average=round(sum(ratings) / len(ratings), 1) if ratings else None,
    )


def service_level_report(
    month: Month, *, tenant_slug: str = "", now: datetime | None = None
) -> list[ServiceLevelRow]:
    """One row per regency with tickets opened in the month."""
    now = now or timezone.now()
    start, end = month.bounds()
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "tenant"
    )
    if tenant_slug:
        tickets = tickets.filter(tenant__slug=tenant_slug)
    grouped: dict[int, tuple[Tenant, list[Ticket]]] = {}
    for ticket in tickets.order_by("tenant__name", "pk"):
        grouped.setdefault(ticket.tenant_id, (ticket.tenant, []))[1].append(ticket)
    return [_row(tenant, items, now) for tenant, items in grouped.values()]

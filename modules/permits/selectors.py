"""Reads for the office: inboxes by role and scope, and each application's clock.

An inbox is one query over `Application` whatever the table's size: a filter built
from the person's roles (which steps each acts on, per service) and scopes (their
units and kecamatan), ordered by deadline on indexed columns, paged by offset
without counting the whole set (one row more than a page tells whether another
page follows)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User
from core.workdays import WorkCalendar, local_date, local_today
from modules.permits.models import Application, ApplicationTransition, ServiceType
from modules.permits.workflow import (
    CLOCK_STATUSES,
    MODULE,
    OPEN_STATUSES,
    S,
    inbox_status_roles,
)
from staff.permissions import Scope, permission_scope

PERMIT_ROLES = ("front_office", "back_office", "technical_team", "approver")
PAGE_SIZE = 25
INBOX_STATUSES = (*OPEN_STATUSES, S.ISSUED)


def role_scopes(user: User) -> dict[str, Scope]:
    """{role: where the person holds it}, for the permit roles they hold."""
    scopes = {role: permission_scope(user, module=MODULE, roles=[role]) for role in PERMIT_ROLES}
    return {role: scope for role, scope in scopes.items() if not scope.is_empty}


def inbox_condition(user: User, scopes: dict[str, Scope] | None = None) -> Q | None:
    """Which applications wait for `user`: for each role they hold, the statuses
    that role acts on (per service) within that role's scope. None: no role."""
    scopes = role_scopes(user) if scopes is None else scopes
    if not scopes:
        return None
    services = list(ServiceType.objects.only("id", "step_roles"))
    table = inbox_status_roles(services)
    every_service = {service.pk for service in services}
    condition = Q(pk__in=[])
    for role, scope in scopes.items():
        statuses = Q(pk__in=[])
        for status, by_role in table.items():
            ids = by_role.get(role)
            if not ids:
                continue
            if set(ids) == every_service:
                statuses |= Q(status=status)
            else:
                statuses |= Q(status=status, service_id__in=sorted(ids))
        condition |= statuses & scope.q(
            work_unit_field="handling_unit", kecamatan_field="kecamatan"
        )
    return condition


@dataclass(frozen=True)
class InboxFilter:
    service_id: int | None = None
    status: str = ""
    overdue: bool = False
    mine: bool = False
    number: str = ""


@dataclass(frozen=True)
class Clock:
    legal_days: int
    target_days: int
    elapsed: int
    legal_due: datetime.date
    target_due: datetime.date
    running: bool
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.elapsed > self.legal_days

    @property
    def late_for_target(self) -> bool:
        return self.elapsed > self.target_days

    @property
    def legal_percent(self) -> int:
        return min(100, round(100 * self.elapsed / max(self.legal_days, 1)))

    @property
    def target_percent(self) -> int:
        return min(100, round(100 * self.elapsed / max(self.target_days, 1)))


@dataclass(frozen=True)
class InboxRow:
    application: Application
    clock: Clock


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def inbox_queryset(
    user: User, filters: InboxFilter, scopes: dict[str, Scope] | None = None
) -> QuerySet[Application] | None:
    condition = inbox_condition(user, scopes)
    if condition is None:
        return None
    queryset = Application.objects.filter(condition, status__in=INBOX_STATUSES)
    if filters.service_id:
        queryset = queryset.filter(service_id=filters.service_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(status__in=CLOCK_STATUSES, legal_due_on__lt=local_today())
    if filters.mine:
        queryset = queryset.filter(assigned_to=user)
    if filters.number:
        queryset = queryset.filter(number__icontains=filters.number.strip())
    return queryset


def inbox_page(
    user: User,
    filters: InboxFilter,
    *,
    page: int = 1,
    scopes: dict[str, Scope] | None = None,
) -> InboxPage | None:
    """One page of `user`'s inbox, most urgent first; None if they hold no role."""
    queryset = inbox_queryset(user, filters, scopes)
    if queryset is None:
        return None
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    rows = list(
        queryset.select_related("service", "kecamatan", "assigned_to").order_by(
            "legal_due_on", "pk"
        )[start : start + PAGE_SIZE + 1]
    )
    calendar = WorkCalendar()
    today = local_today()
    if rows:
        dues = [row.legal_due_on for row in rows]
        calendar.cover(min(*dues, today), max(*dues, today))
    return InboxPage(
        rows=[
            InboxRow(application=row, clock=application_clock(row, calendar=calendar, today=today))
            for row in rows[:PAGE_SIZE]
        ],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


def application_clock(
    application: Application,
    *,
    calendar: WorkCalendar | None = None,
    today: datetime.date | None = None,
    returned_at: datetime.datetime | None = None,
) -> Clock:
    """Working days used against the legal deadline and the internal target. The
    clock stops at the decision, and while the applicant revises (as of the day
    it was returned, when known)."""
    calendar = calendar or WorkCalendar()
    today = today or local_today()
    service = application.service
    legal, target = service.legal_days, service.target_days
    if application.status in (S.ISSUED, S.COMPLETED, S.REJECTED):
        elapsed = application.working_days_taken or 0
        running, paused = False, False
    else:
        paused = application.status == S.RETURNED
        as_of = local_date(returned_at) if paused and returned_at else today
        elapsed = calendar.elapsed(due=application.legal_due_on, days=legal, today=as_of)
        running = not paused
    return Clock(
        legal_days=legal,
        target_days=target,
        elapsed=elapsed,
        legal_due=application.legal_due_on,
        target_due=application.target_due_on,
        running=running,
        paused=paused,
    )


def application_timeline(application: Application) -> list[ApplicationTransition]:
    return list(application.transitions.order_by("at", "pk"))


def applicant_applications(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_user=user)
        .select_related("service")
        .order_by("-submitted_at")
    )


def inbox_statuses() -> list[tuple[str, Any]]:
    return [(status, S(status).label) for status in INBOX_STATUSES]

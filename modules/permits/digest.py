"""The daily digest of overdue and nearly due applications, per handling officer.

An item goes to the person it is assigned to; an unassigned item goes to everyone
holding a role that acts on its current step, over a scope that covers it (its
handling unit or kecamatan). Approvers hear about items awaiting approval. Items
with the applicant (returned) are not the office's to chase, and are left out."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache

from accounts.models import User
from core.workdays import WorkCalendar, local_today
from modules.permits.models import Application
from modules.permits.workflow import CLOCK_STATUSES, MODULE, status_roles
from staff.models import RoleAssignment
from staff.permissions import Scope, permission_scope

NEAR_WORKING_DAYS = 2
SENT_MARK_SECONDS = 36 * 60 * 60


@dataclass(frozen=True)
class DigestItem:
    application: Application
    overdue: bool
    due: datetime.date
    # Working days past the deadline (overdue) or left before it (near).
    days: int


def digest_build(*, today: datetime.date | None = None) -> dict[User, list[DigestItem]]:
    """{person: their overdue and nearly due items}, soonest deadline first."""
    calendar = WorkCalendar()
    today = today or local_today()
    near_limit = calendar.add(today, NEAR_WORKING_DAYS)
    items = (
        Application.objects.filter(status__in=CLOCK_STATUSES, legal_due_on__lte=near_limit)
        .select_related("service", "assigned_to")
        .order_by("legal_due_on", "pk")
    )
    holders = _role_holders()
    result: dict[User, list[DigestItem]] = defaultdict(list)
    for application in items.iterator(chunk_size=500):
        overdue = application.legal_due_on < today
        days = (
            calendar.between(application.legal_due_on, today)
            if overdue
            else calendar.between(today, application.legal_due_on)
        )
        item = DigestItem(
            application=application, overdue=overdue, due=application.legal_due_on, days=days
        )
        for person in _recipients(application, holders):
            result[person].append(item)
    return dict(result)


def _role_holders() -> dict[str, list[tuple[User, Scope]]]:
    """{role: [(active holder, their scope for that role)]} for the permit roles."""
    pairs = list(
        RoleAssignment.objects.filter(module=MODULE, user__is_active=True)
        .values_list("user_id", "role")
        .distinct()
    )
    users = {
        user.pk: user
        for user in User.objects.filter(
            pk__in={user_id for user_id, _role in pairs}, is_active=True
        )
    }
    holders: dict[str, list[tuple[User, Scope]]] = defaultdict(list)
    for user_id, role in pairs:
        user = users.get(user_id)
        if user is not None:
            holders[role].append((user, permission_scope(user, module=MODULE, roles=[role])))
    return holders


def _recipients(
    application: Application, holders: dict[str, list[tuple[User, Scope]]]
) -> list[User]:
    assignee = application.assigned_to
    if assignee is not None and assignee.is_active:
        return [assignee]
    found: dict[int, User] = {}
    for role in status_roles(application.status, application.service):
        for user, scope in holders.get(role, []):
            if scope.covers(
                work_unit_id=application.handling_unit_id, kecamatan_id=application.kecamatan_id
            ):
                found[user.pk] = user
    return list(found.values())


def digest_send(*, today: datetime.date | None = None) -> int:
    """Email everyone their digest once for `today`; returns how many were sent."""
    from modules.permits.notifications import digest_email

    today = today or local_today()
    sent = 0
    for person, items in digest_build(today=today).items():
        if not person.email or not items:
            continue
        # Marked before sending: a crash in between loses one digest rather than
        # sending a second one when the task is redelivered.
        if not cache.add(f"permits:digest:{today.isoformat()}:{person.pk}", 1, SENT_MARK_SECONDS):
            continue
        digest_email(
            email=person.email,
            name=person.full_name or person.email,
            overdue=[item for item in items if item.overdue],
            near=[item for item in items if not item.overdue],
        )
        sent += 1
    return sent

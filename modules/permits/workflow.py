"""The permit application's state machine: the one table of allowed moves and the
one function that makes them. No other code changes `Application.status`.

    submitted -> completeness -> verification -> recommendation -> approval -> issued -> completed
                      |   ^            |               |               |
                      v   |            v               v               v
                    returned <---------+            rejected (with reasons, from any of the four
                                                    working steps)

Each move names the roles that may make it. A service may hand a working step to a
role of its choosing (`ServiceType.step_roles`, e.g. a desk service verified by the
back office); that role then replaces the table's staff roles for moves out of the
step. A role only counts over its scope: the actor must hold it for the
application's handling unit or its kecamatan (`staff.permissions`). "applicant"
is the person who applied with their account."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import audit_record
from core.workdays import WorkCalendar, local_date
from modules.permits.catalogue.rules import step_role
from modules.permits.models import Application, ApplicationTransition, ServiceType
from staff.permissions import permission_check

S = Application.Status
APPLICANT = "applicant"
MODULE = "permits"

# The status an application waits in -> the catalogue step whose role handles it.
STEP_OF_STATUS: dict[str, str] = {
    S.SUBMITTED: "completeness",
    S.COMPLETENESS: "completeness",
    S.RETURNED: "completeness",
    S.VERIFICATION: "verification",
    S.RECOMMENDATION: "recommendation",
    S.APPROVAL: "approval",
}
OPEN_STATUSES = (
    S.SUBMITTED,
    S.COMPLETENESS,
    S.RETURNED,
    S.VERIFICATION,
    S.RECOMMENDATION,
    S.APPROVAL,
)
# The office's clock runs in these; it is stopped while the applicant revises
# (returned) and once the decision is made (issued, completed, rejected).
CLOCK_STATUSES = (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL)
FINISHED_STATUSES = (S.ISSUED, S.COMPLETED, S.REJECTED)


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    roles: tuple[str, ...]
    label: str | Promise
    needs_reason: bool = False
    style: str = "primary"


FO, BO, TT, AP = "front_office", "back_office", "technical_team", "approver"

TRANSITIONS: tuple[Move, ...] = (
    Move(S.SUBMITTED, S.COMPLETENESS, (FO,), gettext_lazy("Start the completeness check")),
    Move(S.COMPLETENESS, S.VERIFICATION, (FO,), gettext_lazy("Complete: send to verification")),
    Move(
        S.COMPLETENESS,
        S.RETURNED,
        (FO,),
        gettext_lazy("Return for revision"),
        needs_reason=True,
        style="warning",
    ),
    Move(S.COMPLETENESS, S.REJECTED, (FO,), gettext_lazy("Reject"), True, "danger"),
    Move(S.RETURNED, S.COMPLETENESS, (APPLICANT, FO), gettext_lazy("Resubmit the revision")),
    Move(S.VERIFICATION, S.RECOMMENDATION, (BO, TT), gettext_lazy("Verified: recommend")),
    Move(
        S.VERIFICATION,
        S.RETURNED,
        (BO, TT),
        gettext_lazy("Return for revision"),
        needs_reason=True,
        style="warning",
    ),
    Move(S.VERIFICATION, S.REJECTED, (BO, TT), gettext_lazy("Reject"), True, "danger"),
    Move(S.RECOMMENDATION, S.APPROVAL, (TT,), gettext_lazy("Send for approval")),
    Move(S.RECOMMENDATION, S.REJECTED, (TT,), gettext_lazy("Reject"), True, "danger"),
    Move(S.APPROVAL, S.ISSUED, (AP,), gettext_lazy("Approve and issue the certificate")),
    Move(S.APPROVAL, S.REJECTED, (AP,), gettext_lazy("Reject"), True, "danger"),
    Move(S.ISSUED, S.COMPLETED, (FO,), gettext_lazy("Picked up / delivered")),
)
MOVES = {(move.source, move.target): move for move in TRANSITIONS}


class TransitionRefused(Exception):
    """A move that is not allowed, with a sentence saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def move_find(source: str, target: str) -> Move | None:
    return MOVES.get((source, target))


def move_roles(move: Move, service: ServiceType) -> tuple[str, ...]:
    """Who may make `move` for an application of `service`: the table's roles, with
    the service's own role for the step replacing the table's staff roles."""
    step = STEP_OF_STATUS.get(move.source)
    if step is None:
        return move.roles
    staff = tuple(role for role in move.roles if role != APPLICANT)
    applicant = tuple(role for role in move.roles if role == APPLICANT)
    return applicant + step_role(service.step_roles, step, staff)


def status_roles(status: str, service: ServiceType) -> tuple[str, ...]:
    """The staff roles that act on an application waiting in `status`."""
    roles: list[str] = []
    for move in TRANSITIONS:
        if move.source == status:
            for role in move_roles(move, service):
                if role != APPLICANT and role not in roles:
                    roles.append(role)
    return tuple(roles)


def actor_may(move: Move, application: Application, actor: User) -> bool:
    if not actor.is_authenticated or not actor.is_active:
        return False
    roles = move_roles(move, application.service)
    if APPLICANT in roles and application.applicant_user_id == actor.pk:
        return True
    staff = [role for role in roles if role != APPLICANT]
    return bool(staff) and permission_check(
        actor,
        module=MODULE,
        roles=staff,
        work_unit_id=application.handling_unit_id,
        kecamatan_id=application.kecamatan_id,
    )


def moves_available(application: Application, actor: User) -> list[Move]:
    """The moves `actor` may make now (the buttons on the application's page)."""
    return [
        move
        for move in TRANSITIONS
        if move.source == application.status and actor_may(move, application, actor)
    ]


def _actor_name(actor: User) -> str:
    return (actor.full_name or actor.email)[:150]


def application_transition(
    *,
    application: Application,
    to_status: str,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> ApplicationTransition:
    """Move `application` to `to_status` as `actor`, or raise TransitionRefused.

    Checks the table, the actor's role and scope, records who, when and why,
    audits, and emails the applicant once the move is committed. Issuing creates
    the certificate (and its billing usage event) in the same transaction."""
    from modules.permits.tasks import application_email_task

    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=application.pk)
        )
        move = move_find(locked.status, to_status)
        if move is None:
            raise TransitionRefused(
                _("An application that is “%(source)s” cannot move to “%(target)s”.")
                % {
                    "source": S(locked.status).label,
                    "target": S(to_status).label if to_status in S.values else to_status,
                }
            )
        if not actor_may(move, locked, actor):
            raise TransitionRefused(
                _("You may not do this: it needs the role of %(roles)s over this application.")
                % {"roles": ", ".join(move_roles(move, locked.service))}
            )
        if move.needs_reason and not reason:
            raise TransitionRefused(_("Give the reason: the applicant will read it."))
        now = timezone.now()
        _clock_apply(locked, move=move, now=now, reason=reason)
        locked.status = to_status
        # A person was assigned to the step that has just ended.
        locked.assigned_to = None
        locked.save()
        transition = ApplicationTransition.objects.create(
            application=locked,
            from_status=move.source,
            to_status=to_status,
            actor_email=actor.email,
            actor_name=_actor_name(actor),
            reason=reason,
            at=now,
        )
        if to_status == S.ISSUED:
            from modules.permits.certificates import certificate_issue

            certificate_issue(application=locked, actor=actor)
        audit_record(
            action="permits.application.transition",
            actor_email=actor.email,
            actor_name=_actor_name(actor),
            target=locked.number,
            detail={"from": move.source, "to": to_status, "reason": reason},
            request=request,
        )
        transition_id = transition.pk
        transaction.on_commit(lambda: application_email_task.delay(transition_id))
    application.refresh_from_db()
    return transition


def _clock_apply(
    application: Application, *, move: Move, now: datetime.datetime, reason: str
) -> None:
    """Deadlines and finishing facts that change with a move."""
    calendar = WorkCalendar()
    if move.source == S.RETURNED:
        # The clock stopped while the applicant revised: the deadlines move on by
        # the working days the application spent with them.
        returned_at = (
            application.transitions.filter(to_status=S.RETURNED)
            .order_by("-at", "-pk")
            .values_list("at", flat=True)
            .first()
        )
        if returned_at is not None:
            paused = calendar.between(local_date(returned_at), local_date(now))
            application.legal_due_on = calendar.add(application.legal_due_on, paused)
            application.target_due_on = calendar.add(application.target_due_on, paused)
    if move.target in (S.ISSUED, S.REJECTED):
        application.finished_at = now
        application.working_days_taken = max(
            calendar.elapsed(
                due=application.legal_due_on,
                days=application.service.legal_days,
                today=local_date(now),
            ),
            1,
        )
    if move.target == S.REJECTED:
        application.rejection_reason = reason


def inbox_status_roles(services: Iterable[ServiceType]) -> dict[str, dict[str, list[int]]]:
    """{status: {role: [ids of the services where that role acts on that status]}},
    for building an inbox filter without reading each application's service."""
    table: dict[str, dict[str, list[int]]] = {}
    for service in services:
        for status in (*OPEN_STATUSES, S.ISSUED):
            for role in status_roles(status, service):
                table.setdefault(status, {}).setdefault(role, []).append(service.pk)
    return table

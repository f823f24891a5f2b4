"""Engineers' writes on the desk's holidays (support.Holiday), audited in the
public schema.

A holiday is added for today or later, and only a future one is removed: the
business time of days gone by is already counted in tickets' figures. Open
tickets whose deadlines lie on or after the day get new ones, keeping the
business time they have used (support/services/deadlines.py): the desk being
closed that day, it does not count against them."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from support.business_hours import DESK_TIME_ZONE, WorkCalendar, sragen_calendar
from support.lifecycle import Actor
from support.models import Holiday, Side, Ticket
from support.services.deadlines import Rules, tickets_retime
from support.sla import targets_for


@dataclass(frozen=True)
class HolidayChange:
    holiday: Holiday
    tickets_moved: list[int]


def desk_today(now: datetime | None = None) -> date:
    """Today on Sragen's calendar."""
    return (now or timezone.now()).astimezone(DESK_TIME_ZONE).date()


def _engineer_only(actor: Actor) -> None:
    if actor.side != Side.ENGINEER:
        raise ValidationError(_("Only Sragen's engineers can do this."))


def _duplicate(day: date, name: str) -> ValidationError:
    return ValidationError(
        {
            "date": [
                _("There is already a holiday on %(date)s: %(name)s.")
                % {"date": formats.date_format(day, "DATE_FORMAT"), "name": name}
            ]
        }
    )


def _lock_holidays() -> None:
    """Serialise changes to the holidays: each one measures open tickets against
    the calendar as the previous change left it."""
    list(Holiday.objects.select_for_update().values_list("pk", flat=True))


def _retime_around(
    day: date, *, before: WorkCalendar, after: WorkCalendar, now: datetime
) -> list[int]:
    starts = datetime.combine(day, time(0), tzinfo=DESK_TIME_ZONE)
    affected = Ticket.objects.filter(
        Q(first_response_at__isnull=True, first_response_due_at__gte=starts)
        | Q(resolution_due_at__gte=starts)
    )
    return tickets_retime(
        affected,
        before=lambda t: Rules(targets_for(t), before),
        after=lambda t: Rules(targets_for(t), after),
        now=now,
    )


def holiday_add(
    *, actor: Actor, day: date, name: str, kind: str, now: datetime | None = None
) -> HolidayChange:
    _engineer_only(actor)
    now = now or timezone.now()
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the holiday.")]
    if kind not in Holiday.Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if day < desk_today(now):
        errors["date"] = [
            _("Choose today or a later day: the business time of past days is already counted.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_holidays()
        existing = Holiday.objects.filter(date=day).first()
        if existing is not None:
            raise _duplicate(day, existing.name)
        before = sragen_calendar()
        holiday = Holiday(date=day, name=name, kind=kind)
        holiday.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                holiday.save()
        except IntegrityError:
            # Added meanwhile by someone else (only possible on an empty table).
            raise _duplicate(day, name) from None
        moved = _retime_around(day, before=before, after=sragen_calendar(), now=now)
        audit_record(
            action="support.holiday.added",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"holiday:{day.isoformat()}",
            detail={"name": name, "kind": kind, "tickets": moved},
        )
    return HolidayChange(holiday=holiday, tickets_moved=moved)


def holiday_delete(*, actor: Actor, holiday: Holiday, now: datetime | None = None) -> HolidayChange:
    _engineer_only(actor)
    now = now or timezone.now()
    if holiday.date <= desk_today(now):
        raise ValidationError(
            _(
                "Only future holidays can be removed: the business time of %(date)s is "
                "already counted."
            )
            % {"date": formats.date_format(holiday.date, "DATE_FORMAT")}
        )
    with transaction.atomic():
        _lock_holidays()
        before = sragen_calendar()
        day, name, kind = holiday.date, holiday.name, holiday.kind
        deleted, _rows = Holiday.objects.filter(pk=holiday.pk).delete()
        if not deleted:
            raise ValidationError(_("This holiday was already removed."))
        moved = _retime_around(day, before=before, after=sragen_calendar(), now=now)
        audit_record(
            action="support.holiday.deleted",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"holiday:{day.isoformat()}",
            detail={"name": name, "kind": kind, "tickets": moved},
        )
    return HolidayChange(holiday=holiday, tickets_moved=moved)

"""NIP, the 18-digit civil-servant number: YYYYMMDD birth date, YYYYMM appointment
(TMT CPNS), one digit for sex (1 male, 2 female) and a three-digit serial."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MIN_AGE_AT_APPOINTMENT = 18


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: datetime.date
    appointed_year: int
    appointed_month: int
    sex: str  # "M" or "F"
    serial: int


def nip_parse(raw: str, *, today: datetime.date | None = None) -> Nip:
    """The parts of a NIP, or a ValidationError saying which part is wrong."""
    value = "".join(raw.split())  # NIPs are often written in groups: 19850317 201001 1 002
    today = today or timezone.localdate()
    if not value.isdigit() or len(value) != 18:
        raise ValidationError(_("A NIP has exactly 18 digits."), code="length")
    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("Digits 1 to 8 of a NIP are the birth date (YYYYMMDD); %(part)s is not a date.")
            % {"part": value[0:8]},
            code="birth_date",
        ) from None
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _(
                "Digits 9 to 14 of a NIP are the appointment year and month; %(part)s has no "
                "month %(month)02d."
            )
            % {"part": value[8:14], "month": month},
            code="appointment",
        )
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            _("The appointment date in this NIP is in the future."), code="appointment"
        )
    if year - birth.year < MIN_AGE_AT_APPOINTMENT:
        raise ValidationError(
            _("This NIP says the person was appointed before the age of %(age)d.")
            % {"age": MIN_AGE_AT_APPOINTMENT},
            code="appointment",
        )
    if birth > today:
        raise ValidationError(_("The birth date in this NIP is in the future."), code="birth_date")
    if value[14] not in "12":
        raise ValidationError(_("Digit 15 of a NIP is the sex: 1 or 2."), code="sex")
    if value[15:18] == "000":
        raise ValidationError(
            _("The last three digits of a NIP (the serial) cannot be 000."), code="serial"
        )
    return Nip(
        value=value,
        birth_date=birth,
        appointed_year=year,
        appointed_month=month,
        sex="M" if value[14] == "1" else "F",
        serial=int(value[15:18]),
    )


def validate_nip(value: str) -> None:
    nip_parse(value)

"""The dry run of a staff-list import: every row checked against the file itself
and the regency's data, every problem collected (never only the first one).

Reads the regency's reference data in a handful of queries, whatever the number
of rows (positions, work units, kecamatan, the people whose email or NIP appear
in the file), so a 1,000-row list costs the same few queries as a 10-row one.

Cell text is only ever compared and stored as text: a cell such as
`=cmd|' /C calc'!A0` is a (strange) name, never evaluated."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.tabular import Table
from organisation.models import Kecamatan, Position, WorkUnit
from staff.models import StaffProfile
from staff.services import nip_normalise

REQUIRED_COLUMNS = ("email", "full_name", "position", "work_unit")
OPTIONAL_COLUMNS = ("nip", "kecamatan", "phone")
# The order of the downloadable template and of the preview.
TEMPLATE_COLUMNS = ("email", "full_name", "nip", "position", "work_unit", "kecamatan", "phone")
PREVIEW_ROWS = 10
MAX_NAME_LENGTH = 150
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{4,18}[0-9]$")

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class RowPlan:
    """One row without problems: a person to create, or one already there as is."""

    line: int
    email: str
    full_name: str
    nip: str
    position: Position | None
    work_unit: WorkUnit | None
    kecamatan: Kecamatan | None
    phone: str
    unchanged: bool


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    # {"row": line or None for the file as a whole, "column": ..., "message": ...}
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def to_create(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.unchanged]

    @property
    def unchanged_count(self) -> int:
        return sum(1 for row in self.rows if row.unchanged)


@dataclass(frozen=True)
class _Reference:
    positions: dict[str, Position]
    work_units: dict[str, WorkUnit]
    kecamatan: dict[str, Kecamatan]
    users: dict[str, User]  # by lower-case email
    nip_owners: dict[str, User]


def column_label(column: str) -> str:
    """The column's name as the uploader knows it (the header is always English)."""
    labels = {
        "email": _("email"),
        "full_name": _("full name"),
        "nip": _("NIP"),
        "position": _("position"),
        "work_unit": _("work unit"),
        "kecamatan": _("kecamatan"),
        "phone": _("phone"),
    }
    return labels.get(column, column)


def email_key(cells: dict[str, str]) -> str:
    return cells.get("email", "").strip().lower()


def nip_key(cells: dict[str, str]) -> str:
    return "".join(cells.get("nip", "").split())


def plan_preview(table: Table) -> list[dict[str, Any]]:
    return [
        {"row": line, "cells": [cells.get(column, "") for column in TEMPLATE_COLUMNS]}
        for line, cells in table.rows[:PREVIEW_ROWS]
    ]


def _reference_load(table: Table) -> _Reference:
    emails = {key for _line, cells in table.rows if (key := email_key(cells))}
    nips = {key for _line, cells in table.rows if (key := nip_key(cells))}
    users = (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("staff_profile")
    )
    owners = StaffProfile.objects.filter(nip__in=nips).select_related("user")
    return _Reference(
        positions={p.code.upper(): p for p in Position.objects.all()},
        work_units={u.code.upper(): u for u in WorkUnit.objects.all()},
        kecamatan={k.code: k for k in Kecamatan.objects.all()},
        users={user.email.lower(): user for user in users},
        nip_owners={profile.nip: profile.user for profile in owners},
    )


def _lines_by(table: Table, key: Callable[[dict[str, str]], str]) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = defaultdict(list)
    for line, cells in table.rows:
        value = key(cells)
        if value:
            lines[value].append(line)
    return lines


def _others(lines: Iterable[int], line: int) -> str:
    return ", ".join(str(other) for other in lines if other != line)


class _RowCheck:
    """The checks of one row; `problems` collects every one found."""

    def __init__(self, line: int, cells: dict[str, str], reference: _Reference) -> None:
        self.line = line
        self.cells = cells
        self.reference = reference
        self.problems: list[dict[str, Any]] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append({"row": self.line, "column": column, "message": message})

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, _("This column is required."))
        return value

    def email(self) -> str:
        value = self.required("email").lower()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.problem("email", _("“%(value)s” is not an email address.") % {"value": value})
                return ""
        return value

    def full_name(self) -> str:
        value = " ".join(self.required("full_name").split())
        if len(value) > MAX_NAME_LENGTH:
            self.problem(
                "full_name",
                _("A name has at most %(max)d characters.") % {"max": MAX_NAME_LENGTH},
            )
        return value

    def nip(self) -> str:
        value = self.text("nip")
        if "e+" in value.lower():
            # A NIP typed into a number cell: the spreadsheet kept 15 digits of 18.
            self.problem(
                "nip",
                _(
                    "This NIP was typed as a number and the spreadsheet rounded it "
                    "(%(value)s). Format the nip column as Text and type the NIP again."
                )
                % {"value": value},
            )
            return ""
        try:
            return nip_normalise(value)
        except ValidationError as exc:
            self.problem("nip", " ".join(exc.messages))
            return ""

    def coded(
        self, column: str, objects: dict[str, Any], *, required: bool, unknown: str, retired: str
    ) -> Any:
        code = self.required(column) if required else self.text(column)
        if not code:
            return None
        found = objects.get(code.upper() if column != "kecamatan" else code)
        if found is None:
            self.problem(column, unknown % {"code": code})
        elif not getattr(found, "is_active", True):
            self.problem(column, retired % {"code": code})
        return found

    def phone(self) -> str:
        value = self.text("phone")
        if value and not PHONE_PATTERN.match(value):
            self.problem(
                "phone",
                _("“%(value)s” is not a phone number (digits, spaces, + ( ) - only).")
                % {"value": value},
            )
        return value


def _differences(user: User, profile: StaffProfile, row: RowPlan) -> list[str]:
    """The columns where the file says something else than the regency's record."""
    pairs = {
        "full_name": (user.full_name, row.full_name),
        "nip": (profile.nip, row.nip),
        "position": (profile.position_id, row.position.pk if row.position else None),
        "work_unit": (profile.work_unit_id, row.work_unit.pk if row.work_unit else None),
        "kecamatan": (profile.kecamatan_id, row.kecamatan.pk if row.kecamatan else None),
        "phone": (profile.phone, row.phone),
    }
    return [column_label(column) for column, (ours, theirs) in pairs.items() if ours != theirs]


def _existing_check(check: _RowCheck, row: RowPlan) -> bool:
    """Whether the row describes someone already in the regency exactly as the file
    does (nothing to do); a person recorded differently is a problem, never an
    update: the file may be older than the regency's data."""
    reference = check.reference
    owner = reference.nip_owners.get(row.nip) if row.nip else None
    if owner is not None and owner.email.lower() != row.email:
        check.problem(
            "nip",
            _("This NIP belongs to %(name)s (%(email)s), who is already in this regency.")
            % {"name": owner.full_name, "email": owner.email},
        )
    user = reference.users.get(row.email) if row.email else None
    if user is None:
        return False
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        check.problem(
            "email",
            _("%(email)s already has an account in this regency that is not a staff profile.")
            % {"email": row.email},
        )
        return False
    differing = _differences(user, profile, row)
    if differing:
        check.problem(
            "email",
            _(
                "%(email)s is already in this regency with different details (%(columns)s). "
                "Change them on the person's page, or remove this row."
            )
            % {"email": row.email, "columns": ", ".join(differing)},
        )
        return False
    return True


def import_plan_build(table: Table, *, progress: ProgressCallback | None = None) -> ImportPlan:
    """Check every row of the table; the plan lists the rows to write and every
    problem found. Writes nothing."""
    reference = _reference_load(table)
    emails = _lines_by(table, email_key)
    nips = _lines_by(table, nip_key)
    plan = ImportPlan()
    for index, (line, cells) in enumerate(table.rows, start=1):
        check = _RowCheck(line, cells, reference)
        email = check.email()
        full_name = check.full_name()
        nip = check.nip()
        position = check.coded(
            "position",
            reference.positions,
            required=True,
            unknown=_("There is no position with the code “%(code)s”."),
            retired=_("The position “%(code)s” is no longer in use."),
        )
        work_unit = check.coded(
            "work_unit",
            reference.work_units,
            required=True,
            unknown=_("There is no work unit with the code “%(code)s”."),
            retired=_("The work unit “%(code)s” is no longer active."),
        )
        kecamatan = check.coded(
            "kecamatan",
            reference.kecamatan,
            required=False,
            unknown=_("There is no kecamatan with the code “%(code)s” in this regency."),
            retired="",
        )
        phone = check.phone()
        _duplicates_check(check, emails.get(email_key(cells), []), column="email")
        _duplicates_check(check, nips.get(nip_key(cells), []), column="nip")
        row = RowPlan(
            line=line,
            email=email,
            full_name=full_name,
            nip=nip,
            position=position,
            work_unit=work_unit,
            kecamatan=kecamatan,
            phone=phone,
            unchanged=False,
        )
        unchanged = _existing_check(check, row)
        if check.problems:
            plan.problems.extend(check.problems)
        else:
            plan.rows.append(replace(row, unchanged=unchanged))
        if progress is not None:
            progress(index)
    return plan


def _duplicates_check(check: _RowCheck, lines: list[int], *, column: str) -> None:
    if len(lines) < 2:
        return
    others = _others(lines, check.line)
    count = len(lines) - 1
    if column == "email":
        message = ngettext(
            "Row %(rows)s has the same email address.",
            "Rows %(rows)s have the same email address.",
            count,
        )
    else:
        message = ngettext(
            "Row %(rows)s has the same NIP.",
            "Rows %(rows)s have the same NIP.",
            count,
        )
    check.problem(column, message % {"rows": others})

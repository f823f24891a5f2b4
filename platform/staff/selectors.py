"""Reads on a regency's staff: the people list with its filters, one person's
facts, the seat count, and the rows of the staff export."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from accounts.nip import Nip, nip_parse
from organisation.models import Kecamatan, Position, WorkUnit
from staff.models import StaffProfile
from staff.permissions import work_unit_descendant_ids


class PersonStatus:
    """Where a person stands. "Invited" is anyone active who has not set a
    password yet, whatever their invitation's state (waiting, expired, revoked)."""

    ACTIVE = "active"
    INVITED = "invited"
    INACTIVE = "inactive"


def person_status(user: User) -> str:
    if not user.is_active:
        return PersonStatus.INACTIVE
    return PersonStatus.ACTIVE if user.has_usable_password() else PersonStatus.INVITED


def person_status_label(status: str) -> str:
    return {
        PersonStatus.ACTIVE: _("Active"),
        PersonStatus.INVITED: _("Invited"),
        PersonStatus.INACTIVE: _("Inactive"),
    }[status]


def staff_people() -> QuerySet[User]:
    """Everyone on the regency's staff: its accounts, less Sragen's support users."""
    return (
        User.objects.filter(is_support_agent=False)
        .select_related(
            "staff_profile__position", "staff_profile__work_unit", "staff_profile__kecamatan"
        )
        .order_by("full_name", "email")
    )


def staff_search(
    *,
    query: str = "",
    work_unit: WorkUnit | None = None,
    position: Position | None = None,
    kecamatan: Kecamatan | None = None,
    status: str = "",
) -> QuerySet[User]:
    """The people matching every filter given. `query` matches name, email or NIP
    (a NIP may be typed with its usual spaces); a work unit includes its sub-units."""
    people = staff_people()
    query = query.strip()
    if query:
        condition = Q(full_name__icontains=query) | Q(email__icontains=query)
        digits = "".join(query.split())
        if digits.isdigit():
            condition |= Q(staff_profile__nip__contains=digits)
        people = people.filter(condition)
    if work_unit is not None:
        people = people.filter(
            staff_profile__work_unit_id__in=work_unit_descendant_ids([work_unit.pk])
        )
    if position is not None:
        people = people.filter(staff_profile__position=position)
    if kecamatan is not None:
        people = people.filter(staff_profile__kecamatan=kecamatan)
    # An unusable password is stored with a leading "!" (Django's marker).
    no_password = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if status == PersonStatus.ACTIVE:
        people = people.filter(is_active=True).exclude(no_password)
    elif status == PersonStatus.INVITED:
        people = people.filter(no_password, is_active=True)
    elif status == PersonStatus.INACTIVE:
        people = people.filter(is_active=False)
    return people


def staff_person(pk: int) -> User | None:
    return staff_people().filter(pk=pk).first()


def staff_active_count() -> int:
    """Seats: active accounts of the regency, less Sragen's support users. Admins
    count (they are the regency's staff), and so do people invited who have not
    set a password yet (their account is open to them). The same definition as
    billing.seats, which counts them for the invoice."""
    return User.objects.filter(is_active=True, is_support_agent=False).count()


def profile_of(user: User) -> StaffProfile | None:
    """The person's staff profile; admins created at provisioning have none."""
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def nip_masked(nip: str) -> str:
    """A NIP for lists: the birth date and the last three digits, as people
    recognise their own, the rest hidden. "" stays ""."""
    if len(nip) != 18:
        return nip
    return f"{nip[:8]} ****** *{nip[15:]}"


def nip_grouped(nip: str) -> str:
    """The NIP in its usual written groups: 19850317 201001 1 002."""
    if len(nip) != 18:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def nip_facts(nip: str) -> Nip | None:
    """What the NIP says (birth date, appointment, sex), or None without a valid one."""
    if not nip:
        return None
    try:
        return nip_parse(nip)
    except ValidationError:
        return None


def invitation_latest(user: User) -> Invitation | None:
    return Invitation.objects.filter(user=user).order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class PersonRow:
    """One line of the staff list."""

    user: User
    profile: StaffProfile | None
    status: str
    status_label: str
    nip_masked: str


def person_rows(people: Any) -> list[PersonRow]:
    rows = []
    for user in people:
        profile = profile_of(user)
        status = person_status(user)
        rows.append(
            PersonRow(
                user=user,
                profile=profile,
                status=status,
                status_label=person_status_label(status),
                nip_masked=nip_masked(profile.nip) if profile else "",
            )
        )
    return rows


def staff_export_columns(*, include_nip: bool) -> list[str]:
    return [
        _("Full name"),
        _("Email"),
        _("NIP") if include_nip else _("NIP (masked)"),
        _("Position"),
        _("Work unit code"),
        _("Work unit"),
        _("Kecamatan"),
        _("Phone"),
        _("Status"),
    ]


def staff_export_rows(people: QuerySet[User], *, include_nip: bool) -> Iterator[list[object]]:
    for user in people.iterator(chunk_size=500):
        profile = profile_of(user)
        nip = profile.nip if profile else ""
        yield [
            user.full_name,
            user.email,
            nip if include_nip else nip_masked(nip),
            profile.position.name if profile and profile.position else "",
            profile.work_unit.code if profile and profile.work_unit else "",
            profile.work_unit.name if profile and profile.work_unit else "",
            profile.kecamatan.name if profile and profile.kecamatan else "",
            profile.phone if profile else "",
            person_status_label(person_status(user)),
        ]


def appointment_date(facts: Nip) -> datetime.date:
    return datetime.date(facts.appointed_year, facts.appointed_month, 1)

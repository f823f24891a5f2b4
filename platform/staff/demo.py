"""Demo staff for a demo regency: a few dozen civil servants across work units,
roles and scopes, with valid NIPs. Idempotent: people are matched by email, role
assignments by their content, so a second run creates nothing.

Runs inside the regency's schema, after organisation.demo.demo_organisation_seed
(it needs the work units, positions and the kecamatan offices). Who is who is
drawn from a random generator seeded with the regency's slug: the same regency
gets the same people every time."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.db import tenant_connection
from organisation.demo import kecamatan_office_code
from organisation.models import Kecamatan, Position, WorkUnit
from staff.models import RoleAssignment, StaffProfile
from staff.permissions import mfa_required
from staff.services import Actor, staff_create

SEED_ACTOR = Actor(email="seed_demo@sukowati.test", name="seed_demo")
KECAMATAN_OFFICES = 6

MALE_FIRST = (
    "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dimas", "Eko", "Fajar",
    "Hadi", "Hendra", "Irfan", "Iwan", "Joko", "Rizky", "Rudi", "Taufik", "Wahyu", "Yusuf",
)  # fmt: skip
MALE_LAST = (
    "Santoso", "Hidayat", "Saputra", "Wijaya", "Kurniawan", "Pratama", "Setiawan",
    "Nugroho", "Rahman", "Hakim", "Syahputra", "Nasution", "Mulyadi", "Ramadhan",
    "Firmansyah", "Gunawan", "Suryadi", "Hasibuan",
)  # fmt: skip
FEMALE_FIRST = (
    "Ayu", "Dewi", "Dian", "Eka", "Fitri", "Indah", "Kartika", "Lestari", "Maya", "Novi",
    "Nurul", "Putri", "Ratna", "Rina", "Siti", "Sri", "Tuti", "Wulan", "Yanti", "Yuni",
)  # fmt: skip
FEMALE_LAST = (
    "Wulandari", "Rahayu", "Susanti", "Permatasari", "Maharani", "Handayani", "Fitriani",
    "Lestari", "Puspitasari", "Anggraini", "Kusumawati", "Marlina", "Safitri", "Utami",
    "Oktaviani", "Hasanah",
)  # fmt: skip


@dataclass(frozen=True)
class Grant:
    module: str
    role: str
    scope: str = RoleAssignment.Scope.REGENCY
    # The work unit's code, for a work-unit scope; "kecamatan" for the person's own.
    over: str = ""


@dataclass(frozen=True)
class Post:
    """A job to fill: position, work unit, roles."""

    position: str
    work_unit: str
    grants: tuple[Grant, ...] = ()
    has_nip: bool = True


WU = RoleAssignment.Scope.WORK_UNIT
KEC = RoleAssignment.Scope.KECAMATAN

POSTS: tuple[Post, ...] = (
    # One-stop permits (DPMPTSP).
    Post("KADIS", "DPMPTSP", (Grant("permits", "approver"),)),
    Post("KABID", "DPMPTSP-YAN", (Grant("permits", "approver", WU, "DPMPTSP-YAN"),)),
    Post("PETUGAS-FO", "DPMPTSP-YAN", (Grant("permits", "front_office", WU, "DPMPTSP-YAN"),)),
    Post("PETUGAS-FO", "DPMPTSP-YAN", (Grant("permits", "front_office", WU, "DPMPTSP-YAN"),)),
    Post(
        "PETUGAS-FO",
        "DPMPTSP-YAN",
        (Grant("permits", "front_office", WU, "DPMPTSP-YAN"),),
        has_nip=False,
    ),
    Post("VERIFIKATOR", "DPMPTSP-YAN", (Grant("permits", "back_office"),)),
    Post("ANALIS-PERIZINAN", "DPMPTSP-YAN", (Grant("permits", "back_office"),)),
    Post("ANALIS-PERIZINAN", "DPMPTSP-TEKNIS", (Grant("permits", "technical_team"),)),
    Post(
        "ANALIS-PERIZINAN",
        "DPMPTSP-TEKNIS",
        (Grant("permits", "technical_team", WU, "DPMPTSP-TEKNIS"),),
    ),
    Post("KASI", "DPUPR", (Grant("permits", "technical_team", WU, "DPMPTSP-TEKNIS"),)),
    Post("KASI", "DLH", (Grant("permits", "technical_team", WU, "DPMPTSP-TEKNIS"),)),
    Post("KASI", "DPMPTSP-DAL", (Grant("kantaya", "staff", WU, "DPMPTSP"),)),
    # KTP service (Disdukcapil).
    Post("KADIS", "DISDUKCAPIL", (Grant("ktp", "supervisor"),)),
    Post("KABID", "DISDUKCAPIL-DAFDUK", (Grant("ktp", "supervisor", WU, "DISDUKCAPIL"),)),
    Post("OPERATOR", "DISDUKCAPIL-DAFDUK", (Grant("ktp", "operator", WU, "DISDUKCAPIL"),)),
    Post("OPERATOR", "DISDUKCAPIL-DAFDUK", (Grant("ktp", "operator", WU, "DISDUKCAPIL"),)),
    Post("OPERATOR", "DISDUKCAPIL-DAFDUK", (Grant("ktp", "operator", WU, "DISDUKCAPIL"),)),
    Post("ADMINDUK", "DISDUKCAPIL-PIAK", (Grant("ktp", "verifier"),)),
    Post("ADMINDUK", "DISDUKCAPIL-PIAK", (Grant("ktp", "verifier"),)),
    # Kantaya, the office system.
    Post("KABAG", "SETDA-ORG", (Grant("kantaya", "unit_admin"),)),
    Post("PENGADMINISTRASI", "SETDA", (Grant("kantaya", "staff", WU, "SETDA"),)),
    Post("PENGADMINISTRASI", "SETDA-HUK", (Grant("kantaya", "staff", WU, "SETDA"),)),
    Post("PRANATA-KOMPUTER", "DISKOMINFO", (Grant("kantaya", "unit_admin", WU, "DISKOMINFO"),)),
    Post("KABAN", "BAPPEDA", (Grant("kantaya", "supervisor", WU, "BAPPEDA"),)),
    Post("PENGADMINISTRASI", "BAPPEDA", (Grant("kantaya", "staff", WU, "BAPPEDA"),)),
    Post("PENGADMINISTRASI", "BKPSDM", (Grant("kantaya", "staff", WU, "BKPSDM"),)),
)

# In each of the first KECAMATAN_OFFICES kecamatan: the camat, who supervises the
# office's letters, and a counter operator for KTP and permit intake there.
KECAMATAN_POSTS: tuple[Post, ...] = (
    Post(
        "CAMAT",
        "",
        (Grant("kantaya", "supervisor", WU, "office"), Grant("permits", "front_office", KEC)),
    ),
    Post(
        "OPERATOR",
        "",
        (
            Grant("ktp", "operator", KEC),
            Grant("permits", "front_office", KEC),
            Grant("kantaya", "staff", WU, "office"),
        ),
    ),
)


def nip_make(rng: random.Random, *, male: bool) -> str:
    """A NIP that accounts.nip accepts: birth date, appointment (TMT CPNS) at 22
    to 30 and not after 2024, sex digit, serial 001-999."""
    birth_year = rng.randint(1968, 1996)
    birth = f"{birth_year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    appointed = f"{min(birth_year + rng.randint(22, 30), 2024)}{rng.randint(1, 12):02d}"
    return f"{birth}{appointed}{1 if male else 2}{rng.randint(1, 999):03d}"


def _person(
    rng: random.Random, slug: str, used: set[str], *, has_nip: bool
) -> tuple[str, str, str, str]:
    """(full name, email, NIP, phone), the email and NIP not drawn before in this run."""
    while True:
        male = rng.random() < 0.55
        first = rng.choice(MALE_FIRST if male else FEMALE_FIRST)
        last = rng.choice(MALE_LAST if male else FEMALE_LAST)
        email = f"{first}.{last}@{slug}.test".lower()
        nip = nip_make(rng, male=male) if has_nip else ""
        phone = f"0812{rng.randint(10_000_000, 99_999_999)}"
        if email not in used and (not nip or nip not in used):
            used.update({email, nip})
            return f"{first} {last}", email, nip, phone


def _grant_ensure(user: User, grant: Grant, *, office: WorkUnit | None) -> bool:
    work_unit = None
    kecamatan = None
    if grant.scope == WU:
        work_unit = (
            office if grant.over == "office" else WorkUnit.objects.filter(code=grant.over).first()
        )
        if work_unit is None:
            return False
    elif grant.scope == KEC:
        kecamatan = user.staff_profile.kecamatan
        if kecamatan is None:
            return False
    _assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        module=grant.module,
        role=grant.role,
        scope=grant.scope,
        work_unit=work_unit,
        kecamatan=kecamatan,
        defaults={"granted_by_email": SEED_ACTOR.email},
    )
    return created


def _jobs() -> list[tuple[Post, WorkUnit | None, Kecamatan | None]]:
    jobs: list[tuple[Post, WorkUnit | None, Kecamatan | None]] = [
        (post, None, None) for post in POSTS
    ]
    for kecamatan in Kecamatan.objects.order_by("code")[:KECAMATAN_OFFICES]:
        office = WorkUnit.objects.filter(code=kecamatan_office_code(kecamatan)).first()
        jobs += [(post, office, kecamatan) for post in KECAMATAN_POSTS]
    return jobs


def demo_staff_seed(
    *, password: str | None = None, totp_ensure: Callable[[User], bool] | None = None
) -> int:
    """Create what is missing; returns how many people were created. Everyone gets
    `password` (none: they must be invited); holders of roles that require
    two-factor sign-in get an authenticator through `totp_ensure`."""
    db = tenant_connection()
    slug = getattr(db.tenant, "slug", "") or db.schema_name
    rng = random.Random(f"sukowati-demo-{slug}")  # noqa: S311 - demo data, not secrets
    # One hash for everyone: hashing the same password for each person would take
    # most of a minute, and the demo password is published anyway.
    hashed = make_password(password) if password else None
    positions = {position.code: position for position in Position.objects.all()}
    units = {unit.code: unit for unit in WorkUnit.objects.all()}
    used: set[str] = set()
    created = 0
    for index, (post, office, kecamatan) in enumerate(_jobs()):
        full_name, email, nip, phone = _person(rng, slug, used, has_nip=post.has_nip)
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            made = user is None
            if user is None:
                user = staff_create(
                    email=email,
                    full_name=full_name,
                    actor=SEED_ACTOR,
                    nip=nip,
                    position=positions.get(post.position),
                    work_unit=office or units.get(post.work_unit),
                    kecamatan=kecamatan,
                    phone=phone,
                )
                if hashed:
                    User.objects.filter(pk=user.pk).update(password=hashed)
                created += 1
            for grant in post.grants:
                _grant_ensure(user, grant, office=office)
            if totp_ensure is not None and mfa_required(user):
                totp_ensure(user)
            # One person has left: their account stays, inactive, with its history.
            if made and index == len(POSTS) - 1:
                User.objects.filter(pk=user.pk).update(is_active=False)
                StaffProfile.objects.filter(user=user).update(
                    deactivated_at=timezone.now(), deactivated_by_email=SEED_ACTOR.email
                )
    return created

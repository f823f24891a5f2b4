"""People for the roles, permissions and audit tests: regency admins with an
authenticator (admins must use two-factor sign-in), staff with a profile, and
clients signed in as them at their regency's host."""

import uuid

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from organisation.models import Kecamatan, WorkUnit
from staff.models import StaffProfile
from tests.accounts.helpers import PASSWORD, client_at


def regency_admin(slug: str, *, full_name: str = "Siti Rahmawati") -> User:
    with schema_context(slug):
        user = user_create(
            email=f"admin-{uuid.uuid4().hex[:8]}@{slug}.test",
            full_name=full_name,
            password=PASSWORD,
            email_verified=True,
            is_regency_admin=True,
        )
        TOTP.activate(user, generate_totp_secret())
    return user


def staff_member(
    slug: str,
    *,
    full_name: str = "Agus Prasetyo",
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    active: bool = True,
) -> User:
    with schema_context(slug):
        user = user_create(
            email=f"staff-{uuid.uuid4().hex[:8]}@{slug}.test",
            full_name=full_name,
            password=PASSWORD,
            email_verified=True,
        )
        StaffProfile.objects.create(user=user, work_unit=work_unit, kecamatan=kecamatan)
        if not active:
            User.objects.filter(pk=user.pk).update(is_active=False)
            user.is_active = False
    return user


def signed_in(slug: str, user: User) -> Client:
    """A client at the regency's host, in English, signed in as `user`."""
    client = client_at(f"{slug}.localhost")
    with schema_context(slug):
        client.force_login(user)
    return client


def unit(slug: str, code: str) -> WorkUnit:
    with schema_context(slug):
        return WorkUnit.objects.get(code=code)


def two_kecamatan(slug: str) -> tuple[Kecamatan, Kecamatan]:
    with schema_context(slug):
        first, second = Kecamatan.objects.order_by("code")[:2]
    return first, second

"""People for the people, invitation and offboarding tests."""

import uuid
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from staff.services import Actor, staff_create
from tests.accounts.helpers import PASSWORD, client_at

ADMIN = Actor(email="admin@lebak.test", name="Siti Rahmawati")
# Valid NIPs (accounts.nip): birth date, appointment year and month, sex, serial.
VALID_NIPS = ("198503172010011002", "199001012015032001", "197812312005121999")


def person_create(
    slug: str = "lebak", *, password: bool = False, nip: str = "", full_name: str = "Agus Prasetyo"
) -> User:
    """A staff member created by the service; with `password`, one who has
    already set theirs (PASSWORD)."""
    with schema_context(slug):
        user = staff_create(
            email=f"staff-{uuid.uuid4().hex[:10]}@{slug}.test",
            full_name=full_name,
            actor=ADMIN,
            nip=nip,
        )
        if password:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    return user


def admin_create(
    slug: str = "lebak", *, full_name: str = "Hendra Wijaya", totp: bool = True
) -> User:
    """Another regency admin, with an authenticator unless `totp` is False."""
    with schema_context(slug):
        user = user_create(
            email=f"admin-{uuid.uuid4().hex[:8]}@{slug}.test",
            full_name=full_name,
            password=PASSWORD,
            email_verified=True,
            is_regency_admin=True,
        )
        if totp:
            TOTP.activate(user, generate_totp_secret())
    return user


def signed_in(slug: str, user: User) -> Client:
    """A client at the regency's host, in English, signed in as `user`."""
    client = client_at(f"{slug}.localhost")
    with schema_context(slug):
        client.force_login(user)
    return client


def invitation_path(email: str, host: str = "lebak.localhost") -> str:
    """The path of the invitation link last mailed to `email`."""
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    link = next(line for line in message.body.splitlines() if "/password/reset/key/" in line)
    return link.strip().removeprefix(f"http://{host}")


NEW_PASSWORD = "Pelayanan-baru-2026"


def accept(client: Client, path: str, password: str = NEW_PASSWORD) -> Any:
    """Open the invitation link and choose a password; the last response."""
    form = client.get(path, follow=True)
    return client.post(form.wsgi_request.path, {"password1": password, "password2": password})

import random
import uuid

from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create

PASSWORD = "Pelayanan-prima-2026"


def random_ip() -> str:
    """Each test signs in from its own address so allauth's per-IP limits of one
    test never spill into another."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def new_user(schema: str, *, verified: bool = True, email: str | None = None) -> User:
    with schema_context(schema):
        return user_create(
            email=email or f"staff-{uuid.uuid4().hex[:10]}@example.test",
            full_name="Dewi Lestari",
            password=PASSWORD,
            email_verified=verified,
        )


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def client_at(host: str) -> Client:
    return Client(HTTP_HOST=host, REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="en")


def sign_in_as(client: Client, schema: str, email: str) -> Client:
    """Sign `client` in as `email` without the sign-in form, for tests about what a
    signed-in person sees. (The demo admins have an authenticator, as admins must,
    so the password form alone stops at the code step.)"""
    with schema_context(schema):
        client.force_login(User.objects.get(email=email))
    return client


DEMO_TOTP_SECRET = "SUKOWATIDEMOSECRETSRAGENJAKARTA2"


def demo_totp_code(schema: str, email: str) -> str:
    """The current code of the demo TOTP secret, usable by `email` now: allauth
    refuses a code used once within its period, and tests sign the same demo
    admin in several times a minute, so the earlier use is forgotten."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.core.cache import cache

    counter = next(iter(yield_hotp_counters_from_time()))
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
    with schema_context(schema):
        authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
        cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code

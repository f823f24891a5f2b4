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

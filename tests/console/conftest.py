"""Console test helpers: platform staff with or without an authenticator, and
clients signed in as them at the console host."""

import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from tests.accounts.helpers import PASSWORD, client_at

CONSOLE_HOST = "localhost"


def staff_user(role: str = User.PlatformRole.ENGINEER, *, mfa: bool = True) -> User:
    with schema_context("public"):
        user = user_create(
            email=f"staff-{uuid.uuid4().hex[:10]}@sukowati.test",
            full_name="Wahyu Hidayat",
            password=PASSWORD,
            email_verified=True,
            platform_role=role,
        )
        if mfa:
            TOTP.activate(user, generate_totp_secret())
    return user


def console_client(user: User | None = None) -> Client:
    """A client at the console host, in English, signed in as `user`."""
    client = client_at(CONSOLE_HOST)
    if user is not None:
        with schema_context("public"):
            client.force_login(user)
    return client


def console_url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None, urlconf="config.urls_public")


@pytest.fixture
def engineer(db) -> User:
    return staff_user()


@pytest.fixture
def console(engineer) -> Client:
    return console_client(engineer)


QUEUED_TASKS = (
    "tenants.tasks.provisioning_run_task",
    "console.tasks.storage_usage_fanout_task",
    "console.tasks.storage_usage_measure_task",
)


@pytest.fixture(autouse=True)
def sent_tasks(monkeypatch) -> dict[str, list[tuple]]:
    """Tasks the console queues are recorded here, never published: these tests
    need no worker, and a message left in a broker would run against the wrong
    database later. {task name: [args of each .delay()]}."""
    sent: dict[str, list[tuple]] = {name: [] for name in QUEUED_TASKS}
    for name in QUEUED_TASKS:
        module, _dot, attribute = name.rpartition(".")
        monkeypatch.setattr(
            f"{module}.{attribute}.delay", lambda *args, _n=name: sent[_n].append(args)
        )
    return sent

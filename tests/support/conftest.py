"""Support-desk test helpers: regency users and clients, engineers, tickets,
and the desk's Celery tasks run at once (in the schema their message names)."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from support import tasks as support_tasks
from support.lifecycle import Actor
from support.models import Category, Priority, Side, Ticket
from support.services.tickets import Requester, ticket_create
from tenants.models import Tenant
from tests.accounts.helpers import client_at
from tests.conftest import admin_email
from tests.console.conftest import console_client

SUPPORT_TASKS = (
    support_tasks.ticket_opened_notify_task,
    support_tasks.ticket_message_notify_task,
    support_tasks.ticket_transition_notify_task,
    support_tasks.ticket_assigned_notify_task,
    support_tasks.inbound_bounce_task,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Attachments written by a test go to its own folder, not var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def queued_tasks(monkeypatch) -> list[tuple[str, tuple, str]]:
    """The desk's tasks run at once when published, in the schema named in
    their headers (as a worker would), and are recorded: (name, args, schema).
    Publishing happens on commit: wrap actions in
    `django_capture_on_commit_callbacks(execute=True)`."""
    published: list[tuple[str, tuple, str]] = []
    for task in SUPPORT_TASKS:

        def apply_async(args=(), kwargs=None, headers=None, _task=task, **options: Any):
            schema = (headers or {}).get("_schema_name", "")
            published.append((_task.name, tuple(args), schema))
            with schema_context(schema):
                _task.run(*args)

        monkeypatch.setattr(task, "apply_async", apply_async)
    return published


def regency_user(slug: str, *, admin: bool = False, email: str | None = None) -> User:
    with schema_context(slug):
        if admin and email is None:
            return User.objects.get(email=admin_email(slug))
        return user_create(
            email=email or f"staf-{uuid.uuid4().hex[:8]}@{slug}.test",
            full_name="Dewi Lestari",
            # No password: tests sign in with force_login, and hashing one is slow.
            password=None,
            email_verified=True,
            is_regency_admin=admin,
        )


def regency_client(slug: str, user: User) -> Client:
    """A client at the regency's host, in English, signed in as `user`."""
    client = client_at(f"{slug}.localhost")
    with schema_context(slug):
        client.force_login(user)
    return client


def requester_of(user: User, language: str = "en") -> Requester:
    return Requester(
        user_id=user.pk,
        name=user.full_name,
        email=user.email,
        role="Staff",
        language=language,
    )


def open_ticket(
    tenant: Tenant,
    user: User,
    *,
    subject: str = "Cetak KTP gagal",
    body: str = "Printer tidak merespons.",
    priority: str = Priority.NORMAL,
    category: str = Category.INCIDENT,
    language: str = "en",
    uploads: tuple = (),
) -> Ticket:
    with schema_context(tenant.schema_name):
        return ticket_create(
            tenant=tenant,
            requester=requester_of(user, language),
            subject=subject,
            body=body,
            category=category,
            priority=priority,
            uploads=list(uploads),
        )


def engineer_actor(user: User) -> Actor:
    return Actor(email=user.email, name=user.full_name, side=Side.ENGINEER)


def regency_actor(user: User) -> Actor:
    return Actor(email=user.email, name=user.full_name, side=Side.REGENCY)


def pdf(name: str = "laporan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def engineer_user(role: str = User.PlatformRole.ENGINEER, *, mfa: bool = True) -> User:
    """Platform staff in the public schema, without a password (fast to create)."""
    with schema_context("public"):
        user = user_create(
            email=f"eng-{uuid.uuid4().hex[:8]}@sukowati.test",
            full_name="Wahyu Hidayat",
            password=None,
            email_verified=True,
            platform_role=role,
        )
        if mfa:
            TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def engineer(db) -> User:
    return engineer_user()


@pytest.fixture
def console(engineer) -> Client:
    return console_client(engineer)


@pytest.fixture
def lebak_admin(db) -> User:
    return regency_user("lebak", admin=True)


@pytest.fixture
def lebak_staff(db) -> User:
    return regency_user("lebak")


@pytest.fixture
def ticket(regencies, lebak_staff) -> Ticket:
    return open_ticket(regencies["lebak"], lebak_staff)


@pytest.fixture
def make_ticket(regencies) -> Callable[..., Ticket]:
    def make(slug: str = "lebak", user: User | None = None, **kwargs: Any) -> Ticket:
        return open_ticket(regencies[slug], user or regency_user(slug), **kwargs)

    return make

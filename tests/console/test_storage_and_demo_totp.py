"""Storage measurement fans out per regency; the demo engineer's TOTP is seeded
with the documented secret and `demo_totp` prints its current code."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import User
from console.tasks import storage_usage_fanout_task
from tenants.management.commands.demo_totp import totp_code
from tenants.management.commands.seed_demo import DEMO_TOTP_SECRET, ENGINEER_EMAIL
from tests.console.conftest import console_url

pytestmark = pytest.mark.django_db


def test_fanout_queues_one_measurement_inside_each_regency(regencies, monkeypatch):
    from core.db import tenant_connection

    schemas = []
    monkeypatch.setattr(
        "console.tasks.storage_usage_measure_task.delay",
        lambda: schemas.append(tenant_connection().schema_name),
    )
    assert storage_usage_fanout_task() == 3
    assert sorted(schemas) == ["balangan", "dumai", "lebak"]


def test_measure_now_queues_the_fanout_after_commit(
    console, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(console_url("console_storage_refresh"))
    assert response.status_code == 302
    assert sent_tasks["console.tasks.storage_usage_fanout_task"] == [()]


def test_demo_engineer_has_the_documented_totp_secret():
    with schema_context("public"):
        engineer = User.objects.get(email=ENGINEER_EMAIL)
        authenticator = Authenticator.objects.get(user=engineer, type=Authenticator.Type.TOTP)
        assert decrypt(authenticator.data["secret"]) == DEMO_TOTP_SECRET


def test_demo_totp_prints_the_current_code():
    out = io.StringIO()
    before = totp_code(DEMO_TOTP_SECRET)
    call_command("demo_totp", stdout=out)
    after = totp_code(DEMO_TOTP_SECRET)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    # One of the two, should the 30-second step turn in between.
    assert code in {before, after}


def test_seeding_again_keeps_a_single_authenticator():
    call_command("seed_demo", verbosity=0)
    with schema_context("public"):
        assert Authenticator.objects.filter(user__email=ENGINEER_EMAIL).count() == 1

"""`manage.py tenant_provision`: progress per step, non-zero exit on failure."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tenants.utils import schema_exists

from tenants.models import ProvisioningRun, Tenant
from tenants.provisioning import steps

pytestmark = pytest.mark.django_db

ARGS = [
    "pacitan",
    "--region",
    "35.01",
    "--admin-email",
    "admin@pacitankab.go.id",
    "--admin-name",
    "Sri Wahyuni",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_provisions_and_shows_a_progress_bar_per_step():
    out = io.StringIO()
    call_command("tenant_provision", *ARGS, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Pacitan is active."
    bars = [line for line in lines if line.startswith("[")]
    assert bars[0].startswith("[........................] 0/8 Reserve slug and domains: Running")
    assert bars[-1].startswith("[########################] 8/8 Activate: Done")
    assert Tenant.objects.get(slug="pacitan").status == Tenant.Status.ACTIVE


def test_failure_exits_non_zero_and_resume_finishes(monkeypatch):
    def broken(run):
        raise steps.StepFailed("SMTP server refused the connection")

    monkeypatch.setitem(steps.STEP_FUNCTIONS, "admin", broken)
    with pytest.raises(CommandError, match="SMTP server refused the connection"):
        call_command("tenant_provision", *ARGS, stdout=io.StringIO())
    assert schema_exists("pacitan")
    with pytest.raises(CommandError, match="--resume"):
        call_command("tenant_provision", *ARGS, stdout=io.StringIO())

    monkeypatch.undo()
    call_command("tenant_provision", "pacitan", "--resume", stdout=io.StringIO())
    run = ProvisioningRun.objects.get(tenant__slug="pacitan")
    assert run.status == ProvisioningRun.Status.SUCCEEDED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["bone", "--region", "99.99", "--admin-email", "a@b.id", "--admin-name", "A"],
            "not a regency",
        ),
        (["Bone!", "--region", "73.08", "--admin-email", "a@b.id", "--admin-name", "A"], "slug"),
        (["bone", "--admin-email", "a@b.id", "--admin-name", "A"], "--region is required"),
        (["bone", "--region", "73.08", "--admin-name", "A"], "--admin-email is required"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("tenant_provision", *args, stdout=io.StringIO())
    assert not Tenant.objects.filter(slug__in=["bone", "Bone!"]).exists()

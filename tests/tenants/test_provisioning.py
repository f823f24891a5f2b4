"""The provisioning pipeline: persisted, resumable, cancellable."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import Invitation, User
from billing.models import BillingCustomer
from core.models import AuditEvent
from organisation.models import Desa, Kecamatan
from tenants.lifecycle import Actor
from tenants.models import Domain, ProvisioningRun, ProvisioningStep, Tenant
from tenants.provisioning import steps
from tenants.provisioning.services import (
    ProvisioningRefused,
    provisioning_cancel,
    provisioning_execute,
    provisioning_retry,
    provisioning_start,
)
from tenants.provisioning.steps import STEP_NAMES
from tenants.services import tenant_prospect_create

pytestmark = pytest.mark.django_db
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso")


class SimulatedCrash(BaseException):
    """Not an Exception: like a killed worker, nothing in the runner catches it."""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def maros() -> Tenant:
    return tenant_prospect_create(slug="maros", region_code="73.09", actor_email=ENGINEER.email)


def _start(tenant: Tenant, **extra) -> ProvisioningRun:
    return provisioning_start(
        tenant=tenant,
        admin_email="admin@maroskab.go.id",
        admin_name="Andi Baso",
        actor=ENGINEER,
        **extra,
    )


def _assert_provisioned_once(tenant: Tenant) -> None:
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ACTIVE
    assert schema_exists("maros")
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "is_active")) == [
        ("maros.localhost", True)
    ]
    assert BillingCustomer.objects.filter(tenant=tenant).count() == 1
    with tenant_context(tenant):
        assert User.objects.count() == 1
        assert Invitation.objects.count() == 1
        assert Kecamatan.objects.count() == 14
        assert Desa.objects.count() > 100
        assert default_storage.exists(steps.STORAGE_MARKER)
    assert len([m for m in mail.outbox if m.to == ["admin@maroskab.go.id"]]) == 1


def test_full_run_provisions_a_working_regency(maros, client):
    run = provisioning_execute(run_id=_start(maros).pk)
    assert run.status == ProvisioningRun.Status.SUCCEEDED
    assert [s.status for s in run.steps.all()] == ["done"] * len(STEP_NAMES)
    _assert_provisioned_once(maros)
    assert client.get("/accounts/login/", HTTP_HOST="maros.localhost").status_code == 200


def test_invitation_link_lets_the_admin_set_a_password(maros, client):
    provisioning_execute(run_id=_start(maros).pk)
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link.strip().removeprefix("http://maros.localhost")
    form = client.get(path, HTTP_HOST="maros.localhost", follow=True)
    response = client.post(
        form.wsgi_request.path,
        {"password1": "Makassar-2026!", "password2": "Makassar-2026!"},
        HTTP_HOST="maros.localhost",
    )
    assert response.status_code == 302
    with tenant_context(maros):
        assert User.objects.get(email="admin@maroskab.go.id").check_password("Makassar-2026!")


@pytest.mark.parametrize("step_name", STEP_NAMES)
@pytest.mark.parametrize("when", ["before", "after"])
def test_resume_after_a_crash_at_each_step_finishes_without_duplicates(
    maros, monkeypatch, step_name, when
):
    original = steps.STEP_FUNCTIONS[step_name]

    def crashing(run):
        if when == "after":
            original(run)
        raise SimulatedCrash

    monkeypatch.setitem(steps.STEP_FUNCTIONS, step_name, crashing)
    run = _start(maros)
    with pytest.raises(SimulatedCrash):
        provisioning_execute(run_id=run.pk)
    assert run.steps.get(name=step_name).status == ProvisioningStep.Status.RUNNING

    monkeypatch.setitem(steps.STEP_FUNCTIONS, step_name, original)
    finished = provisioning_execute(run_id=run.pk)  # what the redelivered task does
    assert finished.status == ProvisioningRun.Status.SUCCEEDED
    assert finished.steps.get(name=step_name).attempts == 2
    _assert_provisioned_once(maros)


def test_failed_step_shows_its_error_and_retry_finishes(maros, monkeypatch):
    def broken(run):
        raise steps.StepFailed("Stripe is unreachable")

    monkeypatch.setitem(steps.STEP_FUNCTIONS, "billing", broken)
    run = provisioning_execute(run_id=_start(maros).pk)
    assert run.status == ProvisioningRun.Status.FAILED
    failed = run.steps.get(name="billing")
    assert (failed.status, failed.error) == ("failed", "Stripe is unreachable")
    assert run.steps.get(name="domains").status == "pending"

    monkeypatch.undo()
    provisioning_retry(run=run, actor=ENGINEER)
    assert provisioning_execute(run_id=run.pk).status == ProvisioningRun.Status.SUCCEEDED
    _assert_provisioned_once(maros)


def test_cancel_rolls_back_everything(maros, monkeypatch):
    def broken(run):
        raise steps.StepFailed("no")

    monkeypatch.setitem(steps.STEP_FUNCTIONS, "domains", broken)
    run = provisioning_execute(run_id=_start(maros).pk)
    assert schema_exists("maros")
    provisioning_cancel(run=run, actor=ENGINEER)
    maros.refresh_from_db()
    assert maros.status == Tenant.Status.PROSPECT
    assert not schema_exists("maros")
    assert not Domain.objects.filter(tenant=maros).exists()
    assert not BillingCustomer.objects.filter(tenant=maros).exists()
    run.refresh_from_db()
    assert run.status == ProvisioningRun.Status.CANCELLED
    assert AuditEvent.objects.filter(action="provisioning.cancel", target="maros").exists()
    # and, once the fault is gone, a new run starts from the prospect again
    monkeypatch.undo()
    assert provisioning_execute(run_id=_start(maros).pk).status == "succeeded"


def test_finished_run_cannot_be_cancelled_or_retried(maros):
    run = provisioning_execute(run_id=_start(maros).pk)
    with pytest.raises(ProvisioningRefused):
        provisioning_cancel(run=run, actor=ENGINEER)
    with pytest.raises(ProvisioningRefused):
        provisioning_retry(run=run, actor=ENGINEER)


def test_domain_taken_by_another_regency_is_refused_before_anything_starts(maros):
    with pytest.raises(ValidationError) as excinfo:
        _start(maros, domains=["lebak.localhost"])
    assert "already belongs to Lebak" in str(excinfo.value)
    maros.refresh_from_db()
    assert maros.status == Tenant.Status.PROSPECT
    assert not ProvisioningRun.objects.filter(tenant=maros).exists()


def test_malformed_reference_csv_lists_every_row_error_and_imports_nothing(maros):
    csv = "code,name\n73.09.01,Mandai Baru\n99.01.01,Luar\n73.09.01.2001,\n73.09.99.2001,Desa X\n"
    with pytest.raises(ValidationError) as excinfo:
        _start(maros, reference_csv=csv)
    errors = excinfo.value.message_dict["reference_csv"]
    assert len(errors) == 3
    assert errors[0].startswith("Line 3:") and "outside this regency" in errors[0]
    assert errors[1].startswith("Line 4:") and "name is empty" in errors[1]
    assert errors[2].startswith("Line 5:") and "kecamatan that does not exist" in errors[2]
    assert not schema_exists("maros")


def test_reference_csv_local_changes_are_applied(maros):
    csv = "code,name\n73.09.01,Mandai Baru\n73.09.01.2999,Desa Pemekaran\n"
    provisioning_execute(run_id=_start(maros, reference_csv=csv).pk)
    with tenant_context(maros):
        assert Kecamatan.objects.get(code="73.09.01").name == "Mandai Baru"
        assert Desa.objects.get(code="73.09.01.2999").is_local_change

"""A prospect recorded and provisioned from the console: errors shown in the
forms, the run queued once committed (no worker needed here), its steps shown
live, retry and cancel."""

from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from core.models import AuditEvent
from tenants.exports import storage_walk
from tenants.models import ProvisioningRun, ProvisioningStep, Tenant
from tenants.provisioning import steps
from tenants.provisioning.services import provisioning_execute
from tenants.provisioning.steps import STEP_LABELS, STEP_NAMES
from tenants.services import tenant_prospect_create
from tests.console.conftest import console_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(sent_tasks) -> list[tuple]:
    """The arguments of each provisioning task queued (see conftest.sent_tasks)."""
    return sent_tasks["tenants.tasks.provisioning_run_task"]


@pytest.fixture
def maros(engineer) -> Tenant:
    return tenant_prospect_create(slug="maros", region_code="73.09", actor_email=engineer.email)


# --- new prospect ---------------------------------------------------------------------


def test_prospect_form_lists_regencies_by_code(console):
    html = console.get(console_url("console_prospect_create")).content.decode()
    assert '<option value="73.09">Kabupaten Maros' in html


def test_prospect_form_shows_every_error_and_creates_nothing(console):
    response = console.post(
        console_url("console_prospect_create"), {"slug": "Admin!", "region_code": "73"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use 3 to 30 lowercase letters" in html or "reserved" in html
    assert html.count('data-testid="field-error"') == 2
    assert not Tenant.objects.filter(region_code="73").exists()


def test_a_region_already_served_is_refused(console):
    response = console.post(
        console_url("console_prospect_create"), {"slug": "lebak-baru", "region_code": "36.02"}
    )
    assert "36.02 is already served by Lebak." in response.content.decode()
    assert not Tenant.objects.filter(slug="lebak-baru").exists()


def test_prospect_is_created_and_shown(console, engineer):
    response = console.post(
        console_url("console_prospect_create"), {"slug": "maros", "region_code": "73.09"}
    )
    assert response.status_code == 302
    assert response["Location"] == console_url("console_tenant_detail", slug="maros")
    tenant = Tenant.objects.get(slug="maros")
    assert (tenant.name, tenant.status) == ("Maros", Tenant.Status.PROSPECT)
    assert AuditEvent.objects.filter(action="tenant.prospect", actor_email=engineer.email).exists()
    assert 'data-testid="provision-form"' in console.get(response["Location"]).content.decode()


def test_region_code_hint_names_the_regency(console):
    url = console_url("console_regency_name")
    assert "Kabupaten Maros" in console.get(url, {"region_code": "73.09"}).content.decode()
    assert "Not a regency" in console.get(url, {"region_code": "73.99"}).content.decode()


# --- provisioning -----------------------------------------------------------------


def _start(console, **data):
    payload = {
        "provision-admin_email": "admin@maroskab.go.id",
        "provision-admin_name": "Andi Baso",
        "provision-domains": "",
        **data,
    }
    return console.post(console_url("console_provision", slug="maros"), payload)


def test_start_queues_the_run_once_committed(
    console, maros, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _start(console)
    assert response.status_code == 302
    run = ProvisioningRun.objects.get(tenant=maros)
    assert run.status == ProvisioningRun.Status.RUNNING
    assert queued == []  # nothing is sent before the commit...
    for callback in callbacks:
        callback()
    assert queued == [(run.pk,)]  # ...and the run is sent after it
    maros.refresh_from_db()
    assert maros.status == Tenant.Status.PROVISIONING
    assert run.domains == ["maros.localhost"]


def test_start_errors_are_shown_and_nothing_starts(
    console, maros, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(
            console,
            **{
                "provision-admin_email": "bukan-email",
                "provision-domains": "lebak.localhost\nmaroskab.go.id",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "lebak.localhost already belongs to Lebak." in html
    assert not ProvisioningRun.objects.filter(tenant=maros).exists()
    maros.refresh_from_db()
    assert maros.status == Tenant.Status.PROSPECT
    assert queued == []


def test_malformed_reference_csv_lists_its_row_errors(
    console, maros, queued, django_capture_on_commit_callbacks
):
    content = "code,name\n73.09.99,Kecamatan Baru\n99.99.99,Salah\n".encode("cp1252")
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(
            console,
            **{"provision-reference_csv": SimpleUploadedFile("lokal.csv", content, "text/csv")},
        )
    html = response.content.decode()
    assert "Line 3" in html
    assert not ProvisioningRun.objects.filter(tenant=maros).exists()
    assert queued == []


def test_a_windows_1252_csv_is_read_as_text(console, maros, queued):
    # "Pangkép" in Windows-1252: not valid UTF-8, read by the fallback.
    content = "code,name\n73.09.99,Kecamatan Pangkép\n".encode("cp1252")
    response = _start(
        console,
        **{"provision-reference_csv": SimpleUploadedFile("lokal.csv", content, "text/csv")},
    )
    assert response.status_code == 302
    run = ProvisioningRun.objects.get(tenant=maros)
    assert "Kecamatan Pangkép" in run.reference_csv


def test_progress_fragment_polls_while_the_run_is_running(console, maros, queued):
    _start(console)
    run = ProvisioningRun.objects.get(tenant=maros)
    html = console.get(
        console_url("console_run_progress", slug="maros", run_id=run.pk)
    ).content.decode()
    assert 'hx-trigger="every 1s"' in html
    for name in STEP_NAMES:
        assert str(STEP_LABELS[name]) in html
        assert f'data-step="{name}" data-step-status="pending"' in html


@pytest.fixture
def failed_run(console, maros, queued, monkeypatch) -> Iterator[ProvisioningRun]:
    """A run whose billing step failed (after five steps were done)."""

    def broken(run):
        raise steps.StepFailed("Stripe is unreachable")

    _start(console)
    run = ProvisioningRun.objects.get(tenant=maros)
    with monkeypatch.context() as patch:
        patch.setitem(steps.STEP_FUNCTIONS, "billing", broken)
        provisioning_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ProvisioningRun.Status.FAILED
    yield run
    # The storage step wrote a marker file; the database rolls back, files do not.
    with schema_context("maros"):
        for name in list(storage_walk()):
            default_storage.delete(name)


def test_progress_shows_step_states_and_the_error(console, failed_run):
    html = console.get(
        console_url("console_run_progress", slug="maros", run_id=failed_run.pk)
    ).content.decode()
    assert 'data-step="schema" data-step-status="done"' in html
    assert 'data-step="billing" data-step-status="failed"' in html
    assert 'data-step="activate" data-step-status="pending"' in html
    assert "Stripe is unreachable" in html
    assert 'data-testid="run-retry"' in html
    assert 'data-testid="run-cancel"' in html
    assert "hx-trigger" not in html  # polling stops once the run stops


def test_polling_a_finished_run_reloads_the_page(console, failed_run):
    response = console.get(
        console_url("console_run_progress", slug="maros", run_id=failed_run.pk),
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Refresh"] == "true"


def test_the_tenant_page_shows_the_provisioning_log(console, failed_run):
    html = console.get(console_url("console_tenant_detail", slug="maros")).content.decode()
    assert f'id="run-{failed_run.pk}"' in html
    assert "Stripe is unreachable" in html


def test_retry_requeues_the_run(console, failed_run, queued, django_capture_on_commit_callbacks):
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(
            console_url("console_run_retry", slug="maros", run_id=failed_run.pk)
        )
    assert response.status_code == 302
    failed_run.refresh_from_db()
    assert failed_run.status == ProvisioningRun.Status.RUNNING
    assert queued == [(failed_run.pk,)]
    # What the worker then does: resume at the failed step.
    finished = provisioning_execute(run_id=failed_run.pk)
    assert finished.status == ProvisioningRun.Status.SUCCEEDED
    assert finished.steps.get(name="schema").attempts == 1
    assert finished.steps.get(name="billing").attempts == 2


def test_cancel_undoes_the_run(console, maros, failed_run):
    from django_tenants.utils import schema_exists

    assert schema_exists("maros")
    response = console.post(console_url("console_run_cancel", slug="maros", run_id=failed_run.pk))
    assert response.status_code == 302
    failed_run.refresh_from_db()
    assert failed_run.status == ProvisioningRun.Status.CANCELLED
    maros.refresh_from_db()
    assert maros.status == Tenant.Status.PROSPECT
    assert not schema_exists("maros")
    assert not maros.domains.exists()


def test_a_succeeded_run_cannot_be_retried(console, maros, queued):
    _start(console)
    run = ProvisioningRun.objects.get(tenant=maros)
    ProvisioningRun.objects.filter(pk=run.pk).update(status=ProvisioningRun.Status.SUCCEEDED)
    ProvisioningStep.objects.filter(run=run).update(status=ProvisioningStep.Status.DONE)
    page = console.post(
        console_url("console_run_retry", slug="maros", run_id=run.pk), follow=True
    ).content.decode()
    assert "Only a failed or interrupted run can be retried." in page

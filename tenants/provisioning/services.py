"""Starting, running, retrying and cancelling provisioning runs.

A run's steps are rows: the runner skips those already done, so running it again
after any interruption resumes where it stopped. An advisory lock per run keeps a
retried task and a still-running one from executing the same run at once."""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists, tenant_context

from billing.services import billing_customer_remove
from organisation.services import areas_csv_parse
from tenants.audit import platform_audit
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Domain, ProvisioningRun, ProvisioningStep, Tenant
from tenants.provisioning.steps import STEP_FUNCTIONS, STEP_NAMES, StepFailed
from tenants.regions import regency_children
from tenants.routing import routing_invalidate
from tenants.services import schema_drop, validate_new_domain

logger = logging.getLogger(__name__)
ProgressCallback = Callable[[ProvisioningStep], None]
_LOCK_NAMESPACE = 7301  # advisory lock key space for provisioning runs


class ProvisioningRefused(Exception):
    """A run that cannot start, be retried or cancelled, with the reason."""


def provisioning_start(
    *,
    tenant: Tenant,
    admin_email: str,
    admin_name: str,
    actor: Actor,
    domains: list[str] | None = None,
    reference_csv: str = "",
) -> ProvisioningRun:
    """Validate everything up front, move the prospect to `provisioning` and create
    the run with all its steps waiting. The caller queues or executes it."""
    from django.conf import settings

    hosts = domains or [f"{tenant.slug}.{settings.ROOT_DOMAIN}"]
    errors: dict[str, list[str]] = {}
    for host in hosts:
        try:
            validate_new_domain(host)
        except ValidationError as exc:
            errors.setdefault("domains", []).extend(exc.messages)
    if not admin_email or "@" not in admin_email:
        errors["admin_email"] = [_("Enter the regency admin's email address.")]
    if not admin_name.strip():
        errors["admin_name"] = [_("Enter the regency admin's name.")]
    if reference_csv:
        kecamatan = {k.code for k in regency_children(tenant.region_code, level="kecamatan")}
        parsed = areas_csv_parse(
            content=reference_csv.encode(),
            region_code=tenant.region_code,
            known_kecamatan=kecamatan,
        )
        if not parsed.ok:
            errors["reference_csv"] = parsed.errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        tenant_transition(
            tenant=tenant,
            to_status=Tenant.Status.PROVISIONING,
            actor=actor,
            reason=_("Provisioning started"),
        )
        run = ProvisioningRun.objects.create(
            tenant=tenant,
            admin_email=admin_email.strip().lower(),
            admin_name=admin_name.strip(),
            domains=hosts,
            reference_csv=reference_csv,
            requested_by_email=actor.email,
        )
        ProvisioningStep.objects.bulk_create(
            ProvisioningStep(run=run, name=name, position=position)
            for position, name in enumerate(STEP_NAMES)
        )
        platform_audit(
            action="provisioning.start",
            actor_email=actor.email,
            actor_name=actor.name,
            target=tenant.slug,
            detail={"run": run.pk},
        )
    return run


def provisioning_execute(
    *, run_id: int, on_progress: ProgressCallback | None = None
) -> ProvisioningRun:
    """Run every step not yet done, in order; stop at the first failure."""
    with _run_lock(run_id) as acquired:
        run = ProvisioningRun.objects.select_related("tenant").get(pk=run_id)
        if not acquired or run.status != ProvisioningRun.Status.RUNNING:
            return run
        for step in run.steps.all():
            if step.status == ProvisioningStep.Status.DONE:
                continue
            if not _step_execute(run=run, step=step, on_progress=on_progress):
                return run
        run.status = ProvisioningRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    return run


def _step_execute(
    *, run: ProvisioningRun, step: ProvisioningStep, on_progress: ProgressCallback | None
) -> bool:
    step.status = ProvisioningStep.Status.RUNNING
    step.attempts += 1
    step.error = ""
    step.started_at = timezone.now()
    step.save(update_fields=["status", "attempts", "error", "started_at"])
    if on_progress:
        on_progress(step)
    try:
        detail = STEP_FUNCTIONS[step.name](run)
    except Exception as exc:
        logger.exception("Provisioning %s: step %s failed", run.tenant.slug, step.name)
        message = str(exc) if isinstance(exc, StepFailed) else f"{type(exc).__name__}: {exc}"
        step.status = ProvisioningStep.Status.FAILED
        step.error = message
        step.finished_at = timezone.now()
        step.save(update_fields=["status", "error", "finished_at"])
        run.status = ProvisioningRun.Status.FAILED
        run.save(update_fields=["status"])
        if on_progress:
            on_progress(step)
        return False
    step.status = ProvisioningStep.Status.DONE
    step.detail = detail
    step.finished_at = timezone.now()
    step.save(update_fields=["status", "detail", "finished_at"])
    if on_progress:
        on_progress(step)
    return True


class _run_lock:  # noqa: N801 - used as a context manager, reads as a verb phrase
    """A session-level advisory lock on the run; yields whether it was acquired."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.acquired = False

    def __enter__(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, self.run_id])
            self.acquired = bool(cursor.fetchone()[0])
        return self.acquired

    def __exit__(self, *exc: object) -> None:
        if self.acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, self.run_id])


def provisioning_retry(*, run: ProvisioningRun, actor: Actor) -> ProvisioningRun:
    """Put a failed (or interrupted) run back to running; the caller executes it."""
    with transaction.atomic():
        locked = ProvisioningRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in (ProvisioningRun.Status.FAILED, ProvisioningRun.Status.RUNNING):
            raise ProvisioningRefused(_("Only a failed or interrupted run can be retried."))
        locked.status = ProvisioningRun.Status.RUNNING
        locked.save(update_fields=["status"])
        platform_audit(
            action="provisioning.retry",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.tenant.slug,
            detail={"run": run.pk},
        )
    return locked


def provisioning_cancel(*, run: ProvisioningRun, actor: Actor) -> ProvisioningRun:
    """Undo a run that has not finished: drop the schema, remove its rows, files
    and billing customer, and return the tenant to prospect."""
    with _run_lock(run.pk) as acquired:
        if not acquired:
            raise ProvisioningRefused(_("The run is executing right now; cancel it when it stops."))
        run = ProvisioningRun.objects.select_related("tenant").get(pk=run.pk)
        if run.status not in (ProvisioningRun.Status.FAILED, ProvisioningRun.Status.RUNNING):
            raise ProvisioningRefused(_("Only a run that has not finished can be cancelled."))
        tenant = run.tenant
        if schema_exists(tenant.schema_name):
            with tenant_context(tenant):
                _storage_remove_all()
        with transaction.atomic():
            billing_customer_remove(tenant=tenant)
            Domain.objects.filter(tenant=tenant).delete()
            schema_drop(tenant.schema_name)
            run.status = ProvisioningRun.Status.CANCELLED
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at"])
            tenant.refresh_from_db()
            if tenant.status == Tenant.Status.PROVISIONING:
                tenant_transition(
                    tenant=tenant,
                    to_status=Tenant.Status.PROSPECT,
                    actor=actor,
                    reason=_("Provisioning cancelled"),
                )
            platform_audit(
                action="provisioning.cancel",
                actor_email=actor.email,
                actor_name=actor.name,
                target=tenant.slug,
                detail={"run": run.pk},
            )
        routing_invalidate()
    return run


def _storage_remove_all(folder: str = "") -> None:
    directories, files = default_storage.listdir(folder)
    for name in files:
        default_storage.delete(f"{folder}{name}")
    for directory in directories:
        _storage_remove_all(f"{folder}{directory}/")

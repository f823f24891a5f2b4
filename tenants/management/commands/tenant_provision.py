"""Provision a regency from the command line, with a progress bar.

    python manage.py tenant_provision maros --region 73.09 \\
        --admin-email admin@maroskab.go.id --admin-name "Andi Baso"

Exits non-zero when a step fails; run again with --resume after fixing the cause."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.lifecycle import Actor
from tenants.models import ProvisioningRun, ProvisioningStep, Tenant
from tenants.provisioning.services import (
    provisioning_execute,
    provisioning_retry,
    provisioning_start,
)
from tenants.provisioning.steps import STEP_LABELS, STEP_NAMES
from tenants.services import tenant_prospect_create

BAR_WIDTH = 24


def progress_line(*, done: int, total: int, label: str, state: str) -> str:
    filled = BAR_WIDTH * done // total
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}: {state}"


class Command(BaseCommand):
    help = "Provision a regency (creating the prospect if needed), showing each step."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--region", help="Kemendagri code of the regency, e.g. 73.09")
        parser.add_argument("--name", help="Display name (default: from the national list)")
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-name")
        parser.add_argument("--domain", action="append", default=[], dest="domains")
        parser.add_argument("--reference-csv", type=Path, help="local kecamatan/desa changes")
        parser.add_argument("--actor-email", default="cli@localhost")
        parser.add_argument("--resume", action="store_true", help="retry an unfinished run")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor(email=options["actor_email"], name="CLI")
        tenant = Tenant.objects.regencies().filter(slug=options["slug"]).first()
        try:
            run = self._run_for(tenant, actor, options)
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        total = len(STEP_NAMES)

        def report(step: ProvisioningStep) -> None:
            done = run.steps.filter(status=ProvisioningStep.Status.DONE).count()
            state = step.get_status_display()
            if step.error:
                state = f"{state} — {step.error}"
            self.stdout.write(
                progress_line(
                    done=done, total=total, label=str(STEP_LABELS[step.name]), state=state
                )
            )

        finished = provisioning_execute(run_id=run.pk, on_progress=report)
        if finished.status != ProvisioningRun.Status.SUCCEEDED:
            failed = finished.steps.filter(status=ProvisioningStep.Status.FAILED).first()
            reason = failed.error if failed else finished.status
            raise CommandError(
                f"Provisioning of {finished.tenant.slug} stopped: {reason}\n"
                f"Fix the cause, then run again with --resume."
            )
        self.stdout.write(self.style.SUCCESS(f"{finished.tenant.name} is active."))

    def _run_for(
        self, tenant: Tenant | None, actor: Actor, options: dict[str, Any]
    ) -> ProvisioningRun:
        new_run = (
            tenant is None
            or not tenant.provisioning_runs.filter(
                status__in=[ProvisioningRun.Status.RUNNING, ProvisioningRun.Status.FAILED]
            ).exists()
        )
        if new_run:
            # Checked before anything is written, so a refused call leaves nothing behind.
            for required in ("admin_email", "admin_name"):
                if not options[required]:
                    raise CommandError(f"--{required.replace('_', '-')} is required.")
        if tenant is not None:
            open_run = tenant.provisioning_runs.filter(
                status__in=[ProvisioningRun.Status.RUNNING, ProvisioningRun.Status.FAILED]
            ).first()
            if open_run is not None:
                if not options["resume"]:
                    raise CommandError(
                        f"{tenant.slug} has an unfinished provisioning run; "
                        "use --resume to continue it."
                    )
                return provisioning_retry(run=open_run, actor=actor)
            if tenant.status != Tenant.Status.PROSPECT:
                raise CommandError(f"{tenant.slug} is {tenant.status}, not a prospect.")
        else:
            if not options["region"]:
                raise CommandError("--region is required for a new regency.")
            tenant = tenant_prospect_create(
                slug=options["slug"],
                region_code=options["region"],
                actor_email=actor.email,
                name=options["name"],
            )
        csv_text = ""
        if options["reference_csv"]:
            csv_text = options["reference_csv"].read_bytes().decode("utf-8-sig", "replace")
        return provisioning_start(
            tenant=tenant,
            admin_email=options["admin_email"],
            admin_name=options["admin_name"],
            actor=actor,
            domains=options["domains"] or None,
            reference_csv=csv_text,
        )


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "\n".join(f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms)
    return "\n".join(exc.messages)

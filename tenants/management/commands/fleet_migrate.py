"""`python manage.py fleet_migrate`: migrate every tenant schema in parallel.

Run after `migrate_schemas --shared` (as `make migrate` does). Prints a line per
schema as it finishes, then the whole report sorted by schema; exits non-zero
when any schema failed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenants.fleet import Outcome, SchemaReport, fleet_migrate, summary


class Command(BaseCommand):
    help = "Migrate every tenant schema (the template included) in parallel, with a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schema",
            action="append",
            dest="schemas",
            metavar="SCHEMA",
            help="Only this schema (repeatable). Default: every tenant schema.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=2,
            help="Worker processes migrating schemas side by side (default 2).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])

        def progress(report: SchemaReport) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {report.schema_name}: {report.outcome.label}")

        try:
            reports = fleet_migrate(
                schemas=options["schemas"], processes=options["processes"], on_report=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 1:
            for report in reports:
                self._write(report)
        counts = summary(reports)
        if verbosity >= 1:
            self.stdout.write(
                _("%(schemas)d schemas: %(migrated)d migrated, %(failed)d failed, "
                  "%(noop)d nothing to do.")
                % {
                    "schemas": len(reports),
                    "migrated": counts[Outcome.MIGRATED],
                    "failed": counts[Outcome.FAILED],
                    "noop": counts[Outcome.NOTHING_TO_DO],
                }
            )  # fmt: skip
        failed = [r for r in reports if r.outcome is Outcome.FAILED]
        if failed:
            raise CommandError(
                _("Migration failed for: %(tenants)s")
                % {"tenants": ", ".join(f"{r.tenant} ({r.schema_name})" for r in failed)}
            )

    def _write(self, report: SchemaReport) -> None:
        line = f"{report.schema_name} [{report.tenant}]: {report.outcome.label}"
        if report.outcome is Outcome.FAILED:
            self.stdout.write(self.style.ERROR(line))
            self.stdout.write(f"    {report.error}")
        elif report.outcome is Outcome.MIGRATED:
            self.stdout.write(self.style.SUCCESS(line))
        else:
            self.stdout.write(line)
        for name in report.applied:
            self.stdout.write(f"    + {name}")

"""`manage.py tenant_restore <export_id> <new_slug>`: an export into a NEW regency."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.exports import tenant_restore
from tenants.lifecycle import Actor
from tenants.management.commands.tenant_export import validation_message
from tenants.models import TenantExport


class Command(BaseCommand):
    help = (
        "Restore an export into a new regency (suspended, without domains; "
        "its tables are checked against the export's checksums)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export_id", type=int)
        parser.add_argument("new_slug")
        parser.add_argument("--actor-email", default="cli@localhost")

    def handle(self, *args: Any, **options: Any) -> None:
        export = (
            TenantExport.objects.select_related("tenant").filter(pk=options["export_id"]).first()
        )
        if export is None:
            raise CommandError(f"No export #{options['export_id']}.")
        try:
            tenant = tenant_restore(
                export=export, slug=options["new_slug"], actor=Actor(email=options["actor_email"])
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(
            f"Restored export #{export.pk} of {export.tenant.slug} as {tenant.slug} "
            f"(schema {tenant.schema_name}, status {tenant.status}, no domains yet)."
        )

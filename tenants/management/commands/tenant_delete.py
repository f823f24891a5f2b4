"""`manage.py tenant_delete <slug> --confirm <slug>`: export, then delete an archived regency."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.exports import tenant_delete
from tenants.lifecycle import Actor
from tenants.management.commands.tenant_export import tenant_by_slug, validation_message


class Command(BaseCommand):
    help = (
        "Delete an archived regency: an export is taken first, then its schema, files "
        "and domains are removed. Its row and history stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--confirm", required=True, help="The slug again, typed out.")
        parser.add_argument("--reason", default="")
        parser.add_argument("--actor-email", default="cli@localhost")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_by_slug(options["slug"])
        try:
            export = tenant_delete(
                tenant=tenant,
                actor=Actor(email=options["actor_email"]),
                confirmation=options["confirm"],
                reason=options["reason"],
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(
            f"Deleted {tenant.slug}: schema {tenant.schema_name} dropped, files and domains "
            f"removed. Export #{export.pk} kept at public/{export.path}."
        )

"""`manage.py tenant_export <slug>`: dump a regency and its files into one archive."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from tenants.exports import tenant_export
from tenants.lifecycle import Actor
from tenants.models import Tenant


def tenant_by_slug(slug: str) -> Tenant:
    tenant = Tenant.objects.regencies().filter(slug=slug).first()
    if tenant is None:
        raise CommandError(f"No regency with the slug '{slug}'.")
    return tenant


def validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Export a regency's schema and files as one archive in the platform's storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--actor-email", default="cli@localhost")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_by_slug(options["slug"])
        try:
            export = tenant_export(tenant=tenant, actor=Actor(email=options["actor_email"]))
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        tables = export.table_checksums
        self.stdout.write(
            f"Export #{export.pk} of {tenant.slug}: public/{export.path} "
            f"({filesizeformat(export.size_bytes)}, {len(tables)} tables, "
            f"{sum(t['rows'] for t in tables.values())} rows)"
        )

"""`python manage.py permits_catalogue_sync [--regency SLUG ...]`: push Sragen's
master catalogue (modules/permits/catalogue/sragen_master.json, as shipped) to every
regency, or to those named. New master entries are added; entries a regency
overrode keep its values for the overridden fields. Idempotent."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.models import Tenant

SYNCED_STATUSES = (Tenant.Status.PROVISIONING, Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


class Command(BaseCommand):
    help = "Push Sragen's master permit catalogue to every regency (keeps their overrides)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--regency", action="append", default=[], help="a regency's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = Tenant.objects.filter(status__in=SYNCED_STATUSES, is_template=False)
        if options["regency"]:
            tenants = tenants.filter(slug__in=options["regency"])
            missing = set(options["regency"]) - set(tenants.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No such regency: {', '.join(sorted(missing))}")
        config = apps.get_app_config("permits")
        for tenant in tenants.order_by("slug"):
            with tenant_context(tenant):
                result = config.catalogue_load()  # type: ignore[attr-defined]
            self.stdout.write(
                f"{tenant.slug}: master v{result['version']}, {result['created']} added, "
                f"{result['updated']} updated, {result['holidays_added']} holidays added"
            )

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Regencies"

    def ready(self) -> None:
        from tenants import signals  # noqa: F401 - connects the routing-cache invalidation

        post_migrate.connect(_ensure_template, sender=self)


def _ensure_template(**kwargs: Any) -> None:
    """After the public schema migrates, make sure the template schema exists, so
    that `migrate_schemas` (and the test database) always has one to keep current."""
    from django.db import connection

    if getattr(connection, "schema_name", "public") != "public":
        return
    from tenants.template import template_ensure

    template_ensure()

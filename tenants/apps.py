from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Regencies"

    def ready(self) -> None:
        from tenants import signals  # noqa: F401 - connects the routing-cache invalidation

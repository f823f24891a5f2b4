"""A typed view of django-tenants' database connection.

django-tenants adds schema switching to the connection at run time; the stubs
only know Django's base wrapper. Code that reads or sets the schema goes through
`tenant_connection()` so the type checker sees what it calls."""

from typing import Any, Protocol, cast

from django.db import connection


class TenantConnection(Protocol):
    schema_name: str
    tenant: Any
    settings_dict: dict[str, Any]

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...

    def set_schema(self, schema_name: str, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...


def tenant_connection() -> TenantConnection:
    return cast(TenantConnection, connection)

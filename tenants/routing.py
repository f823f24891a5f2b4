"""Host name -> regency, cached in-process.

The stock django-tenants middleware costs a domain query and two `SET search_path`
per request. Here each process keeps a dictionary of routes; a generation token in
the shared `platform` cache says when any process changed a tenant, domain or
entitlement, so every process drops its routes on its very next request.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.http.request import split_domain_port

from core.db import tenant_connection
from tenants.models import Domain, Tenant

GENERATION_KEY = "tenant-routing-generation"


@dataclass(frozen=True)
class Route:
    tenant: Tenant
    modules: frozenset[str]


_routes: dict[str, Route | None] = {}
_seen_generation: list[str | None] = [None]


def normalize_host(host: str) -> str:
    """`LEBAK.Localhost:8000` -> `lebak.localhost`."""
    domain, _port = split_domain_port(host)
    return domain.lower().rstrip(".")


def _current_generation() -> str | None:
    generation: str | None = caches["platform"].get(GENERATION_KEY)
    return generation


def route_for_host(host: str) -> Route | None:
    """The route for a normalized host; None where no regency answers to it."""
    generation = _current_generation()
    if generation != _seen_generation[0]:
        _routes.clear()
        _seen_generation[0] = generation
    try:
        return _routes[host]
    except KeyError:
        pass
    route = _route_lookup(host)
    _routes[host] = route
    return route


def _route_lookup(host: str) -> Route | None:
    domain = Domain.objects.select_related("tenant").filter(domain=host, is_active=True).first()
    if domain is None:
        return None
    tenant = domain.tenant
    modules = frozenset(tenant.entitlements.values_list("module_code", flat=True))
    return Route(tenant=tenant, modules=modules)


def routing_invalidate() -> None:
    """Forget every cached route, here and in every other process.

    Called on save and again on commit: the first drops routes at once (and in the
    tests' rolled-back transactions), the second drops any route another process
    read between our write and its commit."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    _routes.clear()
    caches["platform"].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def routing_forget_local() -> None:
    """Drop this process's routes only (tests call it after rolling back)."""
    _routes.clear()
    _seen_generation[0] = None


def tenant_activate(tenant: Tenant) -> None:
    """Point the connection at a tenant's schema, skipping the `SET search_path`
    when a persistent connection is already there."""
    connection = tenant_connection()
    if connection.schema_name != tenant.schema_name:
        connection.set_tenant(tenant)
    else:
        connection.tenant = tenant

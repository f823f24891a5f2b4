from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from core import health
from core.db import tenant_connection
from tenants.models import Tenant
from tenants.routing import normalize_host, route_for_host, tenant_activate

HEALTH_PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
}


class TenantRoutingMiddleware:
    """Choose the schema for a request from its host: the root domain is the
    platform console (public schema); a regency's domains are its own schema."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None  # type: ignore[attr-defined]
        request.entitled_modules = frozenset()  # type: ignore[attr-defined]
        probe = HEALTH_PROBES.get(request.path)
        if probe is not None:
            # Load balancers probe by IP address: answer before any host check.
            _use_public_schema()
            return probe(request)
        host = normalize_host(request.get_host())
        if host == settings.ROOT_DOMAIN:
            _use_public_schema()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)

        route = route_for_host(host)
        if route is None or route.tenant.status not in _SERVED:
            return _unknown_host(request, host)
        tenant = route.tenant
        tenant_activate(tenant)
        request.tenant = tenant  # type: ignore[attr-defined]
        request.entitled_modules = route.modules  # type: ignore[attr-defined]
        if tenant.time_zone == settings.TIME_ZONE:
            # The default zone is already current (every request that changes it
            # restores it), so most WIB regencies skip the thread-local switch.
            return self.get_response(request)
        timezone.activate(ZoneInfo(tenant.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _use_public_schema() -> None:
    connection = tenant_connection()
    if connection.schema_name != "public":
        connection.set_schema_to_public()


_SERVED = frozenset({Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED})


# These pages answer before LocaleMiddleware runs, so they pick the language themselves.
def _unknown_host(request: HttpRequest, host: str) -> HttpResponse:
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "tenants/unknown_host.html", {"host": host}, status=404)

"""Each regency's requests run in its own time zone."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from tenants.middleware import TenantRoutingMiddleware

pytestmark = pytest.mark.django_db


def _zone_seen_at(host: str) -> str:
    middleware = TenantRoutingMiddleware(
        lambda request: HttpResponse(timezone.get_current_timezone_name())
    )
    return middleware(RequestFactory().get("/", HTTP_HOST=host)).content.decode()


@pytest.mark.parametrize(
    ("host", "zone"),
    [("balangan.localhost", "Asia/Makassar"), ("lebak.localhost", "Asia/Jakarta")],
)
def test_request_runs_in_the_regency_time_zone(regencies, host, zone):
    assert _zone_seen_at(host) == zone


def test_zone_does_not_leak_into_the_next_request(regencies):
    _zone_seen_at("balangan.localhost")
    assert timezone.get_current_timezone_name() == "Asia/Jakarta"

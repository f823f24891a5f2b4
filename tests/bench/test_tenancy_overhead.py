"""Requests per second of one regency page through the tenancy middleware, against
the same page with tenancy bypassed, measured in one run in alternating rounds.

Three WSGI handlers serve the same one-query view (tests/bench/urls.py) with
the project's full middleware list:

- tenancy: as deployed, `TenantRoutingMiddleware` picking Lebak from the host;
- bypass:  the same list without it, the connection pinned to Lebak's schema once
           per round with `connection.set_tenant`, as a single-tenant app would be;
- stock:   django-tenants' own `TenantMainMiddleware` in its place, for reference.

The target is tenancy/bypass >= 0.9 (stock django-tenants gets about 0.45 on this
kind of machine). Figures are printed, never asserted: timing depends on the machine.
Run with `make bench`.
"""

import io
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import override_settings

from core.db import tenant_connection
from tenants.models import Tenant
from tests.bench.urls import PATH

pytestmark = pytest.mark.bench

HOST = "lebak.localhost"
TENANCY = "tenants.middleware.TenantRoutingMiddleware"
STOCK = "django_tenants.middleware.main.TenantMainMiddleware"
WARMUP_REQUESTS = 200
ROUNDS = 30
REQUESTS_PER_ROUND = 200

_BASE_ENVIRON: dict[str, Any] = {
    "REQUEST_METHOD": "GET",
    "SCRIPT_NAME": "",
    "PATH_INFO": PATH,
    "QUERY_STRING": "",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_HOST": HOST,
    "HTTP_ACCEPT": "text/html",
    "HTTP_ACCEPT_LANGUAGE": "id",
    "wsgi.version": (1, 0),
    "wsgi.url_scheme": "http",
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": True,
    "wsgi.multiprocess": True,
    "wsgi.run_once": False,
}


def _handler(middleware: list[str]) -> WSGIHandler:
    # The middleware chain is built once, when the handler is created.
    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


def _replace(middleware: Iterable[str], old: str, new: str | None) -> list[str]:
    """The list with `old` swapped for `new`, or dropped when `new` is None."""
    replacement = [] if new is None else [new]
    return [item for m in middleware for item in (replacement if m == old else [m])]


class _StartResponse:
    """Remembers the last status, as a WSGI server would send it."""

    status = ""

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        self.status = status
        return len


_start_response = _StartResponse()


def _request(handler: WSGIHandler) -> bytes:
    environ = dict(_BASE_ENVIRON)
    environ["wsgi.input"] = io.BytesIO(b"")
    response = handler(environ, _start_response)
    try:
        return b"".join(response)
    finally:
        response.close()  # sends request_finished, as a WSGI server does


def _rate(handler: WSGIHandler, requests: int, before: Callable[[], None]) -> tuple[float, float]:
    """Requests per second of wall time, and of this process's CPU time."""
    before()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        _request(handler)
    return (
        requests / (time.perf_counter() - started),
        requests / (time.process_time() - cpu),
    )


def test_tenancy_middleware_throughput_against_bypassed_tenancy(bench_db: None) -> None:
    lebak = Tenant.objects.get(slug="lebak")
    stack = list(settings.MIDDLEWARE)
    assert TENANCY in stack

    def pin_lebak() -> None:
        tenant_connection().set_tenant(lebak)

    def nothing() -> None:
        pass

    variants: dict[str, tuple[WSGIHandler, Callable[[], None]]] = {
        "tenancy": (_handler(stack), nothing),
        "bypass": (_handler(_replace(stack, TENANCY, None)), pin_lebak),
        "stock": (_handler(_replace(stack, TENANCY, STOCK)), nothing),
    }
    urls = "tests.bench.urls"
    with override_settings(ROOT_URLCONF=urls, PUBLIC_SCHEMA_URLCONF=urls):
        # Every variant serves Lebak's page from Lebak's schema before anything is timed.
        for name, (handler, before) in variants.items():
            before()
            body = _request(handler)
            status = _start_response.status
            assert status.startswith("200"), (name, status, body[:300])
            assert body.startswith(b"lebak "), (name, body[:300])
            _rate(handler, WARMUP_REQUESTS, before)

        names = list(variants)
        rates: dict[str, list[float]] = {name: [] for name in names}
        cpu_rates: dict[str, list[float]] = {name: [] for name in names}
        backend = connection.connection
        for index in range(ROUNDS):
            # Rotate the order each round, so no variant always runs first or last.
            order = names[index % len(names) :] + names[: index % len(names)]
            for name in order:
                handler, before = variants[name]
                wall, cpu_rate = _rate(handler, REQUESTS_PER_ROUND, before)
                rates[name].append(wall)
                cpu_rates[name].append(cpu_rate)
            line = "  ".join(f"{name} {rates[name][-1]:7.0f}" for name in names)
            print(f"round {index + 1}/{ROUNDS}: {line}  req/s")
        persistent = connection.connection is backend

    median = {name: statistics.median(values) for name, values in rates.items()}
    per_round = {
        name: statistics.median(r / b for r, b in zip(rates[name], rates["bypass"], strict=True))
        for name in ("tenancy", "stock")
    }
    cpu = {name: statistics.median(values) for name, values in cpu_rates.items()}
    cache = settings.CACHES["platform"]["BACKEND"].rsplit(".", 1)[-1]
    print()
    print(
        f"one-query page at {HOST}{PATH}, {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests,"
        f" persistent connection: {'yes' if persistent else 'NO'}, routing cache: {cache},"
        f" database: {connection.settings_dict['NAME']}"
    )
    for name in names:
        print(f"  {name:8} median {median[name]:7.0f} req/s")
    print(
        f"ratio tenancy/bypass: {median['tenancy'] / median['bypass']:.2f}"
        f" (median of per-round ratios {per_round['tenancy']:.2f}; target >= 0.9)"
    )
    print(
        f"ratio stock/bypass:   {median['stock'] / median['bypass']:.2f}"
        f" (median of per-round ratios {per_round['stock']:.2f};"
        " django-tenants' TenantMainMiddleware, for reference)"
    )
    # Other processes' load does not stretch CPU time, but the database server's work
    # is not in it either: a fair view of the middleware's own cost, not of stock's
    # extra queries.
    print(
        f"this process's CPU only: tenancy/bypass {cpu['tenancy'] / cpu['bypass']:.2f},"
        f" stock/bypass {cpu['stock'] / cpu['bypass']:.2f}"
        f" ({1e6 / cpu['tenancy'] - 1e6 / cpu['bypass']:.0f} us of CPU per request"
        " added by the tenancy middleware)"
    )

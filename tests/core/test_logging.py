"""Log lines say which regency, request and user they belong to; errors are
reported to ERROR_REPORTING_URL without ever breaking the request that failed."""

import io
import json
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django_tenants.utils import schema_context

from accounts.models import User
from core.errors import ErrorReportHandler
from core.logging import JsonFormatter, LogContextFilter
from tests.conftest import admin_email, host_of

ROOT = Path(__file__).resolve().parents[2]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the permit register is on fire")


def whoami(request: HttpRequest) -> HttpResponse:
    logging.getLogger("sukowati.test").info("serving %s", getattr(request.user, "email", None))
    return HttpResponse("ok")


# Served in place of the regency URLs (ROOT_URLCONF) by the tests that need them.
urlpatterns = [path("boom/", boom), path("whoami/", whoami)]


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the production formatter writes for every record, as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(LogContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def records(stream: io.StringIO, logger: str) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == logger]


@pytest.mark.parametrize("slug", ["lebak", "balangan"])
def test_json_log_line_carries_the_schema_of_the_regency_whose_request_logged_it(
    regencies, client_for, json_lines, slug
):
    response = client_for(slug).get("/no-such-page/")

    assert response.status_code == 404
    [line] = records(json_lines, "django.request")
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["schema"] == regencies[slug].schema_name
    assert line["host"] == host_of(slug)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status_code"] == 404
    assert line["time"].endswith("+00:00")


def test_json_log_line_of_the_console_carries_the_public_schema(db, client_for, json_lines):
    client_for(None).get("/no-such-page/")

    [line] = records(json_lines, "django.request")
    assert line["schema"] == "public"
    assert line["host"] == "localhost"


@override_settings(ROOT_URLCONF=__name__)
def test_json_log_line_carries_the_signed_in_users_id(regencies, client_for, json_lines):
    client = client_for("lebak")
    with schema_context("lebak"):
        user = User.objects.get(email=admin_email("lebak"))
        client.force_login(user)

    client.get("/whoami/")

    [line] = records(json_lines, "sukowati.test")
    assert line["message"] == f"serving {user.email}"
    assert line["user_id"] == user.pk
    assert line["schema"] == "lebak"


def test_request_id_from_the_load_balancer_is_echoed_and_logged(regencies, client_for, json_lines):
    response = client_for("lebak").get("/no-such-page/", HTTP_X_REQUEST_ID="Root=1-67a9f-abc")

    assert response["X-Request-ID"] == "Root=1-67a9f-abc"
    [line] = records(json_lines, "django.request")
    assert line["request_id"] == "Root=1-67a9f-abc"


def test_request_id_is_generated_when_none_or_an_unsafe_one_is_sent(regencies, client_for):
    client = client_for("lebak")

    generated = client.get("/healthz")["X-Request-ID"]
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='x" level="ERROR')["X-Request-ID"]

    assert len(generated) == 32
    assert int(generated, 16) >= 0
    assert replaced != 'x" level="ERROR'
    assert len(replaced) == 32
    assert replaced != generated


def test_log_lines_outside_a_request_carry_no_request_id(db, client_for, json_lines):
    client_for("lebak").get("/no-such-page/")

    logging.getLogger("sukowati.test").warning("after the response")

    [line] = records(json_lines, "sukowati.test")
    assert line["request_id"] is None
    assert line["host"] is None


def _load_settings_and_log(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.path[:0] = ['.', 'platform']; import django; django.setup();"
        "import logging; logging.getLogger('sukowati.test').error('a report', exc_info=False);"
        "logging.shutdown()"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_log_format_json_writes_one_json_object_per_line():
    result = _load_settings_and_log(LOG_FORMAT="json")

    assert result.returncode == 0, result.stderr
    [line] = [json.loads(text) for text in result.stderr.splitlines() if "a report" in text]
    assert line["level"] == "ERROR"
    assert line["logger"] == "sukowati.test"
    assert line["schema"] == "public"


def test_development_logs_are_plain_text():
    result = _load_settings_and_log(LOG_FORMAT="")

    assert result.returncode == 0, result.stderr
    [text] = [text for text in result.stderr.splitlines() if "a report" in text]
    assert " ERROR sukowati.test [public None] a report" in text


def test_unknown_log_format_stops_start_up_naming_it():
    result = _load_settings_and_log(LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be json or plain" in result.stderr


# --- error reporting ---------------------------------------------------------


@pytest.fixture
def collector() -> Iterator[tuple[str, queue.Queue[dict]]]:
    """A local webhook that collects the JSON reports posted to it."""
    received: queue.Queue[dict] = queue.Queue()

    class Collect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/reports", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def report_to() -> Iterator:
    """`report_to(url)` attaches an error report handler for the test's duration."""
    handlers: list[ErrorReportHandler] = []

    def attach(url: str) -> ErrorReportHandler:
        handler = ErrorReportHandler(url, timeout=5)
        handler.setLevel(logging.ERROR)
        handler.addFilter(LogContextFilter())
        logging.getLogger().addHandler(handler)
        handlers.append(handler)
        return handler

    yield attach
    for handler in handlers:
        logging.getLogger().removeHandler(handler)


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_in_a_regency_posts_an_error_report_naming_it(regencies, collector, report_to):
    url, received = collector
    report_to(url)
    client = Client(HTTP_HOST=host_of("lebak"), raise_request_exception=False)

    response = client.get("/boom/?nik=3601234567890001")

    assert response.status_code == 500
    report = received.get(timeout=30)
    assert report["schema"] == regencies["lebak"].schema_name
    assert report["host"] == "lebak.localhost"
    assert report["path"] == "/boom/"
    assert report["request_id"] == response["X-Request-ID"]
    assert report["logger"] == "django.request"
    assert report["exception_type"] == "RuntimeError"
    assert "the permit register is on fire" in report["exception"]
    # The query string may hold personal data; it is never sent.
    assert "3601234567890001" not in json.dumps(report)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port nothing listens on: bound, so no one else takes it, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@override_settings(ROOT_URLCONF=__name__)
def test_an_unreachable_error_reporting_url_never_breaks_the_response(
    regencies, closed_port, report_to, capsys
):
    handler = report_to(f"http://127.0.0.1:{closed_port}/reports")
    client = Client(HTTP_HOST=host_of("lebak"), raise_request_exception=False)

    failed = client.get("/boom/")
    handler.flush()
    served = client.get("/healthz")

    assert failed.status_code == 500
    assert b"permit register" not in failed.content
    assert served.status_code == 200
    assert "could not post to the error reporting URL" in capsys.readouterr().err


def test_error_reporting_url_in_the_environment_reports_errors(collector):
    url, received = collector

    result = _load_settings_and_log(ERROR_REPORTING_URL=url)

    assert result.returncode == 0, result.stderr
    report = received.get(timeout=30)
    assert report["message"] == "a report"
    assert report["logger"] == "sukowati.test"


def test_malformed_error_reporting_url_stops_start_up_naming_it():
    result = _load_settings_and_log(ERROR_REPORTING_URL="hooks.example.id/errors")

    assert result.returncode != 0
    assert "ERROR_REPORTING_URL must start with one of" in result.stderr

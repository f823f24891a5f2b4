"""The browser suite: Debian's Chromium, driven by Playwright, against a real
gunicorn serving the session's test database.

pytest-django's live_server is not used: it runs in-process and flushes the
database after each test, which would wipe the committed demo regencies. Here a
separate gunicorn process reads the same committed rows the seeding fixture wrote.
Every test here is skipped, with the reason, where /usr/bin/chromium is missing."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "var" / "e2e"
SERVER_START_SECONDS = 60


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the connection pytest-django set up, including the
    embedded server's form where HOST is a Unix socket directory."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or ""
    port = str(settings_dict.get("PORT") or "")
    name = quote(settings_dict["NAME"], safe="")
    if host.startswith("/"):
        query = {"host": host, **({"port": port} if port else {})}
        return f"postgresql://{credentials}@/{name}?{urlencode(query)}"
    netloc = f"{host}:{port}" if port else host
    return f"postgresql://{credentials}@{netloc}/{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"live server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    pytest.fail(
        f"live server did not answer /healthz in {SERVER_START_SECONDS}s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server_port(
    chromium: Path, django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[int]:
    """A gunicorn on a free port, serving the test database the session seeded."""
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    port = free_port()
    var_dir = tmp_path_factory.mktemp("e2e-var")
    (var_dir / "static").mkdir()
    # Our environment passes through (REDIS_URL, S3, e-mail...); only the database and
    # the var/ directory are the server's own.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        # Its own cache, media and static root: rate-limit counters of earlier runs and
        # a developer's collected static files stay out of the way.
        "SUKOWATI_VAR_DIR": str(var_dir),
        "DJANGO_STATIC_ROOT": str(var_dir / "static"),
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "platform")]),
    }
    log = var_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(REPO / "platform"),
                "--workers",
                "2",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def browser(chromium: Path, django_db_setup: None) -> Iterator[Any]:
    # Playwright's sync API keeps an event loop running in this thread, and Django
    # refuses database calls while one is: the test database is set up first, and
    # the browser is closed when the browser suite ends, before any other test runs.
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server_port: int) -> Any:
    """`site("lebak")` is http://lebak.localhost:<port>; `site(None)` the console."""

    def url(slug: str | None, path: str = "/") -> str:
        host = settings.ROOT_DOMAIN if slug is None else f"{slug}.{settings.ROOT_DOMAIN}"
        return f"http://{host}:{live_server_port}{path}"

    return url


def new_page(browser: Any, **context_options: Any) -> Any:
    # An Indonesian counter PC: the browser asks for Indonesian, as regency staff's do.
    context = browser.new_context(locale="id-ID", **context_options)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = new_page(browser, viewport={"width": 1366, "height": 768})
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    page = new_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    page.context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

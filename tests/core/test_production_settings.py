"""SUKOWATI_ENV=production: every integration configured explicitly, a bad value
refused at start-up with its name, TLS-only cookies and HSTS, a clean deploy
check, and a Content-Security-Policy on every page."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client, override_settings

from tests.conftest import host_of

ROOT = Path(__file__).resolve().parents[2]
ROOT_DOMAIN = "sukowati.sragenkab.go.id"

REQUIRED = [
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SUKOWATI_ROOT_DOMAIN",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
]
# Variables of this test run's own environment that must not leak into the
# production environment under test.
_INHERITED = [*REQUIRED, "DJANGO_DEBUG", "LOG_FORMAT", "CSP_REPORT_ONLY", "ERROR_REPORTING_URL"]


def this_runs_database_url() -> str:
    """The database this test run uses, as a URL (the embedded server's is a socket)."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "postgres")
    if str(settings["HOST"]).startswith("/"):
        return f"postgresql://{user}@/{settings['NAME']}?host={quote(settings['HOST'])}"
    return f"postgresql://{user}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def production_environment(**overrides: str | None) -> dict[str, str]:
    """A complete production environment; an override of None removes a variable."""
    environ = {key: value for key, value in os.environ.items() if key not in _INHERITED}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SUKOWATI_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=this_runs_database_url(),
        REDIS_URL="redis://127.0.0.1:6379/0",
        SUKOWATI_ROOT_DOMAIN=ROOT_DOMAIN,
        AWS_STORAGE_BUCKET_NAME="sukowati-production-files",
        EMAIL_URL="smtp+tls://sukowati:secret@smtp.sragenkab.go.id:587",
        DEFAULT_FROM_EMAIL="Sukowati <noreply@sragenkab.go.id>",
    )
    for name, value in overrides.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def run_python(code: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    setup = "import sys; sys.path[:0] = ['.', 'platform']; import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, "start-up was not refused"
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def production_settings(**overrides: str | None) -> dict:
    code = (
        "import json; from django.conf import settings as s\n"
        "names = [n for n in dir(s) if n.isupper()]\n"
        "print(json.dumps({n: getattr(s, n) for n in names}, default=repr))"
    )
    result = run_python(code, production_environment(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("variable", REQUIRED)
def test_missing_required_production_variable_stops_start_up_naming_it(variable):
    stderr = refusal(run_python("", production_environment(**{variable: None})))

    assert f"{variable} is required in production but is not set." in stderr
    others = set(REQUIRED) - {variable}
    assert not any(f"{other} is required" in stderr for other in others)


def test_every_missing_production_variable_is_named_at_once():
    stderr = refusal(run_python("", production_environment(**dict.fromkeys(REQUIRED))))

    for variable in REQUIRED:
        assert f"{variable} is required in production but is not set." in stderr


def test_a_missing_database_url_in_production_does_not_start_the_embedded_database(tmp_path):
    environ = production_environment(DATABASE_URL=None, SUKOWATI_VAR_DIR=str(tmp_path))

    refusal(run_python("", environ))

    assert not (tmp_path / "pg").exists()
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DJANGO_SECRET_KEY",
            "s" * 20 + "ecret",
            "DJANGO_SECRET_KEY must be at least 50 characters",
        ),
        ("DJANGO_SECRET_KEY", "ab" * 30, "DJANGO_SECRET_KEY must be a random value"),
        ("DATABASE_URL", "mysql://db/sukowati", "DATABASE_URL must start with one of"),
        ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL must start with one of"),
        ("EMAIL_URL", "consolemail://", "EMAIL_URL must start with one of"),
        ("AWS_STORAGE_BUCKET_NAME", "Sukowati_Files", "AWS_STORAGE_BUCKET_NAME is not a valid"),
        ("DEFAULT_FROM_EMAIL", "Sukowati <noreply>", "DEFAULT_FROM_EMAIL must be an email address"),
    ],
)
def test_malformed_production_variable_stops_start_up_naming_it(variable, value, message):
    stderr = refusal(run_python("", production_environment(**{variable: value})))

    assert message in stderr
    if variable == "DJANGO_SECRET_KEY":
        assert value not in stderr  # a secret is never echoed


@pytest.mark.parametrize(
    ("root_domain", "message"),
    [
        ("https://sukowati.sragenkab.go.id", "without a scheme"),
        ("sukowati.sragenkab.go.id:443", "without a port"),
        ("sukowati.sragenkab.go.id/console", "without a path"),
        ("Sukowati.Sragenkab.go.id", "must be lowercase"),
        ("localhost", "localhost is for development"),
        ("sukowati.localhost", "localhost is for development"),
        ("10.20.0.15", "not an IP address"),
        ("[2001:db8::1]", "not an IP address"),
        ("sukowati", "is not a valid domain name"),
        ("*.sukowati.sragenkab.go.id", "is not a valid domain name"),
        ("sukowati..go.id", "is not a valid domain name"),
        ("-sukowati.go.id", "is not a valid domain name"),
        ("sukowati.go.id.", "is not a valid domain name"),
    ],
)
def test_malformed_root_domain_is_refused_at_start_up(root_domain, message):
    stderr = refusal(run_python("", production_environment(SUKOWATI_ROOT_DOMAIN=root_domain)))

    assert re.search(f"- SUKOWATI_ROOT_DOMAIN [^\n]*{re.escape(message)}", stderr)
    assert f"got {root_domain!r}" in stderr


def test_debug_true_is_refused_in_production():
    stderr = refusal(run_python("", production_environment(DJANGO_DEBUG="true")))

    assert "DJANGO_DEBUG must be false in production" in stderr


def test_unknown_environment_name_is_refused():
    stderr = refusal(run_python("", production_environment(SUKOWATI_ENV="prod")))

    assert "SUKOWATI_ENV must be one of development, production; got 'prod'" in stderr


def test_production_sets_secure_cookies_hsts_and_ssl_redirect_exempting_health_probes():
    settings = production_settings()

    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    # Host-only: a regency's session never reaches another regency.
    assert settings["SESSION_COOKIE_DOMAIN"] is None
    assert settings["CSRF_COOKIE_DOMAIN"] is None
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["SECURE_HSTS_SECONDS"] == 31536000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is False
    assert settings["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["CSRF_TRUSTED_ORIGINS"] == [
        f"https://{ROOT_DOMAIN}",
        f"https://*.{ROOT_DOMAIN}",
    ]
    assert settings["ROOT_DOMAIN"] == ROOT_DOMAIN
    assert settings["CSP_REPORT_ONLY"] is False
    assert settings["LOG_FORMAT"] == "json"
    exempt = [re.compile(pattern) for pattern in settings["SECURE_REDIRECT_EXEMPT"]]
    # SecurityMiddleware matches the path without its leading slash.
    for path in ("healthz", "readyz"):
        assert any(pattern.search(path) for pattern in exempt)
    for path in ("", "accounts/login/", "healthz-not", "static/readyz"):
        assert not any(pattern.search(path) for pattern in exempt)


def test_hsts_duration_and_preload_come_from_the_environment():
    settings = production_settings(SECURE_HSTS_SECONDS="600", SECURE_HSTS_PRELOAD="true")

    assert settings["SECURE_HSTS_SECONDS"] == 600
    assert settings["SECURE_HSTS_PRELOAD"] is True


def test_development_keeps_plain_http_settings():
    settings = production_settings(SUKOWATI_ENV=None)

    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["CSP_REPORT_ONLY"] is True
    assert settings["LOG_FORMAT"] == "plain"


def test_production_redirects_plain_http_to_https_but_not_health_probes():
    code = (
        "from django.test import Client\n"
        "c = Client()\n"
        "page = c.get('/accounts/login/', HTTP_HOST='lebak." + ROOT_DOMAIN + "')\n"
        "probe = c.get('/healthz', HTTP_HOST='10.20.0.15')\n"
        "behind_tls = c.get('/healthz', HTTP_HOST='10.20.0.15', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(page.status_code, page['Location'], probe.status_code,"
        " behind_tls.get('Strict-Transport-Security'))"
    )
    result = run_python(code, production_environment())

    assert result.returncode == 0, result.stderr
    page_status, location, probe_status, hsts = result.stdout.split(maxsplit=3)
    assert page_status == "301"
    assert location == f"https://lebak.{ROOT_DOMAIN}/accounts/login/"
    assert probe_status == "200"
    assert hsts.strip() == "max-age=31536000; includeSubDomains"


def test_check_deploy_passes_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- Content-Security-Policy -------------------------------------------------

POLICY_DIRECTIVES = {
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
}


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


@override_settings(CSP_REPORT_ONLY=False)
@pytest.mark.parametrize("slug", ["lebak", None])
def test_csp_is_enforced_on_regency_pages_and_the_console(regencies, slug):
    response = Client(HTTP_HOST=host_of(slug)).get("/accounts/login/")

    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    assert directives(response["Content-Security-Policy"]) >= POLICY_DIRECTIVES


def test_regency_forms_may_post_only_to_their_own_origin(regencies):
    response = Client(HTTP_HOST=host_of("lebak")).get("/accounts/login/")

    header = response["Content-Security-Policy-Report-Only"]
    assert "form-action 'self'" in directives(header)


def test_console_forms_may_follow_a_redirect_into_a_regency(db):
    # The console's "enter a regency" form is answered with a redirect to the
    # regency's own domain, which form-action also governs.
    response = Client(HTTP_HOST=host_of(None)).get("/accounts/login/")

    header = response["Content-Security-Policy-Report-Only"]
    assert "form-action 'self' http:" in directives(header)


def test_csp_only_reports_in_development(regencies):
    response = Client(HTTP_HOST=host_of("lebak")).get("/accounts/login/")

    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) >= POLICY_DIRECTIVES


TEMPLATE_FOLDERS = [ROOT / "platform", ROOT / "tenants", ROOT / "modules", ROOT / "billing"]
# What `script-src 'self'` and `style-src 'self'` block: inline scripts (but not
# JSON data blocks), inline event handlers, javascript: URLs, style elements and
# style attributes.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|\son[a-z]+\s*="
    r"|javascript:"
    r"|<style\b"
    r"|\sstyle\s*=",
    re.IGNORECASE,
)

TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}")


def test_templates_hold_nothing_inline_that_the_policy_blocks():
    offending = []
    for folder in TEMPLATE_FOLDERS:
        for template in folder.glob("**/templates/**/*.html"):
            for number, line in enumerate(template.read_text().splitlines(), start=1):
                if INLINE.search(TEMPLATE_COMMENT.sub("", line)):
                    offending.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()}")

    assert offending == []

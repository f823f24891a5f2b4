"""Production mode (`SUKOWATI_ENV=production`) and the security headers of every mode.

This module reads only the environment, never the other settings files, because
`config.settings` imports it twice: first, so that an incomplete production
environment stops start-up before anything acts on it (base.py would write a
secret key under var/, database.py would start the embedded PostgreSQL), and
last, so that its values win over anything set in between.

In production every integration must be configured explicitly: an embedded
default (a generated secret key, a PostgreSQL under var/, files on local disk,
mail printed to the console) is a development convenience that would silently
lose data or mail on a real deployment."""

import ipaddress
import re
from collections.abc import Callable
from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from config.env import env_bool, env_int, env_str, env_url

ENVIRONMENTS = ("development", "production")

SUKOWATI_ENV = env_str("SUKOWATI_ENV", default="development") or "development"
if SUKOWATI_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"SUKOWATI_ENV must be one of {', '.join(ENVIRONMENTS)}; got {SUKOWATI_ENV!r}."
    )
PRODUCTION = SUKOWATI_ENV == "production"

# Django's own deploy check asks for at least this many characters.
SECRET_KEY_MIN_LENGTH = 50

_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def root_domain_problem(value: str) -> str | None:
    """Why `value` cannot be the production root domain, or None when it can.

    Every regency is served at <slug>.<root domain> and the console at the root
    domain itself; cookies, CSRF trust and HSTS all derive from it, so a value that
    merely looks close (a URL, a host with a port) is refused rather than guessed at."""
    if "://" in value:
        return "must be a bare host name, without a scheme such as https://"
    if "/" in value:
        return "must be a bare host name, without a path"
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        pass
    else:
        return "must be a domain name, not an IP address: regencies are its subdomains"
    if ":" in value:
        return "must be a bare host name, without a port"
    if value != value.lower():
        return "must be lowercase"
    if value == "localhost" or value.endswith(".localhost"):
        return "must be a public domain name: localhost is for development"
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return (
            "is not a valid domain name (lowercase letters, digits and hyphens, "
            "at least two dot-separated labels, e.g. sukowati.sragenkab.go.id)"
        )
    return None


def _secret_key_problem(value: str) -> str | None:
    if len(value) < SECRET_KEY_MIN_LENGTH:
        return f"must be at least {SECRET_KEY_MIN_LENGTH} characters long"
    if len(set(value)) < 5 or value.startswith("django-insecure-"):
        return "must be a random value, e.g. from secrets.token_urlsafe(64)"
    return None


def _url_problem(name: str, schemes: tuple[str, ...]) -> str | None:
    try:
        env_url(name, schemes=schemes)
    except ImproperlyConfigured as exc:
        # env_url's messages start with the variable's name; ours add it back.
        return str(exc).removeprefix(f"{name} ").rstrip(".")
    return None


def _bucket_problem(value: str) -> str | None:
    if not _BUCKET.match(value) or ".." in value:
        return "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"
    return None


def _from_email_problem(value: str) -> str | None:
    _name, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError:
        return "must be an email address, optionally with a name: Sukowati <noreply@example.id>"
    return None


_REQUIRED: dict[str, Callable[[str], str | None]] = {
    "DJANGO_SECRET_KEY": _secret_key_problem,
    "DATABASE_URL": lambda _: _url_problem("DATABASE_URL", ("postgres", "postgresql", "pgsql")),
    "REDIS_URL": lambda _: _url_problem("REDIS_URL", ("redis", "rediss")),
    "SUKOWATI_ROOT_DOMAIN": root_domain_problem,
    "AWS_STORAGE_BUCKET_NAME": _bucket_problem,
    # No console or file back end in production: mail must really leave.
    "EMAIL_URL": lambda _: _url_problem("EMAIL_URL", ("smtp", "smtp+tls", "smtp+ssl")),
    "DEFAULT_FROM_EMAIL": _from_email_problem,
}

# Values quoted back in a refusal; the others may hold a password or a key.
_SHOWN = frozenset({"SUKOWATI_ROOT_DOMAIN", "AWS_STORAGE_BUCKET_NAME", "DEFAULT_FROM_EMAIL"})


def production_environment_problems() -> list[str]:
    """Every missing or malformed production variable, each named, so that one
    failed start-up tells the operator everything to fix."""
    problems = []
    for name, problem_of in _REQUIRED.items():
        value = env_str(name)
        if value is None:
            problems.append(f"{name} is required in production but is not set.")
            continue
        problem = problem_of(value)
        if problem is not None and name in _SHOWN:
            problems.append(f"{name} {problem}; got {value!r}.")
        elif problem is not None:
            problems.append(f"{name} {problem}.")
    if env_bool("DJANGO_DEBUG", default=False):
        problems.append(
            "DJANGO_DEBUG must be false in production: debug pages show settings and source."
        )
    return problems


if PRODUCTION:
    _problems = production_environment_problems()
    if _problems:
        raise ImproperlyConfigured(
            "Sukowati cannot start with SUKOWATI_ENV=production:\n"
            + "\n".join(f"  - {problem}" for problem in _problems)
        )

    DEBUG = False

    # TLS ends at the load balancer (or nginx), which says so in this header. Only
    # safe because the proxy overwrites the header from clients; see
    # docs/decisions/production-settings.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancer probes speak plain HTTP to the container; SecurityMiddleware
    # matches these against the path without its leading slash.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
    # Regencies are subdomains of the root domain: they must be HTTPS-only too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a commitment browsers take months to undo, and only a
    # registrable domain can be preloaded; opt in deliberately.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

    _ROOT_DOMAIN = env_str("SUKOWATI_ROOT_DOMAIN") or ""
    # Consulted only for cross-origin requests (a same-origin POST, custom regency
    # domains included, is verified against its own host); the CSRF token, kept in
    # a host-only cookie, still protects every form.
    CSRF_TRUSTED_ORIGINS = [f"https://{_ROOT_DOMAIN}", f"https://*.{_ROOT_DOMAIN}"]

    if not SECURE_HSTS_PRELOAD:
        # check --deploy warns about preload (security.W021); leaving it off is the
        # decision above, not an oversight.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Both modes. Host-only cookies: a regency's session or CSRF cookie never travels
# to another regency (never the root domain: that would share them all).
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (core.middleware_security). Our pages load only vendored
# scripts and stylesheets from /static/, and Bootstrap's icons are data: URIs.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
# Enforced in production; in development browsers only report violations (in the
# developer console), so a new inline script is noticed before it breaks production.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=not PRODUCTION)

import secrets
from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_str

# Lets generic Django classes be subscripted at run time (ListView[Model]) for mypy.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[3]
PLATFORM_DIR = BASE_DIR / "platform"
VAR_DIR = Path(env_str("SUKOWATI_VAR_DIR", default=str(BASE_DIR / "var")) or "var").resolve()


def _secret_key() -> str:
    """The key from the environment; on a development machine, one kept under var/."""
    key = env_str("DJANGO_SECRET_KEY")
    if key is not None:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Old keys still accepted for signatures (sessions, reset and entry links) while a
# rotated key takes over: rotate by moving the old key here, then drop it later.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Regencies live at <slug>.<root domain> (or custom domains); the platform console at
# the root domain itself.
ROOT_DOMAIN = (env_str("SUKOWATI_ROOT_DOMAIN", default="localhost") or "localhost").lower()
# Host validation is TenantRoutingMiddleware's: a host is allowed exactly when it is
# the root domain or an active domain of a served regency (the Domain table), so a
# regency's custom domain works the moment it is attached. Anything else gets a 404
# page before any view runs; a syntactically invalid Host still gets Django's 400.
ALLOWED_HOSTS = ["*"]

MIDDLEWARE = [
    # First, so that every log line of the request, and its response, carry its id.
    "core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Must come before anything that touches the database: it picks the schema.
    "tenants.middleware.TenantRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SupportSessionMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "core.middleware.SuspensionGateMiddleware",
    "core.middleware.ModuleEntitlementMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Searched before the apps' folders, so core's overrides of allauth's templates win
        # (allauth precedes core in INSTALLED_APPS).
        "DIRS": [PLATFORM_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.regency",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The platform's own clock; each regency renders in its own zone (Tenant.time_zone).
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")) or "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# Host-only session cookies: a regency's session never travels to another regency.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None

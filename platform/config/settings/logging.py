"""Logging: one JSON object per line in production (for CloudWatch and any log
search), plain text on a development machine. Every record carries the schema of
the regency it was logged in, the request id and, when known, the user id
(core.logging). Optionally, errors are also posted to ERROR_REPORTING_URL
(core.errors)."""

import logging as _logging

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str, env_url
from config.settings.production import PRODUCTION

LOG_LEVEL = (env_str("LOG_LEVEL", default="INFO") or "INFO").upper()
if not isinstance(_logging.getLevelName(LOG_LEVEL), int):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL; got {LOG_LEVEL!r}."
    )

LOG_FORMAT = env_str("LOG_FORMAT", default="json" if PRODUCTION else "plain") or "plain"
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain; got {LOG_FORMAT!r}.")

ERROR_REPORTING_URL = env_url("ERROR_REPORTING_URL", schemes=("http", "https"))

_handlers: dict[str, dict[str, object]] = {
    "console": {
        "class": "logging.StreamHandler",
        "formatter": LOG_FORMAT,
        "filters": ["context"],
    },
}
if ERROR_REPORTING_URL:
    _handlers["error_report"] = {
        "class": "core.errors.ErrorReportHandler",
        "level": "ERROR",
        "url": ERROR_REPORTING_URL,
        "filters": ["context"],
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logging.LogContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(schema)s %(request_id)s] %(message)s"
        },
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": _handlers,
    "root": {"handlers": list(_handlers), "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers print only with DEBUG on (and mail ADMINS, which
        # we have none of); its records reach ours through the root logger, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

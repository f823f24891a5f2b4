"""Log records that say which regency, request and user they belong to.

`RequestIdMiddleware` gives every request an id (the load balancer's X-Request-ID
when it sent a sane one) and echoes it in the response, so a user's report, the
access log and the application log meet on one value. `LogContextFilter` adds the
current schema, host, request id and user id to every record; `JsonFormatter`
writes one JSON object per line."""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# Ids from upstream are logged verbatim: accept only what cannot forge a log line
# or a header (no spaces, quotes or newlines), of a sane length.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:=+/-]{1,128}$")

# The request being served by this thread; set before the middleware chain runs
# and kept until the response is closed, because Django logs a 4xx/5xx response
# (django.request) only after every middleware has returned.
_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def request_id_from(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_from(request)  # type: ignore[attr-defined]
        _current_request.set(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        return response


def _forget_request(**kwargs: object) -> None:
    _current_request.set(None)


# Sent when the server closes the response, after django.request has logged it.
request_finished.connect(_forget_request, dispatch_uid="core.logging.forget_request")


def current_request() -> HttpRequest | None:
    return _current_request.get()


def current_schema() -> str | None:
    """The schema the database connection is set to: the regency whose request or
    task is running (django-tenants), `public` for the console."""
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:
        # Before settings are configured, or while the connection is being set up.
        return None


def request_host(request: HttpRequest) -> str | None:
    try:
        return request.get_host()
    except Exception:
        # A Host header Django refuses; the record is about exactly that, usually.
        return None


def request_user_id(request: HttpRequest) -> object | None:
    """The signed-in user's id, when the request has already loaded its user.

    Never loads it: that is a database query, and the record may be logged from a
    transaction that has already failed."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    user = vars(user).get("_wrapped", user)  # a SimpleLazyObject not yet evaluated
    if user is empty or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


class LogContextFilter(logging.Filter):
    """Adds schema, host, request_id and user_id to every record (None when not
    serving a request). Never rejects a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request passes the request along with its records.
        request = current_request() or getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = None
        record.schema = current_schema()
        record.host = request_host(request) if request is not None else None
        record.request_id = getattr(request, "request_id", None)
        record.user_id = request_user_id(request) if request is not None else None
        record.path = request.path if request is not None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, ready for CloudWatch Logs Insights or any log
    search: `fields schema, message | filter level = "ERROR"`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "schema": getattr(record, "schema", None),
            "host": getattr(record, "host", None),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status_code"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)

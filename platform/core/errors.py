"""Error reports posted to a webhook (`ERROR_REPORTING_URL`).

A logging handler at ERROR level, so whatever logs an error is reported: a 500
(django.request), a failed task, a failing readiness check. Each report is one
JSON object: the regency's schema, host, request path and id, the logger, the
message and the traceback; never the request's body, cookies or query string,
which may hold personal data or secrets.

Sending never slows or breaks the request that failed: the report is built in
the request's thread (that is where the tenant and request are known) and queued;
a background thread posts it with a bounded timeout. A full queue or an endpoint
that is down loses reports, never requests."""

import contextlib
import json
import logging
import os
import queue
import sys
import threading
import urllib.request
from typing import Any

from core.logging import JsonFormatter

QUEUE_SIZE = 100
TIMEOUT_SECONDS = 5.0


class ErrorReportHandler(logging.Handler):
    def __init__(self, url: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=QUEUE_SIZE)
        self._sender: threading.Thread | None = None
        self._sender_pid: int | None = None
        self._formatter = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            report = self.format_report(record)
            self._ensure_sender()
            self._queue.put_nowait(json.dumps(report, default=str).encode())
        except queue.Full:
            self._complain("queue full, report dropped")
        except Exception:
            self.handleError(record)

    def format_report(self, record: logging.LogRecord) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self._formatter.format(record))
        report["path"] = getattr(record, "path", None)
        report["environment"] = os.environ.get("SUKOWATI_ENV", "development")
        if record.exc_info and record.exc_info[0] is not None:
            report["exception_type"] = record.exc_info[0].__name__
        return report

    def flush(self, timeout: float | None = None) -> None:
        """Wait (at most `timeout`, default this handler's timeout) until the
        queued reports have been sent or given up on; logging calls this at exit."""
        # Queue.join takes no timeout: wait for it in a thread that may be left behind.
        waiter = threading.Thread(target=self._queue.join, daemon=True)
        waiter.start()
        waiter.join(self.timeout if timeout is None else timeout)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        # Logging about a failure to report an error would report it again.
        self._complain(f"could not report {record.name}: {sys.exc_info()[1]!r}")

    def _ensure_sender(self) -> None:
        # gunicorn forks workers after the master (--preload) configured logging;
        # threads do not survive a fork, so each process starts its own sender.
        if self._sender is not None and self._sender_pid == os.getpid():
            return
        with self.lock or threading.Lock():
            if self._sender is not None and self._sender_pid == os.getpid():
                return
            if self._sender_pid is not None:
                # The parent's queue (and its reports) stay with the parent.
                self._queue = queue.Queue(maxsize=QUEUE_SIZE)
            self._sender = threading.Thread(
                target=self._send_forever, name="error-report-sender", daemon=True
            )
            self._sender_pid = os.getpid()
            self._sender.start()

    def _send_forever(self) -> None:
        while True:
            body = self._queue.get()
            try:
                self._post(body)
            except Exception as exc:
                self._complain(f"could not post to the error reporting URL: {exc!r}")
            finally:
                self._queue.task_done()

    def _post(self, body: bytes) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in settings
            self.url,
            data=body,
            headers={"Content-Type": "application/json", "User-Agent": "sukowati-error-report"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            response.read(1024)

    @staticmethod
    def _complain(message: str) -> None:
        # If stderr itself is gone, there is nowhere left to say it.
        with contextlib.suppress(Exception):
            sys.stderr.write(f"error reporting: {message}\n")

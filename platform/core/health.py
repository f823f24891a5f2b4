"""Liveness and readiness, as JSON, for load balancers and operators."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ready()}
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready",
         "checks": {k: "ok" if v else "failing" for k, v in checks.items()}},
        status=200 if ready else 503,
    )


def _database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False

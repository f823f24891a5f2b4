import os

import environ

from config.env import env_int, env_url

_SCHEMES = ("postgres", "postgresql", "pgsql")


def _database_url() -> str:
    url = env_url("DATABASE_URL", schemes=_SCHEMES)
    if url is not None:
        return url
    # Embedded default: a PostgreSQL server of our own under var/pg, started on demand.
    from core.embedded import embedded_database_url

    return embedded_database_url()


DATABASES = {"default": environ.Env.db_url_config(_database_url())}
# `?host=/socket/dir` (the embedded server) arrives as an option; HOST is where
# Django and every tool that reads settings expects it.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Persistent connections matter more than anything else for throughput.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that stops answering must fail fast (readiness, requests), not hang.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DATABASE_CONNECT_TIMEOUT", default=5, minimum=1
)
# One test database per test run, so that runs on one machine never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_sukowati_{os.getpid()}"}

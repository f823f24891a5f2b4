"""Embedded services for a machine with nothing but Python: a PostgreSQL server
from the `pgserver` package, its data under var/pg.

Only used when DATABASE_URL is unset; production always sets it.
"""

import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from config.env import env_str

DATABASE_NAME = "sukowati"


def var_dir() -> Path:
    root = Path(__file__).resolve().parents[2]
    return Path(env_str("SUKOWATI_VAR_DIR", default=str(root / "var")) or "").resolve()


def _server():  # type: ignore[no-untyped-def]
    # pgserver logs every step at INFO; a developer only needs to hear about failures.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR as root
        import pgserver

    pgdata = var_dir() / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so every manage.py call,
    # worker and test run shares one server instead of starting its own.
    return pgserver.get_server(pgdata, cleanup_mode=None)


def embedded_database_url() -> str:
    """The URL of the embedded server's `sukowati` database, starting the server
    and creating the database when needed."""
    server = _server()
    # A constant name, not input: psql over the server's own socket takes no parameters.
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
    exists = server.psql(query)
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"


def embedded_pg_bin() -> Path:
    """The folder with the server's own client tools (pg_dump, psql): the system's
    may be older than the bundled server and refuse to talk to it."""
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def embedded_postgres_stop() -> None:
    pgdata = var_dir() / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)

"""PostgreSQL's own client tools (pg_dump, psql), pointed at our database.

pgserver ships version-16 tools, which also talk to older servers; production can
point PG_BIN_DIR at the tools matching its cluster."""

import os
import subprocess
from pathlib import Path

from django.db import connection

from config.env import env_str


def pg_bin(tool: str) -> str:
    folder = env_str("PG_BIN_DIR")
    if folder is None:
        from core.embedded import embedded_pg_bin

        folder = str(embedded_pg_bin())
    return str(Path(folder) / tool)


def _libpq_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(settings["NAME"])}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def pg_dump_schema(schema: str, *, data: bool = True) -> str:
    """The SQL text of one schema: plain INSERTs (no COPY blocks), no owners or
    grants, so it replays through an ordinary cursor as any role."""
    args = [
        pg_bin("pg_dump"),
        f"--schema={schema}",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--inserts",
        "--rows-per-insert=500",
        "--encoding=UTF8",
    ]
    if not data:
        args.append("--schema-only")
    result = subprocess.run(
        args, env=_libpq_env(), capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump of schema {schema} failed: {result.stderr.strip()}")
    return result.stdout

"""Malformed environment values stop start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.path[:0] = ['.', 'platform'];import django; django.setup()"
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be one of"),
        ("DATABASE_URL", "mysql://db/sukowati", "DATABASE_URL must start with one of"),
        ("DATABASE_URL", "postgres://db:notaport/x", "DATABASE_URL is not a valid URL"),
        ("DATABASE_CONN_MAX_AGE", "forever", "DATABASE_CONN_MAX_AGE must be a whole number"),
        ("DATABASE_CONN_MAX_AGE", "-5", "DATABASE_CONN_MAX_AGE must be at least 0"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with one of"),
        ("EMAIL_URL", "smtp://", "EMAIL_URL has no host"),
        ("AWS_S3_ENDPOINT_URL", "s3.example", "AWS_S3_ENDPOINT_URL must start with one of"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(variable, value, message):
    result = _load_settings(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_well_formed_environment_starts():
    result = _load_settings(DJANGO_DEBUG="false", DATABASE_CONN_MAX_AGE="30")
    assert result.returncode == 0, result.stderr

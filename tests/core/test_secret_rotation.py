"""Rotating the signing key keeps signed links and sessions made with the old one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = """
import sys; sys.path[:0] = ['.', 'platform']
import django; django.setup()
from django.core import signing
if sys.argv[1] == 'sign':
    print(signing.dumps('lebak', salt='rotation'))
else:
    print(signing.loads(sys.argv[2], salt='rotation'))
"""


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", CODE, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_value_signed_with_the_old_key_verifies_after_rotation():
    old, new = "o" * 50, "n" * 50
    token = _run("sign", DJANGO_SECRET_KEY=old).stdout.strip()
    rotated = _run("load", token, DJANGO_SECRET_KEY=new, DJANGO_SECRET_KEY_FALLBACKS=old)
    assert rotated.stdout.strip() == "lebak", rotated.stderr
    dropped = _run("load", token, DJANGO_SECRET_KEY=new)
    assert dropped.returncode != 0
    assert "BadSignature" in dropped.stderr

"""platform/ is a source root, not a package: the standard library's `platform`
module must still be the one imported."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_platform_still_gives_the_standard_library_module():
    import platform

    assert platform.system()
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_manage_py_path_setup_keeps_stdlib_platform_and_uuid_working():
    code = (
        "import runpy, sys; sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', "
        "'CRITICAL']; import platform, uuid; print(platform.system(), uuid.uuid4().version)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [platform_system(), "4"]


def platform_system() -> str:
    import platform

    return platform.system()

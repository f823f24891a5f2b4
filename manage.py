#!/usr/bin/env python
"""Django's command-line utility for Sukowati."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# platform/ is a source root, not a package: `platform` is a standard-library module.
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Fails when code under modules/ switches the database schema.

Modules run in the schema their request or task is in; only tenants/, billing/
and the console may switch (see docs/decisions). Run as
`python platform/core/lint.py [paths...]`; exits 1 listing every offence."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

FORBIDDEN = frozenset(
    {"schema_context", "tenant_context", "set_schema", "set_tenant", "set_schema_to_public"}
)
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "modules"


def schema_switches(source: str, filename: str) -> Iterator[tuple[int, str]]:
    """(line, name) for every import, call or attribute naming a schema switch."""
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in FORBIDDEN:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN:
            yield node.lineno, node.attr
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN:
            yield node.lineno, node.id


def check(paths: list[Path]) -> list[str]:
    offences = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            for line, name in schema_switches(path.read_text(encoding="utf-8"), str(path)):
                offences.append(f"{path}:{line}: modules must not switch schema ({name})")
    return offences


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [DEFAULT_ROOT]
    offences = check(paths)
    for offence in offences:
        print(offence)
    return 1 if offences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

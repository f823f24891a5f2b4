"""The lint rule that keeps modules from switching schema."""

from pathlib import Path

from core.lint import check, schema_switches

ROOT = Path(__file__).resolve().parents[2]


def test_flags_every_way_of_switching_schema():
    source = (
        "from django_tenants.utils import schema_context, tenant_context\n"
        "from django.db import connection\n"
        "def f(t):\n"
        "    connection.set_tenant(t)\n"
        "    connection.set_schema('x')\n"
        "    connection.set_schema_to_public()\n"
    )
    names = [name for _line, name in schema_switches(source, "example.py")]
    assert sorted(names) == sorted(
        ["schema_context", "tenant_context", "set_tenant", "set_schema", "set_schema_to_public"]
    )


def test_plain_module_code_passes():
    source = "from django.db import connection\n\ndef f():\n    return connection.schema_name\n"
    assert list(schema_switches(source, "ok.py")) == []


def test_reports_file_and_line(tmp_path):
    bad = tmp_path / "services.py"
    bad.write_text("x = 1\nfrom django_tenants.utils import schema_context\n")
    assert check([tmp_path]) == [f"{bad}:2: modules must not switch schema (schema_context)"]


def test_modules_tree_is_clean():
    assert check([ROOT / "modules"]) == []

"""A schema's catalog, with the schema's own name taken out, for comparing two."""

import re

from django.db import connection

QUERIES = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, column_default,
               character_maximum_length, numeric_precision, is_identity
        FROM information_schema.columns WHERE table_schema = %s""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
    "constraints": """
        SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
        FROM pg_constraint co
        JOIN pg_class cl ON cl.oid = co.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s""",
    "sequences": """
        SELECT sequence_name, data_type, start_value, increment
        FROM information_schema.sequences WHERE sequence_schema = %s""",
    "triggers": """
        SELECT event_object_table, trigger_name, event_manipulation, action_timing
        FROM information_schema.triggers WHERE trigger_schema = %s""",
    "functions": """
        SELECT p.proname, pg_get_function_result(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s""",
}


_CAST = re.compile(r"::[a-z ]+(\[\])?")


def _expression(text: str) -> str:
    """An index predicate or constraint as written, without casts, parentheses and
    spaces: a dump's replay parses `IN (...)` on a varchar column back as the same
    test with its casts placed differently, which PostgreSQL then prints differently."""
    return re.sub(r"[()\s]", "", _CAST.sub("", text))


def schema_catalog(schema: str) -> dict[str, set[tuple[object, ...]]]:
    pattern = re.compile(rf"\b{re.escape(schema)}\.")
    catalog = {}
    with connection.cursor() as cursor:
        for part, query in QUERIES.items():
            cursor.execute(query, [schema])
            rows = set()
            for row in cursor.fetchall():
                values = [pattern.sub("S.", v) if isinstance(v, str) else v for v in row]
                if part in ("indexes", "constraints"):
                    values[-1] = _expression(str(values[-1]))
                rows.add(tuple(values))
            catalog[part] = rows
    return catalog

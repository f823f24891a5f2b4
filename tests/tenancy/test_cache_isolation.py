"""Cache keys carry the schema: one regency never reads another's entries."""

import uuid

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db


def test_cache_entry_written_under_one_regency_is_not_read_under_another():
    key = f"dashboard-{uuid.uuid4().hex}"
    with schema_context("lebak"):
        cache.set(key, "lebak figures", 60)
    with schema_context("balangan"):
        assert cache.get(key) is None
        cache.set(key, "balangan figures", 60)
    with schema_context("public"):
        assert cache.get(key) is None
    with schema_context("lebak"):
        assert cache.get(key) == "lebak figures"
        cache.delete(key)
    with schema_context("balangan"):
        assert cache.get(key) == "balangan figures"
        cache.delete(key)


def test_deleting_a_key_in_one_regency_leaves_the_others():
    key = f"counter-{uuid.uuid4().hex}"
    for schema in ("lebak", "dumai"):
        with schema_context(schema):
            cache.set(key, schema, 60)
    with schema_context("dumai"):
        cache.delete(key)
    with schema_context("lebak"):
        assert cache.get(key) == "lebak"
        cache.delete(key)

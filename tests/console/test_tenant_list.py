"""The tenant list: every regency with its facts, never the template, in a
bounded number of queries."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from accounts.services import user_create
from console.tasks import storage_usage_record
from staff.selectors import staff_active_count
from tenants.models import Tenant
from tenants.selectors import STORAGE_CACHE, storage_cache_key, tenant_overview_list
from tenants.services import tenant_create, tenant_prospect_create

pytestmark = pytest.mark.django_db

EXTRA = (("bogor", "32.01"), ("buleleng", "51.08"), ("mukomuko", "17.06"))


def test_list_shows_every_regency_but_never_the_template(console, regencies):
    html = console.get("/").content.decode()
    for slug in ("lebak", "balangan", "dumai"):
        assert f'data-slug="{slug}"' in html
    template = Tenant.objects.get(is_template=True)
    assert f'data-slug="{template.slug}"' not in html
    assert f"/tenants/{template.slug}/" not in html
    assert "3 regencies on the platform." in html


def test_template_is_not_a_regency_anywhere_in_the_console(console):
    template = Tenant.objects.get(is_template=True)
    assert console.get(f"/tenants/{template.slug}/").status_code == 404


def test_status_filter_lists_only_that_status(console, engineer):
    tenant_prospect_create(slug="bogor", region_code="32.01", actor_email=engineer.email)
    html = console.get("/?status=prospect").content.decode()
    assert 'data-slug="bogor"' in html
    assert 'data-slug="lebak"' not in html
    html = console.get("/?status=active").content.decode()
    assert 'data-slug="bogor"' not in html
    assert 'data-slug="lebak"' in html


def test_staff_count_and_last_activity_come_from_each_schema(regencies):
    before = {row.tenant.slug: row.staff_count for row in tenant_overview_list().rows}
    with tenant_context(regencies["dumai"]):
        for n in range(2):
            user_create(
                email=f"petugas{n}@dumai.test",
                full_name="Petugas",
                password=None,
                email_verified=True,
            )
    rows = {row.tenant.slug: row for row in tenant_overview_list().rows}
    assert rows["dumai"].staff_count == (before["dumai"] or 0) + 2
    assert rows["lebak"].staff_count == before["lebak"]
    with tenant_context(regencies["lebak"]):
        assert rows["lebak"].staff_count == staff_active_count()
    assert rows["lebak"].schema_bytes and rows["lebak"].schema_bytes > 0


def test_prospect_has_no_schema_figures(engineer):
    tenant_prospect_create(slug="bogor", region_code="32.01", actor_email=engineer.email)
    row = next(r for r in tenant_overview_list().rows if r.tenant.slug == "bogor")
    assert (row.staff_count, row.schema_bytes, row.last_activity) == (None, None, None)


def test_storage_used_is_shown_once_measured(console, regencies):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    cache = caches[STORAGE_CACHE]
    with tenant_context(regencies["balangan"]):
        name = default_storage.save("console-usage-test.txt", ContentFile(b"x" * 3000))
        try:
            usage = storage_usage_record()
        finally:
            default_storage.delete(name)
    try:
        assert usage.bytes >= 3000
        row = next(r for r in tenant_overview_list().rows if r.tenant.slug == "balangan")
        assert row.storage is not None
        assert row.storage.bytes == usage.bytes
        assert "2.9\xa0KB" in console.get("/").content.decode()
    finally:
        cache.delete(storage_cache_key("balangan"))


def _queries_for_list() -> int:
    with CaptureQueriesContext(connection) as queries:
        page = tenant_overview_list()
        assert page.rows
    return len(queries)


def test_list_costs_the_same_queries_for_3_or_6_regencies(regencies):
    with_three = _queries_for_list()
    for slug, code in EXTRA:
        tenant_create(slug=slug, region_code=code)
    assert Tenant.objects.regencies().count() == 6
    assert _queries_for_list() == with_three


def test_list_page_is_bounded_too(console, regencies, django_assert_max_num_queries):
    console.get("/")  # sessions, the user and the authenticator are read once warm
    with CaptureQueriesContext(connection) as three:
        assert console.get("/").status_code == 200
    for slug, code in EXTRA:
        tenant_create(slug=slug, region_code=code)
    with django_assert_max_num_queries(len(three)):
        html = console.get("/").content.decode()
    assert 'data-slug="mukomuko"' in html

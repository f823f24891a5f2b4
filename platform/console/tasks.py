"""Measuring each regency's storage for the console's tenant list.

Listing every file is too slow for a page view, so beat queues the fan-out
(in `public`), which queues one measurement per regency inside that regency's
schema; each writes its figure to the shared `platform` cache, where
`tenants.selectors.storage_usage_cached` reads them all at once."""

from celery import shared_task
from django.core.cache import caches
from django_tenants.utils import tenant_context

from core.db import tenant_connection
from tenants.models import Tenant
from tenants.selectors import (
    STORAGE_CACHE,
    STORAGE_TTL_SECONDS,
    StorageUsage,
    storage_cache_key,
    storage_usage_measure,
    storage_usage_payload,
)

# Statuses whose schema (and so storage prefix) can hold files.
MEASURED_STATUSES = (
    Tenant.Status.PROVISIONING,
    Tenant.Status.ACTIVE,
    Tenant.Status.SUSPENDED,
    Tenant.Status.ARCHIVED,
)


def storage_usage_record() -> StorageUsage:
    """Measure the current schema's files and keep the figure in the cache."""
    usage = storage_usage_measure()
    caches[STORAGE_CACHE].set(
        storage_cache_key(tenant_connection().schema_name),
        storage_usage_payload(usage),
        timeout=STORAGE_TTL_SECONDS,
    )
    return usage


@shared_task
def storage_usage_measure_task() -> int:
    """Runs in one regency's schema (tenant-schemas-celery carries it)."""
    return storage_usage_record().bytes


@shared_task
def storage_usage_fanout_task() -> int:
    """Queue a measurement in every regency that has a schema; returns how many."""
    queued = 0
    for tenant in Tenant.objects.regencies().filter(status__in=MEASURED_STATUSES).order_by("pk"):
        with tenant_context(tenant):
            storage_usage_measure_task.delay()
        queued += 1
    return queued

"""Read queries for the engineers' console.

The tenant list must cost the same number of queries for 3 regencies or 300:
one query for the tenants (plus prefetches), one pg_catalog query for every
schema's size and whether it has a user table, and one UNION ALL over those
user tables for staff counts and last activity.

Storage used is NOT computed here per request: summing file sizes under each
regency's prefix means listing every object (S3 pages of 1,000 keys), far too
slow for a page. A periodic fan-out task (`console.tasks.storage_usage_fanout_task`)
measures each regency inside its own schema and keeps the figure in the shared
`platform` cache; the list reads all of them with one `get_many`, which is not a
database query at all. An engineer can also ask for a fresh measurement."""

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.db import tenant_connection
from core.models import AuditEvent
from tenants.models import (
    Domain,
    ProvisioningRun,
    ProvisioningStep,
    SupportAccessGrant,
    Tenant,
)
from tenants.regions import Regency

STORAGE_CACHE = "platform"
STORAGE_KEY_PREFIX = "storage-used:"
# Kept well past the measuring period, so a missed beat tick shows an older figure
# (with its date) rather than none.
STORAGE_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class StorageUsage:
    bytes: int
    files: int
    measured_at: datetime | None


@dataclass(frozen=True)
class TenantOverview:
    tenant: Tenant
    modules: list[str]
    domains: list[Domain]
    staff_count: int | None = None
    last_activity: datetime | None = None
    schema_bytes: int | None = None
    storage: StorageUsage | None = None


@dataclass(frozen=True)
class SchemaFacts:
    size_bytes: int
    has_users: bool


@dataclass(frozen=True)
class StaffFacts:
    count: int
    last_login: datetime | None


@dataclass
class TenantListPage:
    rows: list[TenantOverview]
    status_counts: dict[str, int] = field(default_factory=dict)


def tenant_overview_list(*, status: str | None = None) -> TenantListPage:
    """Every regency (never the template) with its console facts, in a bounded
    number of queries."""
    tenants = list(
        Tenant.objects.regencies()
        .filter(**({"status": status} if status else {}))
        .prefetch_related("entitlements", Prefetch("domains", queryset=Domain.objects.all()))
        .order_by("name")
    )
    counts = dict(
        Tenant.objects.regencies()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    schemas = [t.schema_name for t in tenants]
    catalog = schema_facts(schemas)
    staff = staff_facts([s for s, facts in catalog.items() if facts.has_users])
    storage = storage_usage_cached(schemas)
    rows = []
    for tenant in tenants:
        facts = catalog.get(tenant.schema_name)
        people = staff.get(tenant.schema_name)
        rows.append(
            TenantOverview(
                tenant=tenant,
                modules=sorted(e.module_code for e in tenant.entitlements.all()),
                domains=list(tenant.domains.all()),
                staff_count=people.count if people else None,
                last_activity=people.last_login if people else None,
                schema_bytes=facts.size_bytes if facts else None,
                storage=storage.get(tenant.schema_name),
            )
        )
    return TenantListPage(rows=rows, status_counts=counts)


def tenant_overview(tenant: Tenant) -> TenantOverview:
    """One regency's console facts (the detail page's header)."""
    catalog = schema_facts([tenant.schema_name])
    facts = catalog.get(tenant.schema_name)
    staff = staff_facts([tenant.schema_name] if facts and facts.has_users else [])
    people = staff.get(tenant.schema_name)
    return TenantOverview(
        tenant=tenant,
        modules=sorted(tenant.entitlements.values_list("module_code", flat=True)),
        domains=list(tenant.domains.all()),
        staff_count=people.count if people else None,
        last_activity=people.last_login if people else None,
        schema_bytes=facts.size_bytes if facts else None,
        storage=storage_usage_cached([tenant.schema_name]).get(tenant.schema_name),
    )


def schema_facts(schemas: Iterable[str]) -> dict[str, SchemaFacts]:
    """Size on disk (tables with their indexes and TOAST, materialised views,
    sequences) and whether the schema has a user table, for each existing schema;
    one pg_catalog query. A prospect has no schema and is absent."""
    names = list(schemas)
    if not names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname,
                   coalesce(sum(pg_total_relation_size(c.oid))
                            FILTER (WHERE c.relkind IN ('r', 'm', 'S')), 0),
                   coalesce(bool_or(c.relname = 'accounts_user' AND c.relkind = 'r'), false)
            FROM pg_namespace n
            LEFT JOIN pg_class c ON c.relnamespace = n.oid
            WHERE n.nspname = ANY(%s)
            GROUP BY n.nspname
            """,
            [names],
        )
        return {
            name: SchemaFacts(size_bytes=int(size), has_users=bool(users))
            for name, size, users in cursor.fetchall()
        }


def staff_facts(schemas: Iterable[str]) -> dict[str, StaffFacts]:
    """Active staff (support agents left out: they are Sragen's engineers) and the
    latest sign-in, per schema; one UNION ALL query over the schemas' user tables."""
    names = sorted(schemas)
    if not names:
        return {}
    parts = []
    for name in names:
        table = f"{_quote(name)}.accounts_user"
        parts.append(
            "SELECT %s, "  # noqa: S608 - identifiers quoted, schema names from our own rows
            "count(*) FILTER (WHERE is_active AND NOT is_support_agent), "
            "max(last_login) FILTER (WHERE NOT is_support_agent) "
            f"FROM {table}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), names)
        return {
            name: StaffFacts(count=int(count), last_login=last)
            for name, count, last in cursor.fetchall()
        }


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# --- storage used ---------------------------------------------------------------


def storage_cache_key(schema_name: str) -> str:
    return f"{STORAGE_KEY_PREFIX}{schema_name}"


def storage_usage_cached(schemas: Iterable[str]) -> dict[str, StorageUsage]:
    """The last measurement of each schema's files, from the platform cache."""
    names = list(schemas)
    if not names:
        return {}
    found = caches[STORAGE_CACHE].get_many([storage_cache_key(s) for s in names])
    result = {}
    for name in names:
        value = found.get(storage_cache_key(name))
        if isinstance(value, dict):
            measured = value.get("measured_at")
            result[name] = StorageUsage(
                bytes=int(value.get("bytes", 0)),
                files=int(value.get("files", 0)),
                measured_at=parse_datetime(measured) if isinstance(measured, str) else None,
            )
    return result


def storage_usage_measure() -> StorageUsage:
    """Sum the sizes of every file under the CURRENT schema's storage prefix."""
    total = files = 0
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        # S3: the listing carries each object's size, so no request per file.
        prefix = posixpath.join(
            getattr(default_storage, "location", "") or "", tenant_connection().schema_name, ""
        ).lstrip("/")
        for obj in bucket.objects.filter(Prefix=prefix):
            total += int(obj.size)
            files += 1
    else:
        for name in _walk(""):
            total += default_storage.size(name)
            files += 1
    return StorageUsage(bytes=total, files=files, measured_at=timezone.now())


def _walk(path: str) -> Iterable[str]:
    directories, names = default_storage.listdir(path)
    for name in names:
        yield posixpath.join(path, name) if path else name
    for directory in directories:
        yield from _walk(posixpath.join(path, directory) if path else directory)


def storage_usage_payload(usage: StorageUsage) -> dict[str, Any]:
    return {
        "bytes": usage.bytes,
        "files": usage.files,
        "measured_at": usage.measured_at.isoformat() if usage.measured_at else None,
    }


# --- tenant detail -------------------------------------------------------------


def tenant_for_console(slug: str) -> Tenant | None:
    """A regency by slug; the template is never one."""
    return Tenant.objects.regencies().filter(slug=slug).first()


def provisioning_runs(tenant: Tenant) -> QuerySet[ProvisioningRun]:
    return tenant.provisioning_runs.prefetch_related(
        Prefetch("steps", queryset=ProvisioningStep.objects.order_by("position"))
    ).order_by("-created_at", "-id")


def provisioning_run_for(tenant: Tenant, run_id: int) -> ProvisioningRun | None:
    return provisioning_runs(tenant).filter(pk=run_id).first()


def support_grants(tenant: Tenant) -> QuerySet[SupportAccessGrant]:
    return tenant.support_grants.order_by("-created_at")


def engineer_active_grants(tenant: Tenant, engineer_email: str) -> QuerySet[SupportAccessGrant]:
    return tenant.support_grants.filter(
        engineer_email=engineer_email, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


# --- audit log ------------------------------------------------------------------


def platform_audit_events(
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    date_from: datetime | None = None,
    date_until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Engineers' actions: the public schema's audit log, newest first. The
    caller is in the public schema (the console host always is)."""
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(Q(actor_email__icontains=actor) | Q(actor_name__icontains=actor))
    if action:
        events = events.filter(action__startswith=action)
    if target:
        events = events.filter(target__icontains=target)
    if date_from is not None:
        events = events.filter(created_at__gte=date_from)
    if date_until is not None:
        events = events.filter(created_at__lt=date_until)
    return events.order_by("-created_at", "-id")


def platform_audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


# --- reference data ---------------------------------------------------------------


def regency_list() -> list[Regency]:
    """Every regency and city of the national list, by code (the prospect form's
    suggestions)."""
    from tenants.regions import _regencies  # the same package's cached table

    return sorted(_regencies().values(), key=lambda r: r.code)

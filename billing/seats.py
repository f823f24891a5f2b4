"""Seats: a regency's active staff, the quantity its per-seat fee is billed on.

A seat is an active account in the regency's own schema, leaving out the
support users Sragen's engineers enter through (they are Sragen's cost, not the
regency's staff). Counted once a day into SeatSnapshot, in each regency's own
calendar, so billing reads a public-schema table and never a regency's schema."""

import datetime
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from billing.models import SeatSnapshot
from tenants.models import Tenant

# Regencies whose staff hold seats: a suspended regency still has (and pays for)
# its accounts; a prospect or a provisioning one has none yet, an archived one no
# longer serves anybody.
BILLED_STATUSES = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


def seats_by_tenant(tenants: Sequence[Tenant]) -> dict[int, int]:
    """Active staff of each tenant, in ONE statement over all their schemas.

    A UNION ALL of one `count(*)` per schema, with schema-qualified table names,
    run from whatever schema is current: there is no `SET search_path` per regency
    and no second round trip, so the daily job costs one query however many
    regencies there are, and every count comes from the same moment."""
    if not tenants:
        return {}
    # psycopg quotes each schema name as an identifier: schema names are validated
    # when a tenant is created, but the statement does not rely on that.
    statement = sql.SQL(" UNION ALL ").join(
        sql.SQL(
            "SELECT {tenant_id} AS tenant_id, count(*) AS seats FROM {table}"
            " WHERE is_active AND NOT is_support_agent"
        ).format(
            tenant_id=sql.Literal(tenant.pk),
            table=sql.Identifier(tenant.schema_name, "accounts_user"),
        )
        for tenant in tenants
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(cursor.connection))
        return {int(tenant_id): int(seats) for tenant_id, seats in cursor.fetchall()}


def seats_count(tenant: Tenant) -> int:
    """The regency's seats now (the same definition as the daily snapshot)."""
    return seats_by_tenant([tenant]).get(tenant.pk, 0)


def tenant_local_date(tenant: Tenant, at: datetime.datetime | None = None) -> datetime.date:
    """The date on the regency's own calendar (a WITA regency's day starts an hour
    before Jakarta's)."""
    return timezone.localtime(at or timezone.now(), ZoneInfo(tenant.time_zone)).date()


def seat_snapshot_all(*, at: datetime.datetime | None = None) -> list[SeatSnapshot]:
    """Record today's seats of every billed regency; running it again the same
    day updates that day's row instead of adding one."""
    tenants = list(Tenant.objects.regencies().filter(status__in=BILLED_STATUSES).order_by("pk"))
    counts = seats_by_tenant(tenants)
    snapshots = []
    with transaction.atomic():
        for tenant in tenants:
            snapshot, _created = SeatSnapshot.objects.update_or_create(
                tenant=tenant,
                taken_on=tenant_local_date(tenant, at),
                defaults={"active_staff": counts.get(tenant.pk, 0)},
            )
            snapshots.append(snapshot)
    return snapshots


def seats_latest(tenant: Tenant) -> SeatSnapshot | None:
    """The regency's most recent seat snapshot, or None before the first one."""
    return SeatSnapshot.objects.filter(tenant=tenant).order_by("-taken_on").first()

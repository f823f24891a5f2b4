"""Permit pages with 100,000 applications in one regency (Lebak) against the same
pages with 1,000 (Dumai): the office inbox, the public tracking page and the
dashboard, each through the full middleware stack with the in-process test client.

For each page the run prints the queries of one request and the median
milliseconds at both sizes, and their ratio (target: at most 2). The two sizes are
timed in alternating rounds, so that load from elsewhere on the machine weighs on
both alike. History is spread over five years, as a regency's would be; the open
applications are the recent ones plus a few overdue. After the bulk load the
dashboard's stored monthly figures are dropped (as after an import) and tables
analysed; the first dashboard view after it is printed apart ("cold").

Figures are printed, never asserted: timing depends on the machine. Run with
`make bench`."""

import datetime
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from accounts.services import user_create
from core.db import tenant_connection
from modules.permits.catalogue import catalogue_sync
from modules.permits.dashboards import stats_forget
from modules.permits.models import (
    Application,
    ApplicationTransition,
    Certificate,
    ServiceType,
    SurveyResponse,
)
from organisation.models import Kecamatan, WorkUnit
from staff.models import RoleAssignment
from tenants.models import Tenant
from tenants.services import entitlement_set

pytestmark = pytest.mark.bench

YEARS = 5
ROUNDS = 25
WARMUP = 3
SIZES = {"dumai": 1_000, "lebak": 100_000}
BATCH = 5_000
S = Application.Status
PATHS = {
    S.SUBMITTED: (S.SUBMITTED,),
    S.COMPLETENESS: (S.SUBMITTED, S.COMPLETENESS),
    S.VERIFICATION: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION),
    S.RECOMMENDATION: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION),
    S.APPROVAL: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL),
    S.REJECTED: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.REJECTED),
    S.ISSUED: (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL, S.ISSUED),
    S.COMPLETED: (
        S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL, S.ISSUED,
        S.COMPLETED,
    ),
}  # fmt: skip
OPEN = (S.SUBMITTED, S.COMPLETENESS, S.VERIFICATION, S.RECOMMENDATION, S.APPROVAL)


@dataclass
class Loader:
    """Adds bench applications to the current schema, numbered on from `made`."""

    services: list[ServiceType]
    kecamatan: list[Kecamatan]
    offices: dict[int, int]
    rng: random.Random
    now: datetime.datetime
    made: int = 0

    def add(self, count: int) -> None:
        while count > 0:
            size = min(BATCH, count)
            self._batch(size)
            count -= size

    def _batch(self, size: int) -> None:
        applications, paths = [], []
        for _ in range(size):
            self.made += 1
            application, steps = self._one(self.made)
            applications.append(application)
            paths.append(steps)
        Application.objects.bulk_create(applications)
        transitions, certificates, surveys = [], [], []
        for application, steps in zip(applications, paths, strict=True):
            previous = ""
            for state, at in steps:
                transitions.append(
                    ApplicationTransition(
                        application_id=application.pk,
                        from_status=previous,
                        to_status=state,
                        actor_email="petugas@lebak.test",
                        actor_name="Petugas",
                        at=at,
                    )
                )
                previous = state
                if state == S.ISSUED:
                    certificates.append(
                        Certificate(
                            application_id=application.pk,
                            number=f"BEN/{application.pk:09d}",
                            issued_at=at,
                            issued_by_email="kepala@lebak.test",
                            issued_by_name="Kepala",
                        )
                    )
            if application.status == S.COMPLETED and self.rng.random() < 0.6:
                scores = {f"u{i}": self.rng.choice((2, 3, 3, 4, 4)) for i in range(1, 10)}
                surveys.append(
                    SurveyResponse(
                        application_id=application.pk, submitted_at=steps[-1][1], **scores
                    )
                )
        _copy(
            ApplicationTransition,
            (
                "application_id",
                "from_status",
                "to_status",
                "actor_email",
                "actor_name",
                "reason",
                "at",
            ),
            [
                (
                    t.application_id,
                    t.from_status,
                    t.to_status,
                    t.actor_email,
                    t.actor_name,
                    "",
                    t.at,
                )
                for t in transitions
            ],
        )
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)
        SurveyResponse.objects.bulk_create(surveys, batch_size=BATCH)

    def _one(self, index: int) -> tuple[Application, list[tuple[str, datetime.datetime]]]:
        rng = self.rng
        age = datetime.timedelta(days=rng.uniform(0, 365 * YEARS))
        submitted_at = self.now - age
        service = rng.choice(self.services)
        place = rng.choice(self.kecamatan)
        if age.days <= 10:
            status = rng.choice(OPEN)
        elif age.days <= 30:
            status = rng.choice((*OPEN, S.ISSUED, S.COMPLETED, S.REJECTED))
        elif rng.random() < 0.004:
            status = rng.choice(OPEN)  # forgotten: overdue
        else:
            status = rng.choices((S.COMPLETED, S.ISSUED, S.REJECTED), weights=(80, 8, 12))[0]
        steps: list[tuple[str, datetime.datetime]] = []
        at = submitted_at
        for state in PATHS[status]:
            steps.append((state, at))
            at = min(at + datetime.timedelta(hours=rng.uniform(2, 40)), self.now)
        decided = next((when for state, when in steps if state in (S.ISSUED, S.REJECTED)), None)
        received = submitted_at.date()
        business = service.is_business
        return (
            Application(
                number=f"BEN/{received.year}/{index:07d}",
                tracking_code=f"B{index:011d}",
                service=service,
                status=status,
                channel=Application.Channel.GUEST,
                applicant_name="Warga Uji",
                applicant_nik="3602010101900001",
                business_name="CV Uji" if business else "",
                investment_rupiah=rng.randint(1, 500) * 10_000_000 if business else 0,
                workforce=rng.randint(1, 50) if business else 0,
                kecamatan=place,
                handling_unit_id=(
                    self.offices.get(place.pk)
                    if service.delegated_to_kecamatan
                    else service.handling_unit_id
                ),
                submitted_at=submitted_at,
                legal_due_on=received + datetime.timedelta(days=service.legal_days * 7 // 5),
                target_due_on=received + datetime.timedelta(days=service.target_days * 7 // 5),
                finished_at=decided,
                working_days_taken=(
                    max(1, round(service.legal_days * rng.uniform(0.2, 1.3))) if decided else None
                ),
                submission_key=f"bench-{index}",
            ),
            steps,
        )


def _copy(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """COPY rows into the current schema's table (the bulk of the load: about six
    transitions per application)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


@dataclass
class Site:
    """One regency's bench: its loader, a signed-in officer and a public visitor."""

    tenant: Tenant
    loader: Loader
    officer: Client
    public: Client
    codes: random.Random

    def pages(self) -> dict[str, Callable[[], Any]]:
        def tracking_page() -> Any:
            # A different existing application on every request.
            code = f"B{self.codes.randint(1, self.loader.made):011d}"
            return self.public.get("/permits/public/track/", {"code": code})

        return {
            "inbox /permits/office/": lambda: self.officer.get("/permits/office/"),
            "tracking /permits/public/track/": tracking_page,
            "dashboard /permits/reports/": lambda: self.officer.get("/permits/reports/"),
        }


def _site(slug: str, size: int) -> tuple[Site, float]:
    """The regency entitled, loaded to `size` applications (its demo ones count),
    with an officer holding the inbox roles over the whole regency; and the
    milliseconds of its first dashboard view after the load."""
    tenant = Tenant.objects.get(slug=slug)
    entitlement_set(
        tenant=tenant, module_code="permits", enabled=True, actor_email="engineer@sukowati.test"
    )
    tenant_connection().set_tenant(tenant)
    if not ServiceType.objects.exists():
        catalogue_sync()
    loader = Loader(
        services=list(ServiceType.objects.filter(is_active=True)),
        kecamatan=list(Kecamatan.objects.all()),
        offices={
            unit.kecamatan_id: unit.pk
            for unit in WorkUnit.objects.filter(kind=WorkUnit.Kind.KECAMATAN)
            if unit.kecamatan_id
        },
        rng=random.Random(f"bench-{slug}"),
        now=timezone.now(),
    )
    started = time.perf_counter()
    loader.add(size - Application.objects.count())
    total = Application.objects.count()
    _analyse()
    print(f"\n{slug}: {total:,} applications, loaded in {time.perf_counter() - started:.1f}s")
    user = user_create(
        email=f"bench-officer@{slug}.test",
        full_name="Petugas Bench",
        password="Bench-pass-2026",
        email_verified=True,
    )
    for role in ("front_office", "back_office", "technical_team"):
        RoleAssignment.objects.create(
            user=user, module="permits", role=role, scope=RoleAssignment.Scope.REGENCY
        )
    host = f"{slug}.localhost"
    officer = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="id")
    officer.force_login(user)
    site = Site(
        tenant=tenant,
        loader=loader,
        officer=officer,
        public=Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="id"),
        codes=random.Random(7),
    )
    # One view loads the code and templates; then the stored months are dropped, as
    # after an import, and the next view computes them again.
    assert officer.get("/permits/reports/").status_code == 200
    tenant_connection().set_tenant(tenant)
    stats_forget()
    first = time.perf_counter()
    assert officer.get("/permits/reports/").status_code == 200
    return site, (time.perf_counter() - first) * 1000


def _analyse() -> None:
    with connection.cursor() as cursor:
        for model in (Application, ApplicationTransition, Certificate, SurveyResponse):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _queries(request: Callable[[], Any]) -> int:
    """Statements one request sends (counted at the cursor: the test client's
    request_started signal clears Django's own query log)."""
    count = 0

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        request()
    return count


def _timed(request: Callable[[], Any]) -> float:
    started = time.perf_counter()
    response = request()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


@pytest.fixture
def sites(bench_db: None) -> Iterator[dict[str, tuple[Site, float]]]:
    try:
        yield {slug: _site(slug, size) for slug, size in SIZES.items()}
    finally:
        tenant_connection().set_schema_to_public()


def test_permit_pages_at_1000_and_100000_applications(
    sites: dict[str, tuple[Site, float]],
) -> None:
    small_slug, large_slug = list(SIZES)
    names = list(sites[small_slug][0].pages())
    queries: dict[str, dict[str, int]] = {}
    times: dict[str, dict[str, list[float]]] = {slug: {n: [] for n in names} for slug in SIZES}
    # The public page's per-address lookup limit would answer 429 to a benchmark.
    with override_settings(PERMITS_LOOKUPS_PER_MINUTE=10**9):
        for slug, (site, _cold) in sites.items():
            pages = site.pages()
            for request in pages.values():
                for _ in range(WARMUP):
                    _timed(request)
            queries[slug] = {name: _queries(request) for name, request in pages.items()}
        for index in range(ROUNDS):
            # Alternate which size goes first, so neither always follows the other.
            order = list(sites) if index % 2 == 0 else list(reversed(sites))
            for slug in order:
                for name, request in sites[slug][0].pages().items():
                    times[slug][name].append(_timed(request))

    print()
    print(
        f"{ROUNDS} alternating rounds per page after {WARMUP} warm-up requests, in-process"
        f" client, database {connection.settings_dict['NAME']};"
        f" 1k = {small_slug} ({SIZES[small_slug]:,}), 100k = {large_slug} ({SIZES[large_slug]:,})"
    )
    print(
        f"{'page':34} {'queries 1k':>10} {'queries 100k':>12}"
        f" {'ms 1k':>8} {'ms 100k':>8} {'ratio':>6}"
    )
    for name in names:
        small_ms = statistics.median(times[small_slug][name])
        large_ms = statistics.median(times[large_slug][name])
        print(
            f"{name:34} {queries[small_slug][name]:>10} {queries[large_slug][name]:>12}"
            f" {small_ms:>8.1f} {large_ms:>8.1f} {large_ms / small_ms:>6.2f}"
        )
    print("target: the same number of queries at both sizes, ratio at most 2")
    print(
        "dashboard's first view after a bulk load (computes and stores the closed months):"
        f" {sites[small_slug][1]:.0f} ms at 1k, {sites[large_slug][1]:.0f} ms at 100k"
    )

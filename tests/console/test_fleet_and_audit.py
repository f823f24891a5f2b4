"""The fleet page (every schema's migration state) and the engineers' audit log
(filters, pages, a CSV that a spreadsheet cannot execute)."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from console.views.audit import PAGE_SIZE, csv_safe
from core.audit import audit_record
from core.models import AuditEvent
from tenants.models import Tenant
from tests.console.conftest import console_url

pytestmark = pytest.mark.django_db


def test_fleet_lists_each_regency_schema_with_its_state(console, regencies):
    html = console.get(console_url("console_fleet")).content.decode()
    for slug in ("lebak", "balangan", "dumai"):
        assert f'data-schema="{slug}" data-state="current"' in html
    assert 'data-count="current">3<' in html
    template = Tenant.objects.get(is_template=True)
    # The template's state is shown apart, never as a regency row.
    assert f'data-schema="{template.schema_name}"' not in html
    assert 'data-testid="template-state"' in html


def test_fleet_counts_a_prospect_as_without_schema(console, engineer):
    from tenants.services import tenant_prospect_create

    tenant_prospect_create(slug="bogor", region_code="32.01", actor_email=engineer.email)
    html = console.get(console_url("console_fleet")).content.decode()
    assert 'data-schema="bogor" data-state="no schema"' in html
    assert 'data-count="no schema">1<' in html


def _event(**fields) -> AuditEvent:
    defaults = {"action": "tenant.transition", "actor_email": "ops@sukowati.test"}
    return audit_record(**{**defaults, **fields})


def test_audit_log_filters_by_actor_action_and_target(console):
    _event(actor_email="rina@sukowati.test", action="domain.add", target="lebak")
    _event(actor_email="joko@sukowati.test", action="domain.add", target="dumai")
    _event(actor_email="rina@sukowati.test", action="module.enable", target="dumai")
    url = console_url("console_audit")
    html = console.get(url, {"actor": "rina", "action": "domain"}).content.decode()
    assert html.count("rina@sukowati.test") == 1
    assert "joko@sukowati.test" not in html
    html = console.get(url, {"target": "dumai"}).content.decode()
    assert "joko@sukowati.test" in html and "module.enable" in html
    assert ">lebak<" not in html


def test_audit_log_filters_by_date(console):
    # The table refuses UPDATE, so an event cannot be back-dated: filter around today.
    _event(target="kabupaten-lama")
    today = timezone.localdate()
    url = console_url("console_audit")
    assert (
        "kabupaten-lama"
        in console.get(
            url, {"date_from": today.isoformat(), "date_until": today.isoformat()}
        ).content.decode()
    )
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "kabupaten-lama" not in console.get(url, {"date_from": tomorrow}).content.decode()
    assert (
        "kabupaten-lama"
        not in console.get(
            url, {"date_until": (today - timedelta(days=1)).isoformat()}
        ).content.decode()
    )


def test_audit_log_is_paginated(console):
    for n in range(PAGE_SIZE + 5):
        _event(target=f"paged-{n:03d}")
    url = console_url("console_audit")
    first = console.get(url, {"target": "paged-"}).content.decode()
    assert "Page 1 of 2" in first
    assert "paged-054" in first and "paged-004" not in first
    second = console.get(url, {"target": "paged-", "page": "2"}).content.decode()
    assert "paged-004" in second


def _csv_rows(console, **params) -> list[list[str]]:
    response = console.get(console_url("console_audit_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_neutralises_formulas(console):
    _event(
        actor_name='=HYPERLINK("http://evil.example","klik")',
        actor_email="ops@sukowati.test",
        target="+62812",
        detail={"note": "x"},
        action="@SUM(A1)",
    )
    _event(target="-1+1", action="tenant.transition", actor_name="\tTab")
    rows = _csv_rows(console, actor="ops@sukowati.test")
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","klik")' in cells
    assert "'+62812" in cells
    assert "'@SUM(A1)" in cells
    assert "'-1+1" in cells
    assert "'\tTab" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t")]


def test_csv_export_follows_the_filters(console):
    _event(target="only-this-one", action="support.grant")
    _event(target="not-this-one", action="domain.add")
    rows = _csv_rows(console, action="support.")
    targets = [row[4] for row in rows[1:]]
    assert "only-this-one" in targets
    assert "not-this-one" not in targets
    assert rows[0][:5] == ["Time", "Actor email", "Actor name", "Action", "Target"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("lebak", "lebak"), ("", ""), (None, ""), ("a=b", "a=b")],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected

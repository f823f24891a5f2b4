"""Service-level plans in the console: the list with targets per priority,
editing targets (validated), a new plan, giving a regency a plan from the plan's
page and from the regency's own page (linked from the queue and tickets); every
change audited. A regency's open tickets move to the new targets, keeping the
business time they have used; resolved and closed tickets keep their figures."""

import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from core.models import AuditEvent
from support.business_hours import sragen_calendar
from support.models import SupportPlan, TenantSupportPlan, Ticket
from support.services.plans import plan_update, tenant_plan_assign
from support.sla import Targets, sla_start
from tests.support.conftest import engineer_actor, regency_actor, regency_user

pytestmark = pytest.mark.django_db
S = Ticket.Status
WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in June 2026 on Sragen's clock (1 and 16 June are holidays)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def standar() -> SupportPlan:
    return SupportPlan.objects.get(code="standar")


@pytest.fixture
def prioritas() -> SupportPlan:
    return SupportPlan.objects.get(code="prioritas")


def targets_of(plan: SupportPlan) -> dict[str, tuple[int, int]]:
    return {
        t.priority: (t.first_response_minutes, t.resolution_minutes) for t in plan.targets.all()
    }


def plan_post(name: str, targets: Mapping[str, tuple[object, object]]) -> dict[str, object]:
    data: dict[str, object] = {"name": name}
    for priority, (first, resolution) in targets.items():
        data[f"{priority}_first_response"] = first
        data[f"{priority}_resolution"] = resolution
    return data


def section(html: str, marker: str) -> str:
    """The HTML of the card that carries `marker`."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def measured_from(ticket: Ticket, created: datetime) -> Ticket:
    """The ticket as if opened at `created`, its clocks started then."""
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    ticket.refresh_from_db()
    sla_start(ticket, now=created, calendar=sragen_calendar())
    ticket.save()
    return ticket


def clocks(ticket: Ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.first_response_due_at,
        ticket.first_response_warn_at,
        ticket.resolution_due_at,
        ticket.resolution_warn_at,
        ticket.resolution_remaining_minutes,
    )


# --- the screens ----------------------------------------------------------------------


def test_the_plans_page_lists_each_plans_targets_per_priority(console: Client):
    response = console.get("/support/plans/")
    assert response.status_code == 200
    html = response.content.decode()
    standar = section(html, 'data-plan="standar"')
    critical = re.search(r'data-priority="critical">(.*?)</tr>', standar, re.S)
    assert critical is not None
    assert '"first-response">60<' in critical.group(1)
    assert '"resolution">510<' in critical.group(1)
    assert "1 working day" in critical.group(1)
    prioritas = section(html, 'data-plan="prioritas"')
    assert '"first-response">30<' in prioritas and '"resolution">240<' in prioritas
    # Which regency has which plan, with links to change it.
    assert 'data-regency="dumai"' in html
    assert "/support/plans/regencies/dumai/" in html


def test_editing_targets_saves_them_and_is_audited(console: Client, standar):
    targets = targets_of(standar)
    targets["high"] = (180, 1200)
    response = console.post(f"/support/plans/{standar.pk}/", plan_post("Standar", targets))
    assert response.status_code == 302
    assert targets_of(standar)["high"] == (180, 1200)
    event = AuditEvent.objects.get(action="support.plan.updated", target="plan:standar")
    assert event.detail["after"]["high"] == [180, 1200]
    assert event.detail["before"]["high"] == [240, 1020]


@pytest.mark.parametrize(
    ("first", "resolution", "field", "message"),
    [
        (0, 510, "high_first_response", "Give at least one business minute."),
        (-5, 510, "high_first_response", "Give at least one business minute."),
        (240, 0, "high_resolution", "Give at least one business minute."),
        ("abc", 510, "high_first_response", "Give a whole number of business minutes."),
        ("", 510, "high_first_response", "Give the target in business minutes."),
        (
            600,
            300,
            "high_resolution",
            "The resolution target (300 min) cannot be shorter than the first response (600 min).",
        ),
    ],
)
def test_targets_are_validated_with_clear_messages(
    console: Client, standar, first, resolution, field, message
):
    before = targets_of(standar)
    targets: dict[str, tuple[object, object]] = dict(before)
    targets["high"] = (first, resolution)
    response = console.post(f"/support/plans/{standar.pk}/", plan_post("Standar", targets))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field] == [message]
    assert targets_of(standar) == before
    assert not AuditEvent.objects.filter(action="support.plan.updated").exists()


def test_a_new_plan_is_created_with_a_target_for_every_priority(console: Client, standar):
    form = console.get("/support/plans/new/")
    assert form.status_code == 200
    # The form starts from the default plan's targets.
    assert form.context["form"].initial["critical_first_response"] == 60
    targets = {
        "critical": (15, 120),
        "high": (60, 510),
        "normal": (120, 1020),
        "low": (240, 2550),
    }
    response = console.post("/support/plans/new/", plan_post("Premium Kabupaten", targets))
    plan = SupportPlan.objects.get(name="Premium Kabupaten")
    assert response.status_code == 302
    assert response["Location"] == f"/support/plans/{plan.pk}/"
    assert plan.code == "premium-kabupaten" and not plan.is_default
    assert targets_of(plan) == targets
    assert AuditEvent.objects.filter(
        action="support.plan.created", target="plan:premium-kabupaten"
    ).exists()


def test_a_plan_name_is_taken_once(console: Client, standar):
    response = console.post("/support/plans/new/", plan_post("prioritas", targets_of(standar)))
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["There is already a plan named “prioritas”."]
    assert SupportPlan.objects.count() == 2


def test_a_regency_is_given_a_plan_from_the_plans_page(console: Client, regencies, prioritas):
    response = console.post(f"/support/plans/{prioritas.pk}/assign/", {"tenant": "dumai"})
    assert response.status_code == 302
    assert TenantSupportPlan.objects.get(tenant=regencies["dumai"]).plan == prioritas
    event = AuditEvent.objects.get(action="support.plan.assigned", target="tenant:dumai")
    assert (event.detail["from"], event.detail["to"]) == ("standar", "prioritas")
    page = console.get(f"/support/plans/{prioritas.pk}/").content.decode()
    assert 'data-regency="dumai"' in section(page, 'data-testid="plan-regencies"')


def test_an_unknown_regency_is_refused_on_the_plans_page(console: Client, prioritas):
    response = console.post(f"/support/plans/{prioritas.pk}/assign/", {"tenant": "atlantis"})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["tenant"] == ["Choose a regency from the list."]
    assert not AuditEvent.objects.filter(action="support.plan.assigned").exists()


def test_a_regency_is_given_a_plan_from_its_own_page(console: Client, regencies, prioritas):
    page = console.get("/support/plans/regencies/balangan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Standar" in section(html, 'data-testid="tenant-plan"')
    response = console.post("/support/plans/regencies/balangan/", {"plan": prioritas.pk})
    assert response.status_code == 302
    assert response["Location"] == "/support/plans/regencies/balangan/"
    assert TenantSupportPlan.objects.get(tenant=regencies["balangan"]).plan == prioritas
    # The same plan again changes nothing and is not audited twice.
    again = console.post("/support/plans/regencies/balangan/", {"plan": prioritas.pk}, follow=True)
    assert "Balangan already has the Prioritas plan." in again.content.decode()
    assert AuditEvent.objects.filter(action="support.plan.assigned").count() == 1


def test_a_plan_that_does_not_exist_is_refused_on_a_regencys_page(console: Client, regencies):
    response = console.post("/support/plans/regencies/balangan/", {"plan": 999999})
    assert response.status_code == 400
    assert response.context["form"].errors["plan"] == ["Choose a plan from the list."]
    assert not TenantSupportPlan.objects.filter(tenant=regencies["balangan"]).exists()


def test_an_unknown_regency_page_is_404(console: Client):
    assert console.get("/support/plans/regencies/atlantis/").status_code == 404
    assert console.get("/support/plans/regencies/tenant_template/").status_code == 404


def test_the_queue_and_the_ticket_page_link_to_the_regencys_plan(console: Client, make_ticket):
    ticket = make_ticket("dumai")
    link = 'href="/support/plans/regencies/dumai/"'
    assert link in console.get("/support/", {"tenant": "dumai"}).content.decode()
    assert link in console.get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="tenant-plan-link"' not in console.get("/support/").content.decode()


def test_the_support_console_nav_links_plans_and_holidays(console: Client):
    html = console.get("/support/").content.decode()
    assert 'href="/support/plans/"' in html and 'href="/support/holidays/"' in html


# --- open tickets follow the change ---------------------------------------------------


def test_a_new_plan_moves_open_tickets_keeping_the_time_used(
    regencies, engineer, make_ticket, prioritas
):
    # Standar, normal: 1 working day to a first response, 5 to a resolution.
    ticket = measured_from(make_ticket("balangan", priority="normal"), wib(8, 9))
    assert ticket.resolution_due_at == wib(15, 9)
    closed = measured_from(make_ticket("balangan", priority="normal"), wib(8, 9))
    Ticket.objects.filter(pk=closed.pk).update(status=S.CLOSED)
    elsewhere = measured_from(make_ticket("dumai", priority="normal"), wib(8, 9))
    untouched = {t.pk: clocks(t) for t in (closed, elsewhere)}

    # A working day later (510 business minutes used), Balangan gets Prioritas:
    # 4 h to a first response, 3 working days (1,530 min) to a resolution.
    done = tenant_plan_assign(
        actor=engineer_actor(engineer), tenant=regencies["balangan"], plan=prioritas, now=wib(9, 9)
    )

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == wib(8, 13)  # from its creation
    # 1,530 - 510 = 1,020 minutes left from Tuesday 09:00: 420 + 510 + 90.
    assert ticket.resolution_due_at == wib(11, 9)
    assert ticket.pk in done.tickets_moved and closed.pk not in done.tickets_moved
    assert {t.pk: clocks(t) for t in (closed, elsewhere)} == untouched
    event = AuditEvent.objects.get(action="support.plan.assigned", target="tenant:balangan")
    assert ticket.pk in event.detail["tickets"]


def test_a_waiting_ticket_keeps_its_used_time_under_a_new_plan(
    regencies, engineer, make_ticket, prioritas
):
    ticket = make_ticket("balangan", priority="normal")
    Ticket.objects.filter(pk=ticket.pk).update(
        status=S.WAITING,
        first_response_at=wib(8, 10),
        resolution_due_at=None,
        resolution_warn_at=None,
        resolution_remaining_minutes=2000,  # 550 of Standar's 2,550 used
    )
    tenant_plan_assign(
        actor=engineer_actor(engineer), tenant=regencies["balangan"], plan=prioritas, now=wib(9, 9)
    )
    ticket.refresh_from_db()
    assert ticket.resolution_remaining_minutes == 1530 - 550
    assert ticket.resolution_due_at is None  # still paused


def test_changing_the_default_plans_targets_moves_tickets_of_regencies_without_a_plan(
    regencies, engineer, make_ticket, standar, prioritas
):
    TenantSupportPlan.objects.update_or_create(
        tenant=regencies["lebak"], defaults={"plan": prioritas}
    )
    TenantSupportPlan.objects.filter(tenant=regencies["dumai"]).delete()
    dumai = measured_from(make_ticket("dumai", priority="normal"), wib(8, 9))
    dumai_critical = measured_from(make_ticket("dumai", priority="critical"), wib(8, 9))
    lebak = measured_from(make_ticket("lebak", priority="normal"), wib(8, 9))
    unchanged = {t.pk: clocks(t) for t in (dumai_critical, lebak)}

    targets = {p: Targets(*v) for p, v in targets_of(standar).items()}
    targets["normal"] = Targets(300, 3000)
    change = plan_update(
        actor=engineer_actor(engineer),
        plan=standar,
        name="Standar",
        targets=targets,
        now=wib(9, 9),
    )

    dumai.refresh_from_db()
    assert dumai.first_response_due_at == wib(8, 14)
    assert dumai.pk in change.tickets_moved
    # Another plan's regency, and a priority whose targets stayed, are not touched.
    assert {t.pk: clocks(t) for t in (dumai_critical, lebak)} == unchanged


def test_only_engineers_change_plans(regencies, prioritas):
    someone = regency_user("lebak", admin=True)
    with pytest.raises(ValidationError):
        tenant_plan_assign(actor=regency_actor(someone), tenant=regencies["dumai"], plan=prioritas)
    assert not TenantSupportPlan.objects.filter(tenant=regencies["dumai"]).exists()

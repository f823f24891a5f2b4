"""seed_demo's support desk: tickets in every state from the three demo
regencies, some at risk or past their deadlines, and knowledge-base articles."""

import pytest
from django.utils import timezone

from support.demo import demo_support_seed
from support.models import CannedReply, KnowledgeArticle, TenantSupportPlan, Ticket, TicketMessage
from support.selectors.tickets import ticket_sla_state

pytestmark = pytest.mark.django_db


def demo_tickets():
    return Ticket.objects.filter(requester_email__startswith="admin@").select_related("tenant")


def test_every_state_and_every_demo_regency_is_there():
    tickets = list(demo_tickets())
    assert {t.status for t in tickets} == set(Ticket.Status.values)
    assert {t.tenant.slug for t in tickets} == {"lebak", "balangan", "dumai"}


def test_some_tickets_are_at_risk_and_some_past_their_deadline():
    now = timezone.now()
    states = {ticket_sla_state(t, now) for t in demo_tickets()}
    assert {"at_risk", "breached", "paused"} <= states


def test_demo_requesters_are_the_regency_admins_with_their_real_ids():
    from django_tenants.utils import schema_context

    from accounts.models import User

    ticket = demo_tickets().filter(tenant__slug="dumai").first()
    with schema_context("dumai"):
        assert User.objects.get(pk=ticket.requester_user_id).email == "admin@dumai.test"


def test_articles_canned_replies_and_a_plan_are_seeded():
    assert KnowledgeArticle.objects.filter(is_published=True).count() >= 4
    assert KnowledgeArticle.objects.filter(is_published=False).exists()
    assert CannedReply.objects.exists()
    assert TenantSupportPlan.objects.get(tenant__slug="lebak").plan.code == "prioritas"


def test_seeding_again_creates_nothing():
    counts = (
        Ticket.objects.count(),
        TicketMessage.objects.count(),
        KnowledgeArticle.objects.count(),
    )
    assert demo_support_seed() == 0
    assert (
        Ticket.objects.count(),
        TicketMessage.objects.count(),
        KnowledgeArticle.objects.count(),
    ) == counts

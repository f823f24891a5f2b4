"""The engineers' side in the console: who may use it (every URL walked), the
queue with its filters and saved views, and the actions on a ticket."""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from accounts.models import User
from billing.models import SiteVisit
from core.models import AuditEvent
from support.models import CannedReply, KnowledgeArticle, SavedView, Ticket
from support.services.tickets import ticket_reply
from support.urls_console import urlpatterns
from tests.accounts.helpers import client_at
from tests.console.conftest import console_client
from tests.support.conftest import engineer_actor, engineer_user, regency_client, regency_user

pytestmark = pytest.mark.django_db
S = Ticket.Status
WEBHOOK = "inbound_mail"


def console_urls(pk: int) -> list[tuple[str, str]]:
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern) and pattern.name
        kwargs = {
            name: (pk if name == "pk" else 1) if isinstance(conv, IntConverter) else "x"
            for name, conv in pattern.pattern.converters.items()
        }
        path = reverse(
            f"support_console:{pattern.name}",
            kwargs=kwargs or None,
            urlconf="config.urls_public",
        )
        urls.append((pattern.name, path))
    return urls


def answers(client, urls, method="get"):
    return {
        name: (response.status_code, response.get("Location", "").split("?")[0])
        for name, path in urls
        for response in [getattr(client, method)(path)]
    }


@pytest.fixture
def guarded(ticket) -> list[tuple[str, str]]:
    return [(n, p) for n, p in console_urls(ticket.pk) if n != WEBHOOK]


def test_the_walk_covers_every_console_url(guarded):
    assert len(guarded) == len(urlpatterns) - 1
    assert {"queue", "ticket_detail", "ticket_reply", "report_hours"} <= {n for n, _ in guarded}


def test_anonymous_visitors_are_sent_to_sign_in(guarded):
    client = client_at("localhost")
    for method in ("get", "post"):
        assert set(answers(client, guarded, method).values()) == {(302, "/accounts/login/")}


@pytest.mark.parametrize("role", [User.PlatformRole.NONE, User.PlatformRole.FINANCE])
def test_non_engineers_get_403_on_every_url(guarded, role):
    client = console_client(engineer_user(role))
    for method in ("get", "post"):
        assert set(answers(client, guarded, method).values()) == {(403, "")}


def test_engineers_without_two_factor_are_sent_to_set_it_up(guarded):
    client = console_client(engineer_user(mfa=False))
    assert set(answers(client, guarded).values()) == {(302, reverse("mfa_activate_totp"))}


def test_a_regency_session_does_not_reach_the_console(guarded):
    client = regency_client("lebak", regency_user("lebak", admin=True))
    client.defaults["HTTP_HOST"] = "localhost"
    assert set(answers(client, guarded).values()) == {(302, "/accounts/login/")}


def test_engineers_reach_every_page(console, ticket):
    for name, path in console_urls(ticket.pk):
        if name in {
            "queue",
            "ticket_detail",
            "canned_list",
            "article_list",
            "article_create",
            "report_hours",
            "report_service_levels",
        }:
            assert console.get(path).status_code == 200, name


# --- the queue ----------------------------------------------------------------------


def _queue(console, **params) -> str:
    response = console.get("/support/", params)
    assert response.status_code == 200
    return response.content.decode()


def _row(ticket: Ticket) -> str:
    return f'data-ticket="{ticket.pk}"'


def test_the_queue_filters(console, engineer, make_ticket):
    critical = make_ticket("dumai", subject="Galat kritis", priority="critical")
    training = make_ticket("balangan", subject="Pelatihan", category="training")
    mine = make_ticket("lebak", subject="Punya saya")
    Ticket.objects.filter(pk=mine.pk).update(assignee_email=engineer.email)
    done = make_ticket("lebak", subject="Sudah beres")
    Ticket.objects.filter(pk=done.pk).update(status=S.CLOSED)
    html = _queue(console)
    assert _row(critical) in html and _row(mine) in html and _row(done) not in html
    html = _queue(console, priority="critical")
    assert _row(critical) in html and _row(training) not in html
    html = _queue(console, tenant="balangan")
    assert _row(training) in html and _row(critical) not in html
    html = _queue(console, category="training")
    assert _row(training) in html and _row(mine) not in html
    html = _queue(console, assignee=engineer.email)
    assert _row(mine) in html and _row(critical) not in html
    html = _queue(console, assignee="none")
    assert _row(critical) in html and _row(mine) not in html
    html = _queue(console, status="closed")
    assert _row(done) in html and _row(critical) not in html
    html = _queue(console, q="kritis")
    assert _row(critical) in html and _row(training) not in html


def test_the_queue_shows_breached_and_at_risk_tickets(console, make_ticket):
    now = timezone.now()
    late = make_ticket(subject="Terlambat")
    Ticket.objects.filter(pk=late.pk).update(
        first_response_warn_at=now - timedelta(hours=2),
        first_response_due_at=now - timedelta(hours=1),
    )
    risky = make_ticket(subject="Hampir")
    Ticket.objects.filter(pk=risky.pk).update(
        first_response_warn_at=now - timedelta(minutes=1),
        first_response_due_at=now + timedelta(hours=1),
    )
    calm = make_ticket(subject="Tenang")
    html = _queue(console, sla="breached")
    assert _row(late) in html and _row(risky) not in html and _row(calm) not in html
    assert 'data-testid="sla-breached"' in html
    html = _queue(console, sla="at_risk")
    assert _row(risky) in html and _row(late) not in html and _row(calm) not in html


def test_saved_views_belong_to_their_engineer(console, engineer):
    response = console.post(
        "/support/views/save/",
        {"name": "Kritis Dumai", "querystring": "priority=critical&tenant=dumai"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/support/?priority=critical&tenant=dumai"
    view = SavedView.objects.get(engineer_email=engineer.email)
    assert 'href="?priority=critical&amp;tenant=dumai"' in _queue(console)
    other = console_client(engineer_user())
    assert "Kritis Dumai" not in _queue(other)
    assert other.post(f"/support/views/{view.pk}/delete/").status_code == 404
    assert console.post(f"/support/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()


# --- a ticket -----------------------------------------------------------------------


def test_the_ticket_page_shows_internal_notes_to_engineers(console, ticket, engineer):
    ticket_reply(
        ticket=ticket, actor=engineer_actor(engineer), body="Catatan: cek server", kind="note"
    )
    html = console.get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert "Catatan: cek server" in html and 'data-kind="note"' in html
    assert ticket.requester_email in html


def test_an_engineer_replies_with_time_spent_and_a_next_status(console, ticket, engineer):
    response = console.post(
        f"/support/tickets/{ticket.pk}/reply/",
        {"kind": "reply", "body": "Sudah kami cek.", "minutes": 25, "next_status": "waiting"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == S.WAITING and ticket.first_response_at is not None
    message = ticket.messages.get(body="Sudah kami cek.")
    assert (message.minutes_spent, message.author_email) == (25, engineer.email)
    assert AuditEvent.objects.filter(
        action="support.ticket.replied", target=f"ticket:{ticket.pk}"
    ).exists()


def test_a_reply_with_bad_minutes_shows_the_error_and_saves_nothing(console, ticket):
    response = console.post(
        f"/support/tickets/{ticket.pk}/reply/", {"kind": "reply", "body": "x", "minutes": -3}
    )
    assert response.status_code == 400
    assert 'data-testid="field-error"' in response.content.decode()
    assert not ticket.messages.exists()


def test_assignment_takes_engineers_only(console, ticket, engineer):
    assert (
        console.post(
            f"/support/tickets/{ticket.pk}/assign/", {"assignee": engineer.email}
        ).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert (ticket.assignee_email, ticket.assignee_name) == (engineer.email, engineer.full_name)
    finance = engineer_user(User.PlatformRole.FINANCE)
    assert (
        console.post(
            f"/support/tickets/{ticket.pk}/assign/", {"assignee": finance.email}
        ).status_code
        == 400
    )
    ticket.refresh_from_db()
    assert ticket.assignee_email == engineer.email
    assert AuditEvent.objects.filter(action="support.ticket.assigned").exists()


def test_a_higher_priority_brings_the_deadline_forward(console, make_ticket):
    ticket = make_ticket("balangan", priority="low")
    before = ticket.first_response_due_at
    response = console.post(
        f"/support/tickets/{ticket.pk}/classify/",
        {"priority": "critical", "category": "incident", "module": "platform"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "critical" and ticket.first_response_due_at < before


def test_a_status_change_needs_an_allowed_move(console, ticket):
    response = console.post(
        f"/support/tickets/{ticket.pk}/status/", {"to_status": "resolved", "reason": "Selesai"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    response = console.post(
        f"/support/tickets/{ticket.pk}/status/", {"to_status": "waiting", "reason": "x"}
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED


def test_merging_a_duplicate_moves_its_conversation_and_closes_it(
    console, make_ticket, engineer, lebak_staff
):
    target = make_ticket(user=lebak_staff, subject="Printer mati")
    colleague = regency_user("lebak")
    duplicate = make_ticket(user=colleague, subject="Printer mati lagi")
    ticket_reply(ticket=duplicate, actor=engineer_actor(engineer), body="Dicek ya.")
    response = console.post(
        f"/support/tickets/{duplicate.pk}/merge/", {"target": target.pk, "reason": "Sama"}
    )
    assert response.status_code == 302 and response["Location"] == f"/support/tickets/{target.pk}/"
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (S.CLOSED, target.pk)
    assert not duplicate.messages.exists()
    moved = target.messages.filter(moved_from=duplicate)
    assert {m.body for m in moved} == {"Dicek ya.", "Printer mati lagi\n\nPrinter tidak merespons."}
    assert AuditEvent.objects.filter(
        action="support.ticket.merged", target=f"ticket:{duplicate.pk}"
    ).exists()
    # The duplicate's requester can follow the conversation on the ticket it went to.
    requester = regency_client("lebak", colleague)
    assert requester.get(f"/help/tickets/{target.pk}/").status_code == 200


def test_tickets_of_different_regencies_are_never_merged(console, make_ticket):
    lebak = make_ticket("lebak")
    dumai = make_ticket("dumai")
    response = console.post(
        f"/support/tickets/{lebak.pk}/merge/", {"target": dumai.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert "same regency" in response.content.decode()
    lebak.refresh_from_db()
    assert lebak.merged_into_id is None


def test_a_ticket_links_to_an_on_site_visit_of_its_own_regency(console, ticket, regencies):
    def visit(slug):
        return SiteVisit.objects.create(
            tenant=regencies[slug],
            purpose="Instalasi printer",
            starts_on=date(2026, 6, 8),
            ends_on=date(2026, 6, 9),
            people="Budi",
        )

    own, other = visit("lebak"), visit("dumai")
    assert (
        console.post(
            f"/support/tickets/{ticket.pk}/site-visit/", {"site_visit": other.pk}
        ).status_code
        == 400
    )
    assert (
        console.post(
            f"/support/tickets/{ticket.pk}/site-visit/", {"site_visit": own.pk}
        ).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert ticket.site_visit_id == own.pk


# --- canned replies and articles -------------------------------------------------------


def test_canned_replies_are_written_edited_removed_and_offered_in_replies(console, ticket):
    assert (
        console.post(
            "/support/canned/", {"title": "Salam", "body": "Terima kasih, Bapak/Ibu."}
        ).status_code
        == 302
    )
    canned = CannedReply.objects.get(title="Salam")
    assert (
        console.post(
            f"/support/canned/{canned.pk}/", {"title": "Salam", "body": "Terima kasih."}
        ).status_code
        == 302
    )
    canned.refresh_from_db()
    assert canned.body == "Terima kasih."
    html = console.get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert 'data-insert-text="Terima kasih."' in html
    assert console.post(f"/support/canned/{canned.pk}/delete/").status_code == 302
    assert not CannedReply.objects.filter(pk=canned.pk).exists()
    assert AuditEvent.objects.filter(action="support.canned.deleted").exists()


def test_articles_are_written_once_and_linked_in_replies(console, ticket, lebak_staff):
    data = {
        "title": "Cara unggah foto KTP",
        "category": "how_to",
        "module": "platform",
        "body": "Langkah 1.",
        "is_published": "on",
    }
    assert console.post("/support/articles/new/", data).status_code == 302
    article = KnowledgeArticle.objects.get(title="Cara unggah foto KTP")
    assert article.slug == "cara-unggah-foto-ktp"
    data["title"] = "Cara mengunggah foto KTP"
    assert console.post(f"/support/articles/{article.pk}/", data).status_code == 302
    article.refresh_from_db()
    assert article.slug == "cara-unggah-foto-ktp"  # links already sent keep working
    html = console.get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert (
        f'data-insert-text="Cara mengunggah foto KTP: http://lebak.localhost/help/articles/{article.slug}/"'
        in html
    )
    page = regency_client("lebak", lebak_staff).get(f"/help/articles/{article.slug}/")
    assert page.status_code == 200 and "Langkah 1." in page.content.decode()


# --- reports ------------------------------------------------------------------------------


def test_the_service_level_report_counts_met_and_breached_per_regency(
    console, make_ticket, engineer
):
    answered = make_ticket("dumai")
    ticket_reply(ticket=answered, actor=engineer_actor(engineer), body="Oke")
    late = make_ticket("dumai")
    Ticket.objects.filter(pk=late.pk).update(
        first_response_due_at=timezone.now() - timedelta(minutes=1)
    )
    month = timezone.localdate().strftime("%Y-%m")
    html = console.get(
        "/support/reports/service-levels/", {"month": month, "tenant": "dumai"}
    ).content.decode()
    assert 'data-testid="sla-chart"' in html and 'data-regency="dumai"' in html
    assert 'data-regency="lebak"' not in html
    export = console.get(
        "/support/reports/service-levels/", {"month": month, "tenant": "dumai", "format": "csv"}
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Regency,Tickets opened,First response met,First response breached")
    row = lines[1].split(",")
    assert row[0] == "Dumai" and int(row[2]) >= 1 and int(row[3]) >= 1
    xlsx = console.get("/support/reports/service-levels/", {"month": month, "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"

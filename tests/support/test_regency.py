"""The regency's side of the desk: searching the knowledge base, opening a
ticket (with the page it came from), seeing its own tickets, answering,
rating, and the reopening rule; people's text always shown as text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from core.models import AuditEvent
from support.lifecycle import ticket_transition
from support.models import KnowledgeArticle, Ticket, TicketMessage
from support.services.tickets import ticket_reply
from tenants.support_access import support_entry_token, support_grant_create
from tests.accounts.helpers import client_at
from tests.support.conftest import (
    engineer_actor,
    open_ticket,
    pdf,
    regency_client,
    regency_user,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status
HOST = "lebak.localhost"


def _html(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client_for):
    response = client_for("lebak").get("/help/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_signed_in_staff_member_finds_help_in_the_user_menu(lebak_staff):
    html = _html(regency_client("lebak", lebak_staff).get("/"))
    assert 'data-testid="help-link"' in html
    assert 'href="/help/?from=/"' in html


def test_engineers_inside_through_support_access_use_the_console_instead(regencies):
    with schema_context("public"):
        engineer = User.objects.get(email="engineer@sukowati.test")
    grant = support_grant_create(
        tenant=regencies["lebak"], engineer=engineer, reason="Tiket #1", hours=1
    )
    client = client_at(HOST)
    token = support_entry_token(grant=grant, engineer=engineer)
    assert client.get(f"/support-access/enter/{token}/").status_code == 302
    assert getattr(client.get("/").wsgi_request.user, "is_support_agent", False)
    assert 'data-testid="help-link"' not in _html(client.get("/"))
    assert client.get("/help/").status_code == 403


def test_the_knowledge_base_is_searched_before_a_ticket_is_opened(lebak_staff):
    client = regency_client("lebak", lebak_staff)
    html = _html(client.get("/help/", {"q": "KTP-el cetak"}))
    assert "KTP-el gagal dicetak" in html  # a demo article, found by its words
    suggestions = _html(client.get("/help/articles/suggest/", {"subject": "gagal mencetak"}))
    assert "ktp-el-gagal-dicetak" in suggestions
    form = _html(client.get("/help/tickets/new/"))
    assert 'hx-get="/help/articles/suggest/"' in form


def test_draft_articles_are_not_found_nor_shown(lebak_staff):
    client = regency_client("lebak", lebak_staff)
    draft = KnowledgeArticle.objects.get(is_published=False)
    assert draft.title not in _html(client.get("/help/", {"q": "PBB"}))
    assert client.get(f"/help/articles/{draft.slug}/").status_code == 404


def test_opening_a_ticket_keeps_the_page_it_came_from(
    lebak_staff, mailoutbox, django_capture_on_commit_callbacks
):
    client = regency_client("lebak", lebak_staff)
    form = _html(client.get("/help/tickets/new/", {"from": "/permits/inbox/?page=2"}))
    assert 'value="/permits/inbox/?page=2"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/help/tickets/new/",
            {
                "subject": "Kotak masuk kosong",
                "category": "incident",
                "priority": "high",
                "module": "platform",
                "body": "Tidak ada permohonan yang muncul.",
                "source_path": "/permits/inbox/?page=2",
                "attachments": [pdf()],
            },
        )
    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="Kotak masuk kosong")
    assert response["Location"] == f"/help/tickets/{ticket.pk}/"
    assert (ticket.tenant.slug, ticket.requester_email, ticket.source_path) == (
        "lebak",
        lebak_staff.email,
        "/permits/inbox/?page=2",
    )
    assert ticket.requester_user_id == lebak_staff.pk
    assert ticket.requester_language == "en"
    assert ticket.first_response_due_at is not None
    assert ticket.attachments.count() == 1
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="support.ticket.opened", target=f"ticket:{ticket.pk}"
        ).exists()
    # The engineers are told.
    assert any(m.extra_headers["X-Sukowati-Support"] == "ticket_opened" for m in mailoutbox)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://evil.example/phish", ""),
        ("//evil.example/x", ""),
        ("javascript:alert(1)", ""),
        (f"http://{HOST}/staff/", "/staff/"),
    ],
)
def test_the_page_it_came_from_is_kept_only_as_a_path_of_this_site(lebak_staff, given, kept):
    client = regency_client("lebak", lebak_staff)
    response = client.post(
        "/help/tickets/new/",
        {
            "subject": "Asal halaman",
            "category": "incident",
            "priority": "normal",
            "module": "platform",
            "body": "Cek.",
            "source_path": given,
        },
    )
    assert response.status_code == 302
    assert Ticket.objects.get(subject="Asal halaman").source_path == kept


def test_a_form_with_errors_says_which_field(lebak_staff):
    response = regency_client("lebak", lebak_staff).post(
        "/help/tickets/new/", {"subject": "", "category": "nonsense", "body": ""}
    )
    assert response.status_code == 400
    assert _html(response).count('data-testid="field-error"') >= 3
    assert not Ticket.objects.filter(
        requester_user_id=lebak_staff.pk, tenant__slug="lebak"
    ).exists()


def test_markup_in_a_ticket_is_shown_as_text(regencies, lebak_staff, engineer, console):
    ticket = open_ticket(
        regencies["lebak"],
        lebak_staff,
        subject='<img src=x onerror="alert(1)">',
        body="<script>alert('x')</script>\n<b>tebal</b> https://lebak.go.id/",
    )
    ticket_reply(
        ticket=ticket, actor=engineer_actor(engineer), body='<a href="javascript:alert(2)">klik</a>'
    )
    pages = [
        _html(regency_client("lebak", lebak_staff).get(f"/help/tickets/{ticket.pk}/")),
        _html(console.get(f"/support/tickets/{ticket.pk}/")),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>" in html
        assert "<b>tebal</b>" not in html and "&lt;b&gt;tebal&lt;/b&gt;" in html
        assert '<img src=x onerror="alert(1)">' not in html
        assert 'href="javascript:' not in html
        assert '<a href="https://lebak.go.id/" rel="nofollow">' in html


def test_staff_see_their_own_tickets_and_admins_all_of_their_regency(
    regencies, lebak_staff, lebak_admin
):
    colleague = regency_user("lebak")
    mine = open_ticket(regencies["lebak"], lebak_staff, subject="Tiket saya")
    theirs = open_ticket(regencies["lebak"], colleague, subject="Tiket rekan")
    staff = regency_client("lebak", lebak_staff)
    listing = _html(staff.get("/help/tickets/", {"show": "all"}))
    assert "Tiket saya" in listing and "Tiket rekan" not in listing
    assert staff.get(f"/help/tickets/{mine.pk}/").status_code == 200
    assert staff.get(f"/help/tickets/{theirs.pk}/").status_code == 404
    admin = regency_client("lebak", lebak_admin)
    listing = _html(admin.get("/help/tickets/", {"show": "all"}))
    assert "Tiket saya" in listing and "Tiket rekan" in listing
    assert admin.get(f"/help/tickets/{theirs.pk}/").status_code == 200


def test_internal_notes_never_reach_the_regencys_page(ticket, lebak_staff, engineer):
    ticket_reply(
        ticket=ticket,
        actor=engineer_actor(engineer),
        body="RAHASIA: server lama masih dipakai",
        kind=TicketMessage.Kind.NOTE,
        uploads=[pdf("catatan-internal.pdf")],
    )
    ticket_reply(ticket=ticket, actor=engineer_actor(engineer), body="Sedang kami periksa.")
    html = _html(regency_client("lebak", lebak_staff).get(f"/help/tickets/{ticket.pk}/"))
    assert "Sedang kami periksa." in html
    assert "RAHASIA" not in html and "catatan-internal.pdf" not in html
    note_file = ticket.attachments.get(original_name="catatan-internal.pdf")
    client = regency_client("lebak", lebak_staff)
    assert client.get(f"/help/tickets/{ticket.pk}/files/{note_file.pk}/").status_code == 404


def test_a_reply_moves_a_waiting_ticket_back_to_the_engineers(ticket, lebak_staff, engineer):
    ticket_reply(
        ticket=ticket, actor=engineer_actor(engineer), body="Kirim foto?", next_status=S.WAITING
    )
    client = regency_client("lebak", lebak_staff)
    response = client.post(
        f"/help/tickets/{ticket.pk}/reply/",
        {"body": "Foto terlampir.", "attachments": [pdf("foto.pdf")]},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    reply = ticket.messages.get(body="Foto terlampir.")
    assert (reply.author_side, reply.attachments.count()) == ("regency", 1)


def test_replying_to_a_recently_resolved_ticket_reopens_it(ticket, lebak_staff, engineer):
    ticket_transition(
        ticket=ticket, to_status=S.RESOLVED, actor=engineer_actor(engineer), reason="Beres"
    )
    client = regency_client("lebak", lebak_staff)
    assert "Replying reopens this ticket." in _html(client.get(f"/help/tickets/{ticket.pk}/"))
    client.post(f"/help/tickets/{ticket.pk}/reply/", {"body": "Masih gagal."})
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN


def test_replying_to_a_ticket_closed_long_ago_is_refused_and_the_text_kept(
    ticket, lebak_staff, engineer, settings
):
    settings.SUPPORT_REOPEN_DAYS = 7
    actor = engineer_actor(engineer)
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=actor, reason="Beres")
    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=actor, reason="Tutup")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=9))
    client = regency_client("lebak", lebak_staff)
    page = _html(client.get(f"/help/tickets/{ticket.pk}/"))
    assert 'data-testid="reply-form"' not in page
    assert f"/help/tickets/new/?follow_up={ticket.pk}" in page
    response = client.post(f"/help/tickets/{ticket.pk}/reply/", {"body": "Muncul lagi kemarin."})
    assert response.status_code == 400
    html = _html(response)
    assert "can no longer be answered" in html
    assert "Muncul lagi kemarin." in html  # nothing lost
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert not ticket.messages.filter(body="Muncul lagi kemarin.").exists()
    # The follow-up form refers to the old ticket.
    follow = _html(client.get("/help/tickets/new/", {"follow_up": ticket.pk}))
    assert f'name="follow_up_of" value="{ticket.pk}"' in follow


def test_the_requester_confirms_a_resolution(ticket, lebak_staff, engineer):
    client = regency_client("lebak", lebak_staff)
    assert client.post(f"/help/tickets/{ticket.pk}/confirm/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == S.NEW  # nothing to confirm yet
    ticket_transition(
        ticket=ticket, to_status=S.RESOLVED, actor=engineer_actor(engineer), reason="Beres"
    )
    assert 'data-testid="confirm-form"' in _html(client.get(f"/help/tickets/{ticket.pk}/"))
    client.post(f"/help/tickets/{ticket.pk}/confirm/")
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert ticket.transitions.last().actor_side == "regency"


def test_a_resolved_ticket_is_rated_once(ticket, lebak_staff, engineer):
    client = regency_client("lebak", lebak_staff)
    assert client.post(f"/help/tickets/{ticket.pk}/rate/", {"rating": 5}).status_code == 400
    ticket_transition(
        ticket=ticket, to_status=S.RESOLVED, actor=engineer_actor(engineer), reason="Beres"
    )
    assert 'data-testid="rating-form"' in _html(client.get(f"/help/tickets/{ticket.pk}/"))
    assert client.post(f"/help/tickets/{ticket.pk}/rate/", {"rating": 9}).status_code == 400
    response = client.post(f"/help/tickets/{ticket.pk}/rate/", {"rating": 4, "comment": "Cepat"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Cepat")
    assert client.post(f"/help/tickets/{ticket.pk}/rate/", {"rating": 1}).status_code == 400
    ticket.refresh_from_db()
    assert ticket.rating == 4


def test_attachments_download_as_files_never_inline(ticket, lebak_staff, regencies):
    ticket = open_ticket(regencies["lebak"], lebak_staff, uploads=(pdf("surat.pdf"),))
    attachment = ticket.attachments.get()
    response = regency_client("lebak", lebak_staff).get(
        f"/help/tickets/{ticket.pk}/files/{attachment.pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="surat.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue().startswith(b"%PDF-")

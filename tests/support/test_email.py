"""Email out (new tickets, replies, status changes; in the recipient's
language; internal notes never) and in (replies threaded by a signed reply-to
token; forged, expired or misdirected ones refused, nothing stored)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from support.lifecycle import ticket_transition
from support.mail import TokenRefused, reply_address, reply_text, reply_token, reply_token_read
from support.models import Ticket, TicketMessage
from support.services.desk import ticket_assign, ticket_merge
from support.services.tickets import ticket_reply
from tests.accounts.helpers import client_at
from tests.support.conftest import engineer_actor, open_ticket, regency_actor

pytestmark = pytest.mark.django_db
S = Ticket.Status
SECRET = "rahasia-webhook-2026"


def kinds(outbox) -> list[str]:
    return [m.extra_headers["X-Sukowati-Support"] for m in outbox]


def about(outbox, ticket: Ticket) -> list:
    return [m for m in outbox if m.subject.startswith(f"[{ticket.reference}]")]


# --- outbound ---------------------------------------------------------------------


def test_a_new_ticket_emails_every_engineer_with_their_own_reply_address(
    regencies, lebak_staff, engineer, mailoutbox, django_capture_on_commit_callbacks, queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(regencies["lebak"], lebak_staff, subject="Server lambat")
    # Queued for the public schema, whatever schema opened the ticket.
    assert ("support.tasks.ticket_opened_notify_task", (ticket.pk,), "public") in queued_tasks
    mails = about(mailoutbox, ticket)
    recipients = {m.to[0] for m in mails}
    assert {engineer.email, "engineer@sukowati.test"} <= recipients
    for mail in mails:
        assert mail.extra_headers["X-Sukowati-Support"] == "ticket_opened"
        assert mail.extra_headers["Content-Language"] == "id"  # engineers: the default
        assert mail.extra_headers["References"] == f"<ticket-{ticket.pk}@localhost>"
        (address,) = mail.reply_to
        assert address.startswith("support+") and address.endswith("@localhost")
        assert len(address.split("@")[0]) <= 64
        token = address.split("+", 1)[1].split("@")[0]
        assert reply_token_read(token=token, sender=mail.to[0]) == ticket.pk
        assert f"/support/tickets/{ticket.pk}/" in mail.body


@pytest.mark.parametrize("language", ["en", "id"])
def test_an_engineers_reply_reaches_the_requester_in_their_language(
    regencies, lebak_staff, engineer, mailoutbox, django_capture_on_commit_callbacks, language
):
    ticket = open_ticket(regencies["lebak"], lebak_staff, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(ticket=ticket, actor=engineer_actor(engineer), body="Sudah kami perbaiki.")
    (mail,) = about(mailoutbox, ticket)
    assert mail.to == [lebak_staff.email]
    assert mail.extra_headers["Content-Language"] == language
    assert "Sudah kami perbaiki." in mail.body
    assert f"http://lebak.localhost/help/tickets/{ticket.pk}/" in mail.body


def test_internal_notes_are_never_emailed(
    ticket, engineer, mailoutbox, django_capture_on_commit_callbacks
):
    actor = engineer_actor(engineer)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(
            ticket=ticket, actor=actor, body="CATATAN-INTERNAL: cek log", kind="note", minutes=5
        )
    assert about(mailoutbox, ticket) == []
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(
            ticket=ticket, actor=actor, body="Kami sedang memeriksa.", next_status=S.WAITING
        )
        ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=actor, reason="Selesai")
    mails = about(mailoutbox, ticket)
    assert kinds(mails) == ["reply_to_regency", "status_changed"]
    assert all(
        "CATATAN-INTERNAL" not in m.body and "CATATAN-INTERNAL" not in m.subject for m in mails
    )


def test_a_status_change_tells_the_requester_why(
    ticket, engineer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(
            ticket=ticket,
            to_status=S.RESOLVED,
            actor=engineer_actor(engineer),
            reason="Printer diganti.",
        )
    (mail,) = about(mailoutbox, ticket)
    assert mail.extra_headers["X-Sukowati-Support"] == "status_changed"
    assert mail.to == [ticket.requester_email]
    assert "Printer diganti." in mail.body


def test_a_regency_reply_goes_to_the_assignee_only(
    ticket, engineer, lebak_staff, mailoutbox, django_capture_on_commit_callbacks
):
    ticket_assign(ticket=ticket, assignee_email=engineer.email, actor=engineer_actor(engineer))
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(ticket=ticket, actor=regency_actor(lebak_staff), body="Ada kabar?")
    (mail,) = about(mailoutbox, ticket)
    assert (mail.to, mail.extra_headers["X-Sukowati-Support"]) == (
        [engineer.email],
        "reply_to_engineers",
    )


# --- tokens ---------------------------------------------------------------------------


def test_a_token_works_only_for_the_address_it_was_sent_to(ticket):
    token = reply_token(ticket_id=ticket.pk, recipient="Siti@Lebak.test")
    assert reply_token_read(token=token, sender="siti@lebak.test") == ticket.pk
    with pytest.raises(TokenRefused):
        reply_token_read(token=token, sender="someone@else.test")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: "9" + t,  # another ticket id
        lambda t: t.replace(".", "", 1),  # malformed
    ],
)
def test_an_altered_token_is_refused(ticket, mangle):
    token = reply_token(ticket_id=ticket.pk, recipient="siti@lebak.test")
    with pytest.raises(TokenRefused):
        reply_token_read(token=mangle(token), sender="siti@lebak.test")


def test_an_expired_token_is_refused(ticket, settings, monkeypatch):
    settings.SUPPORT_REPLY_TOKEN_DAYS = 30
    token = reply_token(ticket_id=ticket.pk, recipient="siti@lebak.test")
    later = timezone.now().timestamp() + 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(TokenRefused, match="expired"):
        reply_token_read(token=token, sender="siti@lebak.test")


def test_quoted_history_is_cut_from_a_reply():
    text = (
        "Masih gagal, ini fotonya.\r\nTerima kasih.\r\n\r\n"
        "Pada Sen, 8 Jun 2026 pukul 09.00 Sukowati <support+1.a.b@localhost> menulis:\r\n"
        "> Sudah kami perbaiki.\r\n"
    )
    assert reply_text(text) == "Masih gagal, ini fotonya.\nTerima kasih."
    assert reply_text("OK\n-- ## --\nold") == "OK"
    assert (
        reply_text("Fine\n> quoted\nthanks\nOn Mon, 8 Jun 2026, Budi wrote:\n> x") == "Fine\nthanks"
    )


# --- inbound --------------------------------------------------------------------------


def post_inbound(payload: dict, secret: str | None = SECRET, as_json: bool = True):
    client = client_at("localhost")
    headers = {"X-Support-Inbound-Secret": secret} if secret is not None else {}
    if as_json:
        return client.post(
            "/support/inbound-mail/",
            json.dumps(payload),
            content_type="application/json",
            headers=headers,
        )
    return client.post("/support/inbound-mail/", payload, headers=headers)


@pytest.fixture
def inbound(settings):
    settings.SUPPORT_INBOUND_SECRET = SECRET


def reply_from(ticket: Ticket, sender: str, text: str, **extra) -> dict:
    return {
        "from": f"Siti <{sender}>",
        "to": f"Sukowati <{reply_address(ticket_id=ticket.pk, recipient=sender)}>",
        "subject": f"Re: [{ticket.reference}] {ticket.subject}",
        "text": text,
        **extra,
    }


@pytest.mark.parametrize("as_json", [True, False])
def test_an_emailed_reply_is_threaded_onto_its_ticket(
    ticket, inbound, engineer, mailoutbox, django_capture_on_commit_callbacks, as_json
):
    ticket_reply(
        ticket=ticket, actor=engineer_actor(engineer), body="Kirim foto?", next_status=S.WAITING
    )
    text = "Foto menyusul siang ini.\n\nOn Mon, 8 Jun 2026, Sukowati wrote:\n> Kirim foto?"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inbound(reply_from(ticket, ticket.requester_email, text), as_json=as_json)
    assert response.status_code == 201, response.content
    message = TicketMessage.objects.get(pk=response.json()["message"])
    assert (message.ticket_id, message.body, message.author_side, message.via_email) == (
        ticket.pk,
        "Foto menyusul siang ini.",
        "regency",
        True,
    )
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN  # the regency answered
    mails = about(mailoutbox, ticket)
    assert mails and set(kinds(mails)) == {"reply_to_engineers"}


def test_a_redelivered_email_is_stored_once(ticket, inbound):
    payload = reply_from(
        ticket, ticket.requester_email, "Sekali saja.", message_id="<abc@mail.test>"
    )
    assert post_inbound(payload).status_code == 201
    assert post_inbound(payload).status_code == 200
    assert ticket.messages.filter(body="Sekali saja.").count() == 1


def test_an_engineer_can_answer_by_email_too(ticket, engineer, inbound):
    response = post_inbound(reply_from(ticket, engineer.email, "Sudah kami cek."))
    assert response.status_code == 201
    message = ticket.messages.get(body="Sudah kami cek.")
    assert (message.author_side, message.kind) == ("engineer", "reply")


def test_a_forged_token_is_refused_and_nothing_stored(ticket, inbound):
    payload = reply_from(ticket, ticket.requester_email, "Palsu")
    payload["to"] = payload["to"].replace("support+", "support+9")
    assert post_inbound(payload).status_code == 403
    payload = reply_from(ticket, ticket.requester_email, "Palsu")
    local, domain = payload["to"].rsplit("@", 1)
    payload["to"] = local[:-2] + "xx@" + domain
    assert post_inbound(payload).status_code == 403
    assert not TicketMessage.objects.filter(body="Palsu").exists()


def test_a_token_used_by_another_sender_is_refused(ticket, inbound):
    payload = reply_from(ticket, ticket.requester_email, "Bukan saya")
    payload["from"] = "Penyusup <penyusup@evil.test>"
    assert post_inbound(payload).status_code == 403
    assert not TicketMessage.objects.filter(body="Bukan saya").exists()


@pytest.mark.parametrize(("secret", "status"), [(None, 403), ("salah", 403)])
def test_the_webhook_needs_its_secret(ticket, inbound, secret, status):
    response = post_inbound(
        reply_from(ticket, ticket.requester_email, "Tanpa rahasia"), secret=secret
    )
    assert response.status_code == status
    assert not TicketMessage.objects.filter(body="Tanpa rahasia").exists()


def test_without_a_configured_secret_the_webhook_is_off(ticket, settings):
    settings.SUPPORT_INBOUND_SECRET = None
    response = post_inbound(reply_from(ticket, ticket.requester_email, "x"), secret="")
    assert response.status_code == 503


@pytest.mark.parametrize(
    "payload",
    [{"from": "a@b.test", "to": "support+1.a.b@localhost"}, {"text": "x"}, ["not", "an", "object"]],
)
def test_malformed_payloads_are_refused(inbound, payload):
    assert post_inbound(payload).status_code == 400


def test_a_reply_to_a_ticket_closed_long_ago_is_bounced_with_its_text(
    ticket, engineer, inbound, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SUPPORT_REOPEN_DAYS = 7
    actor = engineer_actor(engineer)
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=actor, reason="Beres")
    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=actor, reason="Tutup")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inbound(reply_from(ticket, ticket.requester_email, "Rusak lagi."))
    assert response.status_code == 409
    assert not ticket.messages.filter(body="Rusak lagi.").exists()
    (bounce,) = [m for m in about(mailoutbox, ticket) if m.to == [ticket.requester_email]]
    assert bounce.extra_headers["X-Sukowati-Support"] == "reply_refused"
    assert "Rusak lagi." in bounce.body
    assert "http://lebak.localhost/help/tickets/new/" in bounce.body


def test_a_reply_to_a_merged_duplicate_lands_on_the_ticket_it_went_to(
    make_ticket, lebak_staff, engineer, inbound
):
    target = make_ticket(user=lebak_staff)
    duplicate = make_ticket(user=lebak_staff)
    ticket_merge(source=duplicate, target=target, actor=engineer_actor(engineer), reason="Sama")
    response = post_inbound(reply_from(duplicate, duplicate.requester_email, "Tambahan info"))
    assert response.status_code == 201
    assert target.messages.filter(body="Tambahan info").exists()

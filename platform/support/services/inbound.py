"""Replies by email: the inbound-mail endpoint hands each message here.

The message is threaded onto the ticket its reply address was issued for, as a
reply of the person it was issued to (the requester, or an engineer). Anything
that cannot be verified is refused and nothing is stored; a verified reply
that the reopening rule refuses is bounced back to its sender with the text,
so nothing they wrote is lost."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.models import User
from core.audit import audit_record
from support.lifecycle import Actor, TransitionRefused
from support.mail import TokenRefused, reply_text, reply_token_read, sender_address, token_in
from support.models import Side, Ticket, TicketMessage
from support.notify import queue_public
from support.services.tickets import ReplyRefused, ticket_reply

MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class InboundMail:
    sender: str  # the From header
    recipients: str  # the To (and Cc) headers
    subject: str
    text: str
    message_id: str = ""


class InboundRefused(Exception):
    """Why a message was not threaded, with the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _actor_for(ticket: Ticket, sender: str) -> Actor:
    if sender == ticket.requester_email.lower():
        return Actor(email=sender, name=ticket.requester_name, side=Side.REGENCY)
    engineer = User.objects.filter(
        email__iexact=sender, platform_role=User.PlatformRole.ENGINEER, is_active=True
    ).first()
    if engineer is None:
        raise InboundRefused(403, "The sender is neither the requester nor an engineer.")
    return Actor(email=engineer.email, name=engineer.full_name, side=Side.ENGINEER)


def inbound_reply_receive(mail: InboundMail) -> TicketMessage:
    sender = sender_address(mail.sender)
    token = token_in(mail.recipients)
    if not sender or token is None:
        raise InboundRefused(400, "No sender, or no support reply address among the recipients.")
    if len(mail.text) > MAX_TEXT_CHARS:
        raise InboundRefused(413, "The message is too long.")
    try:
        ticket_id = reply_token_read(token=token, sender=sender)
    except TokenRefused as exc:
        audit_record(
            action="support.inbound.refused",
            actor_email=sender[:254],
            target="inbound-mail",
            detail={"reason": str(exc)},
        )
        raise InboundRefused(403, f"The reply address is {exc}.") from None
    message_id = mail.message_id.strip()[:250] or None
    if message_id:
        already = TicketMessage.objects.filter(inbound_message_id=message_id).first()
        if already is not None:
            return already
    ticket = Ticket.objects.select_related("tenant").filter(pk=ticket_id).first()
    if ticket is None:
        raise InboundRefused(404, "The ticket no longer exists.")
    actor = _actor_for(ticket, sender)
    # A reply to a merged duplicate belongs to the ticket it was merged into.
    while ticket.merged_into_id is not None:
        ticket = Ticket.objects.select_related("tenant").get(pk=ticket.merged_into_id)
    body = reply_text(mail.text)
    if not body:
        raise InboundRefused(422, "The reply is empty once the quoted text is removed.")
    try:
        return ticket_reply(
            ticket=ticket,
            actor=actor,
            body=body,
            via_email=True,
            inbound_message_id=message_id,
        )
    except (ReplyRefused, TransitionRefused, ValidationError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        from support.tasks import inbound_bounce_task

        queue_public(inbound_bounce_task, ticket.pk, sender, reason, body)
        raise InboundRefused(409, reason) from None


__all__ = ["InboundMail", "InboundRefused", "inbound_reply_receive"]

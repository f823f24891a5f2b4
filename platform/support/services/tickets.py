"""Writes on tickets: opening, replying (with attachments and time spent),
rating. Status changes go through support.lifecycle.ticket_transition.

They run in whichever schema the caller is in: a regency's request (the ticket
tables are in `public`, which is on every regency's search path) or the console.
Audit rows land in that same schema: a regency's own log records what its
people did, the platform's what engineers did."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.usage import support_time_record
from core.audit import audit_record
from core.modules import module_codes
from support.attachments import CheckedFile, attachments_check, files_remove, files_store
from support.lifecycle import Actor, TransitionRefused, can_reopen, ticket_transition
from support.models import Side, Ticket, TicketAttachment, TicketMessage
from support.notify import queue_public
from support.sla import sla_first_response, sla_start
from tenants.models import Tenant

S = Ticket.Status
MAX_BODY_CHARS = 20_000
MAX_MINUTES = 24 * 60


class ReplyRefused(Exception):
    """A reply that cannot be added; the message says what to do instead."""


@dataclass(frozen=True)
class Requester:
    """The regency user opening a ticket, as a snapshot."""

    user_id: int
    name: str
    email: str
    role: str
    language: str


def module_choices() -> list[str]:
    return ["platform", *sorted(module_codes())]


def _body_clean(body: str, field: str = "body") -> str:
    body = body.strip()
    if not body:
        raise ValidationError({field: [_("Write a message.")]})
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {field: [_("Keep it under %(count)d characters.") % {"count": MAX_BODY_CHARS}]}
        )
    return body


def _attachments_save(
    *,
    ticket: Ticket,
    message: TicketMessage | None,
    files: Sequence[CheckedFile],
    uploaded_by: str,
    written: list[str],
) -> None:
    stored = files_store(files=files, schema_name=ticket.tenant.schema_name, ticket_id=ticket.pk)
    written.extend(name for _checked, name in stored)
    for checked, name in stored:
        TicketAttachment.objects.create(
            ticket=ticket,
            message=message,
            original_name=checked.name,
            stored_name=name,
            content_type=checked.content_type,
            size_bytes=checked.size,
            sha256=checked.sha256,
            uploaded_by_email=uploaded_by,
        )


def ticket_create(
    *,
    tenant: Tenant,
    requester: Requester,
    subject: str,
    body: str,
    category: str,
    priority: str,
    module: str = "platform",
    source_path: str = "",
    uploads: Sequence[UploadedFile] = (),
    follow_up_of: Ticket | None = None,
) -> Ticket:
    """Open a ticket for `tenant`. Attachments are checked before anything is
    written; if any is refused, nothing is saved."""
    files = attachments_check(uploads)
    if module not in module_choices():
        raise ValidationError({"module": [_("Choose a module from the list.")]})
    if follow_up_of is not None and follow_up_of.tenant_id != tenant.pk:
        raise ValidationError(_("A ticket can only follow up on a ticket of the same regency."))
    written: list[str] = []
    try:
        with transaction.atomic():
            ticket = Ticket(
                tenant=tenant,
                subject=subject.strip(),
                body=_body_clean(body),
                category=category,
                priority=priority,
                module=module,
                source_path=source_path[:500],
                requester_user_id=requester.user_id,
                requester_name=requester.name[:150],
                requester_email=requester.email.lower(),
                requester_role=requester.role[:150],
                requester_language=requester.language,
                follow_up_of=follow_up_of,
            )
            now = timezone.now()
            ticket.created_at = now
            sla_start(ticket, now=now)
            ticket.full_clean()
            ticket.save()
            _attachments_save(
                ticket=ticket,
                message=None,
                files=files,
                uploaded_by=ticket.requester_email,
                written=written,
            )
            audit_record(
                action="support.ticket.opened",
                actor_email=requester.email,
                actor_name=requester.name,
                target=f"ticket:{ticket.pk}",
                detail={
                    "tenant": tenant.slug,
                    "category": category,
                    "priority": priority,
                    "attachments": len(files),
                },
            )
            from support.tasks import ticket_opened_notify_task

            queue_public(ticket_opened_notify_task, ticket.pk)
    except Exception:
        files_remove(written)
        raise
    return ticket


def _regency_reply_status(ticket: Ticket, actor: Actor) -> None:
    """A regency's answer moves the ticket back to the engineers: waiting ->
    open, and resolved or closed -> open when it can still be reopened."""
    if ticket.merged_into_id is not None:
        raise ReplyRefused(
            _("This ticket was merged into #%(target)s. Reply there instead.")
            % {"target": ticket.merged_into_id}
        )
    if ticket.status in (S.RESOLVED, S.CLOSED) and not can_reopen(ticket):
        raise ReplyRefused(
            _(
                "This ticket was resolved more than %(days)d days ago and can no longer be "
                "answered. Open a new ticket that refers to it; your message has not been lost: "
                "it is kept in the form."
            )
            % {"days": settings.SUPPORT_REOPEN_DAYS}
        )
    if ticket.status in (S.WAITING, S.RESOLVED, S.CLOSED):
        reason = (
            _("The regency answered.") if ticket.status == S.WAITING else _("Reopened by a reply.")
        )
        ticket_transition(ticket=ticket, to_status=S.OPEN, actor=actor, reason=reason)


def ticket_reply(
    *,
    ticket: Ticket,
    actor: Actor,
    body: str,
    kind: str = TicketMessage.Kind.REPLY,
    minutes: int | None = None,
    uploads: Sequence[UploadedFile] = (),
    next_status: str = "",
    via_email: bool = False,
    inbound_message_id: str | None = None,
) -> TicketMessage:
    """Add a reply or an internal note. Engineers' minutes go to billing in the
    same transaction (once per message); the regency's replies reopen or resume
    the ticket as the reopening rule allows. Refusals raise ReplyRefused or
    ValidationError, and nothing is saved."""
    body = _body_clean(body)
    files = attachments_check(uploads)
    if actor.side == Side.REGENCY:
        if kind != TicketMessage.Kind.REPLY or minutes or next_status:
            raise ValidationError(_("The regency's side can only reply."))
    elif actor.side == Side.ENGINEER:
        if minutes is not None and not 0 < minutes <= MAX_MINUTES:
            raise ValidationError(
                {"minutes": [_("Time spent is 1 to %(max)d minutes.") % {"max": MAX_MINUTES}]}
            )
        if (
            kind == TicketMessage.Kind.REPLY
            and ticket.status == S.CLOSED
            and (next_status != S.OPEN)
        ):
            raise ReplyRefused(_("This ticket is closed. Reopen it to reply to the regency."))
    else:
        raise ValidationError(_("Only people reply to tickets."))
    written: list[str] = []
    try:
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().select_related("tenant").get(pk=ticket.pk)
            if actor.side == Side.REGENCY:
                _regency_reply_status(ticket, actor)
            elif next_status == S.OPEN and ticket.status in (S.RESOLVED, S.CLOSED):
                ticket_transition(
                    ticket=ticket, to_status=S.OPEN, actor=actor, reason=_("Reopened to reply.")
                )
            message = TicketMessage(
                ticket=ticket,
                kind=kind,
                author_side=actor.side,
                author_email=actor.email,
                author_name=actor.name,
                body=body,
                minutes_spent=minutes,
                via_email=via_email,
                inbound_message_id=inbound_message_id,
            )
            message.full_clean()
            message.save()
            _attachments_save(
                ticket=ticket,
                message=message,
                files=files,
                uploaded_by=actor.email,
                written=written,
            )
            if minutes:
                support_time_record(
                    tenant=ticket.tenant,
                    engineer_email=actor.email,
                    minutes=minutes,
                    idempotency_key=f"support-reply-{message.pk}",
                    source=f"support:ticket:{ticket.pk}",
                    description=ticket.subject,
                )
            public = kind == TicketMessage.Kind.REPLY
            if actor.side == Side.ENGINEER:
                _engineer_after_reply(ticket, actor, public=public, next_status=next_status)
            audit_record(
                action="support.ticket.replied" if public else "support.ticket.noted",
                actor_email=actor.email,
                actor_name=actor.name,
                target=f"ticket:{ticket.pk}",
                detail={
                    "message": message.pk,
                    "minutes": minutes or 0,
                    "attachments": len(files),
                    "via_email": via_email,
                },
            )
            if public:
                from support.tasks import ticket_message_notify_task

                queue_public(ticket_message_notify_task, message.pk)
    except Exception:
        files_remove(written)
        raise
    return message


def _engineer_after_reply(ticket: Ticket, actor: Actor, *, public: bool, next_status: str) -> None:
    """An engineer's public reply is the first response if none came before; it
    moves a new ticket to open, or the ticket where the engineer chose."""
    if public:
        sla_first_response(ticket, now=timezone.now())
        ticket.save(
            update_fields=[
                "first_response_at",
                "first_response_business_minutes",
                "first_response_breached",
                "updated_at",
            ]
        )
    target = next_status or (S.OPEN if public and ticket.status == S.NEW else "")
    if target and target != ticket.status:
        # The reply's own email tells the requester; no second one for the status.
        ticket_transition(
            ticket=ticket,
            to_status=target,
            actor=actor,
            reason=_("Replied and set to %(status)s.") % {"status": Ticket.Status(target).label},
            notify=not public,
        )


def ticket_rate(*, ticket: Ticket, actor: Actor, rating: int, comment: str = "") -> Ticket:
    """The requester's 1-5 rating of a resolved ticket, given once."""
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.status not in (S.RESOLVED, S.CLOSED) or locked.merged_into_id is not None:
            raise ValidationError(_("A ticket can be rated once it is resolved."))
        if locked.rating is not None:
            raise ValidationError(_("This ticket has already been rated."))
        locked.rating = rating
        locked.rating_comment = comment.strip()[:2000]
        locked.rated_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        audit_record(
            action="support.ticket.rated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{locked.pk}",
            detail={"rating": rating},
        )
    return locked


__all__ = [
    "ReplyRefused",
    "Requester",
    "TransitionRefused",
    "module_choices",
    "ticket_create",
    "ticket_rate",
    "ticket_reply",
]

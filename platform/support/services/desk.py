"""Engineers' writes on tickets in the console: assignment, classification,
merging duplicates, linking an on-site visit. Each is audited in the public
schema, where the console runs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import SiteVisit
from core.audit import audit_record
from support.lifecycle import Actor, ticket_transition
from support.models import Category, Priority, Side, Ticket, TicketAttachment, TicketMessage
from support.notify import queue_public
from support.services.tickets import module_choices
from support.sla import sla_reprioritise

S = Ticket.Status


def _engineer_only(actor: Actor) -> None:
    if actor.side != Side.ENGINEER:
        raise ValidationError(_("Only Sragen's engineers can do this."))


def engineers() -> list[User]:
    """Platform engineers who can be assigned tickets (public schema)."""
    return list(
        User.objects.filter(platform_role=User.PlatformRole.ENGINEER, is_active=True).order_by(
            "full_name", "email"
        )
    )


def ticket_assign(*, ticket: Ticket, assignee_email: str, actor: Actor) -> Ticket:
    """Assign to an engineer (by email), or unassign with an empty email."""
    _engineer_only(actor)
    assignee_email = assignee_email.strip().lower()
    name = ""
    if assignee_email:
        engineer = User.objects.filter(
            email__iexact=assignee_email,
            platform_role=User.PlatformRole.ENGINEER,
            is_active=True,
        ).first()
        if engineer is None:
            raise ValidationError({"assignee": [_("Choose one of the platform engineers.")]})
        name = engineer.full_name
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        previous = locked.assignee_email
        locked.assignee_email = assignee_email
        locked.assignee_name = name
        locked.save(update_fields=["assignee_email", "assignee_name", "updated_at"])
        audit_record(
            action="support.ticket.assigned",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{locked.pk}",
            detail={"from": previous, "to": assignee_email},
        )
        if assignee_email and assignee_email != actor.email.lower():
            from support.tasks import ticket_assigned_notify_task

            queue_public(ticket_assigned_notify_task, locked.pk, assignee_email)
    return locked


def ticket_classify(
    *, ticket: Ticket, priority: str, category: str, module: str, actor: Actor
) -> Ticket:
    """Change priority, category or module; a new priority moves the deadlines,
    keeping the business time already used."""
    _engineer_only(actor)
    errors = {}
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a priority from the list.")]
    if category not in Category.values:
        errors["category"] = [_("Choose a category from the list.")]
    if module not in module_choices():
        errors["module"] = [_("Choose a module from the list.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        before = {"priority": locked.priority, "category": locked.category, "module": locked.module}
        locked.priority, locked.category, locked.module = priority, category, module
        if before["priority"] != priority:
            sla_reprioritise(locked, old_priority=before["priority"], now=timezone.now())
        locked.full_clean()
        locked.save()
        audit_record(
            action="support.ticket.classified",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{locked.pk}",
            detail={
                "before": before,
                "after": {"priority": priority, "category": category, "module": module},
            },
        )
    return locked


def ticket_merge(*, source: Ticket, target: Ticket, actor: Actor, reason: str) -> Ticket:
    """Close `source` as a duplicate of `target`: its description, messages and
    attachments move to `target` (each message remembers where it was written)."""
    _engineer_only(actor)
    if source.pk == target.pk:
        raise ValidationError({"target": [_("A ticket cannot be merged into itself.")]})
    if source.tenant_id != target.tenant_id:
        raise ValidationError({"target": [_("Only tickets of the same regency can be merged.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason: it is kept in the ticket's history.")]})
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {
            t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[first, second])
        }
        src, dst = locked[source.pk], locked[target.pk]
        if src.merged_into_id is not None:
            raise ValidationError(_("Ticket %(ref)s is already merged.") % {"ref": src.reference})
        if dst.merged_into_id is not None:
            raise ValidationError(
                {
                    "target": [
                        _("Ticket %(ref)s is itself merged; choose the ticket it went to.")
                        % {"ref": dst.reference}
                    ]
                }
            )
        if src.status == S.CLOSED:
            raise ValidationError(_("A closed ticket cannot be merged."))
        moved = TicketMessage.objects.create(
            ticket=dst,
            kind=TicketMessage.Kind.REPLY,
            author_side=Side.REGENCY,
            author_email=src.requester_email,
            author_name=src.requester_name,
            body=f"{src.subject}\n\n{src.body}",
            moved_from=src,
        )
        TicketMessage.objects.filter(ticket=src).exclude(pk=moved.pk).update(
            ticket=dst, moved_from=src
        )
        TicketAttachment.objects.filter(ticket=src).update(ticket=dst)
        Ticket.objects.filter(merged_into=src).update(merged_into=dst)
        src.merged_into = dst
        src.save(update_fields=["merged_into", "updated_at"])
        ticket_transition(
            ticket=src,
            to_status=S.CLOSED,
            actor=actor,
            reason=_("Merged into %(ref)s: %(reason)s") % {"ref": dst.reference, "reason": reason},
        )
        audit_record(
            action="support.ticket.merged",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{src.pk}",
            detail={"into": dst.pk, "reason": reason.strip(), "message": moved.pk},
        )
    return dst


def ticket_site_visit_link(*, ticket: Ticket, site_visit: SiteVisit | None, actor: Actor) -> Ticket:
    """Link the on-site visit (a billing expense) the ticket led to, or unlink."""
    _engineer_only(actor)
    if site_visit is not None and site_visit.tenant_id != ticket.tenant_id:
        raise ValidationError({"site_visit": [_("The visit must be to the ticket's own regency.")]})
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        previous = locked.site_visit_id
        locked.site_visit = site_visit
        locked.save(update_fields=["site_visit", "updated_at"])
        audit_record(
            action="support.ticket.site_visit",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{locked.pk}",
            detail={"from": previous, "to": site_visit.pk if site_visit else None},
        )
    return locked

"""Tickets, their messages, attachments and status history. All in the public
schema: one queue for Sragen's engineers, each row naming its regency.

People are snapshots (email and name), never foreign keys to users: users live
per schema, and a foreign key followed from a regency's connection would read
that regency's user table instead of the platform's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models import SiteVisit
from support.models.service_levels import Priority
from tenants.models import Tenant


class Category(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Service request")
    TRAINING = "training", _("Training")
    ON_SITE_VISIT = "on_site_visit", _("On-site visit")
    DATA_CORRECTION = "data_correction", _("Data correction")


class Side(models.TextChoices):
    REGENCY = "regency", _("Regency")
    ENGINEER = "engineer", _("Engineer")
    SYSTEM = "system", _("System")


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on regency")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    # Statuses in which the service-level clocks run.
    RUNNING = (Status.NEW, Status.OPEN)
    ACTIVE = (Status.NEW, Status.OPEN, Status.WAITING)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="support_tickets")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # A module code ("permits", "ktp", ...) or "platform" for everything else.
    module = models.CharField(_("module"), max_length=40, default="platform")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )

    # The requester, as they were when they asked (their account is in the
    # regency's schema; `requester_user_id` is its id there).
    requester_user_id = models.BigIntegerField()
    requester_name = models.CharField(_("requester"), max_length=150)
    requester_email = models.EmailField(_("requester's email"))
    requester_role = models.CharField(_("requester's role"), max_length=150, blank=True)
    requester_language = models.CharField(max_length=8, default="id")
    # The page of the regency's site the ticket was opened from (a path).
    source_path = models.CharField(_("opened from"), max_length=500, blank=True)

    assignee_email = models.EmailField(_("assignee"), blank=True)
    assignee_name = models.CharField(max_length=150, blank=True)

    site_visit = models.ForeignKey(
        SiteVisit,
        verbose_name=_("on-site visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_tickets",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_tickets"
    )
    # A follow-up of a ticket closed beyond reopening.
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Service levels (see support/sla.py). The warn_at moments are when the
    # warning share of the target has elapsed; the resolution clock pauses while
    # waiting on the regency, keeping the minutes it had left.
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True)
    first_response_warned_at = models.DateTimeField(null=True, blank=True)
    first_response_escalated_at = models.DateTimeField(null=True, blank=True)
    first_response_breached = models.BooleanField(default=False)
    first_response_business_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    resolution_remaining_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_breached = models.BooleanField(default=False)
    resolution_business_minutes = models.PositiveIntegerField(null=True, blank=True)

    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "status"]),
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["assignee_email", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="ticket_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="ticket_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"


class TicketTransition(models.Model):
    """One status change of a ticket: who, when, why."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Ticket.Status.choices)
    to_status = models.CharField(max_length=10, choices=Ticket.Status.choices)
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    actor_side = models.CharField(max_length=10, choices=Side.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class TicketMessage(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REPLY)
    author_side = models.CharField(max_length=10, choices=Side.choices)
    author_email = models.EmailField()
    author_name = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    # Engineers' time on this message, handed to billing (billing.SupportTime).
    minutes_spent = models.PositiveIntegerField(null=True, blank=True)
    via_email = models.BooleanField(default=False)
    # The provider's Message-ID of an emailed reply: a redelivery is stored once.
    inbound_message_id = models.CharField(max_length=250, null=True, blank=True, unique=True)
    # Where a merged duplicate's message was first written.
    moved_from = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The regency never writes internal notes.
            models.CheckConstraint(
                condition=~models.Q(kind="note", author_side="regency"),
                name="ticket_message_notes_by_engineers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id} by {self.author_email}"

    @property
    def is_public(self) -> bool:
        return self.kind == self.Kind.REPLY


class TicketAttachment(models.Model):
    """A file on a ticket, kept in support's own storage (see support/storage.py).
    An attachment of an internal note is as internal as the note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=400, unique=True)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_public(self) -> bool:
        return self.message is None or self.message.kind == TicketMessage.Kind.REPLY

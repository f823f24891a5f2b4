"""The engineers' queue and ticket page in the console. Every view requires a
platform engineer with two-factor authentication (console.permissions)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from console.permissions import EngineerRequiredMixin, console_user
from core.forms import errors_onto_form
from support.forms.common import module_field_choices
from support.forms.console import (
    AssignForm,
    ClassifyForm,
    EngineerReplyForm,
    MergeForm,
    QueueFilterForm,
    SavedViewForm,
    SiteVisitForm,
    TransitionForm,
)
from support.lifecycle import ALLOWED, Actor, TransitionRefused, ticket_transition
from support.mail import regency_site_url, regency_url
from support.models import CannedReply, KnowledgeArticle, SavedView, Side, Ticket
from support.selectors.tickets import all_messages, ticket_queue, ticket_sla_state
from support.services.desk import (
    engineers,
    ticket_assign,
    ticket_classify,
    ticket_merge,
    ticket_site_visit_link,
)
from support.services.library import saved_view_delete, saved_view_save
from support.services.tickets import ReplyRefused, ticket_reply
from support.views.regency import attachment_response

PAGE_SIZE = 50


def engineer_actor(request: HttpRequest) -> Actor:
    user = console_user(request)
    return Actor(email=user.email, name=user.full_name, side=Side.ENGINEER)


def engineer_choices() -> list[tuple[str, str]]:
    return [(e.email, e.full_name or e.email) for e in engineers()]


def ticket_or_404(pk: int) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("tenant", "site_visit"), pk=pk)


class QueueView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = QueueFilterForm(request.GET or None, engineers=engineer_choices())
        tickets = ticket_queue(form.filters())
        page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        user = console_user(request)
        return render(
            request,
            "support/console/queue.html",
            {
                "form": form,
                "page": page,
                "rows": [(t, ticket_sla_state(t)) for t in page],
                "query": query.urlencode(),
                "saved_views": SavedView.objects.filter(engineer_email=user.email.lower()),
                "save_form": SavedViewForm(initial={"querystring": query.urlencode()}),
                "mine": urlencode({"assignee": user.email}),
            },
        )


class SavedViewSaveView(EngineerRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = SavedViewForm(request.POST)
        if form.is_valid():
            try:
                view = saved_view_save(
                    actor=engineer_actor(request),
                    name=form.cleaned_data["name"],
                    querystring=form.cleaned_data["querystring"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
                return redirect(f"{_queue_url()}?{view.querystring}")
        else:
            messages.error(request, _("Name the view to save it."))
        return redirect(_queue_url())


class SavedViewDeleteView(EngineerRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = engineer_actor(request)
        # Another engineer's view answers 404, like one that does not exist.
        view = get_object_or_404(SavedView, pk=pk, engineer_email=actor.email.lower())
        saved_view_delete(actor=actor, view=view)
        messages.success(request, _("View removed."))
        return redirect(_queue_url())


def _queue_url() -> str:
    return reverse("support_console:queue")


def detail_context(
    request: HttpRequest, ticket: Ticket, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    choices = engineer_choices()
    moves = [
        (status, Ticket.Status(status).label)
        for status, sides in ALLOWED[ticket.status].items()
        if Side.ENGINEER in sides
    ]
    transition_form = bound.get("transition") or TransitionForm()
    to_status = transition_form.fields["to_status"]
    assert isinstance(to_status, forms.ChoiceField)
    to_status.choices = moves
    articles = KnowledgeArticle.objects.filter(is_published=True).order_by("title")
    return {
        "ticket": ticket,
        "sla_state": ticket_sla_state(ticket),
        "module_label": dict(module_field_choices()).get(ticket.module, ticket.module),
        "messages_list": list(all_messages(ticket)),
        "ticket_files": list(ticket.attachments.filter(message__isnull=True)),
        "transitions": list(ticket.transitions.all()),
        "merged_tickets": list(ticket.merged_tickets.all()),
        "reply_form": bound.get("reply") or EngineerReplyForm(),
        "assign_form": bound.get("assign")
        or AssignForm(initial={"assignee": ticket.assignee_email}, engineers=choices),
        "classify_form": bound.get("classify")
        or ClassifyForm(
            initial={
                "priority": ticket.priority,
                "category": ticket.category,
                "module": ticket.module,
            }
        ),
        "transition_form": transition_form if moves else None,
        "merge_form": bound.get("merge") or MergeForm(),
        "site_visit_form": bound.get("site_visit")
        or SiteVisitForm(initial={"site_visit": ticket.site_visit_id}, ticket=ticket),
        "canned_replies": list(CannedReply.objects.all()),
        # Links to articles as the regency sees them, on the ticket's regency's site.
        "articles": [
            (article, regency_url(ticket.tenant, "article_detail", slug=article.slug))
            for article in articles
        ],
        "source_url": (
            regency_site_url(ticket.tenant, ticket.source_path) if ticket.source_path else ""
        ),
    }


def render_detail(
    request: HttpRequest,
    ticket: Ticket,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "support/console/ticket_detail.html",
        detail_context(request, ticket, bound),
        status=status,
    )


class TicketDetailView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_detail(request, ticket_or_404(pk))


class _TicketAction(EngineerRequiredMixin, View):
    """A POST on one ticket: the form's errors re-render the ticket page."""

    form_name = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support_console:ticket_detail", pk=pk)

    def refused(self, request: HttpRequest, ticket: Ticket, form: forms.Form) -> HttpResponse:
        ticket.refresh_from_db()
        return render_detail(request, ticket, {self.form_name: form}, status=400)

    def done(self, request: HttpRequest, ticket: Ticket, message: str) -> HttpResponse:
        messages.success(request, message)
        return redirect("support_console:ticket_detail", pk=ticket.pk)


class TicketReplyView(_TicketAction):
    form_name = "reply"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = EngineerReplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                message = ticket_reply(
                    ticket=ticket,
                    actor=engineer_actor(request),
                    body=data["body"],
                    kind=data["kind"],
                    minutes=data["minutes"],
                    uploads=data["attachments"],
                    next_status=data["next_status"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            except (ReplyRefused, TransitionRefused) as exc:
                form.add_error(None, str(exc))
            else:
                done = _("Reply sent to the regency.") if message.is_public else _("Note added.")
                return self.done(request, ticket, done)
        return self.refused(request, ticket, form)


class TicketAssignView(_TicketAction):
    form_name = "assign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = AssignForm(request.POST, engineers=engineer_choices())
        if form.is_valid():
            try:
                ticket = ticket_assign(
                    ticket=ticket,
                    assignee_email=form.cleaned_data["assignee"],
                    actor=engineer_actor(request),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                return self.done(request, ticket, _("Assignment saved."))
        return self.refused(request, ticket, form)


class TicketClassifyView(_TicketAction):
    form_name = "classify"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = ClassifyForm(request.POST)
        if form.is_valid():
            try:
                ticket = ticket_classify(
                    ticket=ticket, actor=engineer_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                return self.done(
                    request, ticket, _("Ticket updated; deadlines follow the priority.")
                )
        return self.refused(request, ticket, form)


class TicketTransitionView(_TicketAction):
    form_name = "transition"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = TransitionForm(request.POST)
        if form.is_valid():
            try:
                ticket_transition(
                    ticket=ticket,
                    to_status=form.cleaned_data["to_status"],
                    actor=engineer_actor(request),
                    reason=form.cleaned_data["reason"],
                )
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                return self.done(
                    request,
                    ticket,
                    _("Ticket %(ref)s is now %(status)s.")
                    % {"ref": ticket.reference, "status": ticket.get_status_display()},
                )
        return self.refused(request, ticket, form)


class TicketMergeView(_TicketAction):
    form_name = "merge"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = MergeForm(request.POST)
        if form.is_valid():
            target = Ticket.objects.filter(pk=form.cleaned_data["target"]).first()
            if target is None:
                form.add_error("target", _("There is no ticket with this number."))
            else:
                try:
                    ticket_merge(
                        source=ticket,
                        target=target,
                        actor=engineer_actor(request),
                        reason=form.cleaned_data["reason"],
                    )
                except (ValidationError, TransitionRefused) as exc:
                    if isinstance(exc, ValidationError):
                        errors_onto_form(form, exc)
                    else:
                        form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("Ticket %(source)s was merged into %(target)s.")
                        % {"source": ticket.reference, "target": target.reference},
                    )
                    return redirect("support_console:ticket_detail", pk=target.pk)
        return self.refused(request, ticket, form)


class TicketSiteVisitView(_TicketAction):
    form_name = "site_visit"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_or_404(pk)
        form = SiteVisitForm(request.POST, ticket=ticket)
        if form.is_valid():
            try:
                ticket = ticket_site_visit_link(
                    ticket=ticket,
                    site_visit=form.cleaned_data["site_visit"],
                    actor=engineer_actor(request),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                return self.done(request, ticket, _("On-site visit link saved."))
        return self.refused(request, ticket, form)


class AttachmentDownloadView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
        ticket = ticket_or_404(pk)
        attachment = ticket.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404(_("There is no such file."))
        return attachment_response(attachment)

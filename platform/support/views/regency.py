"""The regency's side of the desk, at /help/ on the regency's own site.

Every view works on the signed-in person's regency only: tickets are looked up
through `regency_tickets`, which filters on the request's tenant (and, for staff
who are not admins, on the tickets they opened), so another regency's ticket,
or its attachment, answers 404 exactly like one that does not exist."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from core.forms import errors_onto_form
from staff.models import StaffProfile
from support.forms.common import module_field_choices
from support.forms.regency import (
    RatingForm,
    ReplyForm,
    TicketForm,
    safe_source_path,
    ticket_initial,
)
from support.lifecycle import Actor, TransitionRefused, can_reopen, ticket_transition
from support.models import Side, Ticket, TicketAttachment
from support.selectors.knowledge import MAX_RESULTS, article_published, article_search
from support.selectors.tickets import (
    RegencyViewer,
    public_attachments,
    public_messages,
    regency_ticket_get,
    regency_tickets,
)
from support.services.tickets import (
    ReplyRefused,
    Requester,
    ticket_create,
    ticket_rate,
    ticket_reply,
)
from support.storage import support_storage
from tenants.models import Tenant

S = Ticket.Status
PAGE_SIZE = 25


class RegencyStaffRequiredMixin:
    """Signed-in people of this regency. Engineers inside through a support-access
    grant are not the regency: they answer tickets from the console."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if getattr(request.user, "is_support_agent", False):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    @property
    def tenant(self) -> Tenant:
        tenant = getattr(self.request, "tenant", None)
        assert isinstance(tenant, Tenant)
        return tenant

    @property
    def viewer(self) -> RegencyViewer:
        return RegencyViewer(
            tenant_id=self.tenant.pk, user_id=self.user.pk, is_admin=self.user.is_regency_admin
        )

    @property
    def actor(self) -> Actor:
        return Actor(email=self.user.email, name=self.user.full_name, side=Side.REGENCY)

    def ticket_or_404(self, pk: int) -> Ticket:
        ticket = regency_ticket_get(self.viewer, pk)
        if ticket is None:
            raise Http404(_("There is no such ticket."))
        return ticket


def requester_role(user: User) -> str:
    """The requester's role as text, for the engineers (their position if known)."""
    parts = [str(_("Regency admin"))] if user.is_regency_admin else []
    profile = StaffProfile.objects.select_related("position", "work_unit").filter(user=user).first()
    if profile is not None:
        parts += [str(p) for p in (profile.position, profile.work_unit) if p is not None]
    return ", ".join(parts) or str(_("Staff"))


class HelpHomeView(RegencyStaffRequiredMixin, View):
    """Search the knowledge base first; then the person's recent tickets."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        articles = list(article_search(query)[:MAX_RESULTS]) if query else []
        tickets = regency_tickets(self.viewer).filter(status__in=Ticket.ACTIVE)[:10]
        source = request.GET.get("from") or request.headers.get("referer", "")
        return render(
            request,
            "support/regency/home.html",
            {
                "query": query,
                "articles": articles,
                "tickets": tickets,
                "from_path": safe_source_path(source, request.get_host()),
            },
        )


class ArticleSuggestView(RegencyStaffRequiredMixin, View):
    """Articles matching what is being typed (an htmx fragment)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = (request.GET.get("subject") or request.GET.get("q") or "").strip()
        articles = list(article_search(query)[:5]) if len(query) >= 3 else []
        return render(
            request, "support/regency/_suggestions.html", {"articles": articles, "query": query}
        )


class ArticleDetailView(RegencyStaffRequiredMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        article = article_published(slug)
        if article is None:
            raise Http404(_("There is no such article."))
        return render(request, "support/regency/article.html", {"article": article})


class TicketListView(RegencyStaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        show = request.GET.get("show", "active")
        tickets = regency_tickets(self.viewer)
        if show != "all":
            tickets = tickets.filter(status__in=Ticket.ACTIVE)
        page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "support/regency/ticket_list.html",
            {"page": page, "show": show, "is_admin": self.user.is_regency_admin},
        )


class TicketCreateView(RegencyStaffRequiredMixin, View):
    def _form(self, request: HttpRequest, data: Any = None, files: Any = None) -> TicketForm:
        follow = None
        raw = request.GET.get("follow_up", "")
        if raw.isdigit():
            follow = regency_ticket_get(self.viewer, int(raw))
        source = request.GET.get("from") or request.headers.get("referer", "")
        return TicketForm(
            data,
            files,
            initial={
                "source_path": safe_source_path(source, request.get_host()),
                **ticket_initial(follow),
            },
            host=request.get_host(),
            suggest_url=reverse("support:article_suggest"),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            follow = None
            if data.get("follow_up_of"):
                follow = regency_ticket_get(self.viewer, data["follow_up_of"])
            try:
                ticket = ticket_create(
                    tenant=self.tenant,
                    requester=Requester(
                        user_id=self.user.pk,
                        name=self.user.full_name or self.user.email,
                        email=self.user.email,
                        role=requester_role(self.user),
                        language=get_language() or "id",
                    ),
                    subject=data["subject"],
                    body=data["body"],
                    category=data["category"],
                    priority=data["priority"],
                    module=data["module"],
                    source_path=data["source_path"],
                    uploads=data["attachments"],
                    follow_up_of=follow,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Ticket %(ref)s is open. Sragen's engineers have been told.")
                    % {"ref": ticket.reference},
                )
                return redirect("support:ticket_detail", pk=ticket.pk)
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: TicketForm, status: int = 200) -> HttpResponse:
        subject = str(form["subject"].value() or "")
        articles = list(article_search(subject)[:5]) if len(subject) >= 3 else []
        return render(
            request,
            "support/regency/ticket_form.html",
            {"form": form, "articles": articles, "query": subject},
            status=status,
        )


def _module_label(code: str) -> str:
    return str(dict(module_field_choices()).get(code, code))


class TicketDetailView(RegencyStaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_ticket(request, self.ticket_or_404(pk))

    def render_ticket(
        self,
        request: HttpRequest,
        ticket: Ticket,
        *,
        reply_form: ReplyForm | None = None,
        rating_form: RatingForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        closed_for_good = (
            ticket.status in (S.RESOLVED, S.CLOSED) and not can_reopen(ticket)
        ) or ticket.merged_into_id is not None
        can_rate = (
            ticket.status in (S.RESOLVED, S.CLOSED)
            and ticket.rating is None
            and ticket.merged_into_id is None
        )
        context = {
            "ticket": ticket,
            "module_label": _module_label(ticket.module),
            "messages_list": list(public_messages(ticket)),
            "ticket_files": list(public_attachments(ticket).filter(message__isnull=True)),
            "transitions": list(ticket.transitions.all()),
            # A refused reply comes back in its form, so its text is never lost.
            "reply_form": reply_form or (None if closed_for_good else ReplyForm()),
            "closed_for_good": closed_for_good,
            "reopens": ticket.status in (S.RESOLVED, S.CLOSED),
            "rating_form": (rating_form or RatingForm()) if can_rate else None,
        }
        return render(request, "support/regency/ticket_detail.html", context, status=status)


class TicketReplyView(TicketDetailView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support:ticket_detail", pk=self.ticket_or_404(pk).pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self.ticket_or_404(pk)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket_reply(
                    ticket=ticket,
                    actor=self.actor,
                    body=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            except (ReplyRefused, TransitionRefused) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your reply has been sent."))
                return redirect("support:ticket_detail", pk=ticket.pk)
        ticket.refresh_from_db()
        return self.render_ticket(request, ticket, reply_form=form, status=400)


class TicketRateView(TicketDetailView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support:ticket_detail", pk=self.ticket_or_404(pk).pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self.ticket_or_404(pk)
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                ticket_rate(
                    ticket=ticket,
                    actor=self.actor,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Thank you for rating the resolution."))
                return redirect("support:ticket_detail", pk=ticket.pk)
        return self.render_ticket(request, ticket, rating_form=form, status=400)


class TicketConfirmView(TicketDetailView):
    """The requester confirms a resolution: resolved -> closed (rating stays open)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support:ticket_detail", pk=self.ticket_or_404(pk).pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self.ticket_or_404(pk)
        try:
            ticket_transition(
                ticket=ticket,
                to_status=S.CLOSED,
                actor=self.actor,
                reason=_("The regency confirmed the resolution."),
            )
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: the ticket is closed."))
        return redirect("support:ticket_detail", pk=ticket.pk)


def attachment_response(attachment: TicketAttachment) -> FileResponse:
    """The file as a download (never displayed inline), under its original name."""
    try:
        handle = support_storage().open(attachment.stored_name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is no longer available.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentDownloadView(RegencyStaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
        ticket = self.ticket_or_404(pk)
        attachment = public_attachments(ticket).filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404(_("There is no such file."))
        return attachment_response(attachment)

"""Canned replies and knowledge-base articles, written by engineers in the console."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from console.permissions import EngineerRequiredMixin
from core.forms import errors_onto_form
from support.forms.console import ArticleForm, CannedReplyForm
from support.models import CannedReply, KnowledgeArticle
from support.selectors.knowledge import article_search
from support.services.library import article_save, canned_reply_delete, canned_reply_save
from support.views.console_tickets import engineer_actor


class CannedReplyListView(EngineerRequiredMixin, View):
    """The list, with a form to add one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CannedReplyForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CannedReplyForm(request.POST)
        if form.is_valid():
            try:
                canned_reply_save(
                    actor=engineer_actor(request),
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Canned reply saved."))
                return redirect("support_console:canned_list")
        return self._render(request, form, status=400)

    def _render(
        self, request: HttpRequest, form: CannedReplyForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "support/console/canned_list.html",
            {"form": form, "replies": CannedReply.objects.all()},
            status=status,
        )


class CannedReplyEditView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        canned = get_object_or_404(CannedReply, pk=pk)
        return self._render(request, canned, CannedReplyForm(instance=canned))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        canned = get_object_or_404(CannedReply, pk=pk)
        form = CannedReplyForm(request.POST, instance=canned)
        if form.is_valid():
            try:
                canned_reply_save(
                    actor=engineer_actor(request),
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    canned=canned,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Canned reply saved."))
                return redirect("support_console:canned_list")
        return self._render(request, canned, form, status=400)

    def _render(
        self, request: HttpRequest, canned: CannedReply, form: CannedReplyForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "support/console/canned_form.html",
            {"form": form, "canned": canned},
            status=status,
        )


class CannedReplyDeleteView(EngineerRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        canned = get_object_or_404(CannedReply, pk=pk)
        canned_reply_delete(actor=engineer_actor(request), canned=canned)
        messages.success(request, _("Canned reply removed."))
        return redirect("support_console:canned_list")


class ArticleListView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        articles = article_search(query, published_only=False)
        return render(
            request, "support/console/article_list.html", {"articles": articles, "query": query}
        )


class ArticleEditView(EngineerRequiredMixin, View):
    """A new article (no pk) or an existing one."""

    def _article(self, pk: int | None) -> KnowledgeArticle | None:
        return None if pk is None else get_object_or_404(KnowledgeArticle, pk=pk)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self._article(pk)
        return self._render(request, article, ArticleForm(instance=article))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self._article(pk)
        form = ArticleForm(request.POST, instance=article)
        if form.is_valid():
            data = form.cleaned_data
            try:
                article_save(
                    actor=engineer_actor(request),
                    title=data["title"],
                    body=data["body"],
                    category=data["category"],
                    module=data["module"],
                    is_published=data["is_published"],
                    article=article,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Article saved."))
                return redirect("support_console:article_list")
        return self._render(request, article, form, status=400)

    def _render(
        self,
        request: HttpRequest,
        article: KnowledgeArticle | None,
        form: ArticleForm,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "support/console/article_form.html",
            {"form": form, "article": article},
            status=status,
        )

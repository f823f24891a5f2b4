"""Engineers' writes on what the desk keeps besides tickets: knowledge-base
articles, canned replies, saved queue views. Audited in the public schema."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.audit import audit_record
from support.lifecycle import Actor
from support.models import CannedReply, KnowledgeArticle, SavedView
from support.services.tickets import module_choices

MAX_QUERYSTRING = 500


def _unique_slug(title: str, exclude_pk: int | None) -> str:
    base = slugify(title)[:100] or "artikel"
    slug, number = base, 2
    taken = KnowledgeArticle.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list("slug", flat=True))
    while slug in used:
        slug = f"{base}-{number}"
        number += 1
    return slug


def article_save(
    *,
    actor: Actor,
    title: str,
    body: str,
    category: str,
    module: str,
    is_published: bool,
    article: KnowledgeArticle | None = None,
) -> KnowledgeArticle:
    """Create (no `article`) or update an article. Its slug is made from the
    title once and then kept, so links pasted into replies keep working."""
    if module not in module_choices():
        raise ValidationError({"module": [_("Choose a module from the list.")]})
    with transaction.atomic():
        creating = article is None
        if article is None:
            article = KnowledgeArticle(created_by_email=actor.email)
        article.title = title.strip()
        article.body = body.strip()
        article.category = category
        article.module = module
        article.is_published = is_published
        article.updated_by_email = actor.email
        if creating:
            article.slug = _unique_slug(article.title, None)
        article.full_clean()
        article.save()
        audit_record(
            action="support.article.created" if creating else "support.article.updated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"article:{article.slug}",
            detail={"published": is_published},
        )
    return article


def canned_reply_save(
    *, actor: Actor, title: str, body: str, canned: CannedReply | None = None
) -> CannedReply:
    with transaction.atomic():
        creating = canned is None
        if canned is None:
            canned = CannedReply(created_by_email=actor.email)
        canned.title = title.strip()
        canned.body = body.strip()
        canned.updated_by_email = actor.email
        canned.full_clean()
        canned.save()
        audit_record(
            action="support.canned.created" if creating else "support.canned.updated",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"canned:{canned.pk}",
            detail={"title": canned.title},
        )
    return canned


def canned_reply_delete(*, actor: Actor, canned: CannedReply) -> None:
    with transaction.atomic():
        audit_record(
            action="support.canned.deleted",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"canned:{canned.pk}",
            detail={"title": canned.title},
        )
        canned.delete()


def saved_view_save(*, actor: Actor, name: str, querystring: str) -> SavedView:
    """Save (or overwrite, by name) one of the engineer's queue filters."""
    # Re-encoded from its parts: what is stored (and redirected to) is a plain
    # query string whatever was posted; the page number is not part of a view.
    params = QueryDict(querystring.lstrip("?"), mutable=True)
    params.pop("page", None)
    querystring = params.urlencode()
    if len(querystring) > MAX_QUERYSTRING:
        raise ValidationError(_("This filter is too long to save."))
    if not name.strip():
        raise ValidationError({"name": [_("Name the view.")]})
    with transaction.atomic():
        view, _created = SavedView.objects.update_or_create(
            engineer_email=actor.email.lower(),
            name=name.strip()[:60],
            defaults={"querystring": querystring},
        )
        audit_record(
            action="support.view.saved",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"view:{view.pk}",
            detail={"name": view.name, "query": querystring},
        )
    return view


def saved_view_delete(*, actor: Actor, view: SavedView) -> None:
    if view.engineer_email != actor.email.lower():
        raise ValidationError(_("This view belongs to another engineer."))
    with transaction.atomic():
        audit_record(
            action="support.view.deleted",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"view:{view.pk}",
            detail={"name": view.name},
        )
        view.delete()

"""The engineers' tools: canned replies, saved queue views, knowledge-base articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CannedReply(models.Model):
    """A reply engineers insert and adapt instead of retyping it."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    body = models.TextField(_("text"))
    created_by_email = models.EmailField(blank=True)
    updated_by_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.title


class SavedView(models.Model):
    """An engineer's named queue filter, kept as the queue's query string."""

    engineer_email = models.EmailField()
    name = models.CharField(_("name"), max_length=60)
    querystring = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["engineer_email", "name"], name="saved_view_unique")
        ]

    def __str__(self) -> str:
        return self.name


class KnowledgeArticle(models.Model):
    """A help article. The body is plain text with blank lines between paragraphs;
    it is escaped when shown, links are made clickable, nothing else is markup."""

    class Category(models.TextChoices):
        HOW_TO = "how_to", _("How to")
        TROUBLESHOOTING = "troubleshooting", _("Troubleshooting")
        FAQ = "faq", _("Frequently asked")
        POLICY = "policy", _("Service policy")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    body = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # A module code, or "platform" for articles about the service as a whole.
    module = models.CharField(_("module"), max_length=40, default="platform")
    is_published = models.BooleanField(_("published"), default=False)
    created_by_email = models.EmailField(blank=True)
    updated_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("knowledge-base article")

    def __str__(self) -> str:
        return self.title

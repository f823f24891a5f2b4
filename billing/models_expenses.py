"""Receipts and the approval history of on-site visits.

Imported by billing.models, which is where Django registers them."""

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext_lazy as _

RECEIPT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


def receipt_path(instance: "SiteVisitReceipt", filename: str) -> str:
    """billing/receipts/<visit>/<random>.<ext>: the engineer's file name is kept
    in the row, never used as a path."""
    extension = PurePosixPath(filename).suffix.lower().lstrip(".") or "bin"
    return f"billing/receipts/{instance.visit_id}/{uuid.uuid4().hex}.{extension}"


class SiteVisitReceipt(models.Model):
    """A scanned receipt (ticket, hotel bill) backing a site visit's costs."""

    visit = models.ForeignKey(
        "billing.SiteVisit", on_delete=models.PROTECT, related_name="receipts"
    )
    file = models.FileField(upload_to=receipt_path, max_length=200)
    original_name = models.CharField(max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by_email = models.EmailField(blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class SiteVisitTransition(models.Model):
    """One status move of a site visit: who, when, why."""

    visit = models.ForeignKey(
        "billing.SiteVisit", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"

"""Template filters of the permit office pages."""

from django import template
from django.utils.functional import Promise

from modules.permits.models import Application

register = template.Library()


@register.filter
def status_label(value: str) -> str | Promise:
    """The human label of an application status code."""
    if value in Application.Status.values:
        return Application.Status(value).label
    return value


@register.filter
def rupiah(value: int | None) -> str:
    """1500000 -> "Rp 1.500.000" (Indonesian grouping)."""
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")

"""Template filters of the permit office pages."""

from django import template
from django.utils.functional import Promise

from core.modules import role_lookup
from modules.permits.models import Application

register = template.Library()


@register.filter
def status_label(value: str) -> str | Promise:
    """The human label of an application status code."""
    if value in Application.Status.values:
        return Application.Status(value).label
    return value


@register.filter
def role_label(code: str) -> str | Promise:
    """The translated label of a permits role code ("back_office" -> "Back office")."""
    role = role_lookup("permits", code)
    return role.label if role is not None else code


@register.filter
def rupiah(value: int | None) -> str:
    """1500000 -> "Rp 1.500.000" (Indonesian grouping)."""
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")

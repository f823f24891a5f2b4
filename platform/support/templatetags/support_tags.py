"""Badges and inert text for the support desk's templates."""

from django import template
from django.template.defaultfilters import linebreaksbr, urlize
from django.utils.safestring import SafeString

register = template.Library()

STATUS_BADGES = {
    "new": "text-bg-primary",
    "open": "text-bg-info",
    "waiting": "text-bg-warning",
    "resolved": "text-bg-success",
    "closed": "text-bg-secondary",
}
PRIORITY_BADGES = {
    "critical": "text-bg-danger",
    "high": "text-bg-warning",
    "normal": "text-bg-light border",
    "low": "text-bg-light border text-body-secondary",
}
SLA_BADGES = {
    "breached": "text-bg-danger",
    "at_risk": "text-bg-warning",
    "paused": "text-bg-light border",
    "ok": "text-bg-success",
}


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def priority_badge(priority: str) -> str:
    return PRIORITY_BADGES.get(priority, "text-bg-light")


@register.filter
def sla_badge(state: str) -> str:
    return SLA_BADGES.get(state, "text-bg-light")


@register.filter
def inert(text: str) -> SafeString:
    """People's text, shown as text: every character escaped, web addresses made
    links (with rel="nofollow"), line breaks kept. Nothing else becomes markup."""
    linked = urlize(str(text or ""), autoescape=True)
    return SafeString(linebreaksbr(linked, autoescape=False))

"""Small presentation helpers for the console's templates."""

from django import template

from tenants.provisioning.steps import STEP_LABELS

register = template.Library()

_STATUS_BADGES = {
    # tenant lifecycle
    "prospect": "text-bg-light border",
    "provisioning": "text-bg-info",
    "active": "text-bg-success",
    "suspended": "text-bg-warning",
    "archived": "text-bg-secondary",
    "deleted": "text-bg-dark",
    # provisioning runs and steps
    "pending": "text-bg-light border",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "succeeded": "text-bg-success",
    "failed": "text-bg-danger",
    "cancelled": "text-bg-secondary",
    # fleet migration state
    "current": "text-bg-success",
    "no schema": "text-bg-light border",
}


@register.filter
def badge_class(status: str) -> str:
    return _STATUS_BADGES.get(str(status), "text-bg-secondary")


@register.filter
def step_label(name: str) -> str:
    return str(STEP_LABELS.get(name, name))


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None

"""What every console view shares: the engineer as an Actor, the tenant from the
URL, and the detail page re-rendered with a form's errors."""

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from console.forms import (
    DeleteForm,
    DomainAddForm,
    ProvisionForm,
    RestoreForm,
    SupportGrantForm,
    TransitionForm,
)
from console.permissions import console_user
from core.modules import installed_modules
from tenants.lifecycle import ALLOWED, Actor
from tenants.models import Tenant
from tenants.selectors import (
    engineer_active_grants,
    provisioning_runs,
    support_grants,
    tenant_for_console,
    tenant_overview,
)

logger = logging.getLogger(__name__)
S = Tenant.Status

# The moves an engineer makes with a button and a reason. Activation of a new
# regency is the pipeline's last step, and going back to prospect is what Cancel
# does, so neither is offered here.
MANUAL_MOVES: dict[str, Any] = {
    S.SUSPENDED: gettext_lazy("Suspend"),
    S.ACTIVE: gettext_lazy("Reactivate"),
    S.ARCHIVED: gettext_lazy("Archive"),
}
# Statuses whose schema exists, so that there is something to export.
EXPORTABLE = (S.ACTIVE, S.SUSPENDED, S.ARCHIVED)
SUPPORTABLE = (S.ACTIVE, S.SUSPENDED)


def actor_of(request: HttpRequest) -> Actor:
    user = console_user(request)
    return Actor(email=user.email, name=user.full_name)


def tenant_or_404(slug: str) -> Tenant:
    tenant = tenant_for_console(slug)
    if tenant is None:
        raise Http404(_("There is no regency '%(slug)s'.") % {"slug": slug})
    return tenant


def manual_move_refusal(tenant: Tenant, to_status: str) -> str | None:
    """Why the console does not offer this move, beyond the lifecycle's own rules."""
    if to_status == S.ACTIVE and tenant.status == S.PROVISIONING:
        return _("A regency being provisioned is activated by its provisioning run.")
    return None


def manual_moves(tenant: Tenant) -> list[tuple[str, Any]]:
    """(status, button label) for each move allowed from the tenant's status."""
    return [
        (to_status, label)
        for to_status, label in MANUAL_MOVES.items()
        if to_status in ALLOWED[tenant.status] and manual_move_refusal(tenant, to_status) is None
    ]


def detail_context(
    request: HttpRequest, tenant: Tenant, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """Everything the tenant page shows. `bound` holds the forms to show with
    the engineer's input and errors, by name; the others are blank."""
    bound = bound or {}
    user: User = console_user(request)
    enabled = set(tenant.entitlements.values_list("module_code", flat=True))
    modules = [
        {"code": m.code, "label": m.label_text or m.code, "enabled": m.code in enabled}
        for m in installed_modules()
    ]
    known = {m["code"] for m in modules}
    # An entitlement of a module no longer installed still shows, so it can be turned off.
    modules += [
        {"code": code, "label": code, "enabled": True, "missing": True}
        for code in sorted(enabled - known)
    ]
    moves = [
        {
            "to_status": to_status,
            "label": label,
            "form": bound.get(f"move_{to_status}") or TransitionForm(prefix=f"move_{to_status}"),
        }
        for to_status, label in manual_moves(tenant)
    ]
    exports = list(tenant.exports.all())
    restore_forms = {
        export.pk: bound.get(f"restore_{export.pk}") or RestoreForm(prefix=f"restore_{export.pk}")
        for export in exports
    }
    return {
        "tenant": tenant,
        "overview": tenant_overview(tenant),
        "domains": list(tenant.domains.all()),
        "domain_form": bound.get("domain") or DomainAddForm(prefix="domain"),
        "modules": modules,
        "moves": moves,
        "refused_move_form": next(
            (
                form
                for key, form in bound.items()
                if key.startswith("move_") and key not in {f"move_{m['to_status']}" for m in moves}
            ),
            None,
        ),
        "can_delete": S.DELETED in ALLOWED[tenant.status],
        "delete_form": bound.get("delete") or DeleteForm(prefix="delete"),
        "can_export": tenant.status in EXPORTABLE,
        "exports": exports,
        "restore_forms": restore_forms,
        "history": list(tenant.transitions.all()),
        "runs": list(provisioning_runs(tenant)),
        "provision_form": (
            (bound.get("provision") or ProvisionForm(prefix="provision"))
            if tenant.status == S.PROSPECT
            else None
        ),
        "can_request_support": tenant.status in SUPPORTABLE,
        "support_form": bound.get("support") or SupportGrantForm(prefix="support"),
        "grants": list(support_grants(tenant)),
        "my_grant_ids": set(
            engineer_active_grants(tenant, user.email).values_list("pk", flat=True)
        ),
        "editable": tenant.status != S.DELETED,
    }


def render_detail(
    request: HttpRequest, tenant: Tenant, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    return render(request, "console/tenant_detail.html", detail_context(request, tenant, bound))


def to_detail(tenant: Tenant, anchor: str = "") -> HttpResponse:
    response = redirect("console_tenant_detail", slug=tenant.slug)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def queue_on_commit(request: HttpRequest, send: Any, failure_message: str) -> None:
    """Queue a Celery task once the transaction commits (at once outside one).

    A broker that cannot be reached raises within seconds; the engineer gets
    the message instead of an error page, and what was saved stays saved."""

    def publish() -> None:
        try:
            send()
        except Exception:
            logger.exception("Could not queue a console task")
            messages.error(request, failure_message)

    transaction.on_commit(publish)

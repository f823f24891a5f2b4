"""POST-only actions on one regency. Each checks its input with a form, calls one
service, and either returns to the tenant page with a message or re-renders it
with the errors next to the form that caused them."""

import posixpath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import View

from console.forms import (
    DeleteForm,
    DomainAddForm,
    RestoreForm,
    SupportGrantForm,
    TransitionForm,
)
from console.permissions import EngineerRequiredMixin, console_user
from console.views.common import (
    MANUAL_MOVES,
    actor_of,
    manual_move_refusal,
    render_detail,
    tenant_or_404,
    to_detail,
)
from core.forms import errors_onto_form
from tenants.exports import export_open, tenant_delete, tenant_export, tenant_restore
from tenants.lifecycle import TransitionRefused, tenant_transition
from tenants.models import Domain, SupportAccessGrant, Tenant, TenantExport
from tenants.services import domain_add, domain_make_primary, domain_remove, entitlement_set
from tenants.support_access import support_entry_token, support_grant_create


class TenantPostView(EngineerRequiredMixin, View):
    http_method_names = ["post"]


# --- domains ------------------------------------------------------------------------


class DomainAddView(TenantPostView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        form = DomainAddForm(request.POST, prefix="domain")
        if form.is_valid():
            try:
                domain_add(
                    tenant=tenant,
                    domain=form.cleaned_data["domain"],
                    is_primary=form.cleaned_data["is_primary"],
                    actor_email=actor_of(request).email,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(domain)s now routes to %(name)s.")
                    % {"domain": form.cleaned_data["domain"], "name": tenant.name},
                )
                return to_detail(tenant, "domains")
        return render_detail(request, tenant, {"domain": form})


def _domain_of(tenant: Tenant, domain_id: int) -> Domain:
    return get_object_or_404(Domain, pk=domain_id, tenant=tenant)


class DomainPrimaryView(TenantPostView):
    def post(self, request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        domain = _domain_of(tenant, domain_id)
        domain_make_primary(domain=domain, actor_email=actor_of(request).email)
        messages.success(
            request, _("%(domain)s is now the primary domain.") % {"domain": domain.domain}
        )
        return to_detail(tenant, "domains")


class DomainRemoveView(TenantPostView):
    def post(self, request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        domain = _domain_of(tenant, domain_id)
        try:
            domain_remove(domain=domain, actor_email=actor_of(request).email)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(domain)s was removed.") % {"domain": domain.domain})
        return to_detail(tenant, "domains")


# --- modules ------------------------------------------------------------------------


class ModuleToggleView(TenantPostView):
    def post(self, request: HttpRequest, slug: str, code: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        enabled = request.POST.get("enabled") == "1"
        try:
            changed = entitlement_set(
                tenant=tenant,
                module_code=code,
                enabled=enabled,
                actor_email=actor_of(request).email,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if changed:
                text = (
                    _("%(module)s is enabled for %(name)s.")
                    if enabled
                    else _("%(module)s is disabled for %(name)s.")
                )
                messages.success(request, text % {"module": code, "name": tenant.name})
        return to_detail(tenant, "modules")


# --- lifecycle ----------------------------------------------------------------------


class TransitionView(TenantPostView):
    """Suspend, reactivate or archive, with a reason."""

    def post(self, request: HttpRequest, slug: str, to_status: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        if to_status not in MANUAL_MOVES:
            raise Http404(_("That is not a move the console makes."))
        form = TransitionForm(request.POST, prefix=f"move_{to_status}")
        if form.is_valid():
            refusal = manual_move_refusal(tenant, to_status)
            try:
                if refusal is not None:
                    raise TransitionRefused(refusal)
                tenant_transition(
                    tenant=tenant,
                    to_status=to_status,
                    actor=actor_of(request),
                    reason=form.cleaned_data["reason"],
                )
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s is now %(status)s.")
                    % {"name": tenant.name, "status": Tenant.Status(to_status).label},
                )
                return to_detail(tenant, "lifecycle")
        tenant.refresh_from_db()
        return render_detail(request, tenant, {f"move_{to_status}": form})


class DeleteView(TenantPostView):
    """Delete an archived regency: typed confirmation; an export is taken first."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        form = DeleteForm(request.POST, prefix="delete")
        if form.is_valid():
            try:
                export = tenant_delete(
                    tenant=tenant,
                    actor=actor_of(request),
                    confirmation=form.cleaned_data["confirmation"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is deleted; export #%(id)s keeps its data.")
                    % {"name": tenant.name, "id": export.pk},
                )
                return to_detail(tenant, "lifecycle")
        tenant.refresh_from_db()
        return render_detail(request, tenant, {"delete": form})


# --- exports ------------------------------------------------------------------------


def _export_of(tenant: Tenant, export_id: int) -> TenantExport:
    return get_object_or_404(TenantExport, pk=export_id, tenant=tenant)


class ExportView(TenantPostView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        try:
            export = tenant_export(tenant=tenant, actor=actor_of(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Export #%(id)s is ready (%(size)s).")
                % {"id": export.pk, "size": filesizeformat(export.size_bytes)},
            )
        return to_detail(tenant, "exports")


class ExportDownloadView(EngineerRequiredMixin, View):
    """The archive, streamed from the platform's storage; engineers only."""

    def get(self, request: HttpRequest, slug: str, export_id: int) -> FileResponse:
        export = _export_of(tenant_or_404(slug), export_id)
        try:
            handle = export_open(export)
        except (FileNotFoundError, OSError):
            raise Http404(_("The archive is missing from storage.")) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=posixpath.basename(export.path),
            content_type="application/gzip",
        )


class RestoreView(TenantPostView):
    """Restore an export into a new regency (suspended, without domains)."""

    def post(self, request: HttpRequest, slug: str, export_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        export = _export_of(tenant, export_id)
        form = RestoreForm(request.POST, prefix=f"restore_{export.pk}")
        if form.is_valid():
            try:
                restored = tenant_restore(
                    export=export, slug=form.cleaned_data["slug"], actor=actor_of(request)
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Export #%(id)s is restored as %(slug)s, suspended and without domains.")
                    % {"id": export.pk, "slug": restored.slug},
                )
                return redirect("console_tenant_detail", slug=restored.slug)
        return render_detail(request, tenant, {f"restore_{export.pk}": form})


# --- support access -----------------------------------------------------------------


class SupportGrantView(TenantPostView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        form = SupportGrantForm(request.POST, prefix="support")
        if form.is_valid():
            try:
                support_grant_create(
                    tenant=tenant,
                    engineer=console_user(request),
                    reason=form.cleaned_data["reason"],
                    hours=form.cleaned_data["hours"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("You may enter %(name)s for %(hours)d hours; its admins can see and end it.")
                    % {"name": tenant.name, "hours": form.cleaned_data["hours"]},
                )
                return to_detail(tenant, "support")
        return render_detail(request, tenant, {"support": form})


class SupportEnterView(TenantPostView):
    """A one-time entry link for my grant, followed at once: to the regency's
    primary domain, on the port this console is served on."""

    def post(self, request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        grant = get_object_or_404(SupportAccessGrant, pk=grant_id, tenant=tenant)
        domain = tenant.domains.filter(is_primary=True, is_active=True).first()
        if domain is None:
            messages.error(
                request, _("%(name)s has no active primary domain.") % {"name": tenant.name}
            )
            return to_detail(tenant, "support")
        try:
            token = support_entry_token(grant=grant, engineer=console_user(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return to_detail(tenant, "support")
        port = request.get_port()
        suffix = "" if port in ("80", "443") else f":{port}"
        return HttpResponseRedirect(
            f"{request.scheme}://{domain.domain}{suffix}/support-access/enter/{token}/"
        )

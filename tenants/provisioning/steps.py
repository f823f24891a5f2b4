"""The provisioning steps, in order. Each is idempotent: it checks what is already
there before acting, so a run interrupted anywhere (a killed worker, a failed
call) finishes on retry without creating anything twice."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_exists, tenant_context

from accounts.invitations import invitation_send
from accounts.models import User
from billing.services import billing_customer_ensure
from core.modules import installed_modules
from organisation.models import Kecamatan
from organisation.services import areas_apply_import, areas_csv_parse, areas_load_reference
from tenants.lifecycle import SYSTEM, tenant_transition
from tenants.models import Domain, ProvisioningRun
from tenants.routing import routing_invalidate
from tenants.template import schema_clone_from_template

STORAGE_MARKER = ".sukowati"


class StepFailed(Exception):
    """A step cannot go on; its message is shown to the engineer next to Retry."""


def reserve(run: ProvisioningRun) -> dict[str, Any]:
    tenant = run.tenant
    with transaction.atomic():
        for index, host in enumerate(run.domains):
            owner = Domain.objects.filter(domain=host).select_related("tenant").first()
            if owner is not None and owner.tenant_id != tenant.pk:
                raise StepFailed(
                    _("%(domain)s already belongs to %(name)s.")
                    % {"domain": host, "name": owner.tenant.name}
                )
            if owner is None:
                Domain.objects.create(
                    tenant=tenant, domain=host, is_primary=index == 0, is_active=False
                )
    return {"domains": run.domains}


def schema(run: ProvisioningRun) -> dict[str, Any]:
    name = run.tenant.schema_name
    # The clone is one transaction: the schema is either complete or absent.
    if not schema_exists(name):
        schema_clone_from_template(name)
        return {"schema": name, "cloned": True}
    return {"schema": name, "cloned": False}


def reference(run: ProvisioningRun) -> dict[str, Any]:
    tenant = run.tenant
    with tenant_context(tenant):
        kecamatan, desa = areas_load_reference(region_code=tenant.region_code)
        local = 0
        if run.reference_csv:
            parsed = areas_csv_parse(
                content=run.reference_csv.encode(),
                region_code=tenant.region_code,
                known_kecamatan=set(Kecamatan.objects.values_list("code", flat=True)),
            )
            if not parsed.ok:
                raise StepFailed("; ".join(parsed.errors))
            local = areas_apply_import(parsed=parsed)
        catalogues = []
        for module in installed_modules():
            loader = getattr(module, "catalogue_load", None)
            if loader is not None:
                loader()
                catalogues.append(module.code)
    return {"kecamatan": kecamatan, "desa": desa, "local_changes": local, "catalogues": catalogues}


def admin(run: ProvisioningRun) -> dict[str, Any]:
    tenant = run.tenant
    with tenant_context(tenant):
        user = User.objects.filter(email__iexact=run.admin_email).first()
        if user is None:
            from accounts.services import user_create

            user = user_create(
                email=run.admin_email,
                full_name=run.admin_name,
                password=None,
                email_verified=True,
                is_regency_admin=True,
            )
        invitation_send(user=user, host=run.domains[0], once=True)
    return {"admin": run.admin_email}


def storage(run: ProvisioningRun) -> dict[str, Any]:
    with tenant_context(run.tenant):
        if not default_storage.exists(STORAGE_MARKER):
            default_storage.save(STORAGE_MARKER, ContentFile(run.tenant.slug.encode()))
    return {"prefix": f"{run.tenant.schema_name}/"}


def billing(run: ProvisioningRun) -> dict[str, Any]:
    customer = billing_customer_ensure(tenant=run.tenant, email=run.admin_email)
    return {"customer": customer.pk, "stripe": customer.stripe_customer_id or None}


def domains(run: ProvisioningRun) -> dict[str, Any]:
    Domain.objects.filter(tenant=run.tenant).update(is_active=True)
    routing_invalidate()
    return {"active": run.domains}


def activate(run: ProvisioningRun) -> dict[str, Any]:
    run.tenant.refresh_from_db()
    if run.tenant.status != run.tenant.Status.ACTIVE:
        tenant_transition(
            tenant=run.tenant,
            to_status=run.tenant.Status.ACTIVE,
            actor=SYSTEM,
            reason=_("Provisioning finished"),
        )
    return {"url": f"http://{run.domains[0]}{_port_suffix()}/"}


def _port_suffix() -> str:
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    return f":{port}" if port else ""


STEPS: tuple[tuple[str, Any, Callable[[ProvisioningRun], dict[str, Any]]], ...] = (
    ("reserve", gettext_lazy("Reserve slug and domains"), reserve),
    ("schema", gettext_lazy("Create the schema from the template"), schema),
    ("reference", gettext_lazy("Load kecamatan, desa and catalogues"), reference),
    ("admin", gettext_lazy("Create the regency admin and send the invitation"), admin),
    ("storage", gettext_lazy("Prepare file storage"), storage),
    ("billing", gettext_lazy("Create the billing customer"), billing),
    ("domains", gettext_lazy("Attach domains"), domains),
    ("activate", gettext_lazy("Activate"), activate),
)
STEP_NAMES = tuple(name for name, _label, _func in STEPS)
STEP_LABELS = {name: label for name, label, _func in STEPS}
STEP_FUNCTIONS = {name: func for name, _label, func in STEPS}

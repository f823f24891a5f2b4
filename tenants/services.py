"""Writes on regencies. Each validates everything first and runs in one
transaction, so a refused or failed call leaves no row and no schema behind."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from tenants.audit import platform_audit
from tenants.models import TEMPLATE_SCHEMA, Domain, Entitlement, EntitlementChange, Tenant
from tenants.regions import regency_get
from tenants.template import schema_clone_from_template
from tenants.validators import validate_domain, validate_regency_code, validate_tenant_slug


def schema_name_for_slug(slug: str) -> str:
    return slug.replace("-", "_")


def tenant_create(
    *,
    slug: str,
    region_code: str,
    domains: list[str] | None = None,
    name: str | None = None,
    status: str = Tenant.Status.ACTIVE,
) -> Tenant:
    """Create a regency at once, with its schema (cloned from the template) and its
    domains; `domains` defaults to `<slug>.<root domain>`, the first is the primary.
    Provisioning is the audited path for real regencies; this serves the demo seed."""
    tenant = _tenant_new(slug=slug, region_code=region_code, name=name, status=status)
    hosts = domains or [f"{slug}.{settings.ROOT_DOMAIN}"]
    for host in hosts:
        validate_new_domain(host)
    with transaction.atomic():
        tenant.save()
        # DDL is transactional in PostgreSQL: a failure below rolls the new schema
        # back together with the rows.
        schema_clone_from_template(tenant.schema_name)
        for index, host in enumerate(hosts):
            Domain.objects.create(tenant=tenant, domain=host, is_primary=index == 0)
    return tenant


def _tenant_new(*, slug: str, region_code: str, name: str | None, status: str) -> Tenant:
    """An unsaved, fully validated Tenant with its facts from the national list."""
    _validate_new_tenant(slug=slug, region_code=region_code)
    regency = regency_get(region_code)
    assert regency is not None  # checked by _validate_new_tenant
    schema_name = schema_name_for_slug(slug)
    if schema_exists(schema_name):
        raise ValidationError(
            {
                "slug": _("A schema named '%(schema)s' already exists in the database.")
                % {"schema": schema_name}
            }
        )
    tenant = Tenant(
        slug=slug,
        schema_name=schema_name,
        name=name or regency.short_name,
        region_code=region_code,
        province=regency.province_name,
        time_zone=regency.time_zone,
        status=status,
    )
    tenant.full_clean()
    return tenant


def _validate_new_tenant(*, slug: str, region_code: str) -> None:
    errors: dict[str, list[str]] = {}
    for field, validator, value in (
        ("slug", validate_tenant_slug, slug),
        ("region_code", validate_regency_code, region_code),
    ):
        try:
            validator(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if "slug" not in errors and Tenant.objects.filter(slug=slug).exists():
        errors["slug"] = [_("A regency with the slug '%(slug)s' already exists.") % {"slug": slug}]
    if "region_code" not in errors:
        existing = Tenant.objects.filter(
            region_code=region_code, status__in=[*Tenant.LIVE_STATUSES, Tenant.Status.SUSPENDED]
        ).first()
        if existing is not None:
            errors["region_code"] = [
                _("%(code)s is already served by %(name)s.")
                % {"code": region_code, "name": existing.name}
            ]
    if errors:
        raise ValidationError(errors)


def validate_new_domain(host: str) -> None:
    try:
        validate_domain(host)
    except ValidationError as exc:
        raise ValidationError({"domain": exc.messages}) from None
    if host == settings.ROOT_DOMAIN:
        raise ValidationError({"domain": [_("The root domain belongs to the platform console.")]})
    taken = Domain.objects.select_related("tenant").filter(domain=host).first()
    if taken is not None:
        raise ValidationError(
            {
                "domain": [
                    _("%(domain)s already belongs to %(name)s.")
                    % {"domain": host, "name": taken.tenant.name}
                ]
            }
        )


def domain_add(
    *, tenant: Tenant, domain: str, actor_email: str, is_primary: bool = False
) -> Domain:
    """Attach a host name to a regency; it routes from the very next request."""
    domain = domain.strip()
    validate_new_domain(domain)
    with transaction.atomic():
        if is_primary:
            tenant.domains.filter(is_primary=True).update(is_primary=False)
        created = Domain.objects.create(tenant=tenant, domain=domain, is_primary=is_primary)
        platform_audit(
            action="domain.add",
            actor_email=actor_email,
            target=tenant.slug,
            detail={"domain": domain, "primary": is_primary},
        )
    return created


def domain_make_primary(*, domain: Domain, actor_email: str) -> Domain:
    with transaction.atomic():
        Domain.objects.filter(tenant=domain.tenant, is_primary=True).update(is_primary=False)
        domain.is_primary = True
        domain.save(update_fields=["is_primary"])
        platform_audit(
            action="domain.primary",
            actor_email=actor_email,
            target=domain.tenant.slug,
            detail={"domain": domain.domain},
        )
    return domain


def domain_remove(*, domain: Domain, actor_email: str) -> None:
    if domain.is_primary:
        raise ValidationError(
            {
                "domain": [
                    _("Make another domain primary before removing %(domain)s.")
                    % {"domain": domain.domain}
                ]
            }
        )
    with transaction.atomic():
        domain.delete()
        platform_audit(
            action="domain.remove",
            actor_email=actor_email,
            target=domain.tenant.slug,
            detail={"domain": domain.domain},
        )


def entitlement_set(*, tenant: Tenant, module_code: str, enabled: bool, actor_email: str) -> bool:
    """Enable or disable a module for a regency. Returns whether anything changed;
    each change is audited and logged for billing (EntitlementChange)."""
    from core.modules import module_codes

    if module_code not in module_codes():
        raise ValidationError(
            {"module_code": [_("There is no module '%(code)s'.") % {"code": module_code}]}
        )
    with transaction.atomic():
        if enabled:
            _entitlement, changed = Entitlement.objects.get_or_create(
                tenant=tenant, module_code=module_code
            )
        else:
            deleted, _by_model = Entitlement.objects.filter(
                tenant=tenant, module_code=module_code
            ).delete()
            changed = deleted > 0
        if changed:
            EntitlementChange.objects.create(
                tenant=tenant, module_code=module_code, enabled=enabled, actor_email=actor_email
            )
            platform_audit(
                action="module.enable" if enabled else "module.disable",
                actor_email=actor_email,
                target=tenant.slug,
                detail={"module": module_code},
            )
    return changed


def tenant_prospect_create(
    *, slug: str, region_code: str, actor_email: str, name: str | None = None
) -> Tenant:
    """Record a surveyed region as a prospect: a row, no schema yet."""
    tenant = _tenant_new(
        slug=slug, region_code=region_code, name=name, status=Tenant.Status.PROSPECT
    )
    with transaction.atomic():
        tenant.save()
        platform_audit(
            action="tenant.prospect",
            actor_email=actor_email,
            target=slug,
            detail={"region_code": region_code},
        )
    return tenant


def schema_drop(schema_name: str) -> None:
    """Drop a tenant's schema and everything in it."""
    if schema_name in ("public", TEMPLATE_SCHEMA) or not schema_name:
        raise ValueError(f"Refusing to drop schema {schema_name!r}.")
    with connection.cursor() as cursor:
        # Deferred foreign-key checks queued in this transaction would block the drop.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')

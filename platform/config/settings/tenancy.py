"""django-tenants: one PostgreSQL schema per regency; the platform lives in `public`."""

from config.env import env_float

# Apps whose tables exist in both public and every regency schema: users live per schema.
_PER_SCHEMA_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "core",
]

# Platform apps whose tables exist only in each regency's schema.
_REGENCY_APPS = ["organisation", "staff"]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    *_PER_SCHEMA_APPS,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "console",
    "billing",
    "support",
]

# Every e-government module is a tenant app; whether a regency may use it is an
# entitlement (tenants.Entitlement), never a move between these lists.
MODULE_APPS: list[str] = ["modules.permits", "modules.ktp", "modules.kantaya"]

TENANT_APPS = [*_PER_SCHEMA_APPS, *_REGENCY_APPS, *MODULE_APPS]

INSTALLED_APPS = list(dict.fromkeys([*SHARED_APPS, *TENANT_APPS]))

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Our middleware only calls set_tenant when the schema changes, so a persistent
# connection serving one regency does not repeat `SET search_path` per request.
TENANT_LIMIT_SET_CALLS = True

# How often a process checks whether another process changed tenants, domains or
# entitlements (see tenants/routing.py). Changes made in the same process apply at once.
TENANT_ROUTING_RECHECK_SECONDS = env_float("TENANT_ROUTING_RECHECK_SECONDS", default=1.0)

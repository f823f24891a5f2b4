"""Demo data: a platform engineer and three partner regencies, each with an admin.

Idempotent: a second run creates nothing and changes nothing."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.services import user_ensure
from billing.demo import demo_billing_seed
from billing.services import billing_customer_ensure
from modules.permits.demo import demo_permits_seed
from organisation.demo import demo_organisation_seed
from organisation.services import areas_load_reference
from staff.demo import demo_staff_seed
from support.demo import demo_support_seed
from tenants.models import Tenant
from tenants.services import entitlement_set, tenant_create

DEMO_PASSWORD = "Sukowati-demo-2026"  # noqa: S105 - printed for newcomers on purpose
# The demo engineer's TOTP secret (base32 of 20 bytes), published on purpose: the
# console requires MFA, and `manage.py demo_totp` prints its current code. Any
# authenticator app accepts it too. Never seed it outside a demo database.
DEMO_TOTP_SECRET = "SUKOWATIDEMOSECRETSRAGENJAKARTA2"  # noqa: S105


@dataclass(frozen=True)
class DemoRegency:
    slug: str
    region_code: str
    admin_name: str


DEMO_REGENCIES = (
    DemoRegency(slug="lebak", region_code="36.02", admin_name="Siti Rahmawati"),
    DemoRegency(slug="balangan", region_code="63.11", admin_name="Ahmad Fauzi"),
    DemoRegency(slug="dumai", region_code="14.72", admin_name="Rina Marlina"),
)
ENGINEER_EMAIL = "engineer@sukowati.test"
FINANCE_EMAIL = "keuangan@sukowati.test"


def demo_admin_email(slug: str) -> str:
    return f"admin@{slug}.test"


class Command(BaseCommand):
    help = (
        "Create the demo platform engineer and finance staff, and the Lebak, Balangan and "
        "Dumai regencies with their staff, permits, tickets and billing history."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        _, created = user_ensure(
            email=ENGINEER_EMAIL,
            full_name="Budi Santoso",
            password=DEMO_PASSWORD,
            platform_role=User.PlatformRole.ENGINEER,
        )
        self._report("platform engineer", ENGINEER_EMAIL, created)
        engineer = User.objects.get(email=ENGINEER_EMAIL)
        self._report("engineer's TOTP authenticator", ENGINEER_EMAIL, demo_totp_ensure(engineer))
        finance, created = user_ensure(
            email=FINANCE_EMAIL,
            full_name="Sri Wahyuni",
            password=DEMO_PASSWORD,
            platform_role=User.PlatformRole.FINANCE,
        )
        demo_totp_ensure(finance)
        self._report("finance staff", FINANCE_EMAIL, created)
        for demo in DEMO_REGENCIES:
            tenant = Tenant.objects.filter(slug=demo.slug).first()
            if tenant is None:
                tenant = tenant_create(slug=demo.slug, region_code=demo.region_code)
                self._report("regency", tenant.name, True)
            with tenant_context(tenant):
                admin, created = user_ensure(
                    email=demo_admin_email(demo.slug),
                    full_name=demo.admin_name,
                    password=DEMO_PASSWORD,
                    is_regency_admin=True,
                )
                # Regency admins must use two-factor sign-in: the same demo secret.
                demo_totp_ensure(admin)
                areas_load_reference(region_code=tenant.region_code)
                self._report(f"{tenant.name} organisation rows", "", demo_organisation_seed() > 0)
                self._report(
                    f"{tenant.name} staff",
                    "",
                    demo_staff_seed(password=DEMO_PASSWORD, totp_ensure=demo_totp_ensure) > 0,
                )
                self._report(f"{tenant.name} permit applications", "", demo_permits_seed() > 0)
            entitlement_set(
                tenant=tenant, module_code="permits", enabled=True, actor_email=ENGINEER_EMAIL
            )
            billing_customer_ensure(tenant=tenant, email=demo_admin_email(demo.slug))
            self._report(f"{tenant.name} admin", demo_admin_email(demo.slug), created)
        self._report("support desk demo rows", "", demo_support_seed() > 0)
        self._report("billing history", "", demo_billing_seed() > 0)

    def _report(self, what: str, name: str, created: bool) -> None:
        if self.verbosity >= 1:
            state = "created" if created else "exists"
            self.stdout.write(f"  {what}: {name} ({state})")


def demo_totp_ensure(user: User) -> bool:
    """Give a demo user (the engineer, an admin, a holder of a role requiring
    MFA) a TOTP authenticator with DEMO_TOTP_SECRET, unless they have one; in the
    current schema. Returns whether it was created."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return True


def demo_urls(port: int) -> list[tuple[str, str]]:
    suffix = "" if port in (80, 443) else f":{port}"
    urls = [("Console", f"http://{settings.ROOT_DOMAIN}{suffix}/")]
    for demo in DEMO_REGENCIES:
        urls.append((demo.slug, f"http://{demo.slug}.{settings.ROOT_DOMAIN}{suffix}/"))
    return urls

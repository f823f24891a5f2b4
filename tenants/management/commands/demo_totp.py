"""Print the demo engineer's current TOTP code, for signing in to the console
without an authenticator app. Only for the demo seeded by `seed_demo`."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from tenants.management.commands.seed_demo import DEMO_TOTP_SECRET, ENGINEER_EMAIL


def totp_code(secret: str) -> str:
    """The code valid now (allauth's tolerance is 0: the current 30-second step)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def demo_engineer_secret() -> str:
    """The secret of the demo engineer's authenticator: normally DEMO_TOTP_SECRET,
    but whatever it is, the printed code is the one that signs them in."""
    with schema_context(get_public_schema_name()):
        user = User.objects.filter(email=ENGINEER_EMAIL).first()
        if user is None:
            raise CommandError(f"{ENGINEER_EMAIL} does not exist: run `manage.py seed_demo`.")
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                f"{ENGINEER_EMAIL} has no TOTP authenticator: run `manage.py seed_demo`."
            )
        return str(decrypt(authenticator.data["secret"]))


class Command(BaseCommand):
    help = (
        f"Print the current 6-digit TOTP code of the demo engineer ({ENGINEER_EMAIL}), "
        f"whose seeded secret is {DEMO_TOTP_SECRET}."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(totp_code(demo_engineer_secret()))

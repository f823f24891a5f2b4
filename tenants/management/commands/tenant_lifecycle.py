"""Suspend, reactivate or archive a regency from the command line.

python manage.py tenant_lifecycle lebak suspend --reason "Invoice 2026/041 overdue"
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.lifecycle import Actor, TransitionRefused, tenant_transition
from tenants.models import Tenant

ACTIONS = {
    "suspend": Tenant.Status.SUSPENDED,
    "reactivate": Tenant.Status.ACTIVE,
    "archive": Tenant.Status.ARCHIVED,
}


class Command(BaseCommand):
    help = "Move a regency through its lifecycle (export, restore and delete have their own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("action", choices=sorted(ACTIONS))
        parser.add_argument("--reason", required=True)
        parser.add_argument("--actor-email", default="cli@localhost")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.regencies().filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"There is no regency '{options['slug']}'.")
        try:
            tenant_transition(
                tenant=tenant,
                to_status=ACTIONS[options["action"]],
                actor=Actor(email=options["actor_email"], name="CLI"),
                reason=options["reason"],
            )
        except TransitionRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{tenant.name}: {tenant.get_status_display()}")

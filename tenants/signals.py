from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Entitlement, Tenant
from tenants.routing import routing_invalidate


@receiver([post_save, post_delete], sender=Tenant)
@receiver([post_save, post_delete], sender=Domain)
@receiver([post_save, post_delete], sender=Entitlement)
def _tenant_changed(**kwargs: Any) -> None:
    routing_invalidate()

from django.db.models import QuerySet

from tenants.models import Tenant


def tenant_list() -> QuerySet[Tenant]:
    return Tenant.objects.prefetch_related("domains").order_by("name")

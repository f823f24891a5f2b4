"""The benchmark's only page: one ORM query in the current schema, no template,
so that what is measured is the request path around it, tenancy included."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from accounts.models import User
from core.db import tenant_connection

PATH = "/bench/one-query/"


def one_query(request: HttpRequest) -> HttpResponse:
    active = User.objects.filter(is_active=True).count()
    return HttpResponse(f"{tenant_connection().schema_name} {active}", content_type="text/plain")


urlpatterns = [path(PATH.strip("/") + "/", one_query)]

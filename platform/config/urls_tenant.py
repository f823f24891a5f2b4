"""URLs of a regency's site, in its own schema. Each module is mounted under its
code and namespace; ModuleEntitlementMiddleware answers 404 where the regency is
not entitled to it."""

from django.urls import include, path

from config.urls_common import common_patterns
from core import views
from core.modules import installed_modules

urlpatterns = [
    *common_patterns,
    path("", views.RegencyHomeView.as_view(), name="home"),
    path("support-access/", include("accounts.urls")),
    path("organisation/", include("organisation.urls")),
    path("staff/", include("staff.urls")),
    path("audit/", include("core.urls_audit")),
    path("billing/", include("billing.urls_regency")),
    path("help/", include("support.urls_regency")),
    *[
        path(f"{module.code}/", include((f"{module.name}.urls", module.code)))
        for module in installed_modules()
        if module.has_urls
    ],
]

from django.http import HttpRequest

from core.modules import NavItem, installed_modules


def regency(request: HttpRequest) -> dict[str, object]:
    """The regency being served (None on the console) and the modules in its menu."""
    tenant = getattr(request, "tenant", None)
    entitled: frozenset[str] = getattr(request, "entitled_modules", frozenset())
    nav = [
        NavItem(code=module.code, label=module.label_text, entries=module.menu)
        for module in installed_modules()
        if module.code in entitled and module.has_urls
    ]
    return {"regency": tenant, "module_nav": nav}

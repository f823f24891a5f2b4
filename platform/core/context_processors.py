from django.http import HttpRequest

from core.modules import NavItem, installed_modules


def regency(request: HttpRequest) -> dict[str, object]:
    """The regency being served (None on the console) and the modules in its menu,
    each with the entries this person may use."""
    tenant = getattr(request, "tenant", None)
    entitled: frozenset[str] = getattr(request, "entitled_modules", frozenset())
    modules = [m for m in installed_modules() if m.code in entitled and m.has_urls]
    held = _held_roles(request) if modules else {}
    is_admin = bool(getattr(getattr(request, "user", None), "is_regency_admin", False))
    nav = []
    for module in modules:
        entries = tuple(
            entry
            for entry in module.menu
            if entry.visible_to(held_roles=held.get(module.code, frozenset()), is_admin=is_admin)
        )
        if module.menu and not entries:
            continue
        nav.append(NavItem(code=module.code, label=module.label_text, entries=entries))
    return {"regency": tenant, "module_nav": nav}


def _held_roles(request: HttpRequest) -> dict[str, frozenset[str]]:
    """The signed-in person's role codes per module, in a regency."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if getattr(request, "tenant", None) is None:
        return {}
    from staff.permissions import roles_held

    return roles_held(user)

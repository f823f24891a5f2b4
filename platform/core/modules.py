"""The shape every e-government module declares in its apps.py.

A module is a tenant app whose AppConfig subclasses ModuleConfig; the platform
finds modules through the app registry, mounts their URLs under their code, shows
their menu entries to entitled regencies, and hands their roles and billable meters
to onboarding and billing."""

import importlib.util
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str  # reversed inside the module's namespace
    # Who sees the entry: everyone signed in (None), or holders of any of these
    # roles of the module (any scope), and regency admins too with `admins`. The
    # views still check; the menu only spares people links they cannot use.
    roles: tuple[str, ...] | None = None
    admins: bool = False

    def visible_to(self, *, held_roles: frozenset[str], is_admin: bool) -> bool:
        if self.roles is None:
            return True
        return bool(held_roles.intersection(self.roles)) or (self.admins and is_admin)


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise
    # Roles that approve or see much personal data: their holders must turn on
    # two-factor sign-in before they can use the site.
    requires_mfa: bool = False


@dataclass(frozen=True)
class Meter:
    code: str  # e.g. "permits.issued"
    label: str | Promise


class ModuleConfig(AppConfig):
    """Base AppConfig of a module under modules/."""

    code: str = ""
    label_text: str | Promise = ""
    menu: tuple[MenuEntry, ...] = ()
    roles: tuple[Role, ...] = ()
    meters: tuple[Meter, ...] = ()

    # A module's apps.py imports this class too, so Django would see two AppConfig
    # candidates there and silently fall back to a plain AppConfig: only the
    # subclasses are default configs.
    default = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    @property
    def has_urls(self) -> bool:
        """Whether the module has pages yet: its roles and meters can be declared
        (for onboarding and billing) before its screens exist."""
        return importlib.util.find_spec(f"{self.name}.urls") is not None


@dataclass(frozen=True)
class NavItem:
    code: str
    label: str | Promise
    entries: tuple[MenuEntry, ...] = field(default_factory=tuple)


def installed_modules() -> list[ModuleConfig]:
    return [app for app in apps.get_app_configs() if isinstance(app, ModuleConfig)]


def module_codes() -> frozenset[str]:
    return frozenset(module.code for module in installed_modules())


def module_by_code(code: str) -> ModuleConfig | None:
    return next((module for module in installed_modules() if module.code == code), None)


def role_catalogue() -> list[tuple[ModuleConfig, Role]]:
    """Every role every installed module declares, in module order."""
    return [(module, role) for module in installed_modules() for role in module.roles]


def role_lookup(module_code: str, role_code: str) -> Role | None:
    module = module_by_code(module_code)
    if module is None:
        return None
    return next((role for role in module.roles if role.code == role_code), None)

"""The shape every e-government module declares in its apps.py.

A module is a tenant app whose AppConfig subclasses ModuleConfig; the platform
finds modules through the app registry, mounts their URLs under their code, shows
their menu entries to entitled regencies, and hands their roles and billable meters
to onboarding and billing."""

from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str  # reversed inside the module's namespace


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise


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


@dataclass(frozen=True)
class NavItem:
    code: str
    label: str | Promise
    entries: tuple[MenuEntry, ...] = field(default_factory=tuple)


def installed_modules() -> list[ModuleConfig]:
    return [app for app in apps.get_app_configs() if isinstance(app, ModuleConfig)]


def module_codes() -> frozenset[str]:
    return frozenset(module.code for module in installed_modules())

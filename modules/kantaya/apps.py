"""Kantaya, the office system: daily reports, projects, agenda, letters, discussion."""

from django.utils.translation import gettext_lazy as _

from core.modules import Meter, ModuleConfig, Role


class KantayaConfig(ModuleConfig):
    name = "modules.kantaya"
    label = "kantaya"
    code = "kantaya"
    label_text = _("Kantaya office")
    roles = (
        Role(code="staff", label=_("Staff")),
        Role(code="supervisor", label=_("Supervisor")),
        Role(code="unit_admin", label=_("Unit admin"), requires_mfa=True),
    )
    meters = (Meter(code="kantaya.letters", label=_("Letters sent")),)

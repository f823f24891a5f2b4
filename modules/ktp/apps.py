"""The KTP (identity card) counter: a resident served in two minutes."""

from django.utils.translation import gettext_lazy as _

from core.modules import Meter, ModuleConfig, Role


class KtpConfig(ModuleConfig):
    name = "modules.ktp"
    label = "ktp"
    code = "ktp"
    label_text = _("KTP service")
    roles = (
        Role(code="operator", label=_("Operator")),
        Role(code="verifier", label=_("Verifier")),
        Role(code="supervisor", label=_("Supervisor"), requires_mfa=True),
    )
    meters = (Meter(code="ktp.printed", label=_("KTP cards printed")),)

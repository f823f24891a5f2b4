"""Human labels for the audit log's action codes. An action without a label here
is still shown, by its code: a module can audit before anyone names its actions."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    # sign-in (accounts/signals.py)
    "auth.sign_in": _("Signed in"),
    "auth.sign_in_failed": _("Sign-in failed"),
    "auth.sign_out": _("Signed out"),
    # staff and invitations
    "staff.created": _("Staff member added"),
    "staff.updated": _("Staff member changed"),
    "staff.deactivated": _("Staff member deactivated"),
    "staff.reactivated": _("Staff member reactivated"),
    "staff.imported": _("Staff list imported"),
    "invitation.sent": _("Invitation sent"),
    "invitation.resent": _("Invitation sent again"),
    "invitation.revoked": _("Invitation revoked"),
    "invitation.accepted": _("Invitation accepted"),
    # roles (staff/services_roles.py)
    "role.assigned": _("Role given"),
    "role.revoked": _("Role taken away"),
    # personal data and exports
    "personal_data.viewed": _("Personal data viewed"),
    "export": _("Data exported"),
    # Sragen engineers' support access (tenants/support_access.py)
    "support.grant": _("Sragen support access granted"),
    "support.enter": _("Sragen support entered"),
    "support.revoke": _("Sragen support access ended"),
    # organisation
    "work_unit.created": _("Work unit added"),
    "work_unit.updated": _("Work unit changed"),
    "work_unit.deactivated": _("Work unit deactivated"),
    "work_unit.deleted": _("Work unit deleted"),
    "work_unit.reactivated": _("Work unit reactivated"),
    "position.created": _("Position added"),
    "position.updated": _("Position changed"),
    "position.deactivated": _("Position deactivated"),
    "position.deleted": _("Position deleted"),
    "position.reactivated": _("Position reactivated"),
    "kecamatan.renamed": _("Kecamatan renamed"),
    "desa.created": _("Desa/kelurahan added"),
    "desa.renamed": _("Desa/kelurahan renamed"),
}


def action_label(code: str) -> str:
    """The action's label in the current language, or its code when it has none."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_is_support(code: str) -> bool:
    """Actions of Sragen's engineers inside a regency, flagged on the log."""
    return code.startswith("support.")

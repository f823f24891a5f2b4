"""The one-stop permit service (PTSP): apply, process on time, issue, track, rate."""

from django.utils.translation import gettext_lazy as _

from core.modules import MenuEntry, Meter, ModuleConfig, Role

STAFF_ROLES = ("front_office", "back_office", "technical_team", "approver")


class PermitsConfig(ModuleConfig):
    name = "modules.permits"
    label = "permits"
    code = "permits"
    label_text = _("One-stop permits")
    menu = (
        MenuEntry(label=_("Apply for a permit"), url_name="apply_start"),
        MenuEntry(label=_("Inbox"), url_name="inbox", roles=STAFF_ROLES),
        MenuEntry(
            label=_("Service catalogue"), url_name="catalogue", roles=STAFF_ROLES, admins=True
        ),
        MenuEntry(label=_("Track an application"), url_name="track"),
        MenuEntry(label=_("Dashboard"), url_name="dashboard", roles=STAFF_ROLES, admins=True),
    )
    roles = (
        Role(code="front_office", label=_("Front office")),
        Role(code="back_office", label=_("Back office")),
        Role(code="technical_team", label=_("Technical team")),
        Role(code="approver", label=_("Approver"), requires_mfa=True),
    )
    meters = (Meter(code="permits.issued", label=_("Permit certificates issued")),)

    def catalogue_load(self) -> dict[str, object]:
        """Called at provisioning (and by `permits_catalogue_sync`) in the regency's
        schema: upsert Sragen's master catalogue, keeping the regency's overrides,
        and add the national holidays its calendar lacks."""
        from core.workdays import holidays_national_seed
        from modules.permits.catalogue import catalogue_sync

        result = catalogue_sync()
        return {
            "version": result.version,
            "created": len(result.created),
            "updated": len(result.updated),
            "holidays_added": holidays_national_seed(),
        }

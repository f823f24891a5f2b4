"""Reads for the roles screens: who holds which role, over which scope."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.modules import role_catalogue
from organisation.models import Kecamatan, WorkUnit
from staff.models import RoleAssignment
from staff.services_roles import PLATFORM_MODULE, REGENCY_ADMIN_ROLE


@dataclass
class RoleGroup:
    """One role of one module and the assignments shown under it."""

    module: str
    module_label: str | Promise
    role: str
    role_label: str | Promise
    requires_mfa: bool
    assignments: list[RoleAssignment] = field(default_factory=list)
    # Only for the regency admin pseudo-role, which is a flag on the user.
    admins: list[User] = field(default_factory=list)

    @property
    def holder_count(self) -> int:
        return len(self.assignments) + len(self.admins)


def role_assignments(
    *,
    module: str = "",
    role: str = "",
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
) -> QuerySet[RoleAssignment]:
    """Assignments, filtered; a work unit or kecamatan filter keeps the
    assignments scoped to exactly that unit or kecamatan."""
    assignments = RoleAssignment.objects.select_related("user", "work_unit", "kecamatan")
    if module:
        assignments = assignments.filter(module=module)
    if role:
        assignments = assignments.filter(role=role)
    if work_unit is not None:
        assignments = assignments.filter(work_unit=work_unit)
    if kecamatan is not None:
        assignments = assignments.filter(kecamatan=kecamatan)
    return assignments.order_by("module", "role", "user__full_name", "user__email")


def regency_admins() -> QuerySet[User]:
    """The regency's own admins (Sragen's support users, also flagged, excluded)."""
    return User.objects.filter(is_regency_admin=True, is_support_agent=False).order_by(
        "full_name", "email"
    )


def role_overview(
    *,
    module: str = "",
    role: str = "",
    work_unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
) -> list[RoleGroup]:
    """Every role of every installed module (the regency admin first) with its
    holders, filtered. Assignments of a role no module declares any more (a module
    removed from the platform) are listed too, so that they can be revoked."""
    groups: list[RoleGroup] = []
    scoped = work_unit is not None or kecamatan is not None
    if module in ("", PLATFORM_MODULE) and role in ("", REGENCY_ADMIN_ROLE) and not scoped:
        groups.append(
            RoleGroup(
                module=PLATFORM_MODULE,
                module_label=_("Platform"),
                role=REGENCY_ADMIN_ROLE,
                role_label=_("Regency admin"),
                requires_mfa=True,
                admins=list(regency_admins()),
            )
        )
    by_role: dict[tuple[str, str], RoleGroup] = {}
    for module_config, declared in role_catalogue():
        if module and module_config.code != module:
            continue
        if role and declared.code != role:
            continue
        group = RoleGroup(
            module=module_config.code,
            module_label=module_config.label_text,
            role=declared.code,
            role_label=declared.label,
            requires_mfa=declared.requires_mfa,
        )
        by_role[(group.module, group.role)] = group
        groups.append(group)
    for assignment in role_assignments(
        module=module, role=role, work_unit=work_unit, kecamatan=kecamatan
    ):
        key = (assignment.module, assignment.role)
        if key not in by_role:
            by_role[key] = RoleGroup(
                module=assignment.module,
                module_label=assignment.module,
                role=assignment.role,
                role_label=gettext("%(role)s (no longer declared by any module)")
                % {"role": assignment.role},
                requires_mfa=False,
            )
            groups.append(by_role[key])
        by_role[key].assignments.append(assignment)
    return groups


def person_assignments(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("work_unit", "kecamatan")

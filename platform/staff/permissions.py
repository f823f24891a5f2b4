"""The one place modules ask what a person may do.

A role assignment holds over a scope: the whole regency, one work unit (with the
units under it) or one kecamatan. Modules never read RoleAssignment themselves:
they ask `permission_check` about one item, or `permission_scope` for a filter
over a queryset (inboxes), so that the meaning of a scope lives here only."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase

from accounts.models import User
from organisation.models import WorkUnit
from staff.models import RoleAssignment


@dataclass(frozen=True)
class Scope:
    """Where a person's roles reach: everything, or these units and kecamatan."""

    whole_regency: bool
    work_unit_ids: frozenset[int]
    kecamatan_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not (self.whole_regency or self.work_unit_ids or self.kecamatan_ids)

    def covers(self, *, work_unit_id: int | None = None, kecamatan_id: int | None = None) -> bool:
        if self.whole_regency:
            return True
        return (work_unit_id is not None and work_unit_id in self.work_unit_ids) or (
            kecamatan_id is not None and kecamatan_id in self.kecamatan_ids
        )

    def q(self, *, work_unit_field: str | None = None, kecamatan_field: str | None = None) -> Q:
        """A filter keeping the rows this scope covers, given the fields that hold
        a row's work unit and kecamatan. An empty scope keeps nothing."""
        if self.whole_regency:
            return Q()
        condition = Q(pk__in=[])
        if work_unit_field and self.work_unit_ids:
            condition |= Q(**{f"{work_unit_field}__in": self.work_unit_ids})
        if kecamatan_field and self.kecamatan_ids:
            condition |= Q(**{f"{kecamatan_field}__in": self.kecamatan_ids})
        return condition


NO_SCOPE = Scope(whole_regency=False, work_unit_ids=frozenset(), kecamatan_ids=frozenset())


def work_unit_descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and every unit under them (one query; a regency has hundreds)."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in WorkUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    pending = list(root_ids)
    while pending:
        unit_id = pending.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        pending.extend(children.get(unit_id, ()))
    return found


def permission_scope(user: User, *, module: str, roles: Iterable[str]) -> Scope:
    """Where `user` holds any of `roles` of `module`. Inactive people hold nothing."""
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    assignments = list(
        RoleAssignment.objects.filter(user=user, module=module, role__in=list(roles)).values_list(
            "scope", "work_unit_id", "kecamatan_id"
        )
    )
    if not assignments:
        return NO_SCOPE
    if any(scope == RoleAssignment.Scope.REGENCY for scope, _, _ in assignments):
        return Scope(whole_regency=True, work_unit_ids=frozenset(), kecamatan_ids=frozenset())
    unit_roots = [unit for scope, unit, _ in assignments if unit is not None]
    return Scope(
        whole_regency=False,
        work_unit_ids=frozenset(work_unit_descendant_ids(unit_roots))
        if unit_roots
        else frozenset(),
        kecamatan_ids=frozenset(kec for _, _, kec in assignments if kec is not None),
    )


def permission_check(
    user: User,
    *,
    module: str,
    roles: Iterable[str],
    work_unit_id: int | None = None,
    kecamatan_id: int | None = None,
) -> bool:
    """Whether `user` holds one of `roles` over an item in this work unit or
    kecamatan. With neither given, any assignment of the role counts (a menu)."""
    scope = permission_scope(user, module=module, roles=roles)
    if work_unit_id is None and kecamatan_id is None:
        return not scope.is_empty
    return scope.covers(work_unit_id=work_unit_id, kecamatan_id=kecamatan_id)


def roles_held(user: User) -> dict[str, frozenset[str]]:
    """The role codes `user` holds per module, whatever their scope (one query):
    for menus and the MFA rule, never for deciding access to an item."""
    held: dict[str, set[str]] = {}
    for module, role in RoleAssignment.objects.filter(user=user).values_list("module", "role"):
        held.setdefault(module, set()).add(role)
    return {module: frozenset(roles) for module, roles in held.items()}


def mfa_required(user: User) -> bool:
    """Regency admins, and holders of a role that asks for it, must use 2FA."""
    from core.modules import role_lookup

    if user.is_regency_admin:
        return True
    return any(
        (role := role_lookup(module, code)) is not None and role.requires_mfa
        for module, codes in roles_held(user).items()
        for code in codes
    )


def _request_scope(request: HttpRequest, *, module: str, roles: Iterable[str]) -> Scope:
    """The signed-in person's scope for these roles; PermissionDenied when empty."""
    if not module or not roles:
        raise ImproperlyConfigured("A role-protected view names its module and roles.")
    user = request.user
    scope = permission_scope(user, module=module, roles=roles) if isinstance(user, User) else None
    if scope is None or scope.is_empty:
        raise PermissionDenied
    return scope


class RoleRequiredMixin:
    """For a module's class-based views: signed-out visitors go to sign-in, people
    holding none of `roles` of `module` (anywhere) get 403. The view then filters
    what it shows with `self.scope` (`self.scope.q(...)` or `self.scope.covers(...)`):
    holding the role somewhere is not holding it over every item."""

    module: str = ""
    roles: tuple[str, ...] = ()
    scope: Scope = NO_SCOPE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.scope = _request_scope(request, module=self.module, roles=self.roles)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def role_required(
    module: str, roles: Iterable[str]
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """RoleRequiredMixin for function views; the scope is `request.role_scope`."""
    wanted = tuple(roles)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.role_scope = _request_scope(request, module=module, roles=wanted)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""The sweep: every URL of the regency site and of the console, walked from the
URLconfs themselves, so that a URL added tomorrow is checked (or the sweep fails
until someone says how to check it).

Regency URLs that name an object are requested at lebak.localhost, signed in as
Lebak's admin (who also holds every permit role), with the arguments of an object
made in Dumai; the answer never carries the marker that only Dumai's object has
(url_sweep_cases.py explains why the marker, not the status, is what counts).
Regency pages without arguments never list Dumai's marked rows. Console URLs are
never the console at a regency's host, and never answer an anonymous visitor."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tenants.utils import schema_context

from accounts.models import User
from config.urls_common import common_patterns
from staff.models import RoleAssignment
from tests.accounts.helpers import client_at
from tests.conftest import admin_email
from tests.permits.support import streamed
from tests.tenancy.url_sweep_cases import EXEMPT, FACTORIES, Case

pytestmark = pytest.mark.django_db

TENANT_URLCONF = settings.ROOT_URLCONF
PUBLIC_URLCONF = settings.PUBLIC_SCHEMA_URLCONF


def walk(
    patterns: list[Any], namespace: str = "", groups: tuple[str, ...] = ()
) -> Iterator[tuple[str, URLPattern, tuple[str, ...]]]:
    """(namespaced name, pattern, argument names including its prefixes') of every
    named URL pattern below `patterns`."""
    for entry in patterns:
        own = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, groups + own)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry, groups + own


def named(urlconf: str) -> dict[str, tuple[URLPattern, tuple[str, ...]]]:
    return {name: (p, args) for name, p, args in walk(get_resolver(urlconf).url_patterns)}


REGENCY = named(TENANT_URLCONF)
CONSOLE = named(PUBLIC_URLCONF)
COMMON = {name for name, _p, _a in walk(common_patterns)}
REGENCY_WITH_ARGS = sorted(name for name, (_p, args) in REGENCY.items() if args)
REGENCY_PLAIN = sorted(name for name, (_p, args) in REGENCY.items() if not args)
SWEPT = sorted(name for name in REGENCY_WITH_ARGS if name in FACTORIES)


def test_every_regency_url_with_arguments_has_a_factory_or_a_reason():
    unknown = sorted(set(REGENCY_WITH_ARGS) - set(FACTORIES) - set(EXEMPT))
    stale = sorted((set(FACTORIES) | set(EXEMPT)) - set(REGENCY_WITH_ARGS))
    assert not unknown, (
        "New regency URLs take arguments but the sweep cannot try them with another "
        f"regency's object; add a factory to tests/tenancy/url_sweep_cases.py: {unknown}"
    )
    assert not stale, f"Sweep entries for URLs that no longer exist: {stale}"
    assert not set(FACTORIES) & set(EXEMPT)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def viewer(slug: str) -> Client:
    """The demo admin of `slug` (who has an authenticator), with every permit role
    over the whole regency: someone the pages would show the object to if it
    were theirs."""
    with schema_context(slug):
        admin = User.objects.get(email=admin_email(slug))
        for role in ("front_office", "back_office", "technical_team", "approver"):
            RoleAssignment.objects.get_or_create(
                user=admin, module="permits", role=role, scope=RoleAssignment.Scope.REGENCY
            )
        client = client_at(f"{slug}.localhost")
        client.force_login(admin)
    return client


@pytest.fixture
def lebak(regencies: Any) -> Client:
    return viewer("lebak")


def dumai_case(name: str) -> tuple[Case, str]:
    with schema_context("dumai"):
        case = FACTORIES[name]()
    return case, reverse(name, kwargs=case.kwargs, urlconf=TENANT_URLCONF)


# Asked for anonymously: its control is test_password_reset_key_control below.
ANONYMOUS_CONTROL = {"account_reset_password_from_key"}


@pytest.mark.parametrize("name", SWEPT)
def test_lebak_never_gets_dumais_object(name: str, lebak: Client):
    case, path = dumai_case(name)
    assert case.marker
    for method in ("get", "post"):
        response = getattr(lebak, method)(path)
        body = streamed(response)
        assert case.marker.encode() not in body, f"{method.upper()} {path} shows Dumai's row"
        if case.shared:
            # A platform-wide id: Lebak has no row of that id to show instead.
            assert response.status_code in (403, 404, 405), (method, response.status_code)
        if case.accepted is not None:
            assert not case.accepted(response), f"{method.upper()} {path} took Dumai's token"
    if name not in ANONYMOUS_CONTROL:
        _control_at_dumai(case, path)


def _control_at_dumai(case: Any, path: str) -> None:
    """At Dumai's own host the factory's object is real (its page shows the
    marker, its token is taken), so the checks above could catch a leak. Action
    and download URLs show no page of the object: for them the marker check
    above is the whole test."""
    if not case.visible and case.accepted is None:
        return
    response = viewer("dumai").get(path)
    if case.accepted is not None:
        assert case.accepted(response), response.status_code
    else:
        assert response.status_code == 200
        assert case.marker.encode() in streamed(response)


def test_password_reset_key_control(regencies: Any):
    """The control of account_reset_password_from_key (asked for anonymously)."""
    case, path = dumai_case("account_reset_password_from_key")
    assert case.accepted is not None
    assert case.accepted(client_at("dumai.localhost").get(path))


def test_regency_pages_without_arguments_never_list_dumais_rows(lebak: Client):
    markers = []
    with schema_context("dumai"):
        for name in (
            "organisation_work_unit_edit",
            "organisation_position_edit",
            "organisation_kecamatan",
            "staff_detail",
            "role_revoke",
            "staff_import_detail",
            "billing:invoice",
            "support:ticket_detail",
            "support_access_revoke",
            "permits:office_application",
            "permits:holiday_delete",
        ):
            markers.append(FACTORIES[name]().marker)
    leaks = []
    for name in REGENCY_PLAIN:
        if name == "account_logout":
            continue  # would end the session the other pages are asked with
        body = streamed(lebak.get(reverse(name, urlconf=TENANT_URLCONF)))
        leaks += [name for mark in markers if mark.encode() in body]
    assert not leaks, f"Lebak pages listing Dumai's rows: {sorted(set(leaks))}"


# --- the console -------------------------------------------------------------------

# Console URLs anyone may call, and why.
CONSOLE_PUBLIC: dict[str, str] = {
    **{name: "sign-in, password reset and language: served on every host" for name in COMMON},
    "stripe_webhook": "Stripe's webhook: POST only, refused (400) without a valid signature",
    "support_console:inbound_mail": "the mail provider's hook: 403 without the shared secret",
}
SAMPLE_ARGS = {
    "slug": "dumai",
    "code": "permits",
    "to_status": "active",
    "report": "receivables",
    "file_format": "csv",
}


def console_path(name: str) -> str:
    _pattern, args = CONSOLE[name]
    kwargs = {arg: SAMPLE_ARGS.get(arg, 1) for arg in args}
    return reverse(name, kwargs=kwargs, urlconf=PUBLIC_URLCONF)


CONSOLE_ONLY = sorted(set(CONSOLE) - COMMON)
CONSOLE_GUARDED = sorted(set(CONSOLE) - set(CONSOLE_PUBLIC))


def view_of(pattern: URLPattern) -> Any:
    return getattr(pattern.callback, "view_class", pattern.callback)


@pytest.mark.parametrize("name", CONSOLE_ONLY)
def test_a_console_url_at_a_regency_host_is_never_the_console(name: str, lebak: Client):
    path = console_path(name)
    console_view = view_of(CONSOLE[name][0])
    for method in ("get", "post"):
        response = getattr(lebak, method)(path)
        match = response.resolver_match
        if response.status_code == 404 or match is None:
            continue
        # Answered by the regency's own URLconf (e.g. /audit/ is the regency's log).
        assert getattr(match.func, "view_class", match.func) is not console_view
        assert not [t.name for t in response.templates if (t.name or "").startswith("console/")]


@pytest.mark.parametrize("name", CONSOLE_GUARDED)
def test_a_console_url_refuses_an_anonymous_visitor(name: str, regencies: Any):
    path = console_path(name)
    client = client_at("localhost")
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code in (302, 403, 404, 405), (method, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), response["Location"]


def test_the_stripe_webhook_refuses_a_post_without_a_signature(regencies: Any, settings: Any):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_sweep"  # configured, so it checks
    client = client_at("localhost")
    path = console_path("stripe_webhook")
    assert client.get(path).status_code == 405
    assert client.post(path, b"{}", content_type="application/json").status_code == 400


def test_inbound_mail_refuses_a_post_without_the_secret(regencies: Any, settings: Any):
    settings.SUPPORT_INBOUND_SECRET = "inbound-sweep"  # configured, so it checks
    client = client_at("localhost")
    path = console_path("support_console:inbound_mail")
    assert client.post(path, {"to": "x@y", "text": "z"}).status_code == 403

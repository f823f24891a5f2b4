"""One permit application in a real browser, in Balangan: a citizen applies online
with their account, an officer takes it through every office step to the issued
certificate and its pick-up, the certificate's verification page says it is
genuine, and the citizen rates the service.

The citizen and the officer are created for the test (and removed after it) from
a separate thread: Playwright's event loop runs in this one, where Django refuses
database calls. Rows the platform keeps for good stay: the audit trail and the
billing usage event of the certificate (both append-only)."""

import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from tenants.management.commands.demo_totp import totp_code
from tenants.management.commands.seed_demo import DEMO_TOTP_SECRET
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

SLUG = "balangan"
PASSWORD = "Pelayanan-prima-2026"
T = TypeVar("T")
# A one-page PDF: what the upload check wants to see is the header.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OFFICE_STEPS = ("completeness", "verification", "recommendation", "approval", "issued", "completed")


@dataclass(frozen=True)
class World:
    citizen: str
    officer: str
    service_code: str


def off_loop(blocker: Any, work: Callable[[], T]) -> T:
    """Run database work in a thread of its own (no event loop there), on its own
    connection, committed at once."""

    def run() -> T:
        try:
            with blocker.unblock():
                return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _world_create() -> World:
    from allauth.mfa.totp.internal.auth import TOTP
    from django_tenants.utils import tenant_context

    from accounts.services import user_create
    from modules.permits.models import ServiceType
    from staff.models import RoleAssignment
    from tenants.models import Tenant
    from tenants.services import entitlement_set

    tenant = Tenant.objects.get(slug=SLUG)
    entitlement_set(
        tenant=tenant, module_code="permits", enabled=True, actor_email="engineer@sukowati.test"
    )
    key = uuid.uuid4().hex[:8]
    with tenant_context(tenant):
        citizen = user_create(
            email=f"warga-{key}@contoh.test",
            full_name="Sri Wahyuni",
            password=PASSWORD,
            email_verified=True,
        )
        officer = user_create(
            email=f"petugas-{key}@balangan.test",
            full_name="Rudi Hartono",
            password=PASSWORD,
            email_verified=True,
        )
        for role in ("front_office", "back_office", "technical_team", "approver"):
            RoleAssignment.objects.create(
                user=officer, module="permits", role=role, scope=RoleAssignment.Scope.REGENCY
            )
        TOTP.activate(officer, DEMO_TOTP_SECRET)
        # The simplest offered service: fewest documents and fields, no business.
        services = ServiceType.objects.filter(is_active=True, is_business=False)
        service = min(services, key=lambda s: (len(s.requirements), len(s.form_fields), s.code))
    return World(citizen=citizen.email, officer=officer.email, service_code=service.code)


def _world_remove(world: World) -> None:
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from modules.permits.models import (
        Application,
        ApplicationComment,
        ApplicationDocument,
        ApplicationTransition,
        Certificate,
        ServiceMonthStat,
        SurveyResponse,
    )
    from tenants.models import Tenant

    with tenant_context(Tenant.objects.get(slug=SLUG)):
        mine = Application.objects.filter(applicant_user__email=world.citizen)
        for model in (
            SurveyResponse,
            Certificate,
            ApplicationTransition,
            ApplicationDocument,
            ApplicationComment,
        ):
            model.objects.filter(application__in=mine).delete()
        mine.delete()
        # The dashboard's stored months: recomputed on the next view.
        ServiceMonthStat.objects.all().delete()
        User.objects.filter(email__in=[world.citizen, world.officer]).delete()


@pytest.fixture
def world(django_db_blocker: Any, live_server_port: int) -> Iterator[World]:
    made = off_loop(django_db_blocker, _world_create)
    yield made
    off_loop(django_db_blocker, lambda: _world_remove(made))


def password_step(page: Any, url: str, email: str) -> None:
    page.goto(url)
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Masuk|Sign In)$")).click()
    page.wait_for_load_state("networkidle")


def enter_totp(page: Any, site: Callable[..., str]) -> None:
    """The officer's code from the demo secret; a code works once per 30-second
    step, so a refused one is followed by the next step's."""
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    tried: set[str] = set()
    for _attempt in range(3):
        code = totp_code(DEMO_TOTP_SECRET)
        while code in tried:
            page.wait_for_timeout(1000)
            code = totp_code(DEMO_TOTP_SECRET)
        tried.add(code)
        page.fill("#id_code", code)
        page.get_by_role("button", name=re.compile("^(Masuk|Sign In)$")).click()
        page.wait_for_load_state("networkidle")
        if "/accounts/2fa/authenticate/" not in page.url:
            return
    pytest.fail("the TOTP code was refused three times")


def fill_apply_form(page: Any) -> None:
    """Every field the service asks for, whatever the service."""
    form = page.get_by_test_id("apply-form")
    form.locator("#id_applicant_name").fill("Sri Wahyuni")
    form.locator("#id_applicant_nik").fill("6311016504880002")
    form.locator("#id_applicant_phone").fill("081351234567")
    form.locator("#id_applicant_address").fill("Jl. A. Yani No. 12, Paringin")
    form.locator("#id_kecamatan").select_option(index=1)
    for field in form.locator("[name^='f_']").all():
        tag = field.evaluate("element => element.tagName.toLowerCase()")
        kind = field.get_attribute("type") or ""
        if tag == "select":
            field.select_option(index=1)
        elif kind == "checkbox":
            field.check()
        elif kind == "number":
            field.fill("12")
        elif kind == "date":
            field.fill("2026-01-15")
        else:
            field.fill("Keterangan uji")
    for index, upload in enumerate(form.locator("input[type=file]").all()):
        upload.set_input_files(
            {"name": f"dokumen-{index}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )


def test_application_from_online_submission_to_verified_certificate(browser, world, site):
    from tests.e2e.conftest import new_page

    citizen = new_page(browser, viewport={"width": 1366, "height": 900})
    officer = new_page(browser, viewport={"width": 1366, "height": 900})
    try:
        # The citizen applies online with their account.
        password_step(citizen, site(SLUG, "/accounts/login/"), world.citizen)
        assert citizen.url == site(SLUG, "/")
        citizen.goto(site(SLUG, f"/permits/apply/{world.service_code}/"))
        fill_apply_form(citizen)
        screenshot(citizen, "permits-apply-form")
        citizen.get_by_test_id("apply-submit").click()
        citizen.wait_for_load_state("networkidle")
        assert "/permits/apply/done/" in citizen.url, citizen.content()[:2000]
        code = citizen.get_by_test_id("tracking-code").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{12}", code)
        screenshot(citizen, "permits-apply-done")

        # The officer signs in (password, then TOTP) and takes it through each step.
        password_step(officer, site(SLUG, "/accounts/login/"), world.officer)
        enter_totp(officer, site)
        officer.goto(site(SLUG, "/permits/office/"))
        screenshot(officer, "permits-inbox")
        citizen.goto(site(SLUG, f"/permits/public/track/?code={code}"))
        number = citizen.get_by_test_id("track-number").inner_text().strip()
        officer.goto(site(SLUG, f"/permits/office/?q={number}"))
        officer.get_by_test_id("inbox-table").get_by_text(number).first.click()
        officer.wait_for_load_state("networkidle")
        assert re.search(r"/permits/office/a/\d+/$", officer.url)
        for step in OFFICE_STEPS:
            officer.locator(f"button[data-move='{step}']").click()
            officer.wait_for_load_state("networkidle")
            assert officer.locator(f"button[data-move='{step}']").count() == 0, step
        screenshot(officer, "permits-office-completed")
        office_page = officer.url

        # The tracking page shows every step, and no personal data.
        citizen.goto(site(SLUG, f"/permits/public/track/?code={code}"))
        assert citizen.get_by_test_id("track-status").get_attribute("data-status") == "completed"
        steps = citizen.get_by_test_id("track-steps").locator("li")
        assert steps.count() == 1 + len(OFFICE_STEPS)
        html = citizen.content()
        assert "6311016504880002" not in html and "081351234567" not in html
        assert "S*** W***" in html
        screenshot(citizen, "permits-tracking")

        # The certificate's verification page, from the link its QR code holds.
        officer.goto(office_page)
        officer.get_by_test_id("certificate-link").click()
        officer.wait_for_load_state("networkidle")
        assert officer.url == site(SLUG, f"/permits/public/certificate/{code}/")
        screenshot(officer, "permits-certificate")
        with officer.expect_download() as downloading:
            officer.get_by_test_id("certificate-pdf").click()
        assert Path(downloading.value.path()).read_bytes().startswith(b"%PDF-")
        certificate_number = officer.get_by_test_id("certificate-number").inner_text().strip()
        officer.get_by_test_id("certificate-verify").click()
        officer.wait_for_load_state("networkidle")
        assert "/permits/public/verify/" in officer.url
        officer.get_by_test_id("lang-en").click()
        officer.wait_for_load_state("networkidle")
        result = officer.get_by_test_id("verify-result")
        assert result.get_attribute("data-genuine") == "1"
        assert result.get_attribute("data-valid") == "1"
        assert officer.get_by_test_id("verify-verdict").inner_text().strip() == "Genuine and valid"
        assert officer.get_by_test_id("verify-number").inner_text().strip() == certificate_number
        assert officer.get_by_test_id("verify-holder").inner_text().strip() == "Sri Wahyuni"
        screenshot(officer, "permits-verify-genuine")

        # A token altered by one character is not genuine.
        genuine_url = officer.url.rstrip("/")
        officer.goto(genuine_url[:-1] + ("B" if genuine_url.endswith("A") else "A") + "/")
        assert officer.get_by_test_id("verify-result").get_attribute("data-genuine") == "0"

        # The dashboard counts it (its charts are drawn on the server).
        officer.goto(site(SLUG, "/permits/reports/"))
        assert officer.get_by_test_id("chart-applications").locator("svg rect").count() > 0
        screenshot(officer, "permits-dashboard")

        # After pick-up the citizen rates the service.
        citizen.goto(site(SLUG, f"/permits/public/track/?code={code}"))
        citizen.get_by_test_id("track-survey").click()
        citizen.wait_for_load_state("networkidle")
        for element in range(1, 10):
            citizen.locator(f"input[name='u{element}'][value='4']").check()
        citizen.get_by_test_id("survey-submit").click()
        citizen.wait_for_load_state("networkidle")
        assert citizen.get_by_test_id("survey-thanks").is_visible()
    finally:
        citizen.context.close()
        officer.context.close()

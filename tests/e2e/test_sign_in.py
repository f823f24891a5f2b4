"""A regency's staff member in a real browser: sign in, switch language, sign out."""

import re
import time

import pytest

from tenants.management.commands.demo_totp import totp_code
from tenants.management.commands.seed_demo import DEMO_TOTP_SECRET
from tests.conftest import DEMO_PASSWORD, admin_email
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
TOTP_PERIOD = 30


def sign_in(page, url, email, password=DEMO_PASSWORD, *, totp=True):
    page.goto(url)
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name=re.compile("^(Masuk|Sign In)$")).click()
    page.wait_for_load_state("networkidle")
    if not totp:
        return
    # Regency admins use two-factor sign-in; the demo ones have the demo secret.
    # allauth refuses a code used once already (an earlier test may have signed the
    # same admin in during this 30-second period): then wait for the next code.
    for _attempt in range(2):
        if "/accounts/2fa/authenticate/" not in page.url:
            break
        page.fill("#id_code", totp_code(DEMO_TOTP_SECRET))
        page.press("#id_code", "Enter")
        page.wait_for_load_state("networkidle")
        if "/accounts/2fa/authenticate/" in page.url:
            time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 1)


def heading(page):
    return page.locator("h1").first.inner_text().strip()


def test_regency_admin_signs_in_switches_to_english_and_signs_out(page, site):
    page.goto(site("lebak"))
    assert page.locator("html").get_attribute("lang") == "id"
    assert heading(page) == "Masuk"
    assert page.get_by_test_id("regency-name").inner_text() == "Lebak"
    screenshot(page, "sign-in-desktop")

    sign_in(page, site("lebak"), admin_email("lebak"))
    assert page.url == site("lebak", "/")
    assert heading(page) == "Selamat datang di Lebak"
    screenshot(page, "home-desktop-id")

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert heading(page) == "Welcome to Lebak"
    assert page.url == site("lebak", "/")
    screenshot(page, "home-desktop-en")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("sign-out").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(site("lebak", "/accounts/login/"))
    assert heading(page) == "Sign In"


def test_lebak_credentials_are_refused_at_dumai(page, site):
    sign_in(page, site("dumai", "/accounts/login/"), admin_email("lebak"))

    assert page.url.startswith(site("dumai", "/accounts/login/"))
    assert page.get_by_test_id("form-errors").is_visible()
    assert page.get_by_test_id("user-menu").count() == 0
    screenshot(page, "dumai-refuses-lebak")


def test_regency_pages_fit_a_phone_screen(phone, site):
    phone.goto(site("lebak"))
    screenshot(phone, "sign-in-phone")
    sign_in(phone, site("lebak"), admin_email("lebak"))
    assert heading(phone) == "Selamat datang di Lebak"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "home-phone")

    # On a phone the menu folds behind the toggler; the language switch stays visible.
    assert not phone.get_by_test_id("sign-out").is_visible()
    assert phone.get_by_test_id("lang-en").is_visible()
    phone.get_by_test_id("nav-toggle").click()
    phone.wait_for_selector("#sk-nav.show")  # the menu has finished unfolding
    phone.get_by_test_id("user-menu").click()
    phone.get_by_test_id("sign-out").wait_for(state="visible")
    screenshot(phone, "menu-phone")
    phone.get_by_test_id("sign-out").click()
    phone.wait_for_load_state("networkidle")
    assert phone.url.startswith(site("lebak", "/accounts/login/"))


def test_account_security_pages_keep_the_regency_layout(page, site):
    sign_in(page, site("lebak"), admin_email("lebak"))
    page.get_by_test_id("user-menu").click()
    page.locator(".dropdown-menu").get_by_role("link", name="Autentikasi dua faktor").click()
    page.wait_for_load_state("networkidle")

    assert page.url == site("lebak", "/accounts/2fa/")
    assert page.get_by_test_id("regency-name").inner_text() == "Lebak"
    assert heading(page) == "Autentikasi Dua Faktor"
    screenshot(page, "two-factor-desktop")

"""Core pages in real headless Chromium: axe-core finds no WCAG 2.1 A/AA violations, and the pages work."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    demo_load()


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


PUBLIC_PAGES = [
    "/",
    "/en/",
    "/toegankelijkheid",
    "/en/toegankelijkheid",
    "/account/inloggen",
    "/en/account/inloggen",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(demo: None, live_server: Any, page: Page, path: str) -> None:
    console = ConsoleWatcher(page)
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") in {"nl", "en"}
    assert_accessible(page)
    assert console.errors == []


def test_skip_link_moves_focus_to_main_content(demo: None, live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de hoofdinhoud")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_login_error_is_announced_and_accessible(demo: None, live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/account/inloggen")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill("wrong password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Gebruikersnaam").input_value() == "beheerder"
    assert_accessible(page)


STAFF_PAGES = ["", "leden", "leden/toevoegen", "audittrail", "organisatie"]


def test_staff_pages_are_accessible(demo: None, live_server: Any, page: Page) -> None:
    console = ConsoleWatcher(page)
    log_in(page, live_server.url, "beheerder")
    page.wait_for_url(f"**/beheer/{DEMO_SLUG}/")
    for path in STAFF_PAGES:
        page.goto(f"{live_server.url}/beheer/{DEMO_SLUG}/{path}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    assert console.errors == []


def test_invalid_form_shows_summary_keeps_input_and_is_accessible(
    demo: None, live_server: Any, page: Page
) -> None:
    log_in(page, live_server.url, "beheerder")
    page.wait_for_url(f"**/beheer/{DEMO_SLUG}/")
    page.goto(f"{live_server.url}/beheer/{DEMO_SLUG}/leden/toevoegen")
    page.get_by_label("Volledige naam").fill("Nieuwe Collega")
    page.get_by_label("E-mailadres").fill("geen-e-mailadres")
    page.get_by_role("button", name="Rol geven").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Volledige naam").input_value() == "Nieuwe Collega"
    assert page.get_by_label("E-mailadres").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

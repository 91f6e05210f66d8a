"""The compliance checklist of the demo municipality in real headless Chromium: axe-core finds no WCAG 2.1 A/AA
violations, in Dutch and in English, and the fix-it links lead to pages that open."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_checklist_is_accessible_and_its_links_work(
    transactional_db: None, live_server: Any, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    demo_load()
    page = browser.new_context(bypass_csp=True, locale="nl-NL").new_page()
    console = ConsoleWatcher(page)
    log_in(page, live_server.url, "beheerder")
    for path in (f"/beheer/{DEMO_SLUG}/ai-beleid/checklist", f"/en/beheer/{DEMO_SLUG}/ai-beleid/checklist"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/beheer/{DEMO_SLUG}/ai-beleid/checklist")
    fix_links = page.locator("section a", has_text="Oplossen")
    assert fix_links.count() >= 1
    fix_links.first.click()
    expect(page.locator("h1")).to_have_count(1)  # waits until the page the link leads to has loaded
    assert console.errors == []

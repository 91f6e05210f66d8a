"""Staff register pages in real headless Chromium: axe-core finds no WCAG 2.1 A/AA violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_pages_are_accessible(
    transactional_db: None, live_server: Any, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    demo_load()
    published = Algorithm.objects.get(source_id="VBS-002")
    draft = Algorithm.objects.get(source_id="VBS-010")
    console = ConsoleWatcher(page)
    log_in(page, live_server.url, "beheerder")
    page.wait_for_url(f"**/beheer/{DEMO_SLUG}/")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/algoritmes/"
    for path in [
        "",
        "?q=risico&status=in_use",
        "nieuw",
        f"{published.pk}",
        f"{draft.pk}",
        f"{published.pk}/bewerken",
        f"{published.pk}/versies?van=1&naar=3",
    ]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        assert violations == [], (path, violations)
    page.goto(base + "nieuw")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert axe_violations(page) == []
    assert console.errors == []

"""The AI Act wizard in real headless Chromium: axe-core clean, keyboard and no-JavaScript use both work."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.aiact.test_classification_storage import answers
from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_wizard_is_accessible_and_works(
    transactional_db: None,
    live_server: Any,
    browser: Browser,
    monkeypatch: pytest.MonkeyPatch,
    javascript: bool,
) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    demo_load()
    algorithm = Algorithm.objects.get(source_id="VBS-005")
    context = browser.new_context(bypass_csp=True, locale="nl-NL", java_script_enabled=javascript)
    page: Page = context.new_page()
    console = ConsoleWatcher(page)
    log_in(page, live_server.url, "beheerder")
    page.wait_for_url(f"**/beheer/{DEMO_SLUG}/")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/algoritmes/{algorithm.pk}/ai-verordening"
    page.goto(base)
    page.get_by_role("button", name="Nieuwe indeling beginnen").click()
    wanted = answers("waste_route_optimisation")
    for step in range(60):
        if "/controleren" in page.url:
            break
        if javascript and step in (0, 3):  # axe itself needs JavaScript
            assert axe_violations(page) == [], page.url
        question_id = page.locator("input[name=question]").input_value()
        choice = page.locator(f"input[name=answer][value='{wanted[question_id]}']")
        page.locator(f"label[for='{choice.get_attribute('id')}']").click()  # as a person would: on the label
        assert choice.is_checked()
        page.get_by_role("button", name="Volgende").click()
        # With htmx the page is swapped in place, without it the browser navigates: wait for the next question.
        page.wait_for_function(
            "previous => location.pathname.endsWith('/controleren') || "
            "(document.querySelector('input[name=question]') || {}).value !== previous",
            arg=question_id,
        )
    page.wait_for_url("**/controleren")
    page.wait_for_load_state()
    page.get_by_role("heading", name="Controleer de uitkomst").wait_for()
    assert not javascript or axe_violations(page) == []
    page.get_by_role("button", name="Indeling opslaan").click()
    page.wait_for_url(f"{base}/1")
    assert page.get_by_role("heading", name="Hoe deze uitkomst tot stand kwam").is_visible()
    assert not javascript or axe_violations(page) == []
    assert console.errors == []
    context.close()

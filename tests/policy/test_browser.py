"""The demo policy in real headless Chromium: a draft's text autosaves with htmx as it is typed, the version goes
to review and is adopted through the pages, and the public page shows it; axe-core finds no WCAG 2.1 A/AA
violations on the overview, the editor, the version page, the diff and the public page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.policy.models import PolicyVersion, TextBlock, VersionState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser: Browser) -> Page:
    return browser.new_context(bypass_csp=True, locale="nl-NL").new_page()


def test_edit_review_adopt_and_publish_the_policy(
    transactional_db: None, live_server: Any, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    demo_load()
    draft = PolicyVersion.objects.get(organisation__slug=DEMO_SLUG, state=VersionState.DRAFT)
    block = TextBlock.objects.get(version=draft, key="register.open", language="nl")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/ai-beleid"

    page = new_page(browser)
    console = ConsoleWatcher(page)
    log_in(page, live_server.url, "beheerder")
    page.goto(base)
    assert axe_violations(page) == []

    # Typing saves on its own (htmx): the revision in the form goes up without pressing a button.
    page.goto(f"{base}/versie/{draft.number}/bewerken/nl")
    assert axe_violations(page) == []
    page.locator(f"#text-{block.pk}").fill("# Openheid\n\nWij publiceren ook de jaarlijkse terugblik.")
    page.wait_for_function(f"document.querySelector('#rev-{block.pk}').value === '1'", timeout=10_000)
    assert TextBlock.objects.get(pk=block.pk).markdown.endswith("jaarlijkse terugblik.")
    assert "Opgeslagen." in page.locator(f"#status-{block.pk}").inner_text()

    page.goto(f"{base}/versie/{draft.number}/verschillen")
    assert page.locator("ins", has_text="jaarlijkse terugblik").count() == 1
    assert axe_violations(page) == []

    page.goto(f"{base}/versie/{draft.number}")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator(f"form[action$='/versie/{draft.number}/indienen'] button").click()
    assert PolicyVersion.objects.get(pk=draft.pk).state == VersionState.IN_REVIEW
    page.goto(f"{base}/versie/{draft.number}/vaststellen")
    assert axe_violations(page) == []
    page.locator("input[name=decision_body][value=board]").check()
    page.locator("#id_decision_date").fill("2026-11-30")
    page.locator("#id_decision_reference").fill("B&W-besluit 2026/0999")
    with page.expect_navigation():
        page.locator("form.vw-form button[type=submit]").click()
    adopted = PolicyVersion.objects.get(pk=draft.pk)
    assert adopted.state == VersionState.ADOPTED and adopted.decision_reference == "B&W-besluit 2026/0999"

    visitor = new_page(browser)
    visitor.goto(f"{live_server.url}/register/{DEMO_SLUG}/ai-beleid")
    text = visitor.inner_text("body")
    assert "B&W-besluit 2026/0999" in text and "jaarlijkse terugblik" in text
    assert axe_violations(visitor) == []
    assert console.errors == []

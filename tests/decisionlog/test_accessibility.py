"""The decision log's pages in real headless Chromium: axe-core finds no WCAG 2.1 A/AA violations, and the
chart has its text alternative and its table."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.decisionlog.models import LogEntry
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    demo_load()


def test_public_log_page_is_accessible(demo: None, live_server: Any, page: Page) -> None:
    console = ConsoleWatcher(page)
    for path in (f"/register/{DEMO_SLUG}/logboek", f"/en/register/{DEMO_SLUG}/logboek"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == []
    assert console.errors == []


def test_staff_pages_of_the_log_are_accessible(demo: None, live_server: Any, page: Page) -> None:
    console = ConsoleWatcher(page)
    fraud_model = Algorithm.objects.get(source_id="VBS-002")
    entry = LogEntry.objects.filter(algorithm=fraud_model).first()
    assert entry is not None
    log_in(page, live_server.url, "beheerder")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/beslissingen"
    for path in (
        "",
        f"/algoritmes/{fraud_model.pk}",
        f"/algoritmes/{fraud_model.pk}/sleutels",
        "/controlepunten",
        "/instellingen",
        "/zoeken?decision_id=BIJ-2026-00001",
        f"/{entry.index}",
        "/wissen",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.goto(f"{base}/algoritmes/{fraud_model.pk}")
    chart = page.locator("svg[role=img]")
    assert chart.get_attribute("aria-labelledby") == "decisions-chart-title decisions-chart-desc"
    assert page.locator("table caption").first.is_visible()
    assert console.errors == []


def test_personal_data_is_shown_on_request_and_accessible(demo: None, live_server: Any, page: Page) -> None:
    entry = LogEntry.objects.filter(
        algorithm__source_id="VBS-002", personal_payload__payload__isnull=False
    ).first()
    assert entry is not None
    log_in(page, live_server.url, "fg")
    page.goto(f"{live_server.url}/beheer/{DEMO_SLUG}/beslissingen/{entry.index}")
    page.get_by_role("button").filter(has_text="ersoonsgegevens").or_(
        page.get_by_role("button").filter(has_text="personal data")
    ).first.click()
    expect(page.locator("code", has_text="pseudonym")).to_have_count(1)
    assert axe_violations(page) == []

"""The annual review pages in real headless Chromium with the demo data: axe-core finds no WCAG 2.1 A/AA
violations, one h1 per page, and no errors in the console."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.register.models import Algorithm
from verantwoord.reviews.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    demo_load()


def test_review_pages_are_accessible(demo: None, live_server: Any, page: Page) -> None:
    console = ConsoleWatcher(page)
    chatbot = Algorithm.objects.get(source_id="VBS-003")
    review = Review.objects.filter(algorithm=chatbot).get()
    log_in(page, live_server.url, "beheerder")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/jaarlijkse-evaluatie"
    for url in (
        base,
        f"{base}/nieuw?algorithm={chatbot.pk}",
        f"{base}/{review.pk}",
        f"{base}/cyclus",
        f"{live_server.url}/beheer/{DEMO_SLUG}/algoritmes/{chatbot.pk}",
        f"{live_server.url}/en/beheer/{DEMO_SLUG}/jaarlijkse-evaluatie",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert axe_violations(page) == [], url
    page.goto(base)
    assert page.get_by_role("table", name="Evaluaties waarvan de datum voorbij is").count() == 1
    assert console.errors == []

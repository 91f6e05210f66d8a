"""The monitoring pages in real headless Chromium: axe-core finds no WCAG 2.1 A/AA violations, and each chart
has its text alternative and a table beside it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.monitoring.models import Finding
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    demo_load()


def test_monitoring_pages_are_accessible(demo: None, live_server: Any, page: Page) -> None:
    console = ConsoleWatcher(page)
    fraud_model = Algorithm.objects.get(source_id="VBS-002")
    finding = Finding.objects.filter(algorithm=fraud_model).first()
    assert finding is not None
    log_in(page, live_server.url, "beheerder")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/monitoring"
    for path in (
        f"/algoritmes/{fraud_model.pk}",
        "",
        "/bevindingen",
        f"/bevindingen/{finding.pk}",
        f"/algoritmes/{fraud_model.pk}/instellingen",
        f"/en/beheer/{DEMO_SLUG}/monitoring/algoritmes/{fraud_model.pk}",
    ):
        page.goto(live_server.url + path if path.startswith("/en/") else base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.goto(f"{base}/algoritmes/{fraud_model.pk}")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 3
    assert page.locator("table caption").count() >= charts.count() + 2
    assert console.errors == []

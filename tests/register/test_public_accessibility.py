"""Public register pages in real headless Chromium: axe-core finds no WCAG 2.1 A/AA violations, no console
errors (the CSP allows no inline script), and search works with and without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import ConsoleWatcher, axe_violations
from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.register import services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def algorithm(transactional_db: None) -> Algorithm:
    """A register of a few algorithms; returns one with two versions, links and a risk class."""
    organisation = OrganisationFactory(name="Gemeente Testdorp", slug="testdorp")
    other = OrganisationFactory(name="Gemeente Anderstad", slug="anderstad")
    for number in range(3):
        published_algorithm(other, name=f"Afvalroute wijk {number}", themes=["nature"])
    algorithm = published_algorithm(
        organisation,
        name="Slimme verkeerslichten",
        themes=["traffic", "nature"],
        website="https://testdorp.example/verkeerslichten",
        ai_act_risk_class="minimal",
    )
    algorithm = services.algorithm_update(
        actor=None,
        algorithm=algorithm,
        data={"goal": "Minder wachten.\n\nOok voorrang voor hulpdiensten."},
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"}
            ]
        },
    )
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    return algorithm


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def paths(algorithm: Algorithm) -> list[str]:
    detail = f"/register/testdorp/{algorithm.pk}"
    return [
        "/register",
        "/register?q=verkeer",
        "/register?q=onvindbaarwoord",
        "/register?theme=nature&sort=-published",
        "/register/testdorp",
        "/register/anderstad",
        detail,
        f"{detail}/versies",
        f"{detail}/versies/1",
    ]


@pytest.mark.parametrize("language", ["", "/en"])
def test_public_register_pages_are_accessible(
    algorithm: Algorithm, live_server: Any, page: Page, language: str
) -> None:
    console = ConsoleWatcher(page)
    for path in paths(algorithm):
        response = page.goto(live_server.url + language + path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == ("en" if language else "nl")
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        assert violations == [], (path, violations)
    assert console.errors == []


def test_search_with_javascript_updates_the_results_and_the_address(
    algorithm: Algorithm, live_server: Any, page: Page
) -> None:
    console = ConsoleWatcher(page)
    page.goto(live_server.url + "/register")
    page.locator("#register-q").fill("hulpdiensten")
    page.locator("#register-q").press("Enter")
    page.wait_for_url("**/register?q=hulpdiensten**")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*1 algoritme "))
    results = page.locator("#results")
    assert results.get_by_role("link", name="Slimme verkeerslichten").is_visible()
    assert results.get_by_role("link", name="Afvalroute wijk 0").count() == 0
    assert page.locator("h1").count() == 1  # the results were put in place, not a page in a page
    assert "hulpdiensten" in page.title()
    assert_accessible(page)
    page.go_back()
    page.wait_for_url("**/register")
    assert console.errors == []


def test_search_and_filters_work_without_javascript(
    algorithm: Algorithm, live_server: Any, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/register")
        page.locator("#register-theme").select_option("nature")
        page.locator("#register-sort").select_option("-published")
        page.locator(".vw-register-form__actions button").click()
        page.wait_for_url("**theme=nature**")
        links = page.locator(".vw-result__title a")
        assert links.count() == 4
        assert links.first.inner_text() == "Slimme verkeerslichten"
    finally:
        context.close()


def test_the_detail_page_links_lead_to_the_history_and_an_old_version(
    algorithm: Algorithm, live_server: Any, page: Page
) -> None:
    page.goto(f"{live_server.url}/register/testdorp/{algorithm.pk}")
    page.locator(".vw-publication-facts a[href$='/versies']").click()
    page.wait_for_url("**/versies")
    page.get_by_role("link", name="Versie 1").click()
    page.wait_for_url("**/versies/1")
    assert page.locator(".utrecht-alert--warning").is_visible()
    assert "hulpdiensten" not in page.content()

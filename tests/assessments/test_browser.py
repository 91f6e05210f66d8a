"""A DPIA filled in and decided in real headless Chromium: autosave per question with htmx, the FG's advice and
the accountable manager's decision; axe-core finds no WCAG 2.1 A/AA violations on the fill-in page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import ConsoleWatcher, axe_violations, log_in
from verantwoord.assessments import selectors
from verantwoord.assessments.demo import complete_for_demo
from verantwoord.assessments.models import Assessment, State
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.register.models import Algorithm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser: Browser) -> Page:
    return browser.new_context(bypass_csp=True, locale="nl-NL").new_page()


def test_fill_in_and_decide_a_dpia(
    transactional_db: None, live_server: Any, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    demo_load()
    algorithm = Algorithm.objects.get(organisation__slug=DEMO_SLUG, source_id="VBS-005")
    base = f"{live_server.url}/beheer/{DEMO_SLUG}/toetsen"

    owner = new_page(browser)
    console = ConsoleWatcher(owner)
    log_in(owner, live_server.url, "eigenaar")
    owner.goto(f"{base}/algoritme/{algorithm.pk}")
    owner.locator("input[name=template][value=dpia]").check()
    owner.locator("form.vw-form button[type=submit]").click()
    owner.wait_for_url(f"{base}/*")
    assessment = Assessment.objects.get(algorithm=algorithm, template_key="dpia")

    # Part A, section 1: typing saves on its own (htmx), without pressing a button.
    owner.goto(f"{base}/{assessment.pk}/onderdeel/a1")
    assert axe_violations(owner) == []
    owner.locator("#q-proposal").fill("Onderhoud van de riolering plannen met een voorspelmodel.")
    owner.wait_for_function("document.querySelector('#rev-proposal').value === '1'", timeout=10_000)
    assert selectors.answers_of(assessment=assessment)["proposal"].startswith("Onderhoud van de riolering")

    # Section 8: a yes shows its follow-up question at once, and the risk table saves with the plain form too.
    owner.goto(f"{base}/{assessment.pk}/onderdeel/a8")
    follow_up = owner.locator("#question-transfer_basis")
    assert follow_up.is_hidden()
    owner.locator("label[for=q-outside_eu-yes]").click()
    follow_up.wait_for(state="visible")
    owner.locator("label[for=q-outside_eu-no]").click()
    follow_up.wait_for(state="hidden")
    owner.locator("#q-locations").fill("Datacentrum van de gemeente in Nederland.")
    with owner.expect_navigation():
        owner.locator("button[name=next][value='0']").click()
    assert owner.locator("#error-summary").count() == 0, owner.locator("#error-summary").inner_text()
    assert selectors.answers_of(assessment=assessment)["locations"].startswith("Datacentrum")
    assert axe_violations(owner) == []

    complete_for_demo(assessment, None, {"legal_ground": "public_task"})  # the remaining paragraphs
    owner.goto(f"{base}/{assessment.pk}")
    with owner.expect_navigation():
        owner.locator(f"form[action$='/{assessment.pk}/indienen'] button").click()
    assert Assessment.objects.get(pk=assessment.pk).state == State.SUBMITTED

    fg = new_page(browser)
    log_in(fg, live_server.url, "fg")
    fg.goto(f"{base}/{assessment.pk}/advies")
    fg.locator("input[name=outcome][value=positive_with_conditions]").check()
    fg.locator("#id_text").fill("Rechtmatig, mits de toegang wordt beperkt.")
    fg.locator("input[name='condition-0-text']").fill("Beperk de toegang tot het onderhoudsteam")
    fg.locator("input[name='condition-0-due_date']").fill("2026-12-31")
    fg.locator("form:has(#id_text) button[type=submit]").click()
    fg.wait_for_url(f"{base}/{assessment.pk}")
    assert Assessment.objects.get(pk=assessment.pk).state == State.ADVISED

    manager = new_page(browser)
    log_in(manager, live_server.url, "beheerder")
    manager.goto(f"{base}/{assessment.pk}/besluit")
    assert axe_violations(manager) == []
    manager.locator("input[name=decision][value=approved]").check()
    manager.locator("#id_note").fill("Akkoord, met de voorwaarde van de FG.")
    manager.locator("form:has(#id_note) button[type=submit]").click()
    manager.wait_for_url(f"{base}/{assessment.pk}")
    decided = Assessment.objects.get(pk=assessment.pk)
    assert decided.state == State.DECIDED and decided.decided_by is not None
    assert decided.content_hash in manager.content()
    assert axe_violations(manager) == []  # the overview of a decided assessment
    manager.goto(f"{base}/{assessment.pk}/afdrukken")
    assert axe_violations(manager) == []
    assert console.errors == []

"""The compliance checklist: the policy's own check, the whole checklist on prepared data, and the dashboard."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.aiact.test_classification_storage import answers
from tests.register.factories import AlgorithmFactory, published_algorithm
from verantwoord.aiact import services as aiact_services
from verantwoord.core.models import Organisation, User
from verantwoord.core.navigation import staff_menu_items
from verantwoord.core.roles import Role
from verantwoord.policy.checklist import registered_checks, run_checklist
from verantwoord.policy.live_blocks import registered_live_blocks
from verantwoord.policy.models import PolicyVersion, VersionState
from verantwoord.policy.policy_checks import months_before
from verantwoord.register.choices import PublicationCategory
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db
# The checks this part of the platform adds (others come from assessments, monitoring and reviews).
OWN_CHECKS = {
    "policy.not_adopted_or_outdated",
    "register.in_use_not_published",
    "register.published_incomplete",
    "aiact.not_classified",
    "aiact.prohibited_in_use",
    "aiact.high_risk_obligations_open",
    "compliance.tasks_overdue",
    "decisionlog.checkpoint_overdue",
}


def _adopted(organisation: Organisation, on: datetime.date, number: int = 1) -> PolicyVersion:
    return PolicyVersion.objects.create(
        organisation=organisation,
        number=number,
        state=VersionState.ADOPTED,
        template_version="test",
        decision_date=on,
        adopted_at=timezone.now(),
    )


def _policy_check(organisation: Organisation, today: datetime.date) -> int:
    (check,) = [check for check in registered_checks() if check.key == "policy.not_adopted_or_outdated"]
    return check.run(organisation, today).count


def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert months_before(datetime.date(2026, 6, 15), 12) == datetime.date(2025, 6, 15)
    assert months_before(datetime.date(2028, 2, 29), 12) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 10), 13) == datetime.date(2024, 12, 10)


def test_policy_check_not_adopted_adopted_and_outdated(organisation: Organisation) -> None:
    today = datetime.date(2026, 12, 4)
    assert _policy_check(organisation, today) == 1  # nothing adopted
    PolicyVersion.objects.create(organisation=organisation, number=1, template_version="test")  # a draft
    assert _policy_check(organisation, today) == 1
    PolicyVersion.objects.all().delete()
    _adopted(organisation, datetime.date(2025, 12, 4))
    assert _policy_check(organisation, today) == 0  # exactly twelve months
    assert _policy_check(organisation, today + datetime.timedelta(days=1)) == 1
    (check,) = [check for check in registered_checks() if check.key == "policy.not_adopted_or_outdated"]
    (item,) = check.run(organisation, today + datetime.timedelta(days=1)).items
    assert "4 december 2025" in item.label
    assert item.url.endswith(f"/beheer/{organisation.slug}/ai-beleid")


def test_clean_organisation_passes_every_own_check(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Openbaar", publication_category=PublicationCategory.IMPACTFUL)
    aiact_services.classification_store(
        actor=None, algorithm=Algorithm.objects.get(), answers=answers("copilot_for_staff")
    )
    _adopted(organisation, timezone.localdate())

    results = {r.check.key: r for r in run_checklist(organisation, timezone.localdate())}

    assert set(results) >= OWN_CHECKS
    assert [key for key in OWN_CHECKS if not results[key].passed] == []


def test_checklist_finds_the_prepared_problems_open_first(organisation: Organisation) -> None:
    AlgorithmFactory(organisation=organisation, name="Niet gepubliceerd", publication_category="impactful")

    results = run_checklist(organisation, timezone.localdate())
    failing = {r.check.key: r.outcome.count for r in results if not r.passed}

    assert failing["register.in_use_not_published"] == 1
    assert failing["aiact.not_classified"] == 1
    assert failing["policy.not_adopted_or_outdated"] == 1
    # Open ones first, and among them the most severe first.
    passed = [r.passed for r in results]
    assert passed == sorted(passed)
    open_severities = [r.check.severity for r in results if not r.passed]
    assert open_severities == sorted(open_severities, reverse=True)


@pytest.fixture
def prepared(organisation: Organisation) -> Organisation:
    for number in range(23):  # more than a check lists
        AlgorithmFactory(
            organisation=organisation, name=f"Algoritme {number:02d}", publication_category="impactful"
        )
    return organisation


def _get(client: Client, organisation: Organisation, language: str = "nl") -> str:
    with translation.override(language):  # i18n_patterns: the path carries the language
        url = reverse("policy:checklist", kwargs={"slug": organisation.slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.AUDITOR, Role.ETHICS_MEMBER])
def test_dashboard_shows_counts_items_and_fix_links(
    prepared: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client], role: Role
) -> None:
    html = _get(client_for(member_of(prepared, role)), prepared)

    results = run_checklist(prepared, timezone.localdate())
    failing = [r for r in results if not r.passed]
    assert f'<dd data-testid="open-checks">{len(failing)} (' in html
    assert f'<dd data-testid="open-items">{sum(r.outcome.count for r in failing)}</dd>' in html
    passing = sum(1 for r in results if r.passed and not r.outcome.not_applicable)
    assert f'<dd data-testid="passed-checks">{passing}</dd>' in html
    assert html.count('<tr class="utrecht-table__row" data-check=') == len(registered_checks())
    assert "Nalevingschecklist" in html or "checklist" in html.lower()
    # The first items of the open register check are listed with a link; the rest are counted.
    with translation.override("nl"):
        algorithm_url = reverse("register-staff:list", kwargs={"slug": prepared.slug})
    assert f'href="{algorithm_url}' in html
    assert "Algoritme 00" in html and "Algoritme 19" in html and "Algoritme 20" not in html
    assert 'id="check-register-in-use-not-published"' in html
    assert '<th scope="col"' in html and "<caption" in html


def test_dashboard_in_english(
    prepared: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    html = _get(client_for(beheerder), prepared, "en")
    assert '<h1 class="utrecht-heading-1">Compliance checklist</h1>' in html
    assert "Algorithms in use that are not in the public register" in html
    assert "And 3 more items." in html
    assert 'href="/en/beheer/' in html


def test_dashboard_in_dutch(
    prepared: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    html = _get(client_for(beheerder), prepared)
    assert '<html lang="nl"' in html
    assert "Wat moet worden opgelost" in html
    assert "En nog 3 items." in html


def test_dashboard_refuses_without_the_permission(
    organisation: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    with translation.override("nl"):
        url = reverse("policy:checklist", kwargs={"slug": organisation.slug})
    assert client_for(member_of(organisation, Role.STAFF)).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and reverse("core:login") in anonymous["Location"]
    other = Organisation.objects.create(name="Gemeente Elders", slug="elders")
    assert client_for(member_of(other, Role.BEHEERDER)).get(url).status_code == 403


def test_dashboard_is_in_the_staff_menu() -> None:
    assert any(item.url_name == "policy:checklist" for item in staff_menu_items())


@pytest.mark.parametrize(
    "key", ["register.figures", "aiact.classification", "compliance.tasks", "decisionlog.setup"]
)
def test_live_blocks_and_checklist_only_read(prepared: Organisation, key: str) -> None:
    (block,) = [block for block in registered_live_blocks() if block.key == key]
    writes = ("INSERT ", "UPDATE ", "DELETE ")
    with CaptureQueriesContext(connection) as queries:
        block.build(prepared, timezone.now())
        run_checklist(prepared, timezone.localdate())
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(writes)]

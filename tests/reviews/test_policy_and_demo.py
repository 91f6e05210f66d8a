"""What the annual review adds to the AI policy (two compliance checks, the live block of section 8), the CLI, and
the demo."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from tests.reviews.factories import recorded_review, setting
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import ComplianceCheck, registered_checks
from verantwoord.policy.live_blocks import LiveBlock, registered_live_blocks
from verantwoord.register.choices import PublicationState
from verantwoord.register.models import Algorithm
from verantwoord.reviews import selectors
from verantwoord.reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _check(key: str) -> ComplianceCheck:
    return next(check for check in registered_checks() if check.key == key)


def _block(key: str) -> LiveBlock:
    return next(block for block in registered_live_blocks(8) if block.key == key)


def test_policy_review_check() -> None:
    s = setting()
    check = _check("reviews.policy_review_overdue")
    never = check.run(s.organisation, DAY)
    assert never.count == 1 and "no date planned" in never.items[0].label
    recorded_review(s.organisation, review_date=datetime.date(2025, 3, 1))  # next: 2026-03-01
    overdue = check.run(s.organisation, DAY)
    assert overdue.count == 1 and "March 1, 2026" in overdue.items[0].label
    assert check.run(s.organisation, datetime.date(2026, 2, 28)).count == 0
    assert check.fix_url(s.organisation) == "/en/beheer/evaldorp/jaarlijkse-evaluatie"


def test_algorithm_review_check() -> None:
    s = setting()
    check = _check("reviews.algorithm_review_overdue")
    assert check.run(s.organisation, DAY).count == 0
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 1, 5),
        next_review_date=datetime.date(2026, 1, 5),
    )
    outcome = check.run(s.organisation, DAY)
    assert outcome.count == 1
    assert outcome.items[0].label == "Slimme verkeerslichten: review was due on Jan. 5, 2026"
    assert outcome.items[0].url.endswith(f"/nieuw?algorithm={s.algorithm.pk}")
    assert check.run(s.organisation, datetime.date(2026, 1, 5)).count == 0  # due today is not overdue


def test_live_block_shows_the_cycle_as_of_the_moment() -> None:
    s = setting()
    recorded_review(s.organisation, review_date=datetime.date(2025, 3, 1))
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 9, 1),
        next_review_date=datetime.date(2026, 9, 1),
    )
    block = _block("reviews.cycle")
    moment = datetime.datetime(2025, 10, 1, 12, tzinfo=datetime.UTC)
    content = block.build(s.organisation, moment)
    assert "every 12 months" in content.paragraphs[0]
    assert "Last review of the AI policy: March 1, 2025. Next review: March 1, 2026." in content.paragraphs[1]
    recent, upcoming = content.tables
    assert recent.rows == [
        ["Slimme verkeerslichten", "Sept. 1, 2025", "Sept. 1, 2026"],
        ["AI policy", "March 1, 2025", "March 1, 2026"],
    ]
    assert upcoming.rows == [["Slimme verkeerslichten", "Sept. 1, 2025", "Sept. 1, 2026"]]
    # Before the algorithm's review: only the policy review existed.
    earlier = block.build(s.organisation, datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    assert [row[0] for row in earlier.tables[0].rows] == ["AI policy"]
    assert len(earlier.tables) == 1
    assert "No algorithm review has been recorded yet." in earlier.paragraphs


def _cli(*args: str) -> str:
    out = StringIO()
    call_command("reviews", *args, stdout=out)
    return out.getvalue()


def test_cli_due_json() -> None:
    s = setting()
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 1, 5),
        next_review_date=datetime.date(2026, 1, 5),
    )
    recorded_review(s.organisation, review_date=datetime.date(2025, 3, 20))
    data = json.loads(_cli("due", "--organisation", "evaldorp", "--date", "2026-03-10", "--json"))
    assert data["date"] == "2026-03-10"
    assert data["due"] == [
        {
            "kind": "algorithm",
            "algorithmId": s.algorithm.pk,
            "subject": "Slimme verkeerslichten",
            "dueDate": "2026-01-05",
            "overdue": True,
            "daysOverdue": 64,
            "lastReviewDate": "2025-01-05",
            "owner": "omar@evaldorp.example",
        },
        {
            "kind": "policy",
            "algorithmId": None,
            "subject": "Gemeente Evaldorp",
            "dueDate": "2026-03-20",
            "overdue": False,
            "daysOverdue": 0,
            "lastReviewDate": "2025-03-20",
            "owner": None,
        },
    ]
    table = _cli("due", "--organisation", "evaldorp", "--date", "2026-03-10")
    assert "Slimme verkeerslichten" in table and "overdue" in table
    assert "No review is due." in _cli("due", "--organisation", "evaldorp", "--date", "2025-06-01")
    with pytest.raises(CommandError):
        _cli("due", "--organisation", "nergensdorp")


def test_demo_reviews() -> None:
    demo_load()
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    today = timezone.localdate()
    reviews = Review.objects.filter(organisation=organisation)
    assert reviews.filter(algorithm__isnull=True, status=ReviewStatus.RECORDED).count() == 1
    policy = reviews.get(algorithm__isnull=True)
    assert policy.review_date < today - datetime.timedelta(days=300)
    assert reviews.filter(algorithm__isnull=False).count() == 3
    overdue = selectors.overdue_reviews(organisation=organisation, today=today)
    assert [item.algorithm.source_id for item in overdue if item.algorithm] == ["VBS-003"]
    # The reviewed algorithms are still published (the demo publishes the record again).
    assert set(
        Algorithm.objects.filter(organisation=organisation, reviews__isnull=False).values_list(
            "publication_state", flat=True
        )
    ) == {PublicationState.PUBLISHED}
    assert _check("reviews.algorithm_review_overdue").run(organisation, today).count == 1
    assert _check("reviews.policy_review_overdue").run(organisation, today).count == 0
    count = reviews.count()
    demo_load()
    assert Review.objects.filter(organisation=organisation).count() == count

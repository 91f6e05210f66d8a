"""The staff pages in Dutch and English: overview, record a review with planned changes (draft, then record),
a review's page, the cycle, the algorithm panel, and the refusals for roles that may not record."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.core.factories import MembershipFactory, UserFactory
from tests.register.factories import AlgorithmFactory
from tests.reviews.factories import Setting, recorded_review, setting
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import User
from verantwoord.core.roles import Role
from verantwoord.reviews import selectors
from verantwoord.reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """A request under /en/ leaves English active in the thread; each test starts in Dutch (paths included)."""
    with translation.override("nl"):
        yield


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(s: Setting, role: Role) -> User:
    user = UserFactory()
    MembershipFactory(user=user, organisation=s.organisation, role=role)
    return user


def test_overview_in_dutch_and_english() -> None:
    s = setting()
    today = timezone.localdate()
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=today - datetime.timedelta(days=400),
        next_review_date=today - datetime.timedelta(days=35),
    )
    client = client_of(member(s, Role.STAFF))
    dutch = client.get(reverse("reviews:overview", kwargs={"slug": s.organisation.slug}))
    assert dutch.status_code == 200
    page = dutch.content.decode()
    assert '<h1 class="utrecht-heading-1">Jaarlijkse evaluatie</h1>' in page
    assert "Te laat" in page and "Slimme verkeerslichten" in page
    assert "Evaluatie vastleggen" not in page  # staff reads, does not record
    english = client.get("/en" + reverse("reviews:overview", kwargs={"slug": s.organisation.slug}))
    assert '<h1 class="utrecht-heading-1">Annual review</h1>' in english.content.decode()
    assert "Overdue" in english.content.decode()


def test_owner_records_a_review_of_their_algorithm_with_tasks() -> None:
    s = setting()
    client = client_of(s.owner)
    url = reverse("reviews:record", kwargs={"slug": s.organisation.slug})
    form = client.get(f"{url}?algorithm={s.algorithm.pk}")
    assert form.status_code == 200
    assert (
        "Het AI-beleid van de organisatie" not in form.content.decode()
    )  # only the beheerder reviews the policy
    assert "Leeg: 12 maanden na de datum van deze evaluatie" in form.content.decode()
    data = {
        "subject": str(s.algorithm.pk),
        "review_date": "2026-03-10",
        "reviewers": [str(s.owner.pk)],
        "findings": "Werkt goed.",
        "decisions": "Blijft in gebruik.",
        "planned_changes_text": "",
        "next_review_date": "",
        "change-TOTAL_FORMS": "3",
        "change-INITIAL_FORMS": "0",
        "change-0-description": "Uitleg verbeteren",
        "change-0-owner": str(s.owner.pk),
        "change-0-due_date": "2026-06-01",
        "draft": "1",
    }
    saved = client.post(url, data)
    review = Review.objects.get(algorithm=s.algorithm)
    assert saved.status_code == 302 and saved["Location"].endswith(f"/{review.pk}")
    assert review.status == ReviewStatus.DRAFT
    detail = client.get(saved["Location"]).content.decode()
    assert "Uitleg verbeteren" in detail and "Evaluatie vastleggen" in detail

    recorded = client.post(saved["Location"])
    assert recorded.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECORDED
    s.algorithm.refresh_from_db()
    assert s.algorithm.next_review_date == datetime.date(2027, 3, 10)
    assert ComplianceTask.objects.get(source=f"review:{review.pk}").title == "Uitleg verbeteren"
    # A recorded review cannot be edited: the edit page sends back to the review.
    edit = client.get(reverse("reviews:edit", kwargs={"slug": s.organisation.slug, "review_id": review.pk}))
    assert edit.status_code == 302


def test_beheerder_records_the_policy_review_at_once_and_sets_the_cycle() -> None:
    s = setting()
    client = client_of(s.beheerder)
    response = client.post(
        "/en" + reverse("reviews:record", kwargs={"slug": s.organisation.slug}),
        {
            "subject": "",
            "review_date": "2026-03-10",
            "findings": "",
            "decisions": "The policy stays.",
            "next_review_date": "2027-02-01",
            "change-TOTAL_FORMS": "0",
            "change-INITIAL_FORMS": "0",
            "record": "1",
        },
    )
    assert response.status_code == 302
    assert selectors.next_policy_review_date(organisation=s.organisation) == datetime.date(2027, 2, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Review of the AI policy" in page and "cannot change" in page

    cycle_url = reverse("reviews:cycle", kwargs={"slug": s.organisation.slug})
    assert client.get(cycle_url).status_code == 200
    saved = client.post(
        cycle_url, {"next_policy_review_date": "2027-03-01", "interval_months": "12", "reminder_days": "45"}
    )
    assert saved.status_code == 302
    cycle = selectors.cycle_of(organisation=s.organisation)
    assert (cycle.next_policy_review_date, cycle.reminder_days) == (datetime.date(2027, 3, 1), 45)


def test_form_errors_are_shown() -> None:
    s = setting()
    response = client_of(s.beheerder).post(
        reverse("reviews:record", kwargs={"slug": s.organisation.slug}),
        {
            "subject": "",
            "review_date": "2026-03-10",
            "next_review_date": "2026-01-01",
            "change-TOTAL_FORMS": "0",
            "change-INITIAL_FORMS": "0",
            "record": "1",
        },
    )
    assert response.status_code == 200
    assert "De volgende evaluatie komt na deze." in response.content.decode()
    assert not Review.objects.exists()


def test_refusals() -> None:
    s = setting()
    review = recorded_review(s.organisation, review_date=datetime.date(2026, 1, 1))
    record_url = reverse("reviews:record", kwargs={"slug": s.organisation.slug})
    for role in (Role.AUDITOR, Role.STAFF, Role.PRIVACY_OFFICER):
        client = client_of(member(s, role))
        assert client.get(record_url).status_code == 403
        assert client.post(record_url, {}).status_code == 403
        detail = reverse("reviews:detail", kwargs={"slug": s.organisation.slug, "review_id": review.pk})
        assert client.get(detail).status_code == 200
        assert client.post(detail).status_code == 403
    assert (
        client_of(s.owner).get(reverse("reviews:cycle", kwargs={"slug": s.organisation.slug})).status_code
        == 403
    )
    outsider = client_of(UserFactory())
    assert outsider.get(reverse("reviews:overview", kwargs={"slug": s.organisation.slug})).status_code == 403
    anonymous = Client().get(reverse("reviews:overview", kwargs={"slug": s.organisation.slug}))
    assert anonymous.status_code == 302


def test_algorithm_panel() -> None:
    s = setting()
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 1, 1),
        next_review_date=datetime.date(2026, 1, 1),
    )
    url = reverse(
        "register-staff:detail", kwargs={"slug": s.organisation.slug, "algorithm_id": s.algorithm.pk}
    )
    page = client_of(s.owner).get(url).content.decode()
    assert 'id="reviews-heading">Jaarlijkse evaluatie</h2>' in page
    assert "Evaluatie van dit algoritme vastleggen" in page
    staff_page = client_of(member(s, Role.STAFF)).get(url).content.decode()
    assert "Evaluatie van dit algoritme vastleggen" not in staff_page


def test_the_review_form_asks_no_query_per_algorithm() -> None:
    s = setting()
    client = client_of(s.owner)
    url = reverse("reviews:record", kwargs={"slug": s.organisation.slug})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(5):
        AlgorithmFactory(organisation=s.organisation, name=f"Algoritme {number}", owner=s.owner)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

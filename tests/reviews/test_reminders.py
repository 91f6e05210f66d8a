"""The reminder job: ahead of a review date and again once it has passed, once per due date, to the algorithm's
owner and the AI team (the beheerders), through Django's mail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from tests.core.factories import MembershipFactory, UserFactory
from tests.reviews.factories import recorded_review, setting
from verantwoord.core.jobs import registered_jobs
from verantwoord.core.models import AuditRecord
from verantwoord.core.roles import Role
from verantwoord.reviews import services
from verantwoord.reviews.models import ReviewReminder

pytestmark = pytest.mark.django_db


def test_ahead_once_then_overdue_once_to_the_right_people(settings: Any) -> None:
    settings.PUBLIC_URL = "https://verantwoord.evaldorp.example"
    s = setting()
    bystander = UserFactory(email="fg@evaldorp.example")
    MembershipFactory(user=bystander, organisation=s.organisation, role=Role.PRIVACY_OFFICER)
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 6, 1),
        next_review_date=datetime.date(2026, 6, 1),
    )

    assert services.review_reminders(today=datetime.date(2026, 4, 20)).sent == []  # 42 days ahead: too early
    assert mail.outbox == []

    run = services.review_reminders(today=datetime.date(2026, 5, 10))
    assert [(r.subject, r.kind) for r in run.sent] == [(f"algorithm:{s.algorithm.pk}", "ahead")]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["bea@evaldorp.example", "omar@evaldorp.example"]
    assert "Slimme verkeerslichten" in message.subject
    assert "1 juni 2026" in message.body
    # A link the reader can follow from the mail: the worker has no request to take the host from.
    assert "https://verantwoord.evaldorp.example/beheer/evaldorp/jaarlijkse-evaluatie" in message.body

    assert services.review_reminders(today=datetime.date(2026, 5, 11)).sent == []  # not repeated
    assert services.review_reminders(today=datetime.date(2026, 6, 1)).sent == []  # due today: not yet overdue
    assert len(mail.outbox) == 1

    overdue = services.review_reminders(today=datetime.date(2026, 6, 2))
    assert [r.kind for r in overdue.sent] == ["overdue"]
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Te laat")
    assert services.review_reminders(today=datetime.date(2026, 7, 1)).sent == []
    assert len(mail.outbox) == 2
    assert AuditRecord.objects.filter(action="review.reminder").count() == 2


def test_a_new_due_date_gets_its_own_reminders_and_policy_goes_to_the_beheerders() -> None:
    s = setting()
    recorded_review(
        s.organisation, review_date=datetime.date(2025, 6, 1), next_review_date=datetime.date(2026, 6, 1)
    )
    services.review_reminders(today=datetime.date(2026, 5, 20))
    assert [message.to for message in mail.outbox] == [["bea@evaldorp.example"]]
    assert "AI-beleid" in mail.outbox[0].subject
    # The review is held and recorded: the next date is a year on, and its reminder is a new one.
    recorded_review(
        s.organisation, review_date=datetime.date(2026, 5, 25), next_review_date=datetime.date(2027, 5, 25)
    )
    services.review_reminders(today=datetime.date(2027, 5, 1))
    assert len(mail.outbox) == 2
    assert list(ReviewReminder.objects.values_list("due_date", flat=True).order_by("due_date")) == [
        datetime.date(2026, 6, 1),
        datetime.date(2027, 5, 25),
    ]


def test_the_job_is_registered() -> None:
    job = next(job for job in registered_jobs() if job.name == "reviews.reminders")
    assert job.function() == "0 review reminder(s)"

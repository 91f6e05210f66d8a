"""The annual review's periodic job: reminders ahead of each review date and once it has passed."""

from __future__ import annotations

from datetime import timedelta

from verantwoord.core.jobs import PeriodicJob
from verantwoord.reviews import services


def review_reminders_job() -> str:
    run = services.review_reminders()
    return f"{len(run.sent)} review reminder(s)"


REVIEW_JOBS = [PeriodicJob("reviews.reminders", timedelta(hours=12), review_reminders_job)]

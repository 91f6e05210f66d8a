"""The assessments area's periodic job: re-assessment reminders once a review date has come."""

from __future__ import annotations

from datetime import timedelta

from verantwoord.assessments import services
from verantwoord.core.jobs import PeriodicJob


def review_reminders_job() -> str:
    run = services.review_reminders()
    return f"{run.reminded} re-assessment reminder(s)"


ASSESSMENT_JOBS = [PeriodicJob("assessments.review_reminders", timedelta(hours=12), review_reminders_job)]

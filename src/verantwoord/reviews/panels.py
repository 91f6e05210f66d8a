"""The annual review panel on an algorithm's staff page: the last review, the next date, a link to record one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from verantwoord.core.models import User
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel
from verantwoord.reviews import selectors, services


def reviews_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    user = request.user if isinstance(request.user, User) else None
    today = timezone.localdate()
    return {
        "algorithm": algorithm,
        "last_review": selectors.last_algorithm_review(algorithm=algorithm),
        "next_review_date": algorithm.next_review_date,
        "overdue": algorithm.next_review_date is not None and algorithm.next_review_date < today,
        "can_record": user is not None
        and services.may_record(user=user, organisation=algorithm.organisation, algorithm=algorithm),
    }


REVIEWS_PANEL = AlgorithmPanel("reviews", "reviews/panel.html", reviews_panel_context, order=60)

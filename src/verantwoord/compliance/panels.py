"""The tasks panel on an algorithm's staff page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from verantwoord.compliance import selectors
from verantwoord.compliance.choices import OPEN_STATUSES
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel


def tasks_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    tasks = list(selectors.tasks_of_algorithm(algorithm=algorithm))
    today = timezone.localdate()
    open_tasks = [task for task in tasks if task.status in OPEN_STATUSES]
    return {
        "algorithm": algorithm,
        "open_tasks": open_tasks[:5],
        "open_count": len(open_tasks),
        "overdue_count": sum(1 for task in open_tasks if task.due_date and task.due_date < today),
        "total": len(tasks),
    }


TASKS_PANEL = AlgorithmPanel("tasks", "compliance/panel.html", tasks_panel_context, order=30)

"""The assessments panel on an algorithm's staff page: required assessments, their state, overrides."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from verantwoord.assessments import requirements, selectors
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel


def assessments_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    return {
        "algorithm": algorithm,
        "requirements": [
            {"status": status, "label": requirements.kind_label(status.kind)}
            for status in requirements.requirement_statuses(algorithm)
        ],
        "assessments": selectors.assessments_of_algorithm(algorithm=algorithm),
        "prescan_advised": requirements.advised_prescan(algorithm),
        "overrides": selectors.overrides_of(algorithm=algorithm),
    }


ASSESSMENTS_PANEL = AlgorithmPanel(
    "assessments", "assessments/panel.html", assessments_panel_context, order=25
)

"""The AI Act panel on an algorithm's staff page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from verantwoord.aiact import selectors
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel


def ai_act_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    return {
        "algorithm": algorithm,
        "current": selectors.current_classification(algorithm=algorithm),
        "language": get_language() or "nl",
    }


AI_ACT_PANEL = AlgorithmPanel("aiact", "aiact/panel.html", ai_act_panel_context, order=20)

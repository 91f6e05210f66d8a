"""The monitoring panel on an algorithm's staff page (only for roles that may see the monitoring)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from verantwoord.core import selectors as core_selectors
from verantwoord.core.permissions import Permission
from verantwoord.monitoring import selectors
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel


def monitoring_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    if not core_selectors.user_has_permission(
        user=request.user, organisation=algorithm.organisation, permission=Permission.VIEW_MONITORING
    ):
        return {"visible": False}
    return {
        "visible": True,
        "algorithm": algorithm,
        "config": selectors.config_of(algorithm=algorithm),
        "run": selectors.latest_run(algorithm=algorithm),
        "open": selectors.findings_of(
            organisation=algorithm.organisation, algorithm=algorithm, open_only=True
        ).count(),
        "can_manage": core_selectors.user_has_permission(
            user=request.user, organisation=algorithm.organisation, permission=Permission.MANAGE_MONITORING
        ),
    }


MONITORING_PANEL = AlgorithmPanel("monitoring", "monitoring/panel.html", monitoring_panel_context, order=45)

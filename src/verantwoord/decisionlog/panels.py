"""The decision log panel on an algorithm's staff page (only for roles that may read the log)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import HttpRequest

from verantwoord.core import selectors as core_selectors
from verantwoord.core.permissions import Permission
from verantwoord.decisionlog.models import AlgorithmAPIKey, EntryKind, LogEntry
from verantwoord.decisionlog.services import retention_days_of
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import AlgorithmPanel


def decision_log_panel_context(request: HttpRequest, algorithm: Algorithm) -> dict[str, Any]:
    if not core_selectors.user_has_permission(
        user=request.user, organisation=algorithm.organisation, permission=Permission.VIEW_DECISION_LOG
    ):
        return {"visible": False}
    decisions = LogEntry.objects.filter(algorithm=algorithm, kind=EntryKind.DECISION)
    return {
        "visible": True,
        "algorithm": algorithm,
        "decisions": decisions.count(),
        "last": decisions.aggregate(last=Max("decided_at"))["last"],
        "active_keys": AlgorithmAPIKey.objects.filter(algorithm=algorithm, revoked_at__isnull=True).count(),
        "retention_days": retention_days_of(algorithm),
    }


DECISION_LOG_PANEL = AlgorithmPanel(
    "decisionlog", "decisionlog/panel.html", decision_log_panel_context, order=40
)

"""Panels on the staff page of an algorithm, added by the apps that build on the register (tasks, AI Act
classification, assessments) so the register does not need to know them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from verantwoord.register.models import Algorithm


@dataclass(frozen=True)
class AlgorithmPanel:
    name: str
    template: str
    context: Callable[[HttpRequest, Algorithm], dict[str, Any]]
    order: int


_panels: dict[str, AlgorithmPanel] = {}


def register_algorithm_panel(panel: AlgorithmPanel) -> None:
    _panels[panel.name] = panel


def algorithm_panels(request: HttpRequest, algorithm: Algorithm) -> list[dict[str, Any]]:
    return [
        {"name": panel.name, "template": panel.template, "context": panel.context(request, algorithm)}
        for panel in sorted(_panels.values(), key=lambda panel: panel.order)
    ]

"""Gates: conditions from other areas that stop an algorithm from being in use or published as in use
(a prohibited AI Act outcome; later, a required assessment that is not approved). Apps register their gates in
AppConfig.ready; the register's services ask them and refuse with their messages."""

from __future__ import annotations

from collections.abc import Callable

from verantwoord.register.models import Algorithm

# A gate returns the reasons why `algorithm` may not be in use (empty when it may).
PublicationGate = Callable[[Algorithm], list[str]]
_gates: dict[str, PublicationGate] = {}


def register_publication_gate(name: str, gate: PublicationGate) -> None:
    _gates[name] = gate


def in_use_blockers(algorithm: Algorithm) -> list[str]:
    """Why this algorithm may not be in use or published as in use; empty when nothing stops it."""
    if algorithm.status != "in_use":
        return []
    reasons: list[str] = []
    for name in sorted(_gates):
        reasons.extend(_gates[name](algorithm))
    return reasons

"""The life of a policy version as one table: which step leads from which state to which, and who may take it.
The services check every transition against it; the pages read it to show the possible next steps."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verantwoord.core.permissions import Permission
from verantwoord.policy.models import VersionState


@dataclass(frozen=True)
class Step:
    action: str  # submit, return, adopt, supersede
    label: Promise
    permissions: frozenset[Permission]  # any one of them; empty: only the system takes this step


SUBMIT = Step("submit", _("Submit for review"), frozenset({Permission.EDIT_POLICY}))
RETURN = Step("return", _("Return to draft"), frozenset({Permission.EDIT_POLICY, Permission.ADOPT_POLICY}))
ADOPT = Step("adopt", _("Record the adoption"), frozenset({Permission.ADOPT_POLICY}))
SUPERSEDE = Step("supersede", _("Superseded when a newer version is adopted"), frozenset())

TRANSITIONS: dict[VersionState, dict[VersionState, Step]] = {
    VersionState.DRAFT: {VersionState.IN_REVIEW: SUBMIT},
    VersionState.IN_REVIEW: {VersionState.DRAFT: RETURN, VersionState.ADOPTED: ADOPT},
    VersionState.ADOPTED: {VersionState.SUPERSEDED: SUPERSEDE},
    VersionState.SUPERSEDED: {},
}
# Only a draft's texts can change; from review on, the version is what the board reads and adopts.
EDITABLE_STATES = frozenset({VersionState.DRAFT})
# The states whose live blocks are frozen in the version's snapshot.
FROZEN_STATES = frozenset({VersionState.IN_REVIEW, VersionState.ADOPTED, VersionState.SUPERSEDED})


def step_between(from_state: str, to_state: str) -> Step | None:
    if from_state not in VersionState.values or to_state not in VersionState.values:
        return None
    return TRANSITIONS[VersionState(from_state)].get(VersionState(to_state))


def next_steps(state: str) -> dict[VersionState, Step]:
    """The steps a person can take from ``state`` (the system's own steps left out)."""
    return {target: step for target, step in TRANSITIONS[VersionState(state)].items() if step.permissions}

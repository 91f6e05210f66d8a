"""The publication workflow as one table: which state may follow which, and who may make each step."""

from __future__ import annotations

from verantwoord.core.permissions import Permission
from verantwoord.register.choices import PublicationState as State

TRANSITIONS: dict[State, dict[State, Permission]] = {
    State.DRAFT: {State.READY_FOR_REVIEW: Permission.EDIT_ALGORITHM},
    State.READY_FOR_REVIEW: {
        State.APPROVED: Permission.APPROVE_ALGORITHM,
        State.DRAFT: Permission.EDIT_ALGORITHM,
    },
    State.APPROVED: {State.PUBLISHED: Permission.PUBLISH_ALGORITHM, State.DRAFT: Permission.EDIT_ALGORITHM},
    State.PUBLISHED: {State.WITHDRAWN: Permission.PUBLISH_ALGORITHM, State.DRAFT: Permission.EDIT_ALGORITHM},
    State.WITHDRAWN: {State.DRAFT: Permission.EDIT_ALGORITHM},
}

# Steps into these states require a record that passes the standard's publication checks.
REQUIRES_COMPLETE_RECORD = frozenset({State.READY_FOR_REVIEW, State.APPROVED, State.PUBLISHED})


def next_states(state: str) -> dict[State, Permission]:
    return TRANSITIONS[State(state)]


def transition_permission(from_state: str, to_state: str) -> Permission | None:
    """The permission needed for the step, or None when the step is not allowed at all."""
    return TRANSITIONS[State(from_state)].get(State(to_state))

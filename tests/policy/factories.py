"""Policy versions for tests: an adopted version and a draft started from it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from verantwoord.core.models import Organisation, User
from verantwoord.policy import services
from verantwoord.policy.models import DecisionBody, PolicyVersion, TextBlock


def adopted_version(
    organisation: Organisation, actor: User | None = None, reference: str = "B&W 2026/12"
) -> PolicyVersion:
    """The next version, submitted and adopted today (the organisation must have no open version)."""
    version = services.policy_version_start(actor=actor, organisation=organisation)
    version = services.policy_version_submit(actor=actor, version=version)
    return services.policy_version_adopt(
        actor=actor,
        version=version,
        decision_body=DecisionBody.BOARD,
        decision_date=timezone.localdate(),
        decision_reference=reference,
    )


def matrix_objects(organisation: Organisation) -> dict[str, Any]:
    """URL values for the permission matrix: `policy_version` a draft (version 2) started from an adopted
    version 1, `block_id` one of its text blocks, `language` Dutch."""
    adopted_version(organisation)
    draft = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=draft, key="vision.why", language="nl")
    return {"policy_version": draft.number, "block_id": block.pk, "language": "nl"}


MATRIX_PAYLOADS: dict[tuple[str, str], dict[str, str]] = {
    ("policy:return", "POST"): {"reason": "Hoofdstuk 7 aanvullen."},
    ("policy:adopt", "POST"): {
        "decision_body": "board",
        "decision_date": "2026-03-10",
        "decision_reference": "B&W 2026/12",
    },
}

"""Writes of the AI Act area: the wizard's answers, stored classifications (versions) and the tasks they make."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.aiact.engine import ClassificationError, classify, next_question
from verantwoord.aiact.models import AlgorithmClassification, ClassificationDraft
from verantwoord.aiact.obligations import obligations_for
from verantwoord.aiact.serialise import stored_result
from verantwoord.aiact.tree import decision_tree
from verantwoord.compliance.services import SyncResult, TaskSpec, tasks_sync
from verantwoord.core.audit import audit_record
from verantwoord.core.models import User
from verantwoord.register import services as register_services
from verantwoord.register.models import Algorithm

TASK_SOURCE = "aiact"
# An obligation that applies already gets this long to be done; one that applies later is due on its date.
GRACE_PERIOD = datetime.timedelta(days=30)


def answers_on_path(answers: Mapping[str, str]) -> dict[str, str]:
    """Only the answers that are on the path the answers themselves lead to (in order).

    Going back in the wizard and changing an answer can make later answers irrelevant or contradictory; they
    are dropped rather than silently kept.
    """
    kept: dict[str, str] = {}
    for _step in range(len(answers) + 1):
        try:
            question = next_question(kept)
        except ClassificationError:
            break
        if question is None or question.id not in answers:
            break
        kept[question.id] = answers[question.id]
    return kept


@transaction.atomic
def classification_draft_answer(
    *, actor: User | None, algorithm: Algorithm, question_id: str, answer_id: str, justification: str = ""
) -> ClassificationDraft:
    """Record one answer of the wizard (and its justification); later answers off the new path are dropped."""
    tree = decision_tree()
    try:
        question = tree.question(question_id)
    except KeyError as error:
        raise ValidationError(_("Unknown question.")) from error
    if answer_id not in question.answer_ids:
        raise ValidationError({"answer": [_("Choose one of the answers.")]})
    draft, _created = ClassificationDraft.objects.select_for_update().get_or_create(algorithm=algorithm)
    draft.answers = answers_on_path({**draft.answers, question_id: answer_id})
    justifications = {**draft.justifications}
    if justification.strip():
        justifications[question_id] = justification.strip()
    else:
        justifications.pop(question_id, None)
    draft.justifications = {key: value for key, value in justifications.items() if key in draft.answers}
    draft.updated_by = actor
    draft.save()
    return draft


@transaction.atomic
def classification_draft_reset(
    *,
    algorithm: Algorithm,
    from_answers: Mapping[str, str] | None = None,
    justifications: Mapping[str, str] | None = None,
) -> ClassificationDraft:
    """Start the wizard again, empty or from earlier answers (a re-classification starts from the last one)."""
    draft, _created = ClassificationDraft.objects.select_for_update().get_or_create(algorithm=algorithm)
    draft.answers = dict(from_answers or {})
    draft.justifications = dict(justifications or {})
    draft.save()
    return draft


def _task_specs(result: dict[str, Any], classified_on: datetime.date, language: str = "nl") -> list[TaskSpec]:
    specs = []
    for obligation in result["obligations"]:
        applies_from = datetime.date.fromisoformat(obligation["applies_from"])
        due = applies_from if applies_from > classified_on else classified_on + GRACE_PERIOD
        specs.append(
            TaskSpec(
                key=obligation["id"],
                title=obligation["title"][language],
                explanation=obligation["explanation"][language],
                references=tuple(obligation["references"]),
                applies_from=applies_from,
                due_date=due,
            )
        )
    return specs


@transaction.atomic
def classification_store(
    *,
    actor: User | None,
    algorithm: Algorithm,
    answers: Mapping[str, str],
    justifications: Mapping[str, str] | None = None,
    dates_version: str | None = None,
    reason: str = "",
) -> tuple[AlgorithmClassification, SyncResult]:
    """Classify, store the result as a new version, set the algorithm's risk class and sync its tasks."""
    algorithm = Algorithm.objects.select_for_update().select_related("organisation").get(pk=algorithm.pk)
    try:
        classification = classify(answers)
        obligations = obligations_for(classification, dates_version=dates_version)
    except ClassificationError as error:
        raise ValidationError({"answers": [str(error)]}) from error
    result = stored_result(classification, obligations)
    now = timezone.now()
    last = (
        AlgorithmClassification.objects.filter(algorithm=algorithm).aggregate(last=Max("version"))["last"]
        or 0
    )
    AlgorithmClassification.objects.filter(algorithm=algorithm, is_current=True).update(is_current=False)
    stored = AlgorithmClassification.objects.create(
        organisation=algorithm.organisation,
        algorithm=algorithm,
        version=last + 1,
        answers=dict(classification.answers),
        justifications={key: value for key, value in (justifications or {}).items() if key in answers},
        result=result,
        outcome_id=classification.outcome_id,
        risk_class=classification.register_risk_class,
        tree_version=classification.tree_version,
        dates_version=obligations[0].dates_version if obligations else (dates_version or "active"),
        classified_by=actor,
        classified_at=now,
        is_current=True,
    )
    audit_record(
        actor=actor,
        action="aiact.classify",
        instance=stored,
        organisation=algorithm.organisation,
        changes={
            "outcome": [None, classification.outcome_id],
            "risk_class": [algorithm.ai_act_risk_class or None, classification.register_risk_class],
            "tree_version": [None, classification.tree_version],
            "obligations": [None, [obligation.id for obligation in obligations]],
        },
        reason=reason,
    )
    if algorithm.ai_act_risk_class != classification.register_risk_class:
        register_services.algorithm_update(
            actor=actor,
            algorithm=algorithm,
            data={"ai_act_risk_class": classification.register_risk_class},
            reason=_("AI Act classification version %(version)s") % {"version": stored.version},
        )
    sync = tasks_sync(
        actor=actor,
        algorithm=algorithm,
        source=TASK_SOURCE,
        wanted=_task_specs(result, timezone.localdate(now)),
        close_reason=_("No longer applies after AI Act classification version %(version)s.")
        % {"version": stored.version},
        reason=reason,
    )
    ClassificationDraft.objects.filter(algorithm=algorithm).delete()
    return stored, sync

"""The AI Act tree and classifications rendered in one language, for the CLI and the API (camelCase keys)."""

from __future__ import annotations

from typing import Any

from verantwoord.aiact.dates import application_dates
from verantwoord.aiact.engine import Classification
from verantwoord.aiact.obligations import Obligation
from verantwoord.aiact.tree import DecisionTree, Question


def question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "text": question.text.as_dict(),
        "help": question.help.as_dict(),
        "references": list(question.references),
        "answers": [
            {
                "id": answer.id,
                "label": answer.label.as_dict(),
                "references": list(answer.references),
                **({"next": answer.next} if answer.next else {"outcome": answer.outcome}),
                **({"set": {key: _plain(value) for key, value in answer.set.items()}} if answer.set else {}),
                **({"add": {key: list(value) for key, value in answer.add.items()}} if answer.add else {}),
            }
            for answer in question.answers
        ],
    }
    if question.is_conditional:
        data["when"] = {key: sorted(values) for key, values in question.when.items()}
        data["whenFacts"] = {key: list(values) for key, values in question.when_facts.items()}
        data["otherwise"] = {
            key: value
            for key, value in (
                ("answer", question.otherwise_answer),
                ("next", question.otherwise_next),
                ("outcome", question.otherwise_outcome),
            )
            if value
        }
    return data


def tree_data(tree: DecisionTree) -> dict[str, Any]:
    return {
        "version": tree.version,
        "legalSource": tree.legal_source,
        "lastReviewed": tree.last_reviewed,
        "start": tree.start,
        "questions": [question_data(question) for question in tree.questions.values()],
        "outcomes": [
            {
                "id": outcome.id,
                "applies": outcome.applies,
                "reason": outcome.reason,
                "exclusion": outcome.exclusion,
                "prohibitedPractice": outcome.prohibited_practice,
                "references": list(outcome.references),
                "title": outcome.title.as_dict(),
                "explanation": outcome.explanation.as_dict(),
            }
            for outcome in tree.outcomes.values()
        ],
        "conflicts": [
            {
                "id": conflict.id,
                "answers": {key: sorted(values) for key, values in conflict.answers.items()},
                "references": list(conflict.references),
                "message": conflict.message.as_dict(),
            }
            for conflict in tree.conflicts
        ],
    }


def classification_data(
    classification: Classification, obligations: list[Obligation], *, dates_version: str, language: str
) -> dict[str, Any]:
    dates = application_dates().get(dates_version)
    gpai = classification.gpai
    return {
        "treeVersion": classification.tree_version,
        "outcome": {
            "id": classification.outcome_id,
            "title": classification.title.get(language),
            "explanation": classification.explanation.get(language),
        },
        "applies": classification.applies,
        "reason": classification.reason,
        "exclusion": classification.exclusion,
        "systemType": classification.system_type,
        "roles": list(classification.roles),
        "roleChange": classification.role_change,
        "riskClass": classification.risk_class,
        "prohibitedPractice": classification.prohibited_practice,
        "prohibitionExceptions": list(classification.prohibition_exceptions),
        "highRiskBasis": classification.high_risk_basis,
        "highRiskBases": list(classification.high_risk_bases),
        "annexIiiPoint": classification.annex_iii_point,
        "profiling": classification.profiling,
        "derogation": classification.derogation,
        "deployerKind": classification.deployer_kind,
        "thirdPartyAssessment": classification.third_party_assessment,
        "transparencyDuties": list(classification.transparency_duties),
        "gpai": (
            {"kind": gpai.kind, "systemicRisk": gpai.systemic_risk, "openSource": gpai.open_source}
            if gpai
            else None
        ),
        "effectOnPeople": classification.effect_on_people,
        "openSource": classification.open_source,
        "realWorldTesting": classification.real_world_testing,
        "registerRiskClass": classification.register_risk_class,
        "publicationCategory": classification.publication_category,
        "dutchProfile": classification.dutch_profile().as_dict(),
        "path": [
            {
                "questionId": step.question_id,
                "question": step.question.get(language),
                "answerId": step.answer_id,
                "answer": step.answer.get(language),
                "references": list(step.references),
                "implied": step.implied,
                "because": step.explain(language),
            }
            for step in classification.path
        ],
        "unusedAnswers": list(classification.unused_answers),
        "datesVersion": {
            "id": dates.id,
            "status": dates.status,
            "legalSource": dates.legal_source,
            "title": dates.title.get(language),
        },
        "obligations": [
            {
                "id": obligation.id,
                "addressee": obligation.addressee,
                "title": obligation.title.get(language),
                "explanation": obligation.explanation.get(language),
                "references": list(obligation.references),
                "appliesFrom": obligation.applies_from.isoformat(),
                "dateKey": obligation.date_key,
            }
            for obligation in obligations
        ],
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value

"""Classify an algorithm under the AI Act by walking the decision tree with the given answers.

`classify(answers)` walks from the tree's first question, following the answer given to each question and the
conditions of the tree, until it reaches an outcome. The result records why: every step of the path with the
article it rests on.

Errors (`ClassificationError`, each naming the question):
- `UnknownQuestionError`: an answer is given for a question id the tree does not have.
- `UnknownAnswerError`: an answer id is not one of the question's answers (checked for every given answer).
- `MissingAnswerError`: the walk reaches a question that has no answer (`next_question()` returns it instead).
- `ContradictoryAnswersError`, in two precisely defined cases:
  1. a *conflict* of the tree holds: every question of the conflict has one of its listed answers. Conflicts
     are checked over all given answers, whether or not the path reaches them (e.g. Annex III point 1(c),
     emotion recognition, together with "no" to the art. 50(3) question);
  2. a question whose conditions do not hold on the path, and whose answer those conditions therefore imply
     (`otherwise: {answer: …}`), was given a different answer (e.g. an art. 6(3) derogation for a system that
     profiles people: the tree implies "none").
  Any other answer to a question the path does not reach is not an error: it is listed in `unused_answers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from verantwoord.aiact.profile import DutchProfile, dutch_profile
from verantwoord.aiact.texts import Text
from verantwoord.aiact.tree import Answer, DecisionTree, FactValue, Outcome, Question, decision_tree

ROLE_ORDER = ("provider", "deployer", "importer", "distributor")
TRANSPARENCY_ORDER = ("50(1)", "50(2)", "50(3)", "50(4)")


class ClassificationError(Exception):
    """The answers cannot be classified; `question_ids` names the question(s) concerned."""

    code = "invalid_answers"

    def __init__(self, message: str, *, question_ids: tuple[str, ...], detail: Text | None = None) -> None:
        self.question_ids = question_ids
        self.detail = detail  # a message from the tree's data in Dutch and English, where there is one
        super().__init__(message)

    @property
    def question_id(self) -> str:
        return self.question_ids[0]


class UnknownQuestionError(ClassificationError):
    code = "unknown_question"


class UnknownAnswerError(ClassificationError):
    code = "unknown_answer"


class MissingAnswerError(ClassificationError):
    code = "missing_answer"


class ContradictoryAnswersError(ClassificationError):
    code = "contradictory_answers"


@dataclass(frozen=True)
class PathStep:
    """One step of the walk: "because you answered X to question Y — art. Z"."""

    question_id: str
    question: Text
    answer_id: str
    answer: Text
    references: tuple[str, ...]  # the question's references, then the answer's own
    implied: bool  # not asked: the earlier answers imply this answer
    because: Text

    def explain(self, language: str = "nl") -> str:
        return f"{self.because.get(language)} — {', '.join(self.references)}"


@dataclass(frozen=True)
class GPAIStatus:
    """General-purpose AI: a model (art. 3(63)) or a system based on one (art. 3(66))."""

    kind: str  # model, general_purpose_system, system_on_gpai_model
    systemic_risk: bool | None = None  # models only (art. 51)
    open_source: bool | None = None  # models only (art. 53(2))


@dataclass(frozen=True)
class Classification:
    tree_version: str
    outcome_id: str
    title: Text
    explanation: Text
    applies: bool
    reason: str  # not_ai_system, excluded_<which>, in_scope
    exclusion: str | None  # "2(3)", "2(6)", "2(8)", "2(10)", "2(12)"
    system_type: str  # ai_system, rule_based, no_algorithm, gpai_model
    roles: tuple[str, ...]  # provider, deployer, importer, distributor
    role_change: str | None  # "25(1)(a)".."25(1)(c)": became the provider of a high-risk system
    # prohibited, high_risk, not_high_risk_derogation, not_high_risk; None when the Act does not apply or for a model
    risk_class: str | None
    prohibited_practice: str | None  # "5(1)(a)".."5(1)(h)"
    prohibition_exceptions: tuple[str, ...]  # "5(1)(d)", "5(1)(h)(i)", …: the practice is allowed under them
    high_risk_bases: tuple[str, ...]  # "annex_i", "annex_iii:5a"
    annex_iii_point: str | None  # the Annex III point answered, also when the derogation applies
    third_party_assessment: bool
    profiling: bool | None
    derogation: str | None  # "a".."d" of art. 6(3)
    deployer_kind: str | None  # public_body, private_public_service, private_other
    transparency_duties: tuple[str, ...]  # "50(1)".."50(4)"
    gpai: GPAIStatus | None
    effect_on_people: str | None  # legal, similarly_significant, none
    open_source: bool | None
    real_world_testing: bool
    path: tuple[PathStep, ...]
    answers: Mapping[str, str] = field(default_factory=dict)  # as given
    unused_answers: tuple[str, ...] = ()  # question ids answered but not on the path

    @property
    def high_risk_basis(self) -> str | None:
        """The first basis of the high-risk classification: "annex_i" (art. 6(1)) or "annex_iii:<point>"."""
        return self.high_risk_bases[0] if self.high_risk_bases else None

    @property
    def register_risk_class(self) -> str:
        """The register's AIActRiskClass code (verantwoord.register.choices)."""
        if self.reason == "not_ai_system":
            return "not_ai"
        if self.risk_class in {"prohibited", "high_risk", "not_high_risk_derogation"}:
            return str(self.risk_class)
        # In scope without a higher class, excluded systems and general-purpose AI models: no risk class of
        # their own in the register's vocabulary beyond "transparency" or "not high-risk".
        return "transparency" if self.transparency_duties else "minimal"

    @property
    def publication_category(self) -> str:
        """The national register's publication category: high_risk_ai, impactful or other."""
        if self.risk_class == "high_risk":
            return "high_risk_ai"
        if self.risk_class == "prohibited" or self.effect_on_people in {"legal", "similarly_significant"}:
            return "impactful"
        return "other"

    def dutch_profile(self) -> DutchProfile:
        """The outcome in the vocabulary of the Dutch government's decision aid and Algoritmekader."""
        return dutch_profile(self)


@dataclass
class _Walk:
    """What a walk found: either the question without an answer, or the outcome with its facts and path."""

    facts: dict[str, FactValue]
    steps: list[PathStep]
    taken: dict[str, str]  # question id -> answer id (given or implied) on the path
    missing: Question | None = None
    outcome: Outcome | None = None


def derived_risk_class(facts: Mapping[str, FactValue]) -> str:
    """The risk class of a system that is not prohibited (art. 6): high-risk under Annex I (art. 6(1)) or under
    an Annex III point (art. 6(2)) unless the art. 6(3) derogation applies."""
    point = facts.get("annex_iii_point")
    if facts.get("annex_i") is True or (point and not facts.get("derogation")):
        return "high_risk"
    if point:
        return "not_high_risk_derogation"
    return "not_high_risk"


def _fact_view(facts: Mapping[str, FactValue]) -> dict[str, FactValue]:
    view = dict(facts)
    view["risk_class"] = derived_risk_class(facts)
    view["has_transparency_duty"] = bool(facts.get("transparency_duties"))
    return view


def _holds(question: Question, taken: Mapping[str, str], facts: Mapping[str, FactValue]) -> bool:
    for question_id, allowed in question.when.items():
        if taken.get(question_id) not in allowed:
            return False
    view = _fact_view(facts)
    for name, values in question.when_facts.items():
        value = view.get(name)
        if isinstance(value, tuple):
            if not any(item in values for item in value):
                return False
        elif value is None or value not in values:
            return False
    return True


def _why_skipped(question: Question, taken: Mapping[str, str], facts: Mapping[str, FactValue]) -> str:
    view = _fact_view(facts)
    parts = [f"'{key}' is '{taken.get(key, 'not answered')}'" for key in question.when]
    parts += [f"{name} is {view.get(name)!r}" for name in question.when_facts]
    return ", ".join(parts)


def _apply(facts: dict[str, FactValue], answer: Answer) -> None:
    facts.update(answer.set)
    for name, values in answer.add.items():
        current = facts.get(name)
        facts[name] = tuple(dict.fromkeys((*(current if isinstance(current, tuple) else ()), *values)))


def _step(tree: DecisionTree, question: Question, answer: Answer, *, implied: bool) -> PathStep:
    phrase = tree.implied_phrase if implied else tree.answered_phrase
    return PathStep(
        question_id=question.id,
        question=question.text,
        answer_id=answer.id,
        answer=answer.label,
        references=tuple(dict.fromkeys((*question.references, *answer.references))),
        implied=implied,
        because=phrase.format(question=question.text, answer=answer.label),
    )


def _check_ids(tree: DecisionTree, answers: Mapping[str, str]) -> None:
    for question_id, answer_id in answers.items():
        question = tree.questions.get(question_id)
        if question is None:
            raise UnknownQuestionError(
                f"Unknown question id '{question_id}' in the answers.", question_ids=(question_id,)
            )
        if not isinstance(answer_id, str) or question.answer(answer_id) is None:
            raise UnknownAnswerError(
                f"Question '{question_id}': unknown answer '{answer_id}'; "
                f"expected one of: {', '.join(question.answer_ids)}.",
                question_ids=(question_id,),
            )


def _check_conflicts(tree: DecisionTree, answers: Mapping[str, str]) -> None:
    for conflict in tree.conflicts:
        if all(answers.get(question_id) in allowed for question_id, allowed in conflict.answers.items()):
            given = ", ".join(f"{question_id} = {answers[question_id]}" for question_id in conflict.answers)
            raise ContradictoryAnswersError(
                f"Contradictory answers ({given}): {conflict.message.en} "
                f"[{conflict.id}; {', '.join(conflict.references)}]",
                question_ids=tuple(conflict.answers),
                detail=conflict.message,
            )


def _walk(tree: DecisionTree, answers: Mapping[str, str]) -> _Walk:
    walk = _Walk(facts={}, steps=[], taken={})
    node = tree.start
    for _ in range(len(tree.questions) + 1):  # the tree has no cycles; this bounds the walk regardless
        question = tree.questions[node]
        answer: Answer | None
        implied = False
        if _holds(question, walk.taken, walk.facts):
            if question.id not in answers:
                walk.missing = question
                return walk
            answer = question.answer(answers[question.id])
        elif question.otherwise_answer is not None:
            answer = question.answer(question.otherwise_answer)
            implied = True
            given = answers.get(question.id)
            if given is not None and given != question.otherwise_answer:
                raise ContradictoryAnswersError(
                    f"Question '{question.id}': the answer '{given}' contradicts earlier answers "
                    f"({_why_skipped(question, walk.taken, walk.facts)}), which imply "
                    f"'{question.otherwise_answer}' [{', '.join(question.references)}].",
                    question_ids=(question.id, *question.when),
                )
        else:
            answer = None
        if answer is not None:
            _apply(walk.facts, answer)
            walk.taken[question.id] = answer.id
            walk.steps.append(_step(tree, question, answer, implied=implied))
            target_outcome, target_next = answer.outcome, answer.next
        else:
            target_outcome, target_next = question.otherwise_outcome, question.otherwise_next
        if target_outcome is not None:
            walk.outcome = tree.outcomes[target_outcome]
            return walk
        if target_next is None:  # pragma: no cover — the schema requires next or outcome
            break
        node = target_next
    raise RuntimeError("The decision tree walk did not reach an outcome.")  # pragma: no cover


def _ordered(values: FactValue | None, order: tuple[str, ...]) -> tuple[str, ...]:
    items = values if isinstance(values, tuple) else ()
    return tuple(sorted(items, key=lambda item: order.index(item) if item in order else len(order)))


def _classification(
    tree: DecisionTree, walk: _Walk, outcome: Outcome, answers: Mapping[str, str]
) -> Classification:
    facts = walk.facts
    system_type = str(facts.get("system_type", ""))
    role_change = facts.get("role_change")
    roles = set(_ordered(facts.get("roles"), ROLE_ORDER))
    if role_change:  # art. 25(1): the deployer, importer or distributor becomes the provider
        roles.add("provider")
    risk_class: str | None = None
    if outcome.prohibited_practice:
        risk_class = "prohibited"
    elif outcome.applies and system_type == "ai_system":
        risk_class = derived_risk_class(facts)
    point = facts.get("annex_iii_point")
    bases: list[str] = []
    if risk_class == "high_risk":
        if facts.get("annex_i") is True:
            bases.append("annex_i")
        if point and not facts.get("derogation"):
            bases.append(f"annex_iii:{point}")
    gpai: GPAIStatus | None = None
    if system_type == "gpai_model":
        gpai = GPAIStatus(
            kind="model",
            systemic_risk=_optional_bool(facts.get("systemic_risk")),
            open_source=_optional_bool(facts.get("open_source")),
        )
    elif facts.get("gpai"):
        gpai = GPAIStatus(kind=str(facts["gpai"]))
    return Classification(
        tree_version=tree.version,
        outcome_id=outcome.id,
        title=outcome.title,
        explanation=outcome.explanation,
        applies=outcome.applies,
        reason=outcome.reason,
        exclusion=outcome.exclusion,
        system_type=system_type,
        roles=_ordered(tuple(roles), ROLE_ORDER),
        role_change=str(role_change) if role_change else None,
        risk_class=risk_class,
        prohibited_practice=outcome.prohibited_practice,
        prohibition_exceptions=_ordered(facts.get("prohibition_exceptions"), ()),
        high_risk_bases=tuple(bases),
        annex_iii_point=str(point) if point else None,
        third_party_assessment=facts.get("third_party_assessment") is True,
        profiling=_optional_bool(facts.get("profiling")),
        derogation=str(facts["derogation"]) if facts.get("derogation") else None,
        deployer_kind=str(facts["deployer_kind"]) if facts.get("deployer_kind") else None,
        transparency_duties=_ordered(facts.get("transparency_duties"), TRANSPARENCY_ORDER),
        gpai=gpai,
        effect_on_people=str(facts["effect_on_people"]) if facts.get("effect_on_people") else None,
        open_source=_optional_bool(facts.get("open_source")),
        real_world_testing=facts.get("real_world_testing") is True,
        path=tuple(walk.steps),
        answers=dict(answers),
        unused_answers=tuple(question_id for question_id in answers if question_id not in walk.taken),
    )


def _optional_bool(value: FactValue | None) -> bool | None:
    return value if isinstance(value, bool) else None


def classify(answers: Mapping[str, str], *, tree: DecisionTree | None = None) -> Classification:
    """Classify by the answers (question id -> answer id). Raises a `ClassificationError` subclass."""
    tree = tree or decision_tree()
    _check_ids(tree, answers)
    _check_conflicts(tree, answers)
    walk = _walk(tree, answers)
    if walk.missing is not None:
        raise MissingAnswerError(
            f"Question '{walk.missing.id}' is on the path but has no answer; "
            f"expected one of: {', '.join(walk.missing.answer_ids)}.",
            question_ids=(walk.missing.id,),
        )
    if walk.outcome is None:  # pragma: no cover — a walk ends with a missing answer or an outcome
        raise RuntimeError("The decision tree walk did not reach an outcome.")
    return _classification(tree, walk, walk.outcome, answers)


def next_question(answers: Mapping[str, str], *, tree: DecisionTree | None = None) -> Question | None:
    """The first question on the path that has no answer yet, or None when the answers reach an outcome.

    For a wizard: ask it, offer `answer_options()`, add the answer and call again.
    """
    tree = tree or decision_tree()
    _check_ids(tree, answers)
    _check_conflicts(tree, answers)
    return _walk(tree, answers).missing


def answer_options(
    question_id: str, answers: Mapping[str, str], *, tree: DecisionTree | None = None
) -> tuple[Answer, ...]:
    """The answers to a question that do not contradict the other given answers (the tree's conflicts)."""
    tree = tree or decision_tree()
    others = {key: value for key, value in answers.items() if key != question_id}
    options = []
    for answer in tree.question(question_id).answers:
        trial = {**others, question_id: answer.id}
        if not any(
            all(trial.get(key) in allowed for key, allowed in conflict.answers.items())
            for conflict in tree.conflicts
        ):
            options.append(answer)
    return tuple(options)

"""The AI Act decision tree, loaded from data/decision_tree.yaml.

The file is validated against data/decision_tree.schema.json (shape) and then checked for structure: unique ids,
targets that exist, conditions and conflicts that name real questions and answers, every question and outcome
reachable from the start, and no cycles. A tree that fails any check raises `TreeError` and is never used.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from verantwoord.aiact.texts import Text, text

DATA_DIR = Path(__file__).resolve().parent / "data"
TREE_FILE = DATA_DIR / "decision_tree.yaml"
SCHEMA_FILE = DATA_DIR / "decision_tree.schema.json"

# A fact is a string, a boolean or (roles, transparency duties, prohibition exceptions) a tuple of strings.
FactValue = str | bool | tuple[str, ...]
# Facts the engine derives from the recorded facts; `when_facts` may test them as well.
DERIVED_FACTS = ("risk_class", "has_transparency_duty")


class TreeError(Exception):
    """The decision tree file is malformed; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid decision tree: " + "; ".join(problems))


@dataclass(frozen=True)
class Answer:
    id: str
    label: Text
    help: Text | None
    references: tuple[str, ...]
    set: Mapping[str, FactValue]
    add: Mapping[str, tuple[str, ...]]
    next: str | None
    outcome: str | None


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    help: Text
    references: tuple[str, ...]
    answers: tuple[Answer, ...]
    # Asked only when every condition holds; otherwise the walk follows exactly one of the `otherwise_*`.
    when: Mapping[str, frozenset[str]]
    when_facts: Mapping[str, tuple[str | bool, ...]]
    otherwise_answer: str | None = None
    otherwise_next: str | None = None
    otherwise_outcome: str | None = None

    @property
    def answer_ids(self) -> tuple[str, ...]:
        return tuple(answer.id for answer in self.answers)

    @property
    def is_conditional(self) -> bool:
        return bool(self.when or self.when_facts)

    def answer(self, answer_id: str) -> Answer | None:
        return next((answer for answer in self.answers if answer.id == answer_id), None)

    def targets(self) -> Iterator[str]:
        """Ids of the questions and outcomes this question can lead to."""
        for answer in self.answers:
            yield answer.next or answer.outcome or ""
        if self.otherwise_next or self.otherwise_outcome:
            yield self.otherwise_next or self.otherwise_outcome or ""


@dataclass(frozen=True)
class Outcome:
    id: str
    applies: bool
    reason: str  # not_ai_system, excluded_<which>, in_scope
    exclusion: str | None  # "2(3)", … for the art. 2 exclusions
    prohibited_practice: str | None  # "5(1)(c)", … for the prohibited practices
    references: tuple[str, ...]
    title: Text
    explanation: Text


@dataclass(frozen=True)
class Conflict:
    """Answers that cannot all be true: it holds when every listed question has one of its listed answers."""

    id: str
    answers: Mapping[str, frozenset[str]]
    references: tuple[str, ...]
    message: Text


@dataclass(frozen=True)
class DecisionTree:
    version: str
    legal_source: str
    last_reviewed: str
    start: str
    answered_phrase: Text
    implied_phrase: Text
    questions: Mapping[str, Question]  # in file order
    outcomes: Mapping[str, Outcome]
    conflicts: tuple[Conflict, ...]

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]

    def successors(self, question_id: str) -> tuple[str, ...]:
        """The questions and outcomes directly after a question, each once, in file order."""
        return tuple(dict.fromkeys(self.questions[question_id].targets()))


def _answer(raw: Mapping[str, Any]) -> Answer:
    facts: dict[str, FactValue] = {}
    for name, value in raw.get("set", {}).items():
        facts[name] = tuple(str(item) for item in value) if isinstance(value, list) else value
    return Answer(
        id=str(raw["id"]),
        label=text(raw["label"]),
        help=text(raw["help"]) if "help" in raw else None,
        references=tuple(raw.get("references", ())),
        set=facts,
        add={name: tuple(str(item) for item in values) for name, values in raw.get("add", {}).items()},
        next=raw.get("next"),
        outcome=raw.get("outcome"),
    )


def _question(raw: Mapping[str, Any]) -> Question:
    otherwise = raw.get("otherwise", {})
    return Question(
        id=str(raw["id"]),
        text=text(raw["text"]),
        help=text(raw["help"]),
        references=tuple(raw["references"]),
        answers=tuple(_answer(item) for item in raw["answers"]),
        when={key: frozenset(str(value) for value in values) for key, values in raw.get("when", {}).items()},
        when_facts={key: tuple(values) for key, values in raw.get("when_facts", {}).items()},
        otherwise_answer=otherwise.get("answer"),
        otherwise_next=otherwise.get("next"),
        otherwise_outcome=otherwise.get("outcome"),
    )


def _outcome(raw: Mapping[str, Any]) -> Outcome:
    return Outcome(
        id=str(raw["id"]),
        applies=bool(raw["applies"]),
        reason=str(raw["reason"]),
        exclusion=raw.get("exclusion"),
        prohibited_practice=raw.get("prohibited_practice"),
        references=tuple(raw["references"]),
        title=text(raw["title"]),
        explanation=text(raw["explanation"]),
    )


def _conflict(raw: Mapping[str, Any]) -> Conflict:
    return Conflict(
        id=str(raw["id"]),
        answers={key: frozenset(str(value) for value in values) for key, values in raw["answers"].items()},
        references=tuple(raw["references"]),
        message=text(raw["message"]),
    )


@cache
def tree_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def schema_problems(raw: Any) -> list[str]:
    """Every way in which `raw` (the parsed YAML) does not match the JSON Schema."""
    validator = Draft202012Validator(tree_schema())
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(raw), key=lambda error: list(error.absolute_path))
    ]


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


def _reachable(tree: DecisionTree, start: str) -> set[str]:
    found: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        if node in tree.questions:
            stack.extend(tree.successors(node))
    return found


def _cycle(tree: DecisionTree) -> list[str] | None:
    """A cycle among the questions, as the list of ids on it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        trail.append(node)
        for successor in tree.successors(node):
            if successor not in tree.questions or state.get(successor) == 2:
                continue
            if state.get(successor) == 1:
                return [*trail[trail.index(successor) :], successor]
            found = visit(successor)
            if found:
                return found
        trail.pop()
        state[node] = 2
        return None

    for question_id in tree.questions:
        if question_id not in state:
            found = visit(question_id)
            if found:
                return found
    return None


def structure_problems(tree: DecisionTree, raw: Mapping[str, Any]) -> list[str]:
    """Problems the schema cannot see: ids, cross-references, reachability and cycles."""
    problems: list[str] = []
    question_ids = [str(item["id"]) for item in raw["questions"]]
    outcome_ids = [str(item["id"]) for item in raw["outcomes"]]
    problems += [f"question id '{item}' is used twice" for item in _duplicates(question_ids)]
    problems += [f"outcome id '{item}' is used twice" for item in _duplicates(outcome_ids)]
    problems += [
        f"'{item}' is both a question and an outcome" for item in sorted(set(question_ids) & set(outcome_ids))
    ]
    problems += [
        f"conflict id '{item}' is used twice" for item in _duplicates([c.id for c in tree.conflicts])
    ]
    if "answers" in question_ids:
        problems.append("'answers' cannot be a question id: answer files use it as their key")
    if tree.start not in tree.questions:
        problems.append(f"start '{tree.start}' is not a question")

    for question in tree.questions.values():
        where = f"question '{question.id}'"
        problems += [
            f"{where}: answer id '{item}' is used twice" for item in _duplicates(list(question.answer_ids))
        ]
        for answer in question.answers:
            if answer.next is not None and answer.next not in tree.questions:
                problems.append(f"{where}, answer '{answer.id}': next '{answer.next}' is not a question")
            if answer.outcome is not None and answer.outcome not in tree.outcomes:
                problems.append(
                    f"{where}, answer '{answer.id}': outcome '{answer.outcome}' is not an outcome"
                )
        if question.otherwise_answer is not None and question.answer(question.otherwise_answer) is None:
            problems.append(
                f"{where}: otherwise answer '{question.otherwise_answer}' is not one of its answers"
            )
        if question.otherwise_next is not None and question.otherwise_next not in tree.questions:
            problems.append(f"{where}: otherwise next '{question.otherwise_next}' is not a question")
        if question.otherwise_outcome is not None and question.otherwise_outcome not in tree.outcomes:
            problems.append(f"{where}: otherwise outcome '{question.otherwise_outcome}' is not an outcome")
        problems += _answer_reference_problems(tree, question.when, f"{where}: when")

    for conflict in tree.conflicts:
        problems += _answer_reference_problems(tree, conflict.answers, f"conflict '{conflict.id}'")

    if problems:
        return problems  # reachability and cycles need sound references

    cycle = _cycle(tree)
    if cycle:
        problems.append("cycle: " + " -> ".join(cycle))
    reachable = _reachable(tree, tree.start)
    problems += [
        f"question '{item}' cannot be reached from the start"
        for item in tree.questions
        if item not in reachable
    ]
    problems += [
        f"outcome '{item}' cannot be reached from the start"
        for item in tree.outcomes
        if item not in reachable
    ]
    for question in tree.questions.values():
        for earlier in question.when:
            if question.id not in _reachable(tree, earlier) or earlier == question.id:
                problems.append(
                    f"question '{question.id}': condition on '{earlier}', which does not come before it"
                )
    return problems


def _answer_reference_problems(
    tree: DecisionTree, answers: Mapping[str, frozenset[str]], where: str
) -> list[str]:
    problems: list[str] = []
    for question_id, answer_ids in answers.items():
        if question_id not in tree.questions:
            problems.append(f"{where}: '{question_id}' is not a question")
            continue
        known = set(tree.questions[question_id].answer_ids)
        problems += [
            f"{where}: '{item}' is not an answer of '{question_id}'" for item in sorted(answer_ids - known)
        ]
    return problems


def parse_tree(raw: Any) -> DecisionTree:
    """A DecisionTree from the parsed YAML, after the schema and structure checks."""
    problems = schema_problems(raw)
    if problems:
        raise TreeError(problems)
    tree = DecisionTree(
        version=str(raw["version"]),
        legal_source=str(raw["legal_source"]),
        last_reviewed=str(raw["last_reviewed"]),
        start=str(raw["start"]),
        answered_phrase=text(raw["phrases"]["answered"]),
        implied_phrase=text(raw["phrases"]["implied"]),
        questions={question.id: question for question in (_question(item) for item in raw["questions"])},
        outcomes={outcome.id: outcome for outcome in (_outcome(item) for item in raw["outcomes"])},
        conflicts=tuple(_conflict(item) for item in raw["conflicts"]),
    )
    problems = structure_problems(tree, raw)
    if problems:
        raise TreeError(problems)
    return tree


def load_tree(path: Path = TREE_FILE) -> DecisionTree:
    return parse_tree(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def decision_tree() -> DecisionTree:
    """The decision tree this installation classifies with (data/decision_tree.yaml)."""
    return load_tree()

"""The decision tree as data: schema, structure (ids, reachability, no dead ends, no cycles), citations, languages."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from functools import cache
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.aiact.helpers import REFERENCE
from verantwoord.aiact.dates import DATES_FILE
from verantwoord.aiact.engine import answer_options, classify, next_question
from verantwoord.aiact.obligations import OBLIGATIONS_FILE
from verantwoord.aiact.tree import (
    SCHEMA_FILE,
    TREE_FILE,
    DecisionTree,
    TreeError,
    decision_tree,
    parse_tree,
    schema_problems,
)

ANNEX_III_POINTS = {
    "1a", "1b", "1c", "2", "3a", "3b", "3c", "3d", "4a", "4b", "5a", "5b", "5c", "5d",
    "6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c", "7d", "8a", "8b",
}  # fmt: skip


@cache
def raw_tree() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(TREE_FILE.read_text(encoding="utf-8"))
    return raw


def mutated(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(raw_tree())
    change(raw)
    return raw


def question(raw: dict[str, Any], question_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(item for item in raw["questions"] if item["id"] == question_id)
    return found


# --- Schema -----------------------------------------------------------------------------------------------------


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_tree_validates_against_the_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(raw_tree())]
    assert errors == []


def test_the_tree_is_versioned_with_its_legal_source() -> None:
    tree = decision_tree()
    assert tree.version == "2026.1"
    assert "2024/1689" in tree.legal_source
    assert tree.last_reviewed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda raw: question(raw, "subject")["text"].pop("en"), "'en' is a required property"),
        (lambda raw: question(raw, "subject").update(references=["article 3"]), "does not match"),
        (lambda raw: question(raw, "subject")["answers"][0].update(outcome="not_ai_system"), "is valid under each of"),
        (lambda raw: question(raw, "role")["answers"][0].update(set={"roles": ["owner"]}), "'owner' is not one of"),
        (lambda raw: question(raw, "derogation").pop("otherwise"), "'otherwise' is a dependency of 'when'"),
        (lambda raw: raw["outcomes"][2].pop("exclusion"), "'exclusion' is a required property"),
        (lambda raw: question(raw, "ai_system")["answers"][0].update(id=True), "True is not of type 'string'"),
    ],
    ids=["missing-english", "bad-reference", "next-and-outcome", "unknown-role", "when-without-otherwise",
         "exclusion-without-article", "yaml-boolean-id"],
)  # fmt: skip
def test_the_schema_rejects_malformed_trees(change: Any, expected: str) -> None:
    problems = schema_problems(mutated(change))
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(TreeError):
        parse_tree(mutated(change))


# --- Structure ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda raw: question(raw, "profiling")["answers"][0].update(next="subject"), "cycle: "),
        (lambda raw: question(raw, "role")["answers"][0].update(next="nowhere"), "next 'nowhere' is not a question"),
        (lambda raw: raw["questions"].append({**copy.deepcopy(question(raw, "subject")), "id": "orphan"}),
         "question 'orphan' cannot be reached"),
        (lambda raw: raw["questions"].append(copy.deepcopy(question(raw, "subject"))), "question id 'subject' is used twice"),
        (lambda raw: question(raw, "derogation").update(when={"profiling": ["maybe"]}), "'maybe' is not an answer"),
        (lambda raw: question(raw, "profiling").update(when={"derogation": ["none"]}, otherwise={"next": "derogation"}),
         "condition on 'derogation', which does not come before it"),
        (lambda raw: raw["conflicts"][0]["answers"].update(unknown_question=["yes"]), "'unknown_question' is not a question"),
        (lambda raw: question(raw, "t_deepfake").update(otherwise={"answer": "maybe"}), "otherwise answer 'maybe'"),
    ],
    ids=["cycle", "unknown-next", "unreachable", "duplicate-id", "unknown-condition-answer", "condition-on-later",
         "conflict-unknown-question", "unknown-implied-answer"],
)  # fmt: skip
def test_structural_problems_are_found(change: Any, expected: str) -> None:
    with pytest.raises(TreeError) as caught:
        parse_tree(mutated(change))
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def graph(tree: DecisionTree) -> dict[str, list[str]]:
    """Question -> the questions and outcomes that can follow it (answers and `otherwise`)."""
    edges: dict[str, list[str]] = {}
    for item in tree.questions.values():
        targets = [answer.next or answer.outcome for answer in item.answers]
        targets.append(item.otherwise_next or item.otherwise_outcome)
        edges[item.id] = [target for target in targets if target]
    return edges


def test_every_path_ends_in_an_outcome_without_cycles() -> None:
    """Graph search over every route of the tree: each ends in an outcome, none loops, none dead-ends."""
    tree = decision_tree()
    edges = graph(tree)
    on_path: set[str] = set()
    paths: dict[str, int] = {}

    def count(node: str) -> int:
        if node in tree.outcomes:
            return 1
        assert node in tree.questions, f"'{node}' is neither a question nor an outcome"
        assert node not in on_path, f"cycle through '{node}'"
        if node not in paths:
            on_path.add(node)
            assert edges[node], f"dead end at '{node}'"
            paths[node] = sum(count(target) for target in edges[node])
            on_path.discard(node)
        return paths[node]

    total = count(tree.start)
    assert total > 1000  # every combination of the 25 Annex III points, derogations, roles and art. 50 duties


def test_every_question_and_outcome_is_reachable() -> None:
    tree = decision_tree()
    edges = graph(tree)
    seen: set[str] = set()
    stack = [tree.start]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    assert set(tree.questions) - seen == set()
    assert set(tree.outcomes) - seen == set()


def test_ids_are_unique() -> None:
    raw = raw_tree()
    question_ids = [item["id"] for item in raw["questions"]]
    outcome_ids = [item["id"] for item in raw["outcomes"]]
    answer_ids = [f"{item['id']}.{answer['id']}" for item in raw["questions"] for answer in item["answers"]]
    conflict_ids = [item["id"] for item in raw["conflicts"]]
    for ids in (question_ids + outcome_ids, answer_ids, conflict_ids):
        assert [item for item, n in Counter(ids).items() if n > 1] == []


def test_random_walks_always_reach_an_outcome() -> None:
    """Walk the engine itself 3000 times with random answers, offering only answers that do not contradict.

    Answers that end the walk are picked less often, so that the deep outcomes are reached as well.
    """
    generator = random.Random(20261128)
    outcomes: Counter[str] = Counter()
    for _ in range(3000):
        answers: dict[str, str] = {}
        while (asked := next_question(answers)) is not None:
            options = answer_options(asked.id, answers)
            assert options, f"no consistent answer left for '{asked.id}' after {answers}"
            going_on = [option for option in options if option.next]
            pool = going_on if going_on and generator.random() < 0.85 else options
            answers[asked.id] = generator.choice(pool).id
        classification = classify(answers)
        assert classification.unused_answers == ()
        outcomes[classification.outcome_id] += 1
    assert set(outcomes) == set(decision_tree().outcomes)


# --- Coverage of the law -------------------------------------------------------------------------------------------


def test_every_annex_iii_point_is_an_option() -> None:
    tree = decision_tree()
    points = [answer.set["annex_iii_point"] for q in tree.questions.values() for answer in q.answers
              if "annex_iii_point" in answer.set]  # fmt: skip
    assert sorted(points) == sorted(ANNEX_III_POINTS)


def test_each_prohibited_practice_is_its_own_question() -> None:
    tree = decision_tree()
    asked_by: dict[str, str] = {}
    for item in tree.questions.values():
        for answer in item.answers:
            if answer.outcome and tree.outcomes[answer.outcome].prohibited_practice:
                asked_by[str(tree.outcomes[answer.outcome].prohibited_practice)] = item.id
    assert sorted(asked_by) == [f"5(1)({letter})" for letter in "abcdefgh"]
    assert len(set(asked_by.values())) == 8
    exceptions = {exception for q in tree.questions.values() for a in q.answers
                  for exception in a.add.get("prohibition_exceptions", ())}  # fmt: skip
    assert exceptions == {"5(1)(d)", "5(1)(f)", "5(1)(g)", "5(1)(h)(i)", "5(1)(h)(ii)", "5(1)(h)(iii)"}


def test_the_exclusions_and_derogations_are_covered() -> None:
    tree = decision_tree()
    exclusions = {outcome.exclusion for outcome in tree.outcomes.values() if outcome.exclusion}
    assert exclusions == {"2(3)", "2(6)", "2(8)", "2(10)", "2(12)"}
    derogations = {answer.set.get("derogation") for answer in tree.question("derogation").answers}
    assert derogations == {None, "a", "b", "c", "d"}
    role_changes = {answer.set.get("role_change") for answer in tree.question("role_change").answers}
    assert role_changes == {None, "25(1)(a)", "25(1)(b)", "25(1)(c)"}
    duties = {
        duty
        for q in tree.questions.values()
        for a in q.answers
        for duty in a.add.get("transparency_duties", ())
    }
    assert duties == {"50(1)", "50(2)", "50(3)", "50(4)"}


# --- Citations and languages -----------------------------------------------------------------------------------------


def all_references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [str(item) for item in node.get("references", [])]
        return found + [
            ref for key, value in node.items() if key != "references" for ref in all_references(value)
        ]
    if isinstance(node, list):
        return [ref for item in node for ref in all_references(item)]
    return []


@pytest.mark.parametrize("path", [TREE_FILE, OBLIGATIONS_FILE, DATES_FILE], ids=lambda path: path.name)
def test_every_reference_is_well_formed(path: Any) -> None:
    references = all_references(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert references
    assert [ref for ref in references if not REFERENCE.match(ref)] == []


@pytest.mark.parametrize(
    "reference",
    ["art. 3(1)", "art. 5(1)(h)(iii)", "art. 6(3)(a)", "Annex III point 5(a)", "Annex III point 2", "recital 12",
     "art. 6(3), third subparagraph", "GDPR art. 35", "art. 113(a)", "Annex I"],
)  # fmt: skip
def test_the_reference_pattern_accepts_the_forms_we_use(reference: str) -> None:
    assert REFERENCE.match(reference)


@pytest.mark.parametrize(
    "reference", ["Art. 3(1)", "art 3(1)", "article 5", "Annex III 5(a)", "recital", "art. 5(1)(h)(xx)"]
)
def test_the_reference_pattern_rejects_other_forms(reference: str) -> None:
    assert not REFERENCE.match(reference)


def test_every_question_answer_and_outcome_cites_the_law() -> None:
    tree = decision_tree()
    assert all(item.references for item in tree.questions.values())
    assert all(item.references for item in tree.outcomes.values())
    assert all(item.references for item in tree.conflicts)


def language_problems(node: Any, where: str = "") -> list[str]:
    if isinstance(node, dict):
        problems = []
        if {"nl", "en"} & set(node):
            for language in ("nl", "en"):
                if not isinstance(node.get(language), str) or not node[language].strip():
                    problems.append(f"{where}: no {language}")
        for key, value in node.items():
            problems += language_problems(value, f"{where}/{node.get('id', key)}")
        return problems
    if isinstance(node, list):
        return [problem for item in node for problem in language_problems(item, where)]
    return []


@pytest.mark.parametrize("path", [TREE_FILE, OBLIGATIONS_FILE, DATES_FILE], ids=lambda path: path.name)
def test_every_text_has_dutch_and_english(path: Any) -> None:
    assert language_problems(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_every_question_has_help_and_every_answer_a_label() -> None:
    tree = decision_tree()
    for item in tree.questions.values():
        assert item.help.nl and item.help.en, item.id
        assert all(answer.label.nl and answer.label.en for answer in item.answers), item.id

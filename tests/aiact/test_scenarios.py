"""The scenario corpus: realistic municipal cases, each classified through the CLI (`aiact classify FILE --json`).

A scenario file has a `description`, the article(s) its expectation `rests_on`, the `answers` and what is
`expected`. Expected keys are compared only when present:
- applies, reason, exclusion, risk_class, high_risk_basis, prohibited_practice, prohibition_exceptions, derogation,
  roles, role_change, transparency_duties, register_risk_class, publication_category, effect_on_people,
  third_party_assessment: equal to the CLI output;
- gpai: the listed fields of the general-purpose AI status;
- obligations_present / obligations_absent: obligation ids that must (not) be listed; an empty
  `obligations_present` means no obligations at all;
- obligation_dates: obligation id -> the date it applies from (active dates version);
- dutch_profile_labels: labels that must be in the Dutch AI Act profile.
Every scenario must answer exactly the questions on its path (no unused answers).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.aiact.helpers import REFERENCE, run_cli_json
from verantwoord.aiact.obligations import OBLIGATIONS_FILE, obligation_catalogue
from verantwoord.aiact.tree import TREE_FILE
from verantwoord.register.choices import AIActRiskClass, PublicationCategory

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SCENARIOS = sorted(SCENARIO_DIR.glob("*.yaml"))

FIELDS = {
    "applies": "applies",
    "reason": "reason",
    "exclusion": "exclusion",
    "risk_class": "riskClass",
    "high_risk_basis": "highRiskBasis",
    "prohibited_practice": "prohibitedPractice",
    "prohibition_exceptions": "prohibitionExceptions",
    "derogation": "derogation",
    "roles": "roles",
    "role_change": "roleChange",
    "transparency_duties": "transparencyDuties",
    "register_risk_class": "registerRiskClass",
    "publication_category": "publicationCategory",
    "effect_on_people": "effectOnPeople",
    "third_party_assessment": "thirdPartyAssessment",
}
GPAI_FIELDS = {"kind": "kind", "systemic_risk": "systemicRisk", "open_source": "openSource"}
OTHER_KEYS = {"gpai", "obligations_present", "obligations_absent", "obligation_dates", "dutch_profile_labels"}
# Obligations no realistic municipal scenario reaches; tests/aiact/test_obligations.py covers them.
NOT_IN_CORPUS = {"gpai_systemic_risk_notification", "gpai_systemic_risk_duties"}


def load(path: Path) -> dict[str, Any]:
    scenario: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return scenario


@cache
def classified(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = run_cli_json("classify", str(path))
    return result


@cache
def known_references() -> set[str]:
    def collect(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = {str(item) for item in node.get("references", [])}
            return found.union(*(collect(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(collect(item) for item in node))
        return set()

    return collect(yaml.safe_load(TREE_FILE.read_text(encoding="utf-8"))) | collect(
        yaml.safe_load(OBLIGATIONS_FILE.read_text(encoding="utf-8"))
    )


def test_the_corpus_has_at_least_40_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_scenario_is_documented(path: Path) -> None:
    scenario = load(path)
    assert set(scenario) == {"description", "rests_on", "answers", "expected"}
    assert len(scenario["description"]) > 40
    assert scenario["rests_on"], "cite the article the expectation rests on"
    assert [ref for ref in scenario["rests_on"] if not REFERENCE.match(ref)] == []
    assert set(scenario["rests_on"]) <= known_references(), "rests_on cites what the tree or catalogue cites"
    assert set(scenario["expected"]) <= set(FIELDS) | OTHER_KEYS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_scenario(path: Path) -> None:
    expected = load(path)["expected"]
    result = classified(path)
    assert result["unusedAnswers"] == []
    for key, field in FIELDS.items():
        if key in expected:
            assert result[field] == expected[key], key
    if "gpai" in expected:
        assert result["gpai"] is not None
        for key, value in expected["gpai"].items():
            assert result["gpai"][GPAI_FIELDS[key]] == value, f"gpai.{key}"
    obligations = {item["id"]: item for item in result["obligations"]}
    if expected.get("obligations_present") == []:
        assert obligations == {}
    assert set(expected.get("obligations_present", [])) - set(obligations) == set()
    assert set(expected.get("obligations_absent", [])) & set(obligations) == set()
    for obligation_id, date in expected.get("obligation_dates", {}).items():
        assert obligations[obligation_id]["appliesFrom"] == date, obligation_id
    assert set(expected.get("dutch_profile_labels", [])) <= set(result["dutchProfile"]["labels"])
    # Every result can be stored in the register and explained step by step.
    assert result["registerRiskClass"] in AIActRiskClass.values
    assert result["publicationCategory"] in PublicationCategory.values
    assert result["path"] and all(step["references"] for step in result["path"])


def test_every_obligation_is_reached_by_some_scenario() -> None:
    reached = {item["id"] for path in SCENARIOS for item in classified(path)["obligations"]}
    catalogue = {spec.id for spec in obligation_catalogue().obligations}
    assert catalogue - reached == NOT_IN_CORPUS


def test_the_corpus_covers_every_risk_class_and_outcome_kind() -> None:
    results = [classified(path) for path in SCENARIOS]
    assert {result["riskClass"] for result in results} == {
        None,
        "prohibited",
        "high_risk",
        "not_high_risk_derogation",
        "not_high_risk",
    }
    assert {result["reason"] for result in results} == {
        "not_ai_system", "in_scope", "excluded_national_security", "excluded_scientific_research",
        "excluded_pre_market", "excluded_personal_use", "excluded_open_source",
    }  # fmt: skip
    assert {result["prohibitedPractice"] for result in results} == {None} | {f"5(1)({x})" for x in "abcdefgh"}

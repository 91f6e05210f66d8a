"""The classification engine and the CLI around it: errors, the explained path, the mappings to the register."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError

from tests.aiact.helpers import benefits_risk_model, in_scope, minimal_system, run_cli, run_cli_json
from verantwoord.aiact.engine import (
    ClassificationError,
    ContradictoryAnswersError,
    MissingAnswerError,
    UnknownAnswerError,
    UnknownQuestionError,
    answer_options,
    classify,
    next_question,
)


def write_answers(tmp_path: Path, answers: dict[str, str], name: str = "answers.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    return str(path)


# --- Errors ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "error", "question_id"),
    [
        ({**minimal_system(), "colour_of_the_logo": "blue"}, UnknownQuestionError, "colour_of_the_logo"),
        ({**minimal_system(), "role": "owner"}, UnknownAnswerError, "role"),
        # An unknown answer is an error also for a question the path does not reach.
        (
            {**minimal_system(), "gpai_model_systemic_risk": "perhaps"},
            UnknownAnswerError,
            "gpai_model_systemic_risk",
        ),
        (
            {k: v for k, v in minimal_system().items() if k != "effect_on_people"},
            MissingAnswerError,
            "effect_on_people",
        ),
        (
            {k: v for k, v in benefits_risk_model().items() if k != "deployer_kind"},
            MissingAnswerError,
            "deployer_kind",
        ),
    ],
    ids=[
        "unknown-question",
        "unknown-answer",
        "unknown-answer-off-path",
        "missing-first",
        "missing-conditional",
    ],
)
def test_errors_name_the_question(
    answers: dict[str, str], error: type[ClassificationError], question_id: str
) -> None:
    with pytest.raises(error) as caught:
        classify(answers)
    assert caught.value.question_id == question_id
    assert question_id in str(caught.value)


def test_a_conflict_between_answers_is_a_contradiction() -> None:
    """Emotion recognition (Annex III point 1(c)) is always an art. 50(3) system."""
    answers = in_scope(
        annex_i_product="no",
        annex_iii_area="biometrics",
        annex_iii_biometrics="point_1c",
        profiling="no",
        derogation="none",
        role_change="none",
        deployer_kind="public_body",
        t_interaction="no",
        t_synthetic="no",
        t_emotion_biometric="no",
    )
    with pytest.raises(ContradictoryAnswersError) as caught:
        classify(answers)
    assert set(caught.value.question_ids) == {"annex_iii_biometrics", "t_emotion_biometric"}
    assert caught.value.detail is not None and "emotieherkenning" in caught.value.detail.nl
    assert classify({**answers, "t_emotion_biometric": "yes"}).transparency_duties == ("50(3)",)


def test_a_conflict_is_found_also_for_a_question_the_path_does_not_reach() -> None:
    """A rule-based algorithm cannot be built on a general-purpose AI model; the walk stops before that question."""
    answers = {
        "subject": "system",
        "effect_on_people": "legal",
        "ai_system": "rules",
        "gpai_based": "general_purpose_system",
    }
    with pytest.raises(ContradictoryAnswersError) as caught:
        classify(answers)
    assert "gpai_based" in caught.value.question_ids


def test_an_answer_that_earlier_answers_rule_out_is_a_contradiction() -> None:
    """The art. 6(3) derogation never applies to a system that profiles people: the tree implies 'none'."""
    answers = {**benefits_risk_model(), "derogation": "narrow_procedural_task"}
    with pytest.raises(ContradictoryAnswersError) as caught:
        classify(answers)
    assert caught.value.question_ids[0] == "derogation"
    assert "'profiling' is 'yes'" in str(caught.value)
    # Giving the implied answer is fine.
    assert classify({**benefits_risk_model(), "derogation": "none"}).risk_class == "high_risk"


def test_other_answers_off_the_path_are_reported_as_unused() -> None:
    answers = {**minimal_system(), "role_change": "own_name", "gpai_model_stage": "placed"}
    classification = classify(answers)
    assert classification.risk_class == "not_high_risk"
    assert classification.role_change is None
    assert classification.unused_answers == ("role_change", "gpai_model_stage")


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({**minimal_system(), "colour_of_the_logo": "blue"}, "Unknown question id 'colour_of_the_logo'"),
        ({**minimal_system(), "role": "owner"}, "Question 'role': unknown answer 'owner'"),
        ({"subject": "system"}, "Question 'effect_on_people' is on the path but has no answer"),
        ({**benefits_risk_model(), "derogation": "preparatory_task"}, "Question 'derogation': the answer"),
    ],
    ids=["unknown", "unknown-answer", "missing", "contradictory"],
)
def test_the_cli_exits_with_a_clear_message(tmp_path: Path, answers: dict[str, str], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        run_cli("classify", write_answers(tmp_path, answers))


def test_the_cli_gives_the_dutch_conflict_message_in_dutch(tmp_path: Path) -> None:
    answers = {
        "subject": "system",
        "effect_on_people": "none",
        "ai_system": "rules",
        "gpai_based": "built_on_gpai_model",
    }
    with pytest.raises(CommandError, match="Een systeem op een AI-model"):
        run_cli("classify", write_answers(tmp_path, answers), "--language", "nl")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("subject: [system", "not valid YAML"),
        ("- subject", "must hold a mapping"),
        ("subject: 3", "must be an answer id"),
    ],
)
def test_the_cli_rejects_malformed_files(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=fragment):
        run_cli("classify", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        run_cli("classify", str(tmp_path / "missing.yaml"))


def test_the_cli_reads_bare_yes_and_no(tmp_path: Path) -> None:
    """YAML 1.1 turns a bare yes/no into a boolean; the CLI reads them as the answer ids."""
    path = tmp_path / "answers.yaml"
    path.write_text(
        "subject: system\neffect_on_people: none\nai_system: yes\nexclusion_defence: yes\n", encoding="utf-8"
    )
    assert run_cli_json("classify", str(path))["reason"] == "excluded_national_security"


# --- The wizard's helpers --------------------------------------------------------------------------------------------


def test_next_question_walks_the_tree_one_question_at_a_time() -> None:
    answers: dict[str, str] = {}
    asked = []
    script = {"subject": "system", "effect_on_people": "legal", "ai_system": "rules"}
    while (question := next_question(answers)) is not None:
        asked.append(question.id)
        answers[question.id] = script[question.id]
    assert asked == ["subject", "effect_on_people", "ai_system"]
    assert classify(answers).outcome_id == "not_ai_system"


def test_answer_options_leave_out_contradictory_answers() -> None:
    answers = in_scope(annex_i_product="no", annex_iii_area="biometrics", annex_iii_biometrics="point_1c")
    options = [option.id for option in answer_options("t_emotion_biometric", answers)]
    assert options == ["yes"]
    assert [option.id for option in answer_options("t_interaction", answers)] == ["yes", "no"]


# --- The explained path ---------------------------------------------------------------------------------------------


def test_the_path_explains_every_step_with_its_article() -> None:
    classification = classify(benefits_risk_model())
    steps = {step.question_id: step for step in classification.path}
    point = steps["annex_iii_essential_services"]
    assert point.answer_id == "point_5a"
    assert "Annex III point 5(a)" in point.references
    assert point.explain("en").startswith("Because you answered “A public authority evaluates eligibility")
    assert point.explain("en").endswith("Annex III point 5(a)")
    assert point.explain("nl").startswith("Omdat je bij “Waarvoor wordt het systeem bij diensten")
    implied = steps["derogation"]
    assert implied.implied and implied.answer_id == "none"
    assert implied.explain("en").startswith("Your earlier answers imply")
    assert [step.question_id for step in classification.path][:3] == [
        "subject",
        "effect_on_people",
        "ai_system",
    ]
    assert classification.tree_version == "2026.1"


def test_the_cli_prints_outcome_path_and_dated_obligations(tmp_path: Path) -> None:
    output = run_cli("classify", write_answers(tmp_path, benefits_risk_model()), "--language", "en")
    assert "Risk class: high_risk (annex_iii:5a)" in output
    assert "Because you answered “Yes” to “Does the system perform profiling of natural persons?”" in output
    assert "art. 6(3), third subparagraph" in output
    assert "2026-08-02  deployer    Carry out a fundamental-rights impact assessment (FRIA)" in output
    assert "Obligations (dates: 2024-original" in output
    dutch = run_cli("classify", write_answers(tmp_path, benefits_risk_model()))
    assert "Voer een grondrechteneffectbeoordeling (IAMA/FRIA) uit" in dutch


def test_the_cli_prints_the_tree(tmp_path: Path) -> None:
    text = run_cli("questions", "--language", "en")
    assert "prohibited_realtime_rbi  [art. 5(1)(h), art. 5(2), art. 5(3), recital 32]" in text
    assert "only when profiling in (no); otherwise none" in text
    tree = run_cli_json("questions")
    assert tree["version"] == "2026.1"
    assert len(tree["questions"]) >= 40
    derogation = next(item for item in tree["questions"] if item["id"] == "derogation")
    assert derogation["otherwise"] == {"answer": "none"}
    assert derogation["text"]["nl"] and derogation["text"]["en"]


# --- Mappings: Dutch profile, register risk class, publication category ---------------------------------------------


def test_dutch_profile_of_a_high_risk_system_built_in_house() -> None:
    classification = classify(benefits_risk_model(role="provider_and_deployer", role_change=None))
    profile = classification.dutch_profile()
    assert profile.type == "AI-systeem"
    assert profile.roles == ("aanbieder", "gebruiksverantwoordelijke")
    assert profile.risk_group == "hoog-risico AI"
    assert profile.transparency == "geen transparantieverplichting"
    assert profile.systemic_risk is None and profile.third_party_assessment is None
    assert profile.labels() == [
        "AI-systeem", "aanbieder", "gebruiksverantwoordelijke", "hoog-risico AI", "geen transparantieverplichting"
    ]  # fmt: skip


def test_dutch_profile_of_other_outcomes() -> None:
    excluded = classify(
        {"subject": "system", "effect_on_people": "none", "ai_system": "yes", "exclusion_defence": "yes"}
    )
    assert excluded.dutch_profile().risk_group == "uitzondering van toepassing"
    prohibited = classify(in_scope(prohibited_social_scoring="yes"))
    assert prohibited.dutch_profile().labels() == ["AI-systeem", "gebruiksverantwoordelijke", "verboden AI"]
    model = classify(
        {"subject": "gpai_model", "gpai_model_stage": "placed", "gpai_model_systemic_risk": "yes",
         "gpai_model_open_source": "no"}
    )  # fmt: skip
    assert model.dutch_profile().labels() == [
        "AI-model voor algemene doeleinden", "aanbieder", "systeemrisico", "geen open-source"
    ]  # fmt: skip
    rules = classify({"subject": "system", "effect_on_people": "none", "ai_system": "rules"})
    assert rules.dutch_profile().as_dict()["soortToepassing"] == "niet-impactvol algoritme"


@pytest.mark.parametrize(
    ("answers", "register_risk_class", "publication_category"),
    [
        (benefits_risk_model(), "high_risk", "high_risk_ai"),
        (in_scope(prohibited_social_scoring="yes"), "prohibited", "impactful"),
        ({"subject": "system", "effect_on_people": "legal", "ai_system": "rules"}, "not_ai", "impactful"),
        ({"subject": "system", "effect_on_people": "none", "ai_system": "no_algorithm"}, "not_ai", "other"),
        (minimal_system("none"), "minimal", "other"),
        (minimal_system("similarly_significant"), "minimal", "impactful"),
        (
            {**minimal_system("none"), "t_interaction": "yes", "open_source_release": "n/a"},
            "transparency",
            "other",
        ),
    ],
    ids=[
        "high-risk",
        "prohibited",
        "rules-with-effect",
        "no-algorithm",
        "minimal",
        "minimal-impactful",
        "chatbot",
    ],
)
def test_register_risk_class_and_publication_category(
    answers: dict[str, str], register_risk_class: str, publication_category: str
) -> None:
    # A system with a transparency duty is never asked about art. 2(12).
    answers = {key: value for key, value in answers.items() if value != "n/a"}
    classification = classify(answers)
    assert classification.register_risk_class == register_risk_class
    assert classification.publication_category == publication_category


def test_a_system_on_annex_i_and_annex_iii_has_both_bases() -> None:
    answers = {
        **benefits_risk_model(),
        "annex_i_product": "third_party",
        "annex_iii_area": "essential_services",
        "annex_iii_essential_services": "point_5d",
    }
    classification = classify(answers)
    assert classification.high_risk_bases == ("annex_i", "annex_iii:5d")
    assert classification.high_risk_basis == "annex_i"
    assert classification.third_party_assessment is True

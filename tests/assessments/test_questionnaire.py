"""The template loader: the five shipped templates load with their sources; broken templates are refused with a
message that names the file and the place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError

from verantwoord.assessments.evaluation import (
    action_points,
    clean_value,
    fria_items,
    progress,
    requirements_from_outcome,
    stop_points,
)
from verantwoord.assessments.questionnaire import (
    FRIA_ITEMS,
    TemplateError,
    current_template,
    current_templates,
    load_template_file,
    parse_template,
)


def test_the_five_templates_load_with_source_and_version() -> None:
    loaded = current_templates()
    assert set(loaded) == {"prescan", "dpia", "iama", "ethics", "supplier"}
    for template in loaded.values():
        assert template.source_instrument and template.source_version and template.version
        assert template.question_count >= 8


def test_dpia_follows_the_17_paragraphs_and_asks_fg_advice() -> None:
    dpia = current_template("dpia")
    numbered = [s.title.nl.split(".")[0] for s in dpia.sections() if s.title.nl[0].isdigit()]
    assert numbered == [str(number) for number in range(1, 18)]
    assert dpia.advice_by == "privacy_officer"


def test_iama_has_five_parts_and_covers_article_27_a_to_f() -> None:
    iama = current_template("iama")
    assert len(iama.parts) == 5
    assert iama.produces_fria
    marked = [question for question in iama.questions() if question.fria]
    assert {question.fria for question in marked} == set(FRIA_ITEMS)
    assert len(marked) == 9


def test_ethics_review_has_the_seven_requirements() -> None:
    assert len(list(current_template("ethics").sections())) == 7


def _minimal(**question: Any) -> dict[str, Any]:
    return {
        "key": "test",
        "version": "1",
        "title": {"nl": "Test", "en": "Test"},
        "description": {"nl": "Test", "en": "Test"},
        "source": {"instrument": "Test", "version": "1"},
        "parts": [
            {
                "id": "p",
                "title": {"nl": "Deel", "en": "Part"},
                "sections": [
                    {
                        "id": "s",
                        "title": {"nl": "Sectie", "en": "Section"},
                        "questions": [
                            {"id": "q", "type": "yes_no", "text": {"nl": "V?", "en": "Q?"}} | question
                        ],
                    }
                ],
            }
        ],
    }


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"type": "essay"}, "unknown type 'essay'"),
        ({"text": {"nl": "Alleen Nederlands"}}, "needs a text in Dutch and English"),
        ({"show_if": {"question": "later", "equals": "yes"}}, "not an earlier question"),
        ({"stop_if": {"equals": "maybe", "message": {"nl": "x", "en": "x"}}}, "`stop_if` needs `equals`"),
        ({"fria": "g"}, "`fria` must be one of"),
        ({"type": "single_choice"}, "at least two choices"),
        (
            {
                "follow_up": [{"id": "f", "type": "short_text", "text": {"nl": "a", "en": "a"}}],
                "type": "long_text",
            },
            "only yes/no",
        ),
    ],
)
def test_broken_templates_are_refused_with_a_clear_message(question: dict[str, Any], message: str) -> None:
    with pytest.raises(TemplateError, match=message) as raised:
        parse_template(_minimal(**question), "broken.yaml")
    assert "broken.yaml" in str(raised.value)
    assert "question 'q'" in str(raised.value) or "question" in str(raised.value)


def test_a_template_file_with_bad_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"kapot\.yaml: not valid YAML"):
        load_template_file(path)


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(_minimal()), encoding="utf-8")
    assert load_template_file(path).question_count == 1


def test_follow_ups_show_only_after_their_answer() -> None:
    dpia = current_template("dpia")
    follow_up = dpia.question("transfer_basis")
    assert follow_up is not None
    assert not follow_up.visible({"outside_eu": "no"})
    assert follow_up.visible({"outside_eu": "yes"})


def test_completion_counts_required_visible_questions_only() -> None:
    dpia = current_template("dpia")
    sections = {item.section.id: item for item in progress(dpia, {"outside_eu": "yes"}, {})}
    assert [q.id for q in sections["a8"].missing_required] == ["locations", "transfer_basis"]
    sections = {item.section.id: item for item in progress(dpia, {"outside_eu": "no", "locations": "NL"}, {})}
    assert sections["a8"].complete and sections["a8"].answered == 2


def test_stop_point_and_action_points() -> None:
    iama = current_template("iama")
    stops = stop_points(iama, {"legal_basis": "no"}, "en")
    assert [stop.question.id for stop in stops] == ["legal_basis"]
    assert "legal basis" in stops[0].message
    dpia = current_template("dpia")
    points = action_points(
        dpia,
        {
            "processor_agreement": "no",
            "residual_high": "yes",
            "measures": [{"title": "Versleutel back-ups", "due_date": "2027-01-01"}],
        },
        "nl",
    )
    assert [point.key for point in points] == ["processor_agreement", "measures:0", "residual_high"]


def test_prescan_outcome_names_the_assessments_needed() -> None:
    prescan = current_template("prescan")
    needed = requirements_from_outcome(
        prescan,
        {
            "personal_data": "yes",
            "decisions_about_people": "yes",
            "new_technology": "yes",
            "outside_eu": "yes",
        },
        "en",
    )
    assert set(needed) == {"dpia", "iama", "transfer"}
    assert (
        requirements_from_outcome(prescan, {"personal_data": "no", "decisions_about_people": "no"}, "en")
        == {}
    )


@pytest.mark.parametrize(
    ("question_id", "raw", "stored"),
    [
        ("proposal", "  Een voorstel  ", "Een voorstel"),
        ("proposal", "", None),
        ("legal_ground", "public_task", "public_task"),
        (
            "risks",
            [{"risk": "Bias", "likelihood": "high"}, {"risk": ""}],
            [
                {
                    "risk": "Bias",
                    "source": "",
                    "likelihood": "high",
                    "severity": "",
                    "measure": "",
                    "residual": "",
                }
            ],
        ),
        (
            "framework",
            [{"title": "AVG", "link": "https://eur-lex.europa.eu/"}],
            [{"title": "AVG", "link": "https://eur-lex.europa.eu/"}],
        ),
        (
            "measures",
            [{"title": "Log alles", "due_date": "2027-01-31"}],
            [{"title": "Log alles", "due_date": "2027-01-31"}],
        ),
    ],
)
def test_values_are_cleaned(question_id: str, raw: Any, stored: Any) -> None:
    question = current_template("dpia").question(question_id)
    assert question is not None
    assert clean_value(question, raw) == stored


@pytest.mark.parametrize(
    ("question_id", "raw"),
    [
        ("legal_ground", "whatever"),
        ("risks", [{"risk": "Bias", "likelihood": "enormous"}]),
        ("risks", [{"source": "Zonder risico"}]),
        ("framework", [{"title": "AVG", "link": "javascript:alert(1)"}]),
        ("measures", [{"title": "x", "due_date": "31-01-2027"}]),
    ],
)
def test_bad_values_are_refused(question_id: str, raw: Any) -> None:
    question = current_template("dpia").question(question_id)
    assert question is not None
    with pytest.raises(ValidationError):
        clean_value(question, raw)


def test_fria_items_list_every_point_with_its_answers() -> None:
    iama = current_template("iama")
    items = fria_items(iama, {"use_processes": "Bijstandsaanvragen"}, "nl")
    assert [item["point"] for item in items] == list(FRIA_ITEMS)
    assert items[0]["entries"][0]["answer"] == "Bijstandsaanvragen"

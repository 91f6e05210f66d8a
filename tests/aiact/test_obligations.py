"""The obligations catalogue and the dates of application: what follows from a classification, and from when."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError

from tests.aiact.helpers import benefits_risk_model, minimal_system, run_cli_json
from verantwoord.aiact.dates import DATES_FILE, DatesError, application_dates, load_application_dates
from verantwoord.aiact.engine import classify
from verantwoord.aiact.obligations import Obligation, obligation_catalogue, obligations_for

ORIGINAL = "2024-original"
OMNIBUS = "2026-digital-omnibus"


def by_id(obligations: list[Obligation]) -> dict[str, Obligation]:
    return {obligation.id: obligation for obligation in obligations}


def scenario_file(tmp_path: Path, answers: dict[str, str]) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
    return str(path)


# --- The catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_covers_the_obligations_of_the_reference() -> None:
    cited = {reference for spec in obligation_catalogue().obligations for reference in spec.references}
    required = {
        "art. 4",
        *(f"art. 26({n})" for n in (1, 2, 4, 5, 6, 7, 8, 9, 11, 12)),
        "art. 49(3)",
        "art. 27(1)",
        "art. 27(3)",
        "art. 86(1)",
        *(f"art. {n}" for n in (9, 10, 11, 12, 13, 14, 15, 17, 43, 47, 48, 72, 73)),
        "art. 49(1)",
        "art. 6(4)",
        "art. 49(2)",
        *(f"art. 50({n})" for n in (1, 2, 3, 4)),
        *(f"art. 53(1)({x})" for x in "abcd"),
        "art. 55(1)",
    }
    assert required - cited == set()


def test_serious_incident_deadlines_are_in_the_explanation() -> None:
    spec = obligation_catalogue().get("provider_serious_incident_reporting")
    for language in ("nl", "en"):
        explanation = spec.explanation.get(language)
        assert "15" in explanation and "2" in explanation and "10" in explanation


def test_every_obligation_has_a_date_in_every_dates_version() -> None:
    dates = application_dates()
    for spec in obligation_catalogue().obligations:
        keys = [spec.applies_from] if isinstance(spec.applies_from, str) else list(spec.applies_from.values())
        for version in dates.versions.values():
            for key in keys:
                assert version.date(key).date >= datetime.date(2024, 8, 1), (spec.id, version.id, key)


def test_no_obligations_when_the_act_does_not_apply() -> None:
    classification = classify({"subject": "system", "effect_on_people": "legal", "ai_system": "rules"})
    assert obligations_for(classification) == []


def test_fria_for_public_bodies_except_point_2_and_for_5b_5c() -> None:
    fria = "fundamental_rights_impact_assessment"
    assert fria in by_id(obligations_for(classify(benefits_risk_model())))
    private = classify(benefits_risk_model(deployer_kind="private_other"))
    assert fria not in by_id(obligations_for(private))
    credit = classify(
        benefits_risk_model(annex_iii_essential_services="point_5b", deployer_kind="private_other")
    )
    assert fria in by_id(obligations_for(credit))
    traffic = classify(
        benefits_risk_model(
            annex_iii_area="critical_infrastructure",
            annex_iii_essential_services=None,
            annex_iii_critical_infrastructure="point_2",
            profiling="no",
            derogation="none",
        )
    )
    assert traffic.high_risk_basis == "annex_iii:2"
    assert fria not in by_id(obligations_for(traffic))


def test_systemic_risk_models_get_the_article_55_duties() -> None:
    model = classify(
        {"subject": "gpai_model", "gpai_model_stage": "placed", "gpai_model_systemic_risk": "yes",
         "gpai_model_open_source": "yes"}
    )  # fmt: skip
    obligations = by_id(obligations_for(model))
    assert {"gpai_systemic_risk_duties", "gpai_systemic_risk_notification"} <= set(obligations)
    # Open source does not lift the documentation duty of a model with systemic risk (art. 53(2)).
    assert "gpai_technical_documentation" in obligations
    assert obligations["gpai_systemic_risk_duties"].applies_from == datetime.date(2025, 8, 2)


# --- Dates of application ---------------------------------------------------------------------------------------------


def test_the_dates_file_is_versioned_with_legal_sources() -> None:
    dates = load_application_dates(DATES_FILE)
    assert dates.active == ORIGINAL
    original, omnibus = dates.get(ORIGINAL), dates.get(OMNIBUS)
    assert "2024/1689" in original.legal_source
    assert "omnibus" in omnibus.legal_source.lower()
    assert original.date("entry_into_force").date == datetime.date(2024, 8, 1)
    assert original.date("prohibitions").date == datetime.date(2025, 2, 2)
    assert original.date("ai_literacy").date == datetime.date(2025, 2, 2)
    assert original.date("gpai_models").date == datetime.date(2025, 8, 2)
    assert original.date("high_risk_annex_iii").date == datetime.date(2026, 8, 2)
    assert original.date("high_risk_annex_i").date == datetime.date(2027, 8, 2)
    assert omnibus.date("high_risk_annex_iii").date == datetime.date(2027, 12, 2)
    assert omnibus.date("high_risk_annex_i").date == datetime.date(2028, 8, 2)


def test_obligations_report_the_dates_version_and_its_source() -> None:
    for obligation in obligations_for(classify(benefits_risk_model())):
        assert obligation.dates_version == ORIGINAL
        assert "2024/1689" in obligation.dates_legal_source
        assert obligation.catalogue_version == "2026.1"


def test_another_dates_version_moves_the_high_risk_obligations_only() -> None:
    classification = classify(benefits_risk_model())
    original = by_id(obligations_for(classification))
    omnibus = by_id(obligations_for(classification, dates_version=OMNIBUS))
    assert original["fundamental_rights_impact_assessment"].applies_from == datetime.date(2026, 8, 2)
    assert omnibus["fundamental_rights_impact_assessment"].applies_from == datetime.date(2027, 12, 2)
    assert omnibus["deployer_human_oversight"].dates_version == OMNIBUS
    assert (
        original["ai_literacy"].applies_from
        == omnibus["ai_literacy"].applies_from
        == datetime.date(2025, 2, 2)
    )
    assert set(original) == set(omnibus)


def test_switching_the_active_dates_version_is_a_data_change(tmp_path: Path) -> None:
    switched = tmp_path / "application_dates.yaml"
    switched.write_text(
        DATES_FILE.read_text(encoding="utf-8").replace(f'active: "{ORIGINAL}"', f'active: "{OMNIBUS}"'),
        encoding="utf-8",
    )
    dates = load_application_dates(switched)
    assert dates.active == OMNIBUS
    answers = {
        **minimal_system(),
        "annex_i_product": "third_party",
        "role_change": "none",
        "deployer_kind": "public_body",
    }
    del answers["open_source_release"]  # not asked of a high-risk system
    bridge = classify(answers)
    assert bridge.high_risk_basis == "annex_i"
    assert by_id(obligations_for(bridge))["deployer_human_oversight"].applies_from == datetime.date(
        2027, 8, 2
    )
    moved = by_id(obligations_for(bridge, dates=dates))["deployer_human_oversight"]
    assert moved.applies_from == datetime.date(2028, 8, 2)
    assert moved.dates_version == OMNIBUS


def test_a_system_on_both_annexes_gets_the_earliest_date() -> None:
    answers = {**benefits_risk_model(), "annex_i_product": "third_party"}
    obligations = by_id(obligations_for(classify(answers)))
    assert obligations["deployer_human_oversight"].applies_from == datetime.date(2026, 8, 2)


def test_an_unknown_dates_version_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DatesError, match="Unknown dates version 'latest'"):
        obligations_for(classify(benefits_risk_model()), dates_version="latest")
    with pytest.raises(CommandError, match="Unknown dates version 'latest'"):
        run_cli_json("classify", scenario_file(tmp_path, benefits_risk_model()), "--dates-version", "latest")


def test_the_cli_uses_the_dates_version_asked_for(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, benefits_risk_model())
    active = run_cli_json("classify", path)
    omnibus = run_cli_json("classify", path, "--dates-version", OMNIBUS)
    assert active["datesVersion"]["id"] == ORIGINAL
    assert omnibus["datesVersion"]["id"] == OMNIBUS
    assert omnibus["datesVersion"]["status"] == "reported"
    fria = next(
        item for item in omnibus["obligations"] if item["id"] == "fundamental_rights_impact_assessment"
    )
    assert fria["appliesFrom"] == "2027-12-02"

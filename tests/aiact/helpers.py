"""Shared by the AI Act tests: run the CLI, the citation pattern, and answer sets for the engine tests."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

from django.core.management import call_command

# How the data cites the law: "art. 5(1)(h)(iii)", "art. 6(3), third subparagraph", "GDPR art. 35",
# "Annex III point 5(a)", "Annex I", "recital 12". Written independently of the JSON Schema's pattern.
ARTICLE = r"(GDPR )?art\. \d+(\(\d+\))?(\([a-z]\))?(\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\))?(, (first|second|third|fourth) subparagraph)?"
ANNEX = r"Annex (I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)( section [AB])?( point \d+(\([a-z]\))?)?"
RECITAL = r"recital \d+"
REFERENCE = re.compile(rf"^({ARTICLE}|{ANNEX}|{RECITAL})$")

PROHIBITIONS_NO = {
    "prohibited_manipulation": "no",
    "prohibited_vulnerabilities": "no",
    "prohibited_social_scoring": "no",
    "prohibited_crime_prediction": "no",
    "prohibited_face_scraping": "no",
    "prohibited_emotion_recognition": "no",
    "prohibited_biometric_categorisation": "no",
    "prohibited_realtime_rbi": "no",
}


def run_cli(*args: str) -> str:
    out = StringIO()
    call_command("aiact", *args, stdout=out)
    return out.getvalue()


def run_cli_json(*args: str) -> Any:
    return json.loads(run_cli(*args, "--json"))


def in_scope(effect: str = "none", role: str = "deployer", **answers: str) -> dict[str, str]:
    """Answers up to and including the prohibitions for an AI system in scope; add the rest as keywords."""
    return {
        "subject": "system",
        "effect_on_people": effect,
        "ai_system": "yes",
        "exclusion_defence": "no",
        "exclusion_research": "no",
        "exclusion_pre_market": "no",
        "exclusion_personal": "no",
        "role": role,
        "gpai_based": "no",
        **PROHIBITIONS_NO,
        **answers,
    }


def minimal_system(effect: str = "none", role: str = "deployer", **answers: str) -> dict[str, str]:
    """A complete set of answers for an AI system that is not high-risk and has no transparency duty."""
    return in_scope(
        effect,
        role,
        annex_i_product="no",
        annex_iii_area="none",
        t_interaction="no",
        t_synthetic="no",
        t_emotion_biometric="no",
        open_source_release="no",
        **answers,
    )


def benefits_risk_model(**overrides: str | None) -> dict[str, str]:
    """A complete set of answers for a high-risk Annex III point 5(a) system used by the municipality.

    Keyword arguments replace answers; None leaves the question out.
    """
    answers = in_scope(
        "similarly_significant",
        "deployer",
        annex_i_product="no",
        annex_iii_area="essential_services",
        annex_iii_essential_services="point_5a",
        profiling="yes",
        role_change="none",
        deployer_kind="public_body",
        t_interaction="no",
        t_synthetic="no",
        t_emotion_biometric="no",
    )
    answers.update({key: value for key, value in overrides.items() if value is not None})
    return {key: value for key, value in answers.items() if overrides.get(key, "") is not None}

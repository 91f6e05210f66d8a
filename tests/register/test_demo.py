"""The register's demo: Voorbeeldstad's algorithms in every state, and the national register loaded once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.register.choices import PublicationState
from verantwoord.register.demo import DEFAULT_NATIONAL_REGISTER_FILE, load_national_register
from verantwoord.register.models import Algorithm, Publication

pytestmark = pytest.mark.django_db


def test_demo_algorithms_cover_every_state_and_several_versions() -> None:
    demo_load()
    algorithms = Algorithm.objects.filter(organisation__slug=DEMO_SLUG)
    assert algorithms.count() >= 12
    assert set(algorithms.values_list("publication_state", flat=True)) == set(PublicationState.values)
    assert Publication.objects.filter(algorithm__source_id="VBS-002").count() == 3
    assert algorithms.get(source_id="VBS-013").ai_act_risk_class == "prohibited"
    demo_load()
    assert Algorithm.objects.filter(organisation__slug=DEMO_SLUG).count() == algorithms.count()


def test_national_register_is_loaded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(Path(DEFAULT_NATIONAL_REGISTER_FILE).read_text(encoding="utf-8"))
    sample = tmp_path / "overzicht.json"
    sample.write_text(json.dumps({**data, "algoritmes": data["algoritmes"][:5]}), encoding="utf-8")
    monkeypatch.setenv("VERANTWOORD_NATIONAL_REGISTER_FILE", str(sample))
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "1")
    first = load_national_register()
    assert first["loaded"] is True and first["imported"] == 5
    assert Publication.objects.filter(algorithm__lars__gt="").count() == 5
    assert load_national_register() == {"loaded": False, "reason": "already loaded"}
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    assert load_national_register()["loaded"] is False

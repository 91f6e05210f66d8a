"""The monitoring's compliance checks and live block in the AI policy, the CLI over the log, and the demo."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.core.models import Organisation
from verantwoord.monitoring import services
from verantwoord.monitoring.models import CheckRun, Finding, FindingStatus, MonitoringConfig
from verantwoord.policy.checklist import registered_checks
from verantwoord.policy.live_blocks import registered_live_blocks
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def _check(key: str):  # type: ignore[no-untyped-def]
    return next(check for check in registered_checks() if check.key == key)


def test_findings_open_too_long_are_a_compliance_item(
    organisation: Organisation, logged: None, config: MonitoringConfig
) -> None:
    check = _check("monitoring.findings_open_too_long")
    services.check_run(config=config, trigger="test")
    today = timezone.localdate()
    assert check.run(organisation, today).count == 0
    later = check.run(organisation, today + datetime.timedelta(days=31))
    assert later.count == Finding.objects.count() > 0
    assert any("buiten EU" in item.label for item in later.items)
    Finding.objects.update(status=FindingStatus.RESOLVED)
    assert check.run(organisation, today + datetime.timedelta(days=31)).count == 0


def test_logged_group_attributes_without_a_check_are_a_compliance_item(
    organisation: Organisation, algorithm: Algorithm, logged: None
) -> None:
    check = _check("monitoring.logged_without_monitoring")
    outcome = check.run(organisation, timezone.localdate())
    assert outcome.count == 1 and outcome.items[0].label == algorithm.name
    empty = Organisation.objects.create(name="Gemeente Leeg", slug="leeg")
    assert check.run(empty, timezone.localdate()).not_applicable


def test_section_8_block_lists_monitored_algorithms(
    organisation: Organisation, config: MonitoringConfig
) -> None:
    (block,) = [block for block in registered_live_blocks(8) if block.key == "monitoring.setup"]
    content = block.build(organisation, timezone.now())
    (table,) = content.tables
    assert table.rows[0][0] == "Risicomodel bijstand"
    assert "nationaliteit" in table.rows[0][3]
    assert "0.8" in table.rows[0][4] or "0,8" in table.rows[0][4]
    json.dumps(content.as_json())  # freezable into a document version
    empty = Organisation.objects.create(name="Gemeente Leeg", slug="leeg")
    assert block.build(empty, timezone.now()).paragraphs


def test_monitoring_run_on_the_command_line(
    logged: None, config: MonitoringConfig, algorithm: Algorithm
) -> None:
    Algorithm.objects.filter(pk=algorithm.pk).update(source_id="BIJ-1")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("monitoring", "run", "--algorithm", "BIJ-1", "--json", stdout=out)
    assert exit_.value.code == 1  # flagged
    data = json.loads(out.getvalue())
    assert data["decisions"] == 3_000 and data["status"] == "breach"
    assert "buiten EU" in data["results"]["nationaliteit"]["groups"]
    assert CheckRun.objects.get().trigger == "cli"
    with pytest.raises(CommandError, match="No algorithm"):
        call_command("monitoring", "run", "--algorithm", "NOPE")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("monitoring", "run", "--algorithm", "BIJ-1", "--organisation", "nergens")


def test_the_demo_finds_the_disparity_in_the_fraud_model() -> None:
    summary = demo_load()
    assert summary.areas["monitoring"]["created"]
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    fraud_model = Algorithm.objects.get(organisation=organisation, source_id="VBS-002")
    run = CheckRun.objects.get(algorithm=fraud_model)
    assert run.decisions > 1000
    flagged = {
        (item["group"], item["metric"])
        for item in run.results["nationaliteit"]["disparities"]
        if item.get("flagged")
    }
    assert ("buiten EU", "selection_rate") in flagged
    assert ("EU", "selection_rate") not in flagged
    finding = Finding.objects.get(
        algorithm=fraud_model, attribute="nationaliteit", group="buiten EU", metric="selection_rate"
    )
    assert finding.status == FindingStatus.OPEN
    # Loading again adds nothing.
    assert demo_load().areas["monitoring"] == {"created": []}
    assert CheckRun.objects.count() == 1

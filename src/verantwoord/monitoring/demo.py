"""Demo monitoring of Gemeente Voorbeeldstad: the fraud risk model VBS-002 checked for bias.

The decision log demo gives VBS-002 decisions in which residents with a nationality from outside the EU are
selected for investigation about twice as often as others; the configured check finds that disparity and
opens a finding. Idempotent: nothing is added once VBS-002 has a configuration.
"""

from __future__ import annotations

from typing import Any

from verantwoord.core.models import Organisation, User
from verantwoord.decisionlog.demo import FRAUD_MODEL
from verantwoord.decisionlog.models import LogEntry
from verantwoord.monitoring import services
from verantwoord.monitoring.models import MonitoringConfig
from verantwoord.register.models import Algorithm

DEMO_CONFIG: dict[str, Any] = {
    "legal_basis": (
        "Art. 9(2)(g) AVG jo. art. 25 UAVG: verwerking van bijzondere persoonsgegevens om discriminatie door "
        "het risicomodel op te sporen en te voorkomen; vastgelegd in de DPIA van het model."
    ),
    "positive_decision": "onderzoek",
    "positive_is_favourable": False,
    "truth_positive": ["terugvordering"],
    "truth_negative": ["geen onrechtmatigheid"],
    "group_attributes": ["nationaliteit", "geslacht", "leeftijdsgroep"],
    "intersections": [["nationaliteit", "geslacht"]],
    # Against Dutch women, the largest group, an intersection shows which combinations differ.
    "reference_groups": {"nationaliteit": "Nederlands", "nationaliteit|geslacht": "Nederlands|v"},
    "metrics": ["selection_rate", "precision"],
    "window": "rolling-90",
    "notify_emails": "ai-team@voorbeeldstad.example",
}


def load_demo_monitoring(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    fraud_model = Algorithm.objects.filter(organisation=organisation, source_id=FRAUD_MODEL).first()
    if fraud_model is None or not LogEntry.objects.filter(algorithm=fraud_model).exists():
        return {"skipped": f"{FRAUD_MODEL} has no decisions in the log"}
    if MonitoringConfig.objects.filter(algorithm=fraud_model).exists():
        return {"created": []}
    actor = users.get("beheerder")
    config = services.config_save(actor=actor, algorithm=fraud_model, values=DEMO_CONFIG, reason="Demo")
    run = services.check_run(config=config, actor=actor, trigger="demo")
    return {
        "created": [
            f"bias check of {FRAUD_MODEL}: {run.decisions} decisions, {run.flagged_count} disparities flagged"
        ]
    }

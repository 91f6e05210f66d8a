"""Demo decision log of Gemeente Voorbeeldstad: realistic decisions of two algorithms, checkpoints and one
erased resident.

- VBS-002, the benefits fraud risk model: about 1,600 decisions over the last four months, with outcomes and
  objections as later facts, and group attributes in which one group — residents with a nationality from
  outside the EU — is selected for investigation about twice as often as the others. The bias check of the
  monitoring area must find that.
- VBS-003, the chatbot: about 2,000 answers, without a subject.

Idempotent: nothing is added once VBS-002 has decisions in the log. Deterministic (a fixed random seed), with
dates relative to the day the demo is loaded.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from verantwoord.core.models import Organisation, User
from verantwoord.decisionlog import services
from verantwoord.decisionlog.models import LogEntry
from verantwoord.register.models import Algorithm

FRAUD_MODEL, CHATBOT = "VBS-002", "VBS-003"
ERASED_REFERENCE = "AVG-2026-014"
# Selection rates for investigation per nationality group: the disparity the bias check must find.
INVESTIGATION_RATE = {"Nederlands": 0.10, "EU": 0.11, "buiten EU": 0.21}
NATIONALITY_SHARE = (("Nederlands", 0.70), ("EU", 0.12), ("buiten EU", 0.18))
DAYS = 120


def demo_bsn(rng: random.Random) -> str:
    """A random number that passes the 11-test, as a BSN does (not a real person's)."""
    while True:
        digits = [rng.randint(1, 6)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(digit * weight for digit, weight in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _moment(rng: random.Random, now: datetime.datetime, days_ago_max: int = DAYS) -> datetime.datetime:
    day = (now - datetime.timedelta(days=rng.randint(1, days_ago_max))).date()
    while day.weekday() >= 5:  # offices are closed at the weekend
        day -= datetime.timedelta(days=1)
    local = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59))
    )
    return timezone.make_aware(local)


def _pick(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    value, total = rng.random(), 0.0
    for name, share in shares:
        total += share
        if value < total:
            return name
    return shares[-1][0]


def fraud_model_records(
    rng: random.Random, now: datetime.datetime, count: int = 1600
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    moments = sorted(_moment(rng, now) for _ in range(count))
    for number, decided_at in enumerate(moments, start=1):
        nationality = _pick(rng, NATIONALITY_SHARE)
        investigate = rng.random() < INVESTIGATION_RATE[nationality]
        score = round(rng.uniform(0.70, 0.98) if investigate else rng.uniform(0.04, 0.69), 3)
        decision_id = f"BIJ-2026-{number:05d}"
        version = "3.2.0" if decided_at > now - datetime.timedelta(days=30) else "3.1.0"
        record: dict[str, Any] = {
            "decision_id": decision_id,
            "decided_at": decided_at.isoformat(),
            "subject": demo_bsn(rng),
            "model_version": version,
            "inputs": {
                "aanvraag": rng.choice(["nieuw", "wijziging", "heronderzoek"]),
                "huishouden": rng.choice(["alleenstaand", "samenwonend", "gezin met kinderen"]),
                "inkomstenbron": rng.choice(["geen", "deeltijdwerk", "andere uitkering"]),
                "wijk": rng.choice(["Centrum", "Noord", "Oost", "Zuid", "West"]),
            },
            "output": score,
            "decision": "onderzoek" if investigate else "geen onderzoek",
            "human_review": (
                {
                    "reviewed": True,
                    "overridden": rng.random() < 0.08,
                    "reviewer": f"consulent-{rng.randint(1, 14):02d}",
                }
                if investigate
                else {"reviewed": False}
            ),
            "explanation": (
                f"Score {score:.2f} boven de drempel 0,70; zwaarste kenmerken: huishouden, inkomstenbron."
                if investigate
                else f"Score {score:.2f} onder de drempel 0,70."
            ),
            "group_attributes": {
                "nationaliteit": nationality,
                "geslacht": _pick(rng, (("v", 0.52), ("m", 0.47), ("x", 0.01))),
                "leeftijdsgroep": rng.choice(["18-26", "27-45", "46-66", "67+"]),
            },
        }
        records.append(record)
        if investigate and rng.random() < 0.4 and decided_at < now - datetime.timedelta(days=22):
            records.append(
                {
                    "decision_id": f"{decision_id}/uitkomst",
                    "decided_at": (decided_at + datetime.timedelta(days=rng.randint(7, 14))).isoformat(),
                    "refers_to": decision_id,
                    "fact": "outcome",
                    "decision": rng.choice(
                        ["geen onrechtmatigheid", "geen onrechtmatigheid", "terugvordering"]
                    ),
                    "explanation": "Uitkomst van het huisbezoek en het dossieronderzoek.",
                }
            )
            if rng.random() < 0.15:
                records.append(
                    {
                        "decision_id": f"{decision_id}/bezwaar",
                        "decided_at": (decided_at + datetime.timedelta(days=20)).isoformat(),
                        "refers_to": decision_id,
                        "fact": "objection",
                        "explanation": "De aanvrager maakt bezwaar tegen het onderzoek.",
                    }
                )
    records.sort(key=lambda record: record["decided_at"])
    return records


def erasure_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three decisions, spread over the period, to give to the resident who asks for erasure.

    Chosen among decisions only: later facts have no subject, and where they fall in the list shifts with the
    day the demo is loaded.
    """
    decisions = [record for record in records if "subject" in record]
    return decisions[:: len(decisions) // 3][:3]


def chatbot_records(rng: random.Random, now: datetime.datetime, count: int = 2000) -> list[dict[str, Any]]:
    topics = {
        "afval": "Kliko's worden op de dag van uw wijk geleegd; grofvuil meldt u online.",
        "paspoort": "Een paspoort vraagt u aan op afspraak bij de balie Burgerzaken.",
        "parkeren": "Een parkeervergunning vraagt u aan via Mijn Voorbeeldstad.",
        "verhuizen": "Geef een verhuizing binnen vijf dagen door via Mijn Voorbeeldstad.",
    }
    records = []
    for number, decided_at in enumerate(sorted(_moment(rng, now, 90) for _ in range(count)), start=1):
        topic = rng.choice(list(topics))
        confident = rng.random() < 0.86
        records.append(
            {
                "decision_id": f"CHAT-{decided_at:%Y%m%d}-{number:05d}",
                "decided_at": decided_at.isoformat(),
                "model_version": "chat-2.4",
                "inputs": {"onderwerp": topic, "kanaal": rng.choice(["website", "app"]), "taal": "nl"},
                "output": topic if confident else "onbekend",
                "decision": "beantwoord" if confident else "doorverwezen naar medewerker",
                "human_review": {"reviewed": not confident},
                "explanation": topics[topic] if confident else "Vraag niet herkend; doorgezet naar het KCC.",
            }
        )
    return records


def _append(organisation: Organisation, algorithm: Algorithm, records: list[dict[str, Any]]) -> int:
    report = services.decisions_append(
        organisation=organisation,
        algorithm=algorithm,
        records=list(enumerate(records, start=1)),
        source="demo",
    )
    if report.errors:
        raise RuntimeError(f"demo records rejected: {report.errors[:3]}")
    return report.accepted


def load_demo_decisions(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    fraud_model = Algorithm.objects.filter(organisation=organisation, source_id=FRAUD_MODEL).first()
    chatbot = Algorithm.objects.filter(organisation=organisation, source_id=CHATBOT).first()
    if fraud_model is None or chatbot is None:
        return {"skipped": "the demo algorithms VBS-002 and VBS-003 are missing"}
    if LogEntry.objects.filter(algorithm=fraud_model).exists():
        return {"created": []}
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    now = timezone.now()
    log = services.decision_log_of(organisation)
    fraud = fraud_model_records(rng, now)
    # One resident with several decisions who asks for erasure (GDPR art. 17).
    erased_subject = demo_bsn(rng)
    for record in erasure_records(fraud):
        record["subject"] = erased_subject
    appended = _append(organisation, fraud_model, fraud)
    services.checkpoint_create(log=log)
    appended_chat = _append(organisation, chatbot, chatbot_records(rng, now))
    services.checkpoint_create(log=log)
    erasure = services.subject_erase(
        actor=users.get("fg"),
        organisation=organisation,
        subject=erased_subject,
        reference=ERASED_REFERENCE,
        reason="Verzoek van de inwoner om zijn gegevens te wissen.",
    )
    services.checkpoint_create(log=log)
    return {
        "created": [
            f"{appended} decisions and later facts of {FRAUD_MODEL}",
            f"{appended_chat} chatbot answers of {CHATBOT}",
            f"erasure {ERASED_REFERENCE} ({erasure.entry_count} entries)",
        ]
    }

"""The demo decision log: two algorithms with realistic decisions, checkpoints, an erased resident, and a
disparity between groups that the monitoring's bias check must find."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest

from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.core.models import Organisation
from verantwoord.decisionlog import selectors, services
from verantwoord.decisionlog.demo import ERASED_REFERENCE, erasure_records, fraud_model_records
from verantwoord.decisionlog.models import Checkpoint, EntryKind, Erasure, LogEntry
from verantwoord.decisionlog.verification import log_verify
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def test_the_demo_log_has_two_algorithms_checkpoints_an_erasure_and_a_disparity() -> None:
    summary = demo_load()
    assert summary.areas["decisionlog"]["created"]
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    log = services.decision_log_of(organisation)
    fraud_model = Algorithm.objects.get(organisation=organisation, source_id="VBS-002")
    chatbot = Algorithm.objects.get(organisation=organisation, source_id="VBS-003")
    assert LogEntry.objects.filter(algorithm=fraud_model, kind=EntryKind.DECISION).count() == 1600
    assert LogEntry.objects.filter(algorithm=fraud_model, kind=EntryKind.LATER_FACT).exists()
    assert LogEntry.objects.filter(algorithm=chatbot, kind=EntryKind.DECISION).count() == 2000
    assert Checkpoint.objects.filter(log=log).count() >= 3
    erasure = Erasure.objects.get(log=log, reference=ERASED_REFERENCE)
    assert erasure.entry_count == 3
    assert LogEntry.objects.filter(log=log, kind=EntryKind.ERASURE).count() == 1

    selected, total = Counter(), Counter()
    for row in selectors.decisions_with_group_attributes(algorithm=fraud_model):
        group = row.group_attributes["nationaliteit"]
        total[group] += 1
        selected[group] += row.entry["decision"] == "onderzoek"
    rates = {group: selected[group] / total[group] for group in total}
    assert rates["buiten EU"] > 1.6 * rates["Nederlands"]
    assert abs(rates["EU"] - rates["Nederlands"]) < 0.06
    assert log_verify(log=log).intact

    again = demo_load()
    assert again.areas["decisionlog"] == {"created": []}


@pytest.mark.parametrize("days_later", range(0, 70, 7))
def test_the_erased_resident_has_three_decisions_whatever_the_day_the_demo_is_loaded(days_later: int) -> None:
    # On 2026-12-06 the records picked every third of the list included later facts, which have no subject.
    now = datetime.datetime(2026, 12, 6, 2, 0, tzinfo=datetime.UTC) + datetime.timedelta(days=days_later)
    picked = erasure_records(fraud_model_records(random.Random(2026), now))
    assert len(picked) == 3
    assert all("subject" in record and "refers_to" not in record for record in picked)
    assert len({record["decision_id"] for record in picked}) == 3

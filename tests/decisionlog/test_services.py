"""The decision log's services on a real database: appends, the governance trail, checkpoints and keys,
proofs, retention, erasure, and `log_verify` catching each kind of tampering with the stored log."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tests.core.factories import OrganisationFactory
from tests.decisionlog.conftest import BSN, OTHER_BSN, record
from verantwoord.core import services as core_services
from verantwoord.core.audit import audit_record
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.decisionlog import selectors, services
from verantwoord.decisionlog.canonical import decode_entry
from verantwoord.decisionlog.checkpoints import Checkpoint as CheckpointText
from verantwoord.decisionlog.checkpoints import SigningKey, open_checkpoint, sign_checkpoint
from verantwoord.decisionlog.merkle import (
    TreeBuilder,
    verify_consistency,
    verify_inclusion,
)
from verantwoord.decisionlog.models import (
    AlgorithmAPIKey,
    Checkpoint,
    DecisionLog,
    EntryKind,
    GroupAttributes,
    LogEntry,
    LogNode,
    LogSigningKey,
    PersonalPayload,
)
from verantwoord.decisionlog.verification import log_verify
from verantwoord.register import services as register_services
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db

Append = Callable[..., services.AppendReport]


def entries(log: DecisionLog) -> list[LogEntry]:
    return list(LogEntry.objects.filter(log=log).order_by("index"))


def root_of(log: DecisionLog) -> bytes:
    builder = TreeBuilder()
    for entry in entries(log):
        builder.append(bytes(entry.entry))
    return builder.root()


def problems(log: DecisionLog) -> list[str]:
    return log_verify(log=log).as_json()["errors"]  # type: ignore[no-any-return]


# --- Appending ------------------------------------------------------------------------------------------


def test_records_are_appended_in_order_with_their_tree(append: Append, log: DecisionLog) -> None:
    before = DecisionLog.objects.get(pk=log.pk).size
    report = append(*[record(number) for number in range(1, 41)])
    assert (report.accepted, report.errors, report.duplicates) == (40, [], [])
    assert report.first_index == before and report.last_index == before + 39
    log.refresh_from_db()
    assert log.size == before + 40 == len(entries(log))
    assert bytes(log.root_hash) == root_of(log)
    decision = LogEntry.objects.get(log=log, decision_id="BIJ-00007")
    fields = decode_entry(bytes(decision.entry))
    assert fields["kind"] == "decision" and fields["decision"] == decision.decision
    assert fields["human_review"] == {"overridden": False, "reviewed": True}
    payload = json.loads(PersonalPayload.objects.get(entry=decision).payload or "")
    assert payload["reviewer"] == "consulent-07" and payload["inputs"]["kinderen"] == 1
    assert (
        payload["pseudonym"]
        == decision.pseudonym
        == services.pseudonym_of(organisation=log.organisation, subject=BSN)
    )
    assert GroupAttributes.objects.filter(entry=decision).exists()
    assert problems(log) == []


def test_the_citizen_service_number_is_stored_nowhere(append: Append, log: DecisionLog) -> None:
    append(record(1), record(2))
    with connection.cursor() as cursor:
        for table in ("decisionlog_logentry", "decisionlog_personalpayload", "decisionlog_groupattributes"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            dumped = repr(cursor.fetchall())
            assert BSN not in dumped and OTHER_BSN not in dumped
    secret = bytes(DecisionLog.objects.get(pk=log.pk).pseudonym_secret or b"")
    assert secret.startswith(b"\x01") and len(secret) > 32  # sealed, not the raw key


def test_bad_records_are_reported_by_line_and_the_good_ones_kept(append: Append, log: DecisionLog) -> None:
    report = append(record(1), {"decision_id": "x"}, record(3, output=[1]), record(4))
    assert report.accepted == 2
    assert sorted({error.line for error in report.errors}) == [2, 3]
    assert {error.field for error in report.errors if error.line == 3} == {"output"}
    assert LogEntry.objects.filter(log=log, decision_id__in=["BIJ-00001", "BIJ-00004"]).count() == 2


def test_an_atomic_batch_is_all_or_nothing(append: Append, log: DecisionLog) -> None:
    size = DecisionLog.objects.get(pk=log.pk).size
    report = append(record(1), record(2, decided_at="yesterday"), atomic=True)
    assert report.accepted == 0 and report.first_index is None and [e.line for e in report.errors] == [2]
    assert DecisionLog.objects.get(pk=log.pk).size == size
    # An unknown reference is only found under the lock: still nothing appended.
    report = append(record(1), record(5, refers_to="NOPE", fact="outcome"), atomic=True)
    assert report.accepted == 0 and report.errors[0].field == "refers_to"
    assert DecisionLog.objects.get(pk=log.pk).size == size
    assert append(record(1), record(2), atomic=True).accepted == 2


def test_a_retried_record_is_a_duplicate_not_a_second_entry(append: Append, log: DecisionLog) -> None:
    first = append(record(1), record(2))
    again = append(record(2), record(3), record(3))
    assert again.accepted == 1
    assert [(d.line, d.decision_id, d.index) for d in again.duplicates] == [
        (1, "BIJ-00002", first.first_index + 1),  # type: ignore[operator]
        (3, "BIJ-00003", None),
    ]
    assert LogEntry.objects.filter(log=log, decision_id="BIJ-00002").count() == 1


def test_later_facts_refer_to_the_decision_they_are_about(append: Append, log: DecisionLog) -> None:
    append(record(1))
    report = append(
        {
            "decision_id": "BIJ-00001/uitkomst",
            "decided_at": "2026-03-05T10:00:00Z",
            "refers_to": "BIJ-00001",
            "fact": "outcome",
            "decision": "terugvordering",
        },
        record(2),
        {
            "decision_id": "BIJ-00002/bezwaar",
            "decided_at": "2026-03-06T10:00:00Z",
            "refers_to": "BIJ-00002",
            "fact": "objection",
            "subject": BSN,
        },
        {
            "decision_id": "X/1",
            "decided_at": "2026-03-06T10:00:00Z",
            "refers_to": "BIJ-99999",
            "fact": "other",
        },
    )
    assert report.accepted == 3 and [(e.line, e.field) for e in report.errors] == [(4, "refers_to")]
    first = LogEntry.objects.get(log=log, decision_id="BIJ-00001")
    outcome = LogEntry.objects.get(log=log, decision_id="BIJ-00001/uitkomst")
    objection = LogEntry.objects.get(log=log, decision_id="BIJ-00002/bezwaar")
    assert outcome.kind == EntryKind.LATER_FACT and outcome.refers_to_index == first.index
    assert objection.refers_to_index == LogEntry.objects.get(log=log, decision_id="BIJ-00002").index
    assert decode_entry(bytes(outcome.entry))["refers_to"] == "BIJ-00001"


def test_an_algorithm_of_another_organisation_is_refused(organisation: Organisation, append: Append) -> None:
    stranger = Algorithm.objects.create(organisation=OrganisationFactory(), name="Elders")
    with pytest.raises(ValidationError):
        services.decisions_append(organisation=organisation, algorithm=stranger, records=[], source="test")


# --- The governance trail ---------------------------------------------------------------------------------


def test_every_audit_record_is_appended_to_the_organisations_log(
    organisation: Organisation, algorithm: Algorithm, beheerder: User
) -> None:
    log = services.decision_log_of(organisation)
    register_services.algorithm_update(
        actor=beheerder, algorithm=algorithm, data={"goal": "Een ander doel."}, reason="Herijking"
    )
    record_ = AuditRecord.objects.filter(action="algorithm.update").latest("id")
    entry = LogEntry.objects.get(log=log, audit_record_id=record_.pk)
    fields = decode_entry(bytes(entry.entry))
    assert entry.kind == EntryKind.GOVERNANCE
    assert fields["action"] == "algorithm.update" and fields["object_id"] == str(algorithm.pk)
    assert fields["actor"] == beheerder.pk and "Bea" not in bytes(entry.entry).decode()
    payload = json.loads(PersonalPayload.objects.get(entry=entry).payload or "")
    assert payload["actor"] == "Bea Beheerder" and payload["reason"] == "Herijking"
    assert payload["changes"]["goal"][1] == "Een ander doel."
    # Every audit record of the organisation is in the log, in the order of the trail.
    audited = list(
        AuditRecord.objects.filter(organisation=organisation).order_by("id").values_list("id", flat=True)
    )
    logged = list(
        LogEntry.objects.filter(log=log, audit_record_id__isnull=False)
        .order_by("index")
        .values_list("audit_record_id", flat=True)
    )
    assert logged == audited
    assert problems(log) == []


def test_the_trail_and_the_log_roll_back_together(organisation: Organisation) -> None:
    log = services.decision_log_of(organisation)
    size = DecisionLog.objects.get(pk=log.pk).size
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.write", instance=organisation, organisation=organisation)
        assert DecisionLog.objects.get(pk=log.pk).size == size + 1
        raise RuntimeError("the service fails after its audit record")
    assert DecisionLog.objects.get(pk=log.pk).size == size
    assert not AuditRecord.objects.filter(action="test.write").exists()


def test_records_without_an_organisation_stay_in_the_trail_only(db: None) -> None:
    user = core_services.user_create(actor=None, email="los@example.org")
    assert AuditRecord.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    assert (
        not LogEntry.objects.filter(audit_record_id__isnull=False, kind="governance")
        .exclude(log__organisation__isnull=False)
        .exists()
    )
    assert DecisionLog.objects.count() == 0


# --- Checkpoints and keys -------------------------------------------------------------------------------


def test_checkpoints_sign_the_tree_and_only_when_it_grew(append: Append, log: DecisionLog) -> None:
    append(record(1))
    first = services.checkpoint_create(log=log)
    assert first is not None
    assert services.checkpoint_create(log=log) is None
    key = LogSigningKey.objects.get(log=log)
    verifier = selectors.verifier_key(log=log, key=key)
    signed, _by = open_checkpoint(first.note.encode(), [verifier], origin=log.origin)
    assert signed.size == first.size == DecisionLog.objects.get(pk=log.pk).size
    assert signed.root_hash == root_of(log)
    append(record(2))
    assert services.checkpoints_make_due() == "1 checkpoints signed"
    assert services.checkpoints_make_due() == "0 checkpoints signed"
    assert key.sealed_private_key is not None and bytes(key.public_key) not in bytes(key.sealed_private_key)


def test_rotation_keeps_old_checkpoints_verifiable_and_destroys_the_old_private_key(
    append: Append, log: DecisionLog, beheerder: User
) -> None:
    append(record(1))
    old_checkpoint = services.checkpoint_create(log=log)
    assert old_checkpoint is not None
    old = LogSigningKey.objects.get(log=log)
    new = services.signing_key_rotate(actor=beheerder, log=log, reason="jaarlijks")
    old.refresh_from_db()
    assert old.retired_at is not None and old.sealed_private_key is None
    transition = Checkpoint.objects.filter(log=log).latest("id")
    verifiers = [selectors.verifier_key(log=log, key=key) for key in (old, new)]
    _signed, by = open_checkpoint(transition.note.encode(), verifiers)
    assert {key.key_id.hex() for key in by} == {old.key_id, new.key_id}
    open_checkpoint(old_checkpoint.note.encode(), verifiers[:1])
    assert LogEntry.objects.filter(log=log, kind="governance").last() is not None
    assert AuditRecord.objects.filter(action="decisionlog.signing_key_rotate").count() == 1
    append(record(2))
    latest = services.checkpoint_create(log=log)
    assert latest is not None
    _signed, by = open_checkpoint(latest.note.encode(), verifiers)
    assert [key.key_id.hex() for key in by] == [new.key_id]
    assert problems(log) == []


def test_api_keys_are_shown_once_stored_hashed_and_revocable(algorithm: Algorithm, beheerder: User) -> None:
    key, secret = services.api_key_create(actor=beheerder, algorithm=algorithm, name="Suite")
    assert secret.startswith("vwdl_") and secret not in repr(AlgorithmAPIKey.objects.values_list())
    assert services.api_key_authenticate(secret) == key
    assert services.api_key_authenticate(secret + "x") is None
    services.api_key_revoke(actor=beheerder, api_key=key)
    assert services.api_key_authenticate(secret) is None
    assert list(
        AuditRecord.objects.filter(action__startswith="decisionlog.api_key")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "decisionlog.api_key_create",
        "decisionlog.api_key_revoke",
    ]
    with pytest.raises(ValidationError):
        services.api_key_create(actor=beheerder, algorithm=algorithm, name=" ")


# --- Proofs ---------------------------------------------------------------------------------------------


def test_proofs_from_the_database_verify_at_every_size(append: Append, log: DecisionLog) -> None:
    append(*[record(number) for number in range(1, 70)])
    size = DecisionLog.objects.get(pk=log.pk).size
    leaves = [bytes(entry.leaf_hash) for entry in entries(log)]
    roots = {}
    for tree_size in range(1, size + 1):
        builder = TreeBuilder()
        for leaf in leaves[:tree_size]:
            builder.append_leaf_hash(leaf)
        roots[tree_size] = builder.root()
    for tree_size in (1, 2, 3, 16, 17, 31, 32, 33, 50, size):
        for index in range(tree_size):
            proof = selectors.inclusion_proof_of(log=log, index=index, tree_size=tree_size)
            assert proof["root_hash"] == roots[tree_size]
            verify_inclusion(leaves[index], index, tree_size, proof["proof"], roots[tree_size])
        for old_size in range(1, tree_size + 1):
            proof = selectors.consistency_proof_of(log=log, old_size=old_size, new_size=tree_size)
            verify_consistency(old_size, tree_size, proof["proof"], roots[old_size], roots[tree_size])
    with pytest.raises(selectors.ProofUnavailableError):
        selectors.inclusion_proof_of(log=log, index=size, tree_size=size)
    with pytest.raises(selectors.ProofUnavailableError):
        selectors.consistency_proof_of(log=log, old_size=1, new_size=size + 1)


def test_a_proof_defaults_to_the_latest_checkpoint_holding_the_entry(
    append: Append, log: DecisionLog
) -> None:
    append(record(1))
    checkpoint = services.checkpoint_create(log=log)
    append(record(2))
    assert checkpoint is not None
    proof = selectors.inclusion_proof_of(log=log, index=0)
    assert proof["tree_size"] == checkpoint.size and proof["checkpoint"] == checkpoint.note
    newest = DecisionLog.objects.get(pk=log.pk).size - 1
    unsigned = selectors.inclusion_proof_of(log=log, index=newest)
    assert unsigned["tree_size"] == newest + 1 and unsigned["checkpoint"] is None


# --- Retention and erasure --------------------------------------------------------------------------------


def test_retention_periods_respect_the_legal_minimum_and_the_policy_maximum(
    algorithm: Algorithm, log: DecisionLog, beheerder: User
) -> None:
    assert services.retention_days_of(algorithm) == services.RETENTION_MINIMUM_DAYS
    with pytest.raises(ValidationError):
        services.retention_set(actor=beheerder, algorithm=algorithm, days=100)
    services.retention_set(actor=beheerder, algorithm=algorithm, days=400)
    with pytest.raises(ValidationError, match="Risicomodel"):
        services.log_settings_update(actor=beheerder, log=log, max_retention_days=365)
    services.log_settings_update(actor=beheerder, log=log, max_retention_days=730)
    with pytest.raises(ValidationError):
        services.retention_set(actor=beheerder, algorithm=algorithm, days=800)
    assert services.retention_days_of(algorithm) == 400


def test_the_retention_purge_erases_old_payloads_logs_itself_and_the_log_still_verifies(
    append: Append, log: DecisionLog, algorithm: Algorithm
) -> None:
    now = timezone.now()
    old = (now - datetime.timedelta(days=200)).isoformat()
    recent = (now - datetime.timedelta(days=10)).isoformat()
    append(record(1, decided_at=old), record(2, decided_at=recent), record(3, decided_at=old))
    checkpoint = services.checkpoint_create(log=log)
    erasures = services.retention_purge(chunk=1)
    assert [erasure.entry_count for erasure in erasures] == [1, 1]
    purged = PersonalPayload.objects.filter(entry__log=log, erased_at__isnull=False)
    assert sorted(purged.values_list("entry__decision_id", flat=True)) == ["BIJ-00001", "BIJ-00003"]
    assert all(payload.payload is None and payload.salt is None for payload in purged)
    assert not GroupAttributes.objects.filter(entry__decision_id="BIJ-00001").exists()
    assert LogEntry.objects.get(decision_id="BIJ-00001").pseudonym is None
    assert LogEntry.objects.get(decision_id="BIJ-00002").pseudonym is not None
    retention_entries = LogEntry.objects.filter(log=log, kind=EntryKind.RETENTION)
    assert retention_entries.count() == 2
    details = decode_entry(bytes(retention_entries.first().entry))["details"]  # type: ignore[union-attr]
    assert details["count"] == 1 and details["retention_days"] == 183 and details["algorithm"] == algorithm.pk
    assert services.retention_purge() == []
    assert problems(log) == []
    assert checkpoint is not None and services.checkpoint_create(log=log) is not None


def test_erasure_of_a_subject_leaves_every_proof_valid(
    append: Append, log: DecisionLog, member_of: Callable[..., User], organisation: Organisation
) -> None:
    append(*[record(number) for number in range(1, 9)])
    append(
        {
            "decision_id": "F/1",
            "decided_at": "2026-03-05T10:00:00Z",
            "refers_to": "BIJ-00002",
            "fact": "objection",
            "explanation": "Bezwaar van de inwoner.",
        }
    )
    checkpoint = services.checkpoint_create(log=log)
    assert checkpoint is not None
    before = {entry.index: bytes(entry.entry) for entry in entries(log)}
    fg = member_of(organisation, "privacy_officer")
    erasure = services.subject_erase(
        actor=fg, organisation=organisation, subject="123 456 782", reference="AVG-7"
    )
    # BIJ-00002, 4, 6, 8 are about OTHER_BSN, and the objection refers to BIJ-00002.
    erased = set(PersonalPayload.objects.filter(erasure=erasure).values_list("entry__decision_id", flat=True))
    assert erased == {"BIJ-00002", "BIJ-00004", "BIJ-00006", "BIJ-00008", "F/1"}
    assert erasure.entry_count == 5
    assert {entry.index: bytes(entry.entry) for entry in entries(log) if entry.index in before} == before
    entry = LogEntry.objects.get(log=log, kind=EntryKind.ERASURE)
    fields = decode_entry(bytes(entry.entry))
    indexes = sorted(LogEntry.objects.filter(decision_id__in=erased).values_list("index", flat=True))
    assert [
        index for first, last in fields["details"]["entries"] for index in range(first, last + 1)
    ] == indexes
    assert fields["details"]["reference"] == "AVG-7" and OTHER_BSN not in bytes(entry.entry).decode()
    assert services.subject_search(actor=fg, organisation=organisation, subject=OTHER_BSN) == []
    assert len(services.subject_search(actor=fg, organisation=organisation, subject=BSN)) == 4
    for index in indexes:  # the old proofs still lead to the old checkpoint
        proof = selectors.inclusion_proof_of(log=log, index=index, tree_size=checkpoint.size)
        assert proof["root_hash"] == bytes(checkpoint.root_hash)
    assert problems(log) == []
    again = services.subject_erase(actor=fg, organisation=organisation, subject=OTHER_BSN, reference="AVG-8")
    assert again.entry_count == 0


def test_each_search_by_citizen_service_number_is_audited_without_the_number(
    append: Append, organisation: Organisation, member_of: Callable[..., User]
) -> None:
    append(record(1))
    auditor = member_of(organisation, "auditor")
    found = services.subject_search(
        actor=auditor, organisation=organisation, subject=BSN, purpose="Bezwaar 12"
    )
    assert [entry.decision_id for entry in found] == ["BIJ-00001"]
    trail = AuditRecord.objects.get(action="decisionlog.subject_search")
    assert trail.actor == auditor and trail.reason == "Bezwaar 12" and BSN not in json.dumps(trail.changes)


def test_group_attributes_are_read_only_through_the_monitoring_selector(
    append: Append, algorithm: Algorithm
) -> None:
    append(record(1), record(2), record(3, group_attributes=None))
    rows = list(selectors.decisions_with_group_attributes(algorithm=algorithm))
    assert [(row.entry["decision_id"], row.group_attributes["nationaliteit"]) for row in rows] == [
        ("BIJ-00001", "Nederlands"),
        ("BIJ-00002", "Nederlands"),
    ]
    sealed = bytes(GroupAttributes.objects.first().sealed)  # type: ignore[union-attr]
    assert b"Nederlands" not in sealed


# --- log verify catches tampering with the stored log ---------------------------------------------------------


@pytest.fixture
def filled(append: Append, log: DecisionLog) -> DecisionLog:
    append(*[record(number) for number in range(1, 40)])
    services.checkpoint_create(log=log)
    assert problems(log) == []
    return DecisionLog.objects.get(pk=log.pk)


def _entry(log: DecisionLog, index: int) -> LogEntry:
    return LogEntry.objects.get(log=log, index=index)


def test_verify_catches_an_altered_entry(filled: DecisionLog) -> None:
    entry = _entry(filled, 20)
    LogEntry.objects.filter(pk=entry.pk).update(
        entry=bytes(entry.entry).replace(b"geen onderzoek", b"onderzoek")
    )
    found = problems(filled)
    assert any("entry 20: its bytes do not hash to its stored leaf hash" in problem for problem in found)


def test_verify_catches_an_entry_altered_with_its_leaf_hash(filled: DecisionLog) -> None:
    entry = _entry(filled, 20)
    altered = bytes(entry.entry).replace(b'"v":1', b'"v":2')
    from verantwoord.decisionlog.merkle import leaf_hash

    LogEntry.objects.filter(pk=entry.pk).update(entry=altered, leaf_hash=leaf_hash(altered))
    found = problems(filled)
    assert any("stored node" in problem for problem in found)
    assert any("entries before it were changed" in problem for problem in found)
    assert any("the head's root hash" in problem for problem in found)


def test_verify_catches_a_deleted_entry(filled: DecisionLog) -> None:
    LogEntry.objects.filter(log=filled, index=7).delete()
    found = problems(filled)
    assert any("entries 7 to 7 are missing" in problem for problem in found)


def test_verify_catches_an_altered_payload(filled: DecisionLog) -> None:
    payload = PersonalPayload.objects.get(entry=_entry(filled, 12))
    PersonalPayload.objects.filter(pk=payload.pk).update(
        payload=(payload.payload or "").replace("consulent", "iemand")
    )
    assert any("entry 12: the payload does not hash" in problem for problem in problems(filled))


def test_verify_catches_a_payload_emptied_outside_an_erasure(filled: DecisionLog) -> None:
    PersonalPayload.objects.filter(entry=_entry(filled, 13)).update(payload=None, salt=None)
    PersonalPayload.objects.filter(entry=_entry(filled, 14)).delete()
    found = problems(filled)
    assert any("entry 13: its payload was emptied without an erasure" in problem for problem in found)
    assert any("entry 14 commits to a payload, but its payload row is gone" in problem for problem in found)


def test_verify_catches_altered_group_attributes(filled: DecisionLog) -> None:
    from verantwoord.decisionlog.crypto import PURPOSE_GROUP_ATTRIBUTES, seal

    entry = _entry(filled, 15)
    forged = seal(
        PURPOSE_GROUP_ATTRIBUTES,
        b'{"nationaliteit":"Nederlands"}',
        f"{entry.algorithm_id}:{entry.decision_id}",
    )
    GroupAttributes.objects.filter(entry=entry).update(sealed=forged)
    assert any("entry 15: the group attributes do not hash" in problem for problem in problems(filled))


def test_verify_catches_an_altered_tree_node(filled: DecisionLog) -> None:
    node = LogNode.objects.filter(log=filled).first()
    assert node is not None
    LogNode.objects.filter(pk=node.pk).update(hash=b"\x00" * 32)
    assert any(
        f"stored node ({node.level}, {node.node_index}) differs" in problem for problem in problems(filled)
    )


def test_verify_catches_a_truncated_or_rolled_back_log(filled: DecisionLog) -> None:
    size = filled.size
    LogEntry.objects.filter(log=filled, index__gte=size - 5).delete()
    builder = TreeBuilder()
    for entry in entries(filled):
        builder.append(bytes(entry.entry))
    # Even with the head and the nodes made to fit the shorter log, the published checkpoint gives it away.
    DecisionLog.objects.filter(pk=filled.pk).update(
        size=builder.size, border=b"".join(builder.border), root_hash=builder.root()
    )
    found = problems(filled)
    assert any(
        f"it signs {size} entries, the log holds {size - 5}: the log was truncated or rolled back" in p
        for p in found
    )


def test_verify_catches_a_forged_or_re_signed_checkpoint_and_a_swapped_key(filled: DecisionLog) -> None:
    checkpoint = Checkpoint.objects.filter(log=filled).latest("id")
    intruder = SigningKey.generate(filled.origin)
    forged = sign_checkpoint(CheckpointText(filled.origin, checkpoint.size, b"\x01" * 32), [intruder])
    Checkpoint.objects.filter(pk=checkpoint.pk).update(note=forged.decode())
    assert any("no signature by a trusted key" in problem for problem in problems(filled))
    # Swap the published key for the intruder's: the checkpoint then "verifies", but not over the entries.
    LogSigningKey.objects.filter(log=filled).update(
        public_key=intruder.public_key, key_id=intruder.key_id.hex()
    )
    found = problems(filled)
    assert any("the entries give" in problem for problem in found)
    assert any("cannot sign" in problem for problem in found)


def test_verify_report_reads_as_text(filled: DecisionLog) -> None:
    text = "\n".join(log_verify(log=filled).as_text())
    assert "ok   checkpoints" in text and text.endswith(
        f"{filled.size} entries, root {log_verify(log=filled).root_hash}"
    )

"""Reads of the decision log: entries, proofs, checkpoints and keys, charts, and — for monitoring only — the
group attributes of decisions."""

from __future__ import annotations

import datetime
import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from verantwoord.core.models import Organisation
from verantwoord.decisionlog.canonical import decode_entry
from verantwoord.decisionlog.checkpoints import VerifierKey
from verantwoord.decisionlog.crypto import PURPOSE_GROUP_ATTRIBUTES, unseal, unseal_many
from verantwoord.decisionlog.merkle import (
    consistency_proof,
    fold,
    inclusion_plan,
    plan_nodes,
    root_at,
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
    LogSigningKey,
    PersonalPayload,
)
from verantwoord.decisionlog.storage import DatabaseNodeStore
from verantwoord.register.models import Algorithm

DECISION_KINDS = (EntryKind.DECISION, EntryKind.LATER_FACT)


def decision_log_for(*, organisation: Organisation) -> DecisionLog | None:
    return DecisionLog.objects.filter(organisation=organisation).select_related("organisation").first()


def has_public_log(organisation: Organisation) -> bool:
    """Whether the organisation's log holds anything to show on its public page."""
    return DecisionLog.objects.filter(organisation=organisation, size__gt=0).exists()


def log_by_slug(*, slug: str) -> DecisionLog | None:
    return DecisionLog.objects.filter(organisation__slug=slug).select_related("organisation").first()


def latest_checkpoint(*, log: DecisionLog) -> Checkpoint | None:
    return Checkpoint.objects.filter(log=log).order_by("-size", "-id").first()


def checkpoints_of(*, log: DecisionLog) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(log=log).order_by("-size", "-id")


def signing_keys_of(*, log: DecisionLog) -> QuerySet[LogSigningKey]:
    return LogSigningKey.objects.filter(log=log).order_by("-created_at", "-id")


def verifier_key(*, log: DecisionLog, key: LogSigningKey) -> VerifierKey:
    return VerifierKey(name=log.origin, public_key=bytes(key.public_key))


def entries_of(
    *,
    log: DecisionLog,
    algorithm: Algorithm | None = None,
    kind: str = "",
    decision_id: str = "",
) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.filter(log=log).select_related("algorithm").order_by("-index")
    if algorithm is not None:
        entries = entries.filter(algorithm=algorithm)
    if kind:
        entries = entries.filter(kind=kind)
    if decision_id:
        entries = entries.filter(decision_id=decision_id)
    return entries


def entry_at(*, log: DecisionLog, index: int) -> LogEntry | None:
    return LogEntry.objects.filter(log=log, index=index).select_related("algorithm").first()


def entry_fields(entry: LogEntry) -> dict[str, Any]:
    """The entry's JSON object, as hashed."""
    return decode_entry(bytes(entry.entry))


@dataclass(frozen=True)
class PayloadView:
    state: str  # "present", "erased" or "none"
    payload: dict[str, Any] | None = None
    erased_at: datetime.datetime | None = None
    erasure_reference: str = ""


def payload_of(*, entry: LogEntry) -> PayloadView:
    """The personal payload of an entry. Callers record the view with ``personal_data_view_record``."""
    row = PersonalPayload.objects.filter(entry=entry).select_related("erasure").first()
    if row is None:
        return PayloadView("none")
    if row.payload is None:
        erasure = row.erasure
        reference = (erasure.reference or erasure.get_kind_display()) if erasure else ""
        return PayloadView("erased", erased_at=row.erased_at, erasure_reference=str(reference))
    return PayloadView("present", payload=json.loads(row.payload))


def api_keys_of(*, algorithm: Algorithm) -> QuerySet[AlgorithmAPIKey]:
    return (
        AlgorithmAPIKey.objects.filter(algorithm=algorithm)
        .select_related("created_by")
        .order_by("-created_at")
    )


# --- Proofs ----------------------------------------------------------------------------------------------


class ProofUnavailableError(ValueError):
    """The proof asked for does not exist (index or size out of range)."""


def _size_for_proof(
    log: DecisionLog, tree_size: int | None, least: int
) -> tuple[int, Checkpoint | None, bytes | None]:
    """The tree size a proof is given for — as asked, else the latest checkpoint covering ``least``, else the
    current size (whose root is not yet signed) — with its checkpoint and, when stored, its root."""
    head_size, head_root = DecisionLog.objects.values_list("size", "root_hash").get(pk=log.pk)
    if tree_size is None:
        checkpoint = latest_checkpoint(log=log)
        if checkpoint is not None and checkpoint.size >= least:
            return checkpoint.size, checkpoint, bytes(checkpoint.root_hash)
        tree_size = head_size
    if not 0 <= tree_size <= head_size:
        raise ProofUnavailableError(f"the log has {head_size} entries; there is no tree of size {tree_size}")
    checkpoint = Checkpoint.objects.filter(log=log, size=tree_size).order_by("-id").first()
    if checkpoint is not None:
        return tree_size, checkpoint, bytes(checkpoint.root_hash)
    return tree_size, None, bytes(head_root) if tree_size == head_size else None


def inclusion_proof_of(*, log: DecisionLog, index: int, tree_size: int | None = None) -> dict[str, Any]:
    """The proof, checked against the stored root of that size (a checkpoint's or the head's): a proof
    that does not lead to the root the log publishes is never handed out."""
    size, checkpoint, root = _size_for_proof(log, tree_size, index + 1)
    if not 0 <= index < size:
        raise ProofUnavailableError(f"entry {index} is not in the tree of size {size}")
    store = DatabaseNodeStore(log.pk, size)
    plan = inclusion_plan(index, size)
    hashes = dict(zip(nodes := [(0, index), *plan_nodes(plan)], store.get_nodes(nodes), strict=True))
    leaf = hashes[(0, index)]
    proof = [fold([hashes[node] for node in group]) for group in plan]
    if root is None:
        root = root_at(size, store)
    verify_inclusion(leaf, index, size, proof, root)
    return {
        "index": index,
        "tree_size": size,
        "leaf_hash": leaf,
        "proof": proof,
        "root_hash": root,
        "checkpoint": checkpoint.note if checkpoint else None,
    }


def consistency_proof_of(
    *, log: DecisionLog, old_size: int | None = None, new_size: int | None = None
) -> dict[str, Any]:
    """From ``old_size`` (default: the checkpoint before the latest) to ``new_size`` (default: the latest)."""
    new, new_checkpoint, _root = _size_for_proof(log, new_size, 0)
    if old_size is None:
        earlier = Checkpoint.objects.filter(log=log, size__lt=new).order_by("-size", "-id").first()
        old_size = earlier.size if earlier else 0
    if not 0 <= old_size <= new:
        raise ProofUnavailableError(f"no consistency proof from tree size {old_size} to {new}")
    store = DatabaseNodeStore(log.pk, new)
    proof = consistency_proof(old_size, new, store)
    old_root, new_root = root_at(old_size, store), root_at(new, store)
    verify_consistency(old_size, new, proof, old_root, new_root)
    old_checkpoint = Checkpoint.objects.filter(log=log, size=old_size).order_by("-id").first()
    return {
        "old_size": old_size,
        "new_size": new,
        "proof": proof,
        "old_root_hash": old_root,
        "new_root_hash": new_root,
        "old_checkpoint": old_checkpoint.note if old_checkpoint else None,
        "new_checkpoint": new_checkpoint.note if new_checkpoint else None,
    }


# --- Overviews and charts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlgorithmSummary:
    algorithm: Algorithm
    decisions: int
    later_facts: int
    last_decided_at: datetime.datetime | None


def algorithm_summaries(*, log: DecisionLog) -> list[AlgorithmSummary]:
    rows = (
        LogEntry.objects.filter(log=log, algorithm__isnull=False)
        .values("algorithm")
        .annotate(
            decisions=Count("id", filter=Q(kind=EntryKind.DECISION)),
            later_facts=Count("id", filter=Q(kind=EntryKind.LATER_FACT)),
            last=Max("decided_at"),
        )
        .order_by()
    )
    by_id = {row["algorithm"]: row for row in rows}
    algorithms = Algorithm.objects.filter(pk__in=list(by_id)).order_by("name")
    return [
        AlgorithmSummary(
            algorithm,
            by_id[algorithm.pk]["decisions"],
            by_id[algorithm.pk]["later_facts"],
            by_id[algorithm.pk]["last"],
        )
        for algorithm in algorithms
    ]


def kind_counts(*, log: DecisionLog) -> dict[str, int]:
    rows = LogEntry.objects.filter(log=log).values_list("kind").annotate(count=Count("id")).order_by()
    return dict(rows)


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    total: int
    by_decision: dict[str, int]


def decisions_per_day(
    *, algorithm: Algorithm, days: int = 90, today: datetime.date | None = None
) -> list[DayCount]:
    """Decisions per day (in the local time zone) over the last ``days`` days, every day present, with the
    count per decision value."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        LogEntry.objects.filter(algorithm=algorithm, kind=EntryKind.DECISION, decided_at__gte=start)
        .annotate(day=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "decision")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[datetime.date, dict[str, int]] = {}
    for day, decision, count in rows:
        counts.setdefault(day, {})[decision or ""] = count
    result = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        by_decision = counts.get(day, {})
        result.append(DayCount(day, sum(by_decision.values()), dict(sorted(by_decision.items()))))
    return result


# --- For the monitoring of bias (the next area): special-category data, never shown per person -------------


@dataclass(frozen=True)
class DecisionWithGroups:
    index: int
    decided_at: datetime.datetime | None
    entry: dict[str, Any]
    group_attributes: dict[str, Any]


def decisions_with_group_attributes(
    *, algorithm: Algorithm, since: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> Iterator[DecisionWithGroups]:
    """Every decision of ``algorithm`` that carries group attributes, decrypted, oldest first.

    Only for aggregate statistics with small cells suppressed: callers must never show a row per person.
    Erased and purged decisions have no attributes any more and are not returned.
    """
    rows = GroupAttributes.objects.filter(entry__algorithm=algorithm, entry__kind=EntryKind.DECISION)
    if since is not None:
        rows = rows.filter(entry__decided_at__gte=since)
    if until is not None:
        rows = rows.filter(entry__decided_at__lt=until)
    for entry_id, index, decided_at, decision_id, entry, sealed in (
        rows.order_by("entry__index")
        .values_list(
            "entry_id", "entry__index", "entry__decided_at", "entry__decision_id", "entry__entry", "sealed"
        )
        .iterator(chunk_size=2000)
    ):
        del entry_id
        attributes = json.loads(
            unseal(PURPOSE_GROUP_ATTRIBUTES, bytes(sealed), f"{algorithm.pk}:{decision_id}")
        )
        yield DecisionWithGroups(index, decided_at, decode_entry(bytes(entry)), attributes)


class _Codes(dict[bytes, int]):
    """Distinct values numbered in the order first seen."""

    def __missing__(self, key: bytes) -> int:
        code = self[key] = len(self)
        return code


@dataclass(frozen=True)
class GroupAttributeColumns:
    """The columns of an algorithm's decisions that a bias check needs, oldest first, for aggregates only.

    Row ``i`` has the group attributes ``combinations[combination_codes[i]]``: a log holds few distinct
    combinations, so each is decoded once. ``outputs`` holds the entries' ``output`` values when asked for.
    """

    indexes: list[int]
    decisions: list[str | None]
    combination_codes: list[int]
    combinations: list[dict[str, Any]]
    outputs: list[Any]


def group_attribute_columns(
    *,
    algorithm: Algorithm,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    with_output: bool = False,
) -> GroupAttributeColumns:
    """What ``decisions_with_group_attributes`` gives, as columns, read in one query and decoded in bulk.

    A bias check over a million decisions must cost little more than reading them: one plain SQL query,
    one AES-GCM open per row with the keys looked up once, and each distinct attribute object parsed once.
    """
    quote = connection.ops.quote_name
    entry, group = quote(LogEntry._meta.db_table), quote(GroupAttributes._meta.db_table)
    columns = f"e.{quote('index')}, e.decision, e.decision_id, g.sealed" + (
        ", e.entry" if with_output else ""
    )
    conditions = ["e.algorithm_id = %s", "e.kind = %s"]
    params: list[Any] = [algorithm.pk, EntryKind.DECISION.value]
    for bound, operator in ((since, ">="), (until, "<")):
        if bound is not None:
            conditions.append(f"e.decided_at {operator} %s")
            params.append(connection.ops.adapt_datetimefield_value(bound))
    # Table and column names come from the models; every value is a parameter.
    sql = (
        f"SELECT {columns} FROM {group} g JOIN {entry} e ON e.id = g.entry_id "  # noqa: S608
        f"WHERE {' AND '.join(conditions)} ORDER BY e.{quote('index')}"
    )
    prefix = f"{algorithm.pk}:"
    code_of = _Codes()
    indexes: list[int] = []
    decisions: list[str | None] = []
    codes: list[int] = []
    outputs: list[Any] = []
    # The rows make many small objects at once: the cyclic garbage collector, triggered again and again by
    # them, would cost more than the decryption. Nothing here makes cycles, so it pauses for the read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _read_columns(sql, params, prefix, code_of, with_output, indexes, decisions, codes, outputs)
    finally:
        if collecting:
            gc.enable()
    combinations = [json.loads(plain) for plain in code_of]  # a dict keeps the order codes were given in
    return GroupAttributeColumns(indexes, decisions, codes, combinations, outputs)


def _read_columns(
    sql: str,
    params: list[Any],
    prefix: str,
    code_of: _Codes,
    with_output: bool,
    indexes: list[int],
    decisions: list[str | None],
    codes: list[int],
    outputs: list[Any],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20_000):
            columns_of_batch = list(zip(*rows, strict=True))
            plains = unseal_many(
                PURPOSE_GROUP_ATTRIBUTES, columns_of_batch[3], columns_of_batch[2], context_prefix=prefix
            )
            codes += map(code_of.__getitem__, plains)
            indexes += columns_of_batch[0]
            decisions += columns_of_batch[1]
            if with_output:
                outputs += [decode_entry(bytes(entry)).get("output") for entry in columns_of_batch[4]]


def later_fact_decisions(*, algorithm: Algorithm, since_index: int = 0) -> list[tuple[int, str]]:
    """(index of the decision referred to, the later fact's decision) of an algorithm, oldest first:
    e.g. the actual outcome of an investigation, for the ground truth of a bias check."""
    rows = (
        LogEntry.objects.filter(
            algorithm=algorithm,
            kind=EntryKind.LATER_FACT,
            refers_to_index__gte=since_index,
            decision__isnull=False,
        )
        .order_by("index")
        .values_list("refers_to_index", "decision")
    )
    return [
        (refers_to, decision)
        for refers_to, decision in rows
        if refers_to is not None and decision is not None
    ]

"""Writes to the decision log: appending decisions and the governance trail, checkpoints, keys, retention,
erasure, and the audit of every look at personal data.

Appends happen under the log's head-row lock (see ``storage.LockedLog``); everything else is an ordinary
service: keyword arguments, ``transaction.atomic``, and an ``audit_record`` that — through the audit sink
registered in ``apps.py`` — is itself appended to the organisation's log in the same transaction.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import math
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.core.audit import audit_record
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.decisionlog.canonical import canonical_json, commit_payload, encode_entry
from verantwoord.decisionlog.checkpoints import (
    Checkpoint as CheckpointText,
)
from verantwoord.decisionlog.checkpoints import (
    SigningKey,
    key_name_for_origin,
    sign_checkpoint,
)
from verantwoord.decisionlog.collector import collector_paused
from verantwoord.decisionlog.crypto import (
    PURPOSE_PSEUDONYM_SECRET,
    PURPOSE_SIGNING_KEY,
    Pseudonymiser,
    new_pseudonym_secret,
    normalise_subject,
    seal,
    unseal,
)
from verantwoord.decisionlog.forking import can_fork, made_in_child
from verantwoord.decisionlog.merkle import leaf_hash
from verantwoord.decisionlog.models import (
    AlgorithmAPIKey,
    Checkpoint,
    DecisionLog,
    EntryKind,
    Erasure,
    ErasureKind,
    GroupAttributes,
    LogEntry,
    LogSigningKey,
    PersonalPayload,
    RetentionPolicy,
)
from verantwoord.decisionlog.records import (
    KIND_LATER_FACT,
    PreparedRecord,
    RecordError,
    RecordPreparer,
    utc_text,
)
from verantwoord.decisionlog.storage import LockedLog, NewEntry
from verantwoord.register.models import Algorithm

DEFAULT_ORIGIN_HOST = "verantwoord.example"
API_KEY_PREFIX = "vwdl_"
# AI Act art. 26(6): deployers keep the logs of a high-risk system for at least six months.
RETENTION_MINIMUM_DAYS = 183
MAX_BATCH_RECORDS = 10_000
PURGE_CHUNK = 5_000
# How many index ranges an erasure entry lists before it gives their digest instead (entries ≤ 64 KiB).
MAX_LISTED_RANGES = 1_000
# Audit actions of this app whose log entry has its own kind; every other action is "governance".
ACTION_KINDS = {
    "decisionlog.erasure": EntryKind.ERASURE,
    "decisionlog.retention_purge": EntryKind.RETENTION,
}
_QUERY_CHUNK = 900  # below SQLite's oldest limit on bound parameters


# --- The log of an organisation ----------------------------------------------------------------------


def origin_host() -> str:
    configured: str | None = getattr(settings, "VERANTWOORD_LOG_ORIGIN_HOST", None)
    if configured:
        return configured
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host not in {"*", "localhost", "127.0.0.1", "[::1]", "testserver"}:
            return host
    return DEFAULT_ORIGIN_HOST


def decision_log_of(organisation: Organisation) -> DecisionLog:
    """The organisation's log, made on first use (safe against a concurrent first use)."""
    existing = DecisionLog.objects.filter(organisation_id=organisation.pk)[:1]
    if existing:
        return existing[0]
    origin = key_name_for_origin(f"{origin_host()}/{organisation.slug}")
    if DecisionLog.objects.filter(origin=origin).exists():  # the slug was another organisation's before
        origin = f"{origin}-{organisation.pk}"
    try:
        with transaction.atomic():
            return DecisionLog.objects.create(organisation_id=organisation.pk, origin=origin)
    except IntegrityError:
        return DecisionLog.objects.get(organisation_id=organisation.pk)


def pseudonymiser_for(log: DecisionLog) -> Pseudonymiser:
    """The organisation's subject pseudonymiser; its secret is made on first use and kept sealed."""
    if log.pseudonym_secret is None:
        with transaction.atomic():
            DecisionLog.objects.filter(pk=log.pk, pseudonym_secret__isnull=True).update(
                pseudonym_secret=seal(PURPOSE_PSEUDONYM_SECRET, new_pseudonym_secret(), str(log.pk))
            )
        log.refresh_from_db(fields=["pseudonym_secret"])
    assert log.pseudonym_secret is not None  # noqa: S101 — set just above
    return Pseudonymiser(unseal(PURPOSE_PSEUDONYM_SECRET, bytes(log.pseudonym_secret), str(log.pk)))


def pseudonym_of(*, organisation: Organisation, subject: str) -> str:
    return pseudonymiser_for(decision_log_of(organisation))(subject)


def _durable_commits() -> None:
    """On SQLite, fsync the WAL at this connection's commits: an acknowledged append survives power loss.

    The settings' synchronous=NORMAL already survives a killed process; only a lost OS could lose the last
    commits. Inside an outer transaction the caller's commit decides, and the pragma cannot change there.
    """
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = FULL")


# --- Appending decisions -------------------------------------------------------------------------------


@dataclass
class Duplicate:
    line: int
    decision_id: str
    index: int | None  # None when the earlier record is in the same request and was not appended

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "decisionId": self.decision_id, "index": self.index}


@dataclass
class AppendReport:
    """What became of a request's records. Accepted records got consecutive indexes in line order."""

    records: int = 0
    accepted: int = 0
    first_index: int | None = None
    tree_size: int = 0
    atomic: bool = False
    errors: list[RecordError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def last_index(self) -> int | None:
        return None if self.first_index is None else self.first_index + self.accepted - 1

    @property
    def rejected_lines(self) -> int:
        return len({error.line for error in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "accepted": self.accepted,
            "duplicates": [duplicate.as_json() for duplicate in self.duplicates],
            "rejected": self.rejected_lines,
            "errors": [error.as_json() for error in self.errors],
            "firstIndex": self.first_index,
            "lastIndex": self.last_index,
            "treeSize": self.tree_size,
            "atomic": self.atomic,
        }


def _existing_decisions(algorithm_id: int, decision_ids: Iterable[str]) -> dict[str, int]:
    wanted = list(dict.fromkeys(decision_ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _QUERY_CHUNK):
        rows = LogEntry.objects.filter(
            algorithm_id=algorithm_id, decision_id__in=wanted[start : start + _QUERY_CHUNK]
        ).values_list("decision_id", "index")
        found.update({decision_id: index for decision_id, index in rows if decision_id is not None})
    return found


@dataclass
class _PreparedBatch:
    """A batch validated and prepared outside the lock; ``records`` are what is left to append."""

    report: AppendReport
    records: list[PreparedRecord]
    log_id: int
    algorithm_id: int
    received_at: datetime.datetime
    api_key_id: int | None


@collector_paused()
def _batch_prepare(
    *,
    log_id: int,
    pseudonymise: Callable[[str], str],
    algorithm_id: int,
    records: Iterable[tuple[int, object]],
    source: str,
    atomic: bool,
    api_key_id: int | None = None,
    parse_errors: Sequence[RecordError] = (),
) -> _PreparedBatch:
    """Validation, pseudonyms, commitments and entries: no database access, so it may run in a child."""
    items = list(records)
    report = AppendReport(records=len(items) + len(parse_errors), atomic=atomic)
    report.errors.extend(parse_errors)
    received_at = timezone.now()
    preparer = RecordPreparer(
        algorithm_id=algorithm_id, source=source, pseudonymiser=pseudonymise, received_at=received_at
    )
    prepared, errors = preparer.prepare(items)
    report.errors.extend(errors)

    # A decision_id twice in one request: the first is the record, later ones are duplicates of it.
    unique: list[PreparedRecord] = []
    first_line: dict[str, PreparedRecord] = {}
    for record in prepared:
        if record.decision_id in first_line:
            report.duplicates.append(Duplicate(record.line, record.decision_id, None))
        else:
            first_line[record.decision_id] = record
            unique.append(record)
    return _PreparedBatch(report, unique, log_id, algorithm_id, received_at, api_key_id)


@collector_paused()
def _batch_append(batch: _PreparedBatch) -> AppendReport:
    """Under the log's lock: append the prepared records, in one transaction; returns after the commit."""
    report, unique = batch.report, batch.records
    if report.atomic and report.errors:
        report.tree_size = DecisionLog.objects.values_list("size", flat=True).get(pk=batch.log_id)
        report.errors.sort(key=lambda error: error.line)
        return report
    _durable_commits()
    with transaction.atomic():
        locked = LockedLog(batch.log_id)
        appended: list[PreparedRecord] | None = None
        first = locked.size
        if not any(record.refers_to is not None for record in unique):
            # The common case, new decisions only: insert at once, and let the unique index on
            # (algorithm, decision_id) catch a retry; only then look the duplicates up and append again.
            try:
                with transaction.atomic():
                    first = locked.append(unique)
                appended = unique
            except IntegrityError:
                appended = None
        if appended is None:
            appended = _sort_out(batch.algorithm_id, unique, locked.size, report)
            if report.atomic and report.errors:
                report.tree_size = locked.size
                report.errors.sort(key=lambda error: error.line)
                return report
            first = locked.append(appended)
        if batch.api_key_id is not None:
            AlgorithmAPIKey.objects.filter(pk=batch.api_key_id).update(last_used_at=batch.received_at)
    report.accepted = len(appended)
    report.first_index = first if appended else None
    report.tree_size = locked.size
    report.errors.sort(key=lambda error: error.line)
    report.duplicates.sort(key=lambda duplicate: duplicate.line)
    return report


def _log_for_appending(organisation: Organisation, algorithm: Algorithm) -> tuple[DecisionLog, Pseudonymiser]:
    if algorithm.organisation_id != organisation.pk:
        raise ValidationError(_("The algorithm belongs to another organisation."))
    log = decision_log_of(organisation)
    return log, pseudonymiser_for(log)


def decisions_append(
    *,
    organisation: Organisation,
    algorithm: Algorithm,
    records: Iterable[tuple[int, object]],
    source: str,
    atomic: bool = False,
    api_key: AlgorithmAPIKey | None = None,
    parse_errors: Sequence[RecordError] = (),
) -> AppendReport:
    """Validate and append (line number, record) pairs of one algorithm; see docs/decision-log.md.

    Valid records are appended and invalid ones reported with their line; with ``atomic`` one invalid
    record rejects the batch. A record whose decision_id the algorithm's log already holds is not appended
    again but reported as a duplicate with the index it has (retries are safe). Returns after the commit.
    """
    log, pseudonymise = _log_for_appending(organisation, algorithm)
    return _batch_append(
        _batch_prepare(
            log_id=log.pk,
            pseudonymise=pseudonymise,
            algorithm_id=algorithm.pk,
            records=records,
            source=source,
            atomic=atomic,
            api_key_id=None if api_key is None else api_key.pk,
            parse_errors=parse_errors,
        )
    )


def decisions_append_batches(
    *,
    organisation: Organisation,
    algorithm: Algorithm,
    batches: Iterable[tuple[Sequence[tuple[int, object]], Sequence[RecordError]]],
    source: str,
    atomic: bool = False,
) -> Iterator[AppendReport]:
    """:func:`decisions_append` over many batches of (records, parse errors), for bulk uploads: the report
    of each batch, in order, once that batch is committed.

    Where the OS can fork, a child process reads and prepares the batches (see ``forking``) while this
    process appends the one before, so a bulk upload uses two cores. Each batch is still its own
    transaction under the log's lock, as with one request. Inside a transaction of the caller everything
    stays in line, so that its commit decides for all of them.
    """
    log, pseudonymise = _log_for_appending(organisation, algorithm)

    def prepared() -> Iterator[_PreparedBatch]:
        for records, parse_errors in batches:
            yield _batch_prepare(
                log_id=log.pk,
                pseudonymise=pseudonymise,
                algorithm_id=algorithm.pk,
                records=records,
                source=source,
                atomic=atomic,
                parse_errors=parse_errors,
            )

    in_line = connection.in_atomic_block or not can_fork()
    for batch in prepared() if in_line else made_in_child(prepared):
        yield _batch_append(batch)


def _sort_out(
    algorithm_id: int, records: list[PreparedRecord], next_index: int, report: AppendReport
) -> list[PreparedRecord]:
    """Under the lock: drop what the log already holds (reported as duplicates), refuse references to
    decisions it does not hold, and give each later fact the index of the decision it is about."""
    known = {record.decision_id for record in records}
    existing = _existing_decisions(algorithm_id, known)
    references = {record.refers_to for record in records if record.refers_to is not None}
    referred = _existing_decisions(algorithm_id, references - known) | existing
    to_append: list[PreparedRecord] = []
    for record in records:
        if record.decision_id in existing:
            report.duplicates.append(Duplicate(record.line, record.decision_id, existing[record.decision_id]))
            continue
        if record.refers_to is not None:
            index = referred.get(record.refers_to)
            if index is None:
                report.errors.append(
                    RecordError(
                        record.line,
                        "refers_to",
                        f"this algorithm's log holds no earlier record with decision_id {record.refers_to!r}",
                    )
                )
                continue
            record.refers_to_index = index
        to_append.append(record)
        # A later record of this request may refer to this one: it gets the next index.
        referred[record.decision_id] = next_index + len(to_append) - 1
    return to_append


# --- The governance trail --------------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    """A value canonical JSON can hold: huge integers and non-finite numbers become text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 - 1 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return str(value)


def governance_entry_append(record: AuditRecord) -> None:
    """The audit sink: append an audit record to its organisation's log, in the record's transaction.

    The entry names the action, the object and the acting account; the names, the changes and the reason
    (personal data of staff and residents) form the payload, committed to by its salted digest. Records of
    no organisation (platform accounts and personal API tokens) stay in the audit table only.
    """
    organisation = record.organisation
    if organisation is None:
        return
    kind = ACTION_KINDS.get(record.action, EntryKind.GOVERNANCE)
    payload: dict[str, Any] = {
        "actor": record.actor_label,
        "object": record.object_label,
        "reason": record.reason,
    }
    fields: dict[str, Any] = {
        "action": record.action,
        "at": utc_text(record.at),
        "audit_record": record.pk,
        "kind": kind.value,
        "object_id": record.object_id,
        "object_type": record.object_type,
        "v": 1,
    }
    if record.actor_id is not None:
        fields["actor"] = record.actor_id
    if kind == EntryKind.GOVERNANCE:
        payload["changes"] = _json_safe(record.changes)
    else:
        # Erasures and purges describe themselves without personal data: which entries, under which rule.
        fields["details"] = _json_safe(record.changes)
    commitment = commit_payload(payload)
    fields["payload_digest"] = commitment.digest_hex
    entry = encode_entry(fields)
    try:
        locked = LockedLog(organisation_id=organisation.pk)
    except DecisionLog.DoesNotExist:
        locked = LockedLog(decision_log_of(organisation).pk)
    locked.append(
        [
            NewEntry(
                kind=kind.value,
                entry=entry,
                leaf_hash=leaf_hash(entry),
                audit_record_id=record.pk,
                salt=commitment.salt,
                payload=canonical_json(payload).decode("utf-8"),
            )
        ]
    )


# --- Signing keys and checkpoints ----------------------------------------------------------------------


def _key_context(log: DecisionLog, key_id: str) -> str:
    return f"{log.pk}:{key_id}"


def _new_signing_key(log: DecisionLog) -> LogSigningKey:
    signer = SigningKey.generate(log.origin)
    key_id = signer.key_id.hex()
    return LogSigningKey.objects.create(
        log=log,
        key_id=key_id,
        public_key=signer.public_key,
        sealed_private_key=seal(PURPOSE_SIGNING_KEY, signer.seed, _key_context(log, key_id)),
    )


def signer_for(log: DecisionLog, key: LogSigningKey) -> SigningKey:
    if key.sealed_private_key is None:
        raise ValueError(f"the private half of key {key.key_id} was destroyed when it was rotated out")
    seed = unseal(PURPOSE_SIGNING_KEY, bytes(key.sealed_private_key), _key_context(log, key.key_id))
    signer = SigningKey.from_seed(log.origin, seed)
    if signer.key_id.hex() != key.key_id or signer.public_key != bytes(key.public_key):
        raise ValueError(f"the stored private key {key.key_id} does not match its public key")
    return signer


def current_signing_key(*, log: DecisionLog) -> LogSigningKey:
    """The key new checkpoints are signed with; the first one is made (and audited) on first use."""
    key = LogSigningKey.objects.filter(log=log, retired_at__isnull=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        DecisionLog.objects.select_for_update().filter(pk=log.pk).first()
        key = LogSigningKey.objects.filter(log=log, retired_at__isnull=True).first()
        if key is None:
            key = _new_signing_key(log)
            audit_record(
                actor=None,
                action="decisionlog.signing_key_create",
                instance=key,
                organisation=log.organisation,
                changes={"key_id": [None, key.key_id]},
            )
        return key


def _sign(log: DecisionLog, signers: Sequence[SigningKey]) -> Checkpoint:
    size, root = DecisionLog.objects.values_list("size", "root_hash").get(pk=log.pk)
    note = sign_checkpoint(CheckpointText(log.origin, size, bytes(root)), signers)
    return Checkpoint.objects.create(log=log, size=size, root_hash=bytes(root), note=note.decode("utf-8"))


def checkpoint_create(*, log: DecisionLog, force: bool = False) -> Checkpoint | None:
    """Sign the log's current tree unless the latest checkpoint already covers it (or ``force``).

    Not audited: a checkpoint changes nothing and only commits to what is there; it is published instead.
    """
    key = current_signing_key(log=log)
    with transaction.atomic():
        size = DecisionLog.objects.values_list("size", flat=True).get(pk=log.pk)
        latest = Checkpoint.objects.filter(log=log).order_by("-size", "-id").first()
        if latest is not None and latest.size >= size and not force:
            return None
        return _sign(log, [signer_for(log, key)])


def checkpoints_make_due() -> str:
    """The worker's job: a checkpoint for every log that grew since its last one."""
    made = 0
    for log in DecisionLog.objects.select_related("organisation").order_by("pk"):
        if log.size and checkpoint_create(log=log) is not None:
            made += 1
    return f"{made} checkpoints signed"


@transaction.atomic
def signing_key_rotate(*, actor: User | None, log: DecisionLog, reason: str = "") -> LogSigningKey:
    """A new checkpoint key. The first checkpoint after it is signed by the old and the new key, which
    links them for whoever trusts the old one; then the old private key is destroyed. Old public keys stay
    published, so every earlier checkpoint remains verifiable."""
    old = current_signing_key(log=log)
    DecisionLog.objects.select_for_update().filter(pk=log.pk).first()
    old = LogSigningKey.objects.select_for_update().get(pk=old.pk)
    old_signer = signer_for(log, old)
    old.retired_at = timezone.now()
    old.save(update_fields=["retired_at"])
    new = _new_signing_key(log)
    audit_record(
        actor=actor,
        action="decisionlog.signing_key_rotate",
        instance=new,
        organisation=log.organisation,
        changes={"key_id": [old.key_id, new.key_id]},
        reason=reason,
    )
    _sign(log, [old_signer, signer_for(log, new)])
    old.sealed_private_key = None
    old.save(update_fields=["sealed_private_key"])
    return new


# --- API keys of algorithms ----------------------------------------------------------------------------


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(*, actor: User | None, algorithm: Algorithm, name: str) -> tuple[AlgorithmAPIKey, str]:
    """A key for one algorithm; returns it with the secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name, such as the system that will use it.")})
    raw_key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = AlgorithmAPIKey.objects.create(
        organisation_id=algorithm.organisation_id,
        algorithm=algorithm,
        name=name[:100],
        prefix=raw_key[:12],
        key_hash=api_key_hash(raw_key),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="decisionlog.api_key_create",
        instance=key,
        organisation=algorithm.organisation,
        changes={"name": [None, key.name], "algorithm": [None, algorithm.pk], "prefix": [None, key.prefix]},
    )
    return key, raw_key


@transaction.atomic
def api_key_revoke(*, actor: User | None, api_key: AlgorithmAPIKey, reason: str = "") -> AlgorithmAPIKey:
    api_key = (
        AlgorithmAPIKey.objects.select_for_update()
        .select_related("algorithm__organisation")
        .get(pk=api_key.pk)
    )
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="decisionlog.api_key_revoke",
            instance=api_key,
            organisation=api_key.algorithm.organisation,
            changes={"revoked_at": [None, api_key.revoked_at.isoformat()]},
            reason=reason,
        )
    return api_key


def api_key_authenticate(raw_key: str) -> AlgorithmAPIKey | None:
    """The active key with this secret (its algorithm and organisation loaded), or None."""
    if not raw_key.startswith(API_KEY_PREFIX):
        return None
    return (
        AlgorithmAPIKey.objects.select_related("algorithm", "organisation")
        .filter(key_hash=api_key_hash(raw_key), revoked_at__isnull=True)
        .first()
    )


# --- Retention -----------------------------------------------------------------------------------------


def retention_days_of(algorithm: Algorithm) -> int:
    policy = RetentionPolicy.objects.filter(algorithm=algorithm).first()
    return policy.retention_days if policy else RETENTION_MINIMUM_DAYS


@transaction.atomic
def retention_set(
    *, actor: User | None, algorithm: Algorithm, days: int, reason: str = ""
) -> RetentionPolicy:
    log = decision_log_of(algorithm.organisation)
    if days < RETENTION_MINIMUM_DAYS:
        raise ValidationError(
            {
                "retention_days": _(
                    "Decision logs are kept at least %(days)s days (six months, AI Act article 26(6))."
                )
                % {"days": RETENTION_MINIMUM_DAYS}
            }
        )
    if log.max_retention_days is not None and days > log.max_retention_days:
        raise ValidationError(
            {
                "retention_days": _("The organisation's policy allows at most %(days)s days.")
                % {"days": log.max_retention_days}
            }
        )
    before = retention_days_of(algorithm)
    policy, _created = RetentionPolicy.objects.update_or_create(
        algorithm=algorithm, defaults={"retention_days": days}
    )
    if before != days:
        audit_record(
            actor=actor,
            action="decisionlog.retention_set",
            instance=algorithm,
            organisation=algorithm.organisation,
            changes={"retention_days": [before, days]},
            reason=reason,
        )
    return policy


@transaction.atomic
def log_settings_update(
    *, actor: User | None, log: DecisionLog, max_retention_days: int | None, reason: str = ""
) -> DecisionLog:
    """The organisation's maximum retention; no algorithm may then keep its decisions longer."""
    log = DecisionLog.objects.select_for_update().select_related("organisation").get(pk=log.pk)
    if max_retention_days is not None:
        if max_retention_days < RETENTION_MINIMUM_DAYS:
            raise ValidationError(
                {
                    "max_retention_days": _("The maximum cannot be below the legal minimum of %(days)s days.")
                    % {"days": RETENTION_MINIMUM_DAYS}
                }
            )
        longer = RetentionPolicy.objects.filter(
            algorithm__organisation=log.organisation, retention_days__gt=max_retention_days
        ).select_related("algorithm")
        if longer:
            raise ValidationError(
                {
                    "max_retention_days": _("These algorithms keep their decisions longer: %(names)s.")
                    % {"names": ", ".join(policy.algorithm.name for policy in longer)}
                }
            )
    if log.max_retention_days != max_retention_days:
        before = log.max_retention_days
        log.max_retention_days = max_retention_days
        log.save(update_fields=["max_retention_days", "updated_at"])
        audit_record(
            actor=actor,
            action="decisionlog.settings_update",
            instance=log,
            organisation=log.organisation,
            changes={"max_retention_days": [before, max_retention_days]},
            reason=reason,
        )
    return log


def _ranges(indexes: Iterable[int]) -> list[list[int]]:
    """Sorted indexes as inclusive [first, last] runs."""
    runs: list[list[int]] = []
    for index in sorted(indexes):
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return runs


def _erased_entries_detail(indexes: Sequence[int]) -> dict[str, Any]:
    runs = _ranges(indexes)
    if len(runs) <= MAX_LISTED_RANGES:
        return {"entries": runs}
    return {"entries_sha256": hashlib.sha256(canonical_json(runs)).hexdigest()}


def _erase(entry_ids: Sequence[int], erasure: Erasure, now: datetime.datetime) -> None:
    for start in range(0, len(entry_ids), _QUERY_CHUNK):
        chunk = entry_ids[start : start + _QUERY_CHUNK]
        PersonalPayload.objects.filter(entry_id__in=chunk).update(
            salt=None, payload=None, erased_at=now, erasure=erasure
        )
        GroupAttributes.objects.filter(entry_id__in=chunk).delete()
        LogEntry.objects.filter(id__in=chunk).update(pseudonym=None)


def retention_purge(*, now: datetime.datetime | None = None, chunk: int = PURGE_CHUNK) -> list[Erasure]:
    """Erase the payloads of decisions past their algorithm's retention period; each batch is logged."""
    now = now or timezone.now()
    erasures: list[Erasure] = []
    algorithm_ids = (
        LogEntry.objects.filter(algorithm__isnull=False).values_list("algorithm_id", flat=True).distinct()
    )
    for algorithm in Algorithm.objects.filter(pk__in=list(algorithm_ids)).select_related("organisation"):
        days = retention_days_of(algorithm)
        cutoff = now - datetime.timedelta(days=days)
        log = decision_log_of(algorithm.organisation)
        while True:
            with transaction.atomic():
                due = list(
                    PersonalPayload.objects.filter(
                        entry__algorithm=algorithm, entry__decided_at__lt=cutoff, erased_at__isnull=True
                    )
                    .order_by("entry__index")
                    .values_list("entry_id", "entry__index")[:chunk]
                )
                if not due:
                    break
                erasure = Erasure.objects.create(
                    log=log,
                    kind=ErasureKind.RETENTION,
                    algorithm=algorithm,
                    cutoff=cutoff,
                    entry_count=len(due),
                )
                _erase([entry_id for entry_id, _index in due], erasure, now)
                audit_record(
                    actor=None,
                    action="decisionlog.retention_purge",
                    instance=erasure,
                    organisation=algorithm.organisation,
                    changes={
                        "algorithm": algorithm.pk,
                        "retention_days": days,
                        "decided_before": utc_text(cutoff),
                        "count": len(due),
                        **_erased_entries_detail([index for _entry_id, index in due]),
                    },
                )
                erasures.append(erasure)
            if len(due) < chunk:
                break
    return erasures


def retention_purge_job() -> str:
    erasures = retention_purge()
    return f"{sum(erasure.entry_count for erasure in erasures)} payloads past retention erased"


# --- Erasure of a subject (GDPR art. 17) -----------------------------------------------------------------


@transaction.atomic
def subject_erase(
    *, actor: User | None, organisation: Organisation, subject: str, reference: str, reason: str = ""
) -> Erasure:
    """Erase every payload about ``subject`` (and of later facts about those decisions); the tree, every
    checkpoint and every proof stay valid. The subject is pseudonymised and not stored; the erasure is
    recorded with its reference and the erased indexes, and appended to the log itself."""
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Give the case number of the erasure request.")})
    if not normalise_subject(subject):
        raise ValidationError({"subject": _("Enter the citizen service number or other identifier.")})
    log = decision_log_of(organisation)
    pseudonym = pseudonymiser_for(log)(subject)
    found = list(LogEntry.objects.filter(log=log, pseudonym=pseudonym).values_list("id", "index"))
    indexes = {index for _id, index in found}
    entry_ids = {entry_id for entry_id, _index in found}
    if indexes:
        for entry_id, index in LogEntry.objects.filter(
            log=log, kind=KIND_LATER_FACT, refers_to_index__in=list(indexes)
        ).values_list("id", "index"):
            entry_ids.add(entry_id)
            indexes.add(index)
    # Only what still holds data counts as erased now (an earlier request may have erased some).
    live = list(
        PersonalPayload.objects.filter(entry_id__in=list(entry_ids), erased_at__isnull=True).values_list(
            "entry_id", "entry__index"
        )
    )
    erasure = Erasure.objects.create(
        log=log, kind=ErasureKind.REQUEST, reference=reference[:100], entry_count=len(live), actor=actor
    )
    _erase([entry_id for entry_id, _index in live], erasure, timezone.now())
    LogEntry.objects.filter(id__in=list(entry_ids)).update(pseudonym=None)
    audit_record(
        actor=actor,
        action="decisionlog.erasure",
        instance=erasure,
        organisation=organisation,
        changes={
            "reference": reference[:100],
            "count": len(live),
            **_erased_entries_detail([index for _entry_id, index in live]),
        },
        reason=reason,
    )
    return erasure


# --- Looking at personal data is itself recorded ----------------------------------------------------------


@transaction.atomic
def personal_data_view_record(
    *, actor: User, log: DecisionLog, indexes: Sequence[int], purpose: str = ""
) -> None:
    """Record that ``actor`` saw the personal payload of these entries (in the trail, hence the log)."""
    audit_record(
        actor=actor,
        action="decisionlog.personal_data_view",
        instance=log,
        organisation=log.organisation,
        changes={"entries": _ranges(indexes)},
        reason=purpose,
    )


@transaction.atomic
def subject_search(
    *, actor: User, organisation: Organisation, subject: str, purpose: str = ""
) -> list[LogEntry]:
    """The entries about a subject (a BSN entered by staff): the BSN is pseudonymised, never stored, and
    the search — not the number — is recorded."""
    log = decision_log_of(organisation)
    pseudonym = pseudonymiser_for(log)(subject)
    entries = list(
        LogEntry.objects.filter(log=log, pseudonym=pseudonym)
        .select_related("algorithm")
        .order_by("-index")[:500]
    )
    audit_record(
        actor=actor,
        action="decisionlog.subject_search",
        instance=log,
        organisation=organisation,
        changes={"results": len(entries), "entries": _ranges(entry.index for entry in entries)},
        reason=purpose,
    )
    return entries


def encode_hash(value: bytes) -> str:
    """Hashes are given in base64 everywhere, as in checkpoints and tiles."""
    return base64.b64encode(bytes(value)).decode("ascii")

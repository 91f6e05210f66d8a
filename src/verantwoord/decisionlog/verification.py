"""``verantwoord log verify``: check the live database the way ``verantwoord-verify`` checks a bundle.

Everything is recomputed from the stored entry bytes — leaf hashes, every stored tree node, the head's root
and compact range — and every checkpoint ever signed must verify with the log's published keys and sign the
root the entries give at its size. Payload and group-attribute digests are checked against the entries,
and every emptied payload must be accounted for by an erasure. Each problem is named precisely.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from verantwoord.decisionlog.canonical import (
    PAYLOAD_DIGEST_FIELD,
    CanonicalJSONError,
    canonical_json,
    decode_entry,
)
from verantwoord.decisionlog.checkpoints import NoteError, VerifierKey, open_checkpoint
from verantwoord.decisionlog.crypto import PURPOSE_GROUP_ATTRIBUTES, SealError, unseal
from verantwoord.decisionlog.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    LEAF_PREFIX,
    MemoryNodeStore,
    root_at,
    root_nodes,
)
from verantwoord.decisionlog.models import (
    NODE_INDEX_BITS,
    STORED_NODE_MIN_LEVEL,
    Checkpoint,
    DecisionLog,
    LogEntry,
    LogNode,
    LogSigningKey,
)
from verantwoord.decisionlog.services import signer_for

MAX_PROBLEMS_SHOWN = 50
GROUP_DIGEST_FIELD = "group_digest"


@dataclass
class Check:
    name: str
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    hidden: int = 0

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(problem)
        else:
            self.hidden += 1

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LogVerifyReport:
    origin: str
    tree_size: int
    root_hash: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> Check:
        found = Check(name)
        self.checks.append(found)
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "origin": self.origin,
            "treeSize": self.tree_size,
            "rootHash": self.root_hash,
            "checks": [
                {
                    "name": check.name,
                    "ok": check.ok,
                    "summary": check.summary,
                    "problems": check.problems,
                    "moreProblems": check.hidden,
                }
                for check in self.checks
            ],
            "errors": [f"{check.name}: {problem}" for check in self.checks for problem in check.problems],
        }

    def as_text(self) -> list[str]:
        lines = []
        for check in self.checks:
            if check.ok:
                lines.append(f"ok   {check.name}: {check.summary}")
            for problem in check.problems:
                lines.append(f"FAIL {check.name}: {problem}")
            if check.hidden:
                lines.append(f"FAIL {check.name}: … and {check.hidden} more")
        lines.append(
            f"{'INTACT' if self.intact else 'NOT INTACT'}: {self.origin}, {self.tree_size} entries, root {self.root_hash}"
        )
        return lines


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _check_payload(
    index: int,
    fields: dict[str, Any],
    salt: Any,
    payload: str | None,
    erased_at: Any,
    has_row: bool,
    check: Check,
) -> None:
    digest = fields.get(PAYLOAD_DIGEST_FIELD)
    if digest is None:
        if has_row:
            check.add(f"entry {index} carries no {PAYLOAD_DIGEST_FIELD}, yet has a payload row")
        return
    if not has_row:
        check.add(
            f"entry {index} commits to a payload, but its payload row is gone (deleted outside an erasure)"
        )
        return
    if payload is None or salt is None:
        if erased_at is None or payload is not None or salt is not None:
            check.add(f"entry {index}: its payload was emptied without an erasure being recorded")
        return
    data = payload.encode("utf-8")
    try:
        canonical = canonical_json(json.loads(data))
    except (ValueError, CanonicalJSONError) as error:
        check.add(f"entry {index}: its payload is not canonical JSON ({error})")
        return
    if canonical != data:
        check.add(f"entry {index}: its payload is not in canonical form")
    if hashlib.sha256(bytes(salt) + data).hexdigest() != digest:
        check.add(
            f"entry {index}: the payload does not hash to the entry's {PAYLOAD_DIGEST_FIELD} (payload altered)"
        )


def _check_group(
    index: int,
    fields: dict[str, Any],
    group_salt: Any,
    sealed: Any,
    payload_erased: bool,
    check: Check,
) -> None:
    digest = fields.get(GROUP_DIGEST_FIELD)
    if sealed is None:
        if digest is not None and not payload_erased:
            check.add(f"entry {index}: its group attributes are gone, but its payload was not erased")
        return
    if digest is None:
        check.add(f"entry {index} has group attributes but its entry commits to none")
        return
    try:
        data = unseal(
            PURPOSE_GROUP_ATTRIBUTES, bytes(sealed), f"{fields.get('algorithm')}:{fields.get('decision_id')}"
        )
    except SealError as error:
        check.add(f"entry {index}: {error}")
        return
    if hashlib.sha256(bytes(group_salt) + data).hexdigest() != digest:
        check.add(
            f"entry {index}: the group attributes do not hash to the entry's {GROUP_DIGEST_FIELD} (altered)"
        )


def log_verify(*, log: DecisionLog) -> LogVerifyReport:
    log = DecisionLog.objects.get(pk=log.pk)
    head_size = log.size
    report = LogVerifyReport(origin=log.origin, tree_size=head_size)
    entries_check, payload_check = report.check("entries"), report.check("payloads")

    leaves = bytearray()
    expected = 0
    sha256 = hashlib.sha256
    rows = (
        LogEntry.objects.filter(log=log)
        .order_by("index")
        .values_list(
            "index",
            "entry",
            "leaf_hash",
            "personal_payload__entry_id",
            "personal_payload__salt",
            "personal_payload__payload",
            "personal_payload__erased_at",
            "group_attributes__salt",
            "group_attributes__sealed",
        )
    )
    for index, entry, stored_leaf, payload_row, salt, payload, erased_at, group_salt, sealed in rows.iterator(
        chunk_size=5000
    ):
        if index != expected:
            if index > expected:
                entries_check.add(f"entries {expected} to {index - 1} are missing: deleted from the log")
            expected = index
        entry = bytes(entry)
        leaf = sha256(LEAF_PREFIX + entry).digest()
        if leaf != bytes(stored_leaf):
            entries_check.add(f"entry {index}: its bytes do not hash to its stored leaf hash (entry altered)")
        try:
            fields = decode_entry(entry)
        except CanonicalJSONError as error:
            entries_check.add(f"entry {index} is not a canonical JSON object: {error}")
            fields = {}
        leaves += leaf
        expected += 1
        has_row = payload_row is not None
        _check_payload(index, fields, salt, payload, erased_at, has_row, payload_check)
        _check_group(index, fields, group_salt, sealed, has_row and payload is None, payload_check)
    count = len(leaves) // HASH_SIZE
    if count != head_size:
        entries_check.add(f"the log's head says {head_size} entries; {count} are stored")
    entries_check.summary = (
        f"{count} entries, indexes 0 to {count - 1} without gaps, each hashing to its leaf"
    )
    payload_check.summary = (
        "every payload hashes to its entry's digest; every emptied payload has its erasure"
    )

    tree_check = report.check("tree")
    store = MemoryNodeStore.from_leaf_hashes(leaves)
    root = root_at(count, store) if count else EMPTY_ROOT
    report.root_hash = _b64(root)
    if bytes(log.root_hash) != root:
        tree_check.add(
            f"the head's root hash {_b64(bytes(log.root_hash))} is not the root of the entries {_b64(root)}"
        )
    border = b"".join(store.get_nodes(root_nodes(count))) if count else b""
    if bytes(log.border) != border:
        tree_check.add(
            "the head's compact range is not that of the entries: the next append would corrupt the tree"
        )
    stored_nodes = 0
    for node, value in (
        LogNode.objects.filter(log=log).order_by("key").values_list("key", "hash").iterator(chunk_size=10_000)
    ):
        level, node_index = node >> NODE_INDEX_BITS, node & ((1 << NODE_INDEX_BITS) - 1)
        stored_nodes += 1
        try:
            [recomputed] = store.get_nodes([(level, node_index)])
        except KeyError:
            tree_check.add(f"stored node ({level}, {node_index}) lies outside a tree of {count} entries")
            continue
        if recomputed != bytes(value):
            tree_check.add(
                f"stored node ({level}, {node_index}) differs from the entries: proofs would be wrong"
            )
    wanted = sum(count >> level for level in range(STORED_NODE_MIN_LEVEL, max(count.bit_length(), 1)))
    if stored_nodes != wanted:
        tree_check.add(f"{stored_nodes} tree nodes are stored where the entries make {wanted}")
    tree_check.summary = f"root {report.root_hash}; head, compact range and {stored_nodes} stored nodes agree"

    keys_check = report.check("keys")
    keys = list(LogSigningKey.objects.filter(log=log).order_by("created_at", "id"))
    verifiers: list[VerifierKey] = []
    for key in keys:
        try:
            verifier = VerifierKey(name=log.origin, public_key=bytes(key.public_key))
        except NoteError as error:
            keys_check.add(f"key {key.key_id}: {error}")
            continue
        if verifier.key_id.hex() != key.key_id:
            keys_check.add(f"key {key.key_id}: its ID is not that of its public key")
        verifiers.append(verifier)
    current = [key for key in keys if key.retired_at is None]
    if keys and len(current) != 1:
        keys_check.add(f"{len(current)} current signing keys; there must be exactly one")
    for key in current:
        try:
            signer_for(log, key)
        except (SealError, ValueError) as error:
            keys_check.add(f"the current key {key.key_id} cannot sign: {error}")
    keys_check.summary = f"{len(keys)} key(s), {len(current)} current"

    checkpoints_check = report.check("checkpoints")
    checkpoints = list(Checkpoint.objects.filter(log=log).order_by("size", "id"))
    for checkpoint in checkpoints:
        label = f"checkpoint {checkpoint.pk} (size {checkpoint.size})"
        try:
            signed, _by = open_checkpoint(checkpoint.note.encode("utf-8"), verifiers, origin=log.origin)
        except NoteError as error:
            checkpoints_check.add(f"{label}: {error}")
            continue
        if (signed.size, signed.root_hash) != (checkpoint.size, bytes(checkpoint.root_hash)):
            checkpoints_check.add(f"{label}: the stored size or root differs from what the note signs")
        if signed.size > count:
            checkpoints_check.add(
                f"{label}: it signs {signed.size} entries, the log holds {count}: the log was truncated or rolled back"
            )
            continue
        expected_root = root_at(signed.size, store) if signed.size else EMPTY_ROOT
        if signed.root_hash != expected_root:
            checkpoints_check.add(
                f"{label}: it signs root {_b64(signed.root_hash)}, the entries give {_b64(expected_root)} at that "
                "size: entries before it were changed, inserted, removed or reordered"
            )
    checkpoints_check.summary = (
        f"{len(checkpoints)} checkpoint(s), each signed by a published key over the root the entries give"
    )
    return report

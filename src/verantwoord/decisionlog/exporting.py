"""``verantwoord log export``: the log as a self-contained bundle that ``verantwoord-verify`` checks.

The bundle (see ``tiles``) holds the latest checkpoint, every public key the log ever used, the tree's
hashes as C2SP tiles, the entries exactly as hashed, the personal payloads with their salts (erased ones as
``{"erased":true}`` only; leave them out with ``payloads=False``) and a manifest. Every earlier checkpoint is
added under ``checkpoints/``, so an auditor can check with ``--consistency`` that the log only ever grew.
Group attributes (special-category data) are never exported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from verantwoord.decisionlog.checkpoints import VerifierKey
from verantwoord.decisionlog.models import Checkpoint, DecisionLog, LogSigningKey, PersonalPayload
from verantwoord.decisionlog.services import checkpoint_create
from verantwoord.decisionlog.storage import DatabaseNodeStore, LazyEntries
from verantwoord.decisionlog.tiles import PayloadRecord, PublishedKey, export_bundle


class NothingToExportError(ValueError):
    """The log has no checkpoint (and none was to be made)."""


def _payload_records(log: DecisionLog, size: int) -> Iterator[PayloadRecord]:
    rows = (
        PersonalPayload.objects.filter(entry__log=log, entry__index__lt=size)
        .order_by("entry__index")
        .values_list("entry__index", "salt", "payload")
    )
    for index, salt, payload in rows.iterator(chunk_size=5000):
        if payload is None or salt is None:
            yield PayloadRecord(index)
        else:
            yield PayloadRecord(index, bytes(salt), json.loads(payload))


def log_export(
    *, log: DecisionLog, directory: Path, payloads: bool = True, fresh_checkpoint: bool = True
) -> dict[str, Any]:
    """Write the bundle into ``directory`` (new or empty); returns its manifest.

    With ``fresh_checkpoint`` a checkpoint is signed first when the log grew since the last one, so the
    bundle covers every entry; otherwise it covers the latest existing checkpoint.
    """
    if fresh_checkpoint:
        checkpoint_create(log=log)
    checkpoints = list(Checkpoint.objects.filter(log=log).order_by("size", "id"))
    if not checkpoints:
        raise NothingToExportError(f"the log {log.origin} has no checkpoint yet")
    latest = max(checkpoints, key=lambda item: (item.size, item.pk))
    keys = [
        PublishedKey(
            VerifierKey(name=log.origin, public_key=bytes(key.public_key)),
            "current" if key.retired_at is None else "rotated",
        )
        for key in LogSigningKey.objects.filter(log=log).order_by("created_at", "id")
    ]
    earlier = {
        f"checkpoints/{item.size:012d}-{item.pk}": item.note.encode("utf-8")
        for item in checkpoints
        if item.pk != latest.pk
    }
    return export_bundle(
        directory,
        entries=LazyEntries(log.pk, latest.size),
        checkpoint_note=latest.note.encode("utf-8"),
        keys=keys,
        payloads=_payload_records(log, latest.size) if payloads else None,
        store=DatabaseNodeStore(log.pk, latest.size),
        extra_files=earlier,
    )

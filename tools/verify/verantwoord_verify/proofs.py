"""Single proofs: an entry's inclusion, and consistency with another signed checkpoint."""

from __future__ import annotations

import base64

from .bundle import Bundle
from .merkle import consistency_plan, inclusion_plan, leaf_hash, verify_consistency, verify_inclusion
from .notes import Checkpoint, Key, check_signatures, describe_signers, parse_checkpoint
from .report import Report, VerifyError
from .tiles import TILE_WIDTH, LevelNodes, TileNodes, decode_bundle, resolve, tile_path


def check_inclusion(
    bundle: Bundle, checkpoint: Checkpoint, index: int, nodes: TileNodes | LevelNodes, report: Report
) -> None:
    size = checkpoint.size
    name = f"inclusion of entry {index}"
    if not 0 <= index < size:
        report.record(name, [f"entry {index} is outside the signed tree of size {size}"], "")
        return
    path = tile_path("entries", index // TILE_WIDTH, min(TILE_WIDTH, size - index // TILE_WIDTH * TILE_WIDTH))
    try:
        entries = decode_bundle(bundle.read(path) or b"", path)
        if len(entries) <= index % TILE_WIDTH:
            raise VerifyError(f"{path} does not hold entry {index}")
        leaf = leaf_hash(entries[index % TILE_WIDTH])
        proof = resolve(inclusion_plan(index, size), nodes)
        report.facts.setdefault("inclusion", []).append(
            {
                "index": index,
                "tree_size": size,
                "leaf_hash": base64.b64encode(leaf).decode(),
                "proof": [base64.b64encode(p).decode() for p in proof],
            }
        )
        verify_inclusion(leaf, index, size, proof, checkpoint.root)
    except VerifyError as error:
        report.record(name, [f"entry {index} is not proven in the signed tree: {error}"], "")
        return
    report.record(name, [], f"audit path of {len(proof)} hashes leads to the signed root")


def check_consistency(
    source: str,
    data: bytes,
    checkpoint: Checkpoint,
    keys: list[Key],
    nodes: TileNodes | LevelNodes,
    report: Report,
) -> None:
    name = f"consistency with {source}"
    try:
        old = parse_checkpoint(data)
        if not check_signatures(old.body, old.signatures, keys):
            raise VerifyError(
                f"it carries no valid signature by a known key (signed by {describe_signers(old.signatures)})"
            )
        if old.origin != checkpoint.origin:
            raise VerifyError(f"it is for origin {old.origin!r}, the bundle for {checkpoint.origin!r}")
        if old.size > checkpoint.size:
            raise VerifyError(
                f"it has tree size {old.size}, the bundle only {checkpoint.size}: the log was rolled back "
                "(an older tree is presented after a newer one was signed)"
            )
        if old.size == checkpoint.size and old.root != checkpoint.root:
            raise VerifyError(f"both sign tree size {old.size} with different roots: the log forked")
        proof = resolve(consistency_plan(old.size, checkpoint.size), nodes)
        report.facts.setdefault("consistency", []).append(
            {
                "checkpoint": source,
                "old_size": old.size,
                "proof": [base64.b64encode(p).decode() for p in proof],
            }
        )
        verify_consistency(old.size, checkpoint.size, proof, old.root, checkpoint.root)
    except VerifyError as error:
        report.record(name, [str(error)], "")
        return
    report.record(name, [], f"the bundle's tree of size {checkpoint.size} extends the one of size {old.size}")

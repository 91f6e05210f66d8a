"""The bundle's files, its manifest, its keys and its signed checkpoint."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from .notes import Checkpoint, Key, check_signatures, describe_signers, parse_checkpoint, parse_key
from .report import Report, VerifyError

BUNDLE_FORMAT = "verantwoord-decisionlog-bundle/1"


class Bundle:
    """The files of a bundle, each read once (its bytes feed the manifest check and the parsing)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Symlinks are listed (so they show up as unexpected) but never followed: a bundle is
        # plain files, and a link could point anywhere.
        self.paths = sorted(
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.is_file() or path.is_symlink()
        )
        self._readable = {p for p in self.paths if not (root / p).is_symlink()}
        self._cache: dict[str, bytes] = {}

    def read(self, relative: str) -> bytes | None:
        """A file's bytes; None if the bundle has no such plain file (names from the manifest
        or a proof cannot reach outside the bundle)."""
        if relative not in self._readable:
            return None
        if relative not in self._cache:
            self._cache[relative] = (self.root / relative).read_bytes()
        return self._cache[relative]


def check_manifest(bundle: Bundle, report: Report) -> dict[str, Any] | None:
    raw = bundle.read("manifest.json")
    if raw is None:
        report.record("manifest", ["manifest.json is missing"], "")
        return None
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        report.record("manifest", [f"manifest.json is not JSON: {error}"], "")
        return None
    problems = []
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or not isinstance(files, dict)
        or manifest.get("format") != BUNDLE_FORMAT
    ):
        report.record("manifest", [f"manifest.json is not a {BUNDLE_FORMAT} manifest"], "")
        return None
    for relative, expected in sorted(files.items()):
        data = bundle.read(relative)
        if data is None:
            problems.append(f"{relative} is listed but missing")
        elif hashlib.sha256(data).hexdigest() != expected:
            problems.append(
                f"{relative} has SHA-256 {hashlib.sha256(data).hexdigest()}, the manifest lists {expected}"
            )
    for relative in bundle.paths:
        if relative != "manifest.json" and relative not in files:
            problems.append(f"{relative} is not listed in the manifest (added after export?)")
    report.record("manifest", problems, f"{len(files)} files, each with the SHA-256 the manifest lists")
    checked: dict[str, Any] = manifest
    return checked


def load_bundle_keys(bundle: Bundle, manifest: dict[str, Any] | None, report: Report) -> list[Key]:
    problems, keys = [], []
    for relative in bundle.paths:
        if not relative.startswith("keys/"):
            continue
        try:
            key = parse_key((bundle.read(relative) or b"").decode("utf-8", "replace"), relative)
        except VerifyError as error:
            problems.append(str(error))
            continue
        if relative != f"keys/{key.key_id.hex()}.vkey":
            problems.append(
                f"{relative} holds key {key.key_id.hex()}: the file name does not match its key ID"
            )
        keys.append(key)
    listed = {item.get("key") for item in (manifest or {}).get("keys", []) if isinstance(item, dict)}
    for key in keys:
        encoded = base64.b64encode(b"\x01" + key.public_key).decode()
        text = f"{key.name}+{key.key_id.hex()}+{encoded}"
        if manifest is not None and text not in listed:
            problems.append(f"{key.source}: key {key.key_id.hex()} is not among the manifest's keys")
    if not keys:
        problems.append("keys/ holds no verifier key")
    report.record("keys", problems, f"{len(keys)} published key(s), key IDs as signed-note computes them")
    return keys


def check_checkpoint(
    bundle: Bundle, manifest: dict[str, Any] | None, keys: list[Key], trusted: list[Key], report: Report
) -> Checkpoint | None:
    raw = bundle.read("checkpoint")
    if raw is None:
        report.record("checkpoint", ["the checkpoint file is missing"], "")
        return None
    try:
        checkpoint = parse_checkpoint(raw)
    except VerifyError as error:
        report.record("checkpoint", [f"malformed: {error}"], "")
        return None
    report.facts.update(
        origin=checkpoint.origin,
        tree_size=checkpoint.size,
        root_hash=base64.b64encode(checkpoint.root).decode(),
    )
    problems = []
    try:
        by_bundle = check_signatures(checkpoint.body, checkpoint.signatures, keys)
        if not by_bundle:
            problems.append(
                "no valid signature by any key in keys/ (signed by "
                f"{describe_signers(checkpoint.signatures)}): the public key was swapped or the checkpoint re-signed"
            )
        by_trusted = check_signatures(checkpoint.body, checkpoint.signatures, trusted)
        if trusted and not by_trusted:
            problems.append(
                f"not signed by the trusted key {', '.join(k.label() for k in trusted)}; signed by "
                f"{describe_signers(checkpoint.signatures)}: forged or re-signed with another key"
            )
    except VerifyError as error:
        problems.append(str(error))
    if manifest is not None:
        claimed = (manifest.get("origin"), manifest.get("tree_size"), manifest.get("root_hash"))
        signed = (checkpoint.origin, checkpoint.size, report.facts["root_hash"])
        if claimed != signed:
            problems.append(f"the manifest says origin/size/root {claimed}, the signed checkpoint {signed}")
    if any(key.name != checkpoint.origin for key in keys):
        report.warnings.append("a published key's name differs from the checkpoint origin")
    if not trusted:
        report.warnings.append(
            "no --key given: the signature was checked only against the bundle's own keys/, "
            "which whoever altered the bundle could have replaced"
        )
    report.record("checkpoint", problems, f"signed by {describe_signers(checkpoint.signatures)}")
    return checkpoint

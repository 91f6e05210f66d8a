"""C2SP signed notes and checkpoints with Ed25519 keys (c2sp.org/signed-note, tlog-checkpoint)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .merkle import HASH_SIZE
from .report import VerifyError


@dataclass(frozen=True)
class Key:
    name: str
    public_key: bytes
    source: str

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(self.name.encode() + b"\n\x01" + self.public_key).digest()[:4]

    def label(self) -> str:
        return f"{self.name} ({self.key_id.hex()}, {self.source})"

    def verifies(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise VerifyError(f"{what} is not base64") from error


def _check_name(name: str) -> None:
    if not name or "+" in name or any(ch.isspace() or ord(ch) < 0x20 for ch in name):
        raise VerifyError(f"key name {name!r} is empty or contains a space, '+' or control character")


def parse_key(text: str, source: str) -> Key:
    """A verifier key ``<name>+<hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 key)>``."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise VerifyError(f"{source}: not a verifier key <name>+<8 hex digits>+<base64>")
    _check_name(parts[0])
    raw = _b64(parts[2], f"{source}: the key")
    if len(raw) != 33 or raw[0] != 0x01:
        raise VerifyError(f"{source}: not an Ed25519 verifier key (type 0x01, 32 bytes)")
    key = Key(parts[0], raw[1:], source)
    if key.key_id.hex() != parts[1]:
        raise VerifyError(
            f"{source}: key ID {parts[1]} is not SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4] = {key.key_id.hex()}"
        )
    return key


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


def parse_note(data: bytes) -> tuple[bytes, list[Signature]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise VerifyError("not UTF-8") from error
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise VerifyError("contains a control character")
    split = text.rfind("\n\n")
    if split < 0 or not text.endswith("\n"):
        raise VerifyError("no blank line between text and signatures, or no final newline")
    body, block = text[: split + 1], text[split + 2 : -1]
    signatures = []
    for line in block.split("\n"):
        if not line.startswith("\u2014 "):
            raise VerifyError(f"signature line does not start with an em dash and a space: {line[:40]!r}")
        name, _, encoded = line[2:].partition(" ")
        _check_name(name)
        raw = _b64(encoded, f"the signature by {name}")
        if len(raw) < 5:
            raise VerifyError(f"the signature by {name} is too short")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    if len(signatures) > 100:
        raise VerifyError("more than 100 signatures")
    return body.encode(), signatures


def check_signatures(body: bytes, signatures: Sequence[Signature], keys: Sequence[Key]) -> list[Key]:
    """Keys among ``keys`` that validly signed; a known key whose signature fails is an error."""
    known = {(key.name, key.key_id): key for key in keys}
    good: list[Key] = []
    for signature in signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            continue  # signed-note: signatures by unknown keys are ignored
        if not key.verifies(body, signature.signature):
            raise VerifyError(
                f"the signature by {key.label()} does not verify: the checkpoint was altered or forged"
            )
        good.append(key)
    return good


def describe_signers(signatures: Sequence[Signature]) -> str:
    return ", ".join(f"{s.name} ({s.key_id.hex()})" for s in signatures)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    body: bytes
    signatures: tuple[Signature, ...]


def parse_checkpoint(data: bytes) -> Checkpoint:
    body, signatures = parse_note(data)
    lines = body.decode().split("\n")[:-1]
    if len(lines) < 3 or not all(lines):
        raise VerifyError("the text is not origin, tree size and root hash on non-empty lines")
    if not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise VerifyError(f"tree size {lines[1]!r} is not a decimal without leading zeroes")
    root = _b64(lines[2], "the root hash")
    if len(root) != HASH_SIZE:
        raise VerifyError(f"the root hash is {len(root)} bytes, not 32")
    return Checkpoint(lines[0], int(lines[1]), root, body, tuple(signatures))

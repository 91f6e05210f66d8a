"""C2SP checkpoints (c2sp.org/tlog-checkpoint) as signed notes (c2sp.org/signed-note), Ed25519.

A checkpoint note::

    <origin>\\n<tree size>\\n<base64 root hash>\\n
    \\n
    — <key name> <base64(4-byte key ID ‖ 64-byte Ed25519 signature)>\\n

The signature covers the text up to and including its last newline. The key ID is
``SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``, and a verifier key is written
``<name>+<hex key ID>+<base64(0x01 ‖ public key)>``; both are compatible with Go's
``golang.org/x/mod/sumdb/note`` and so with the transparency-dev tooling and witnesses.

Rotation: the key name stays the origin, so keys differ by ID. A note may carry signatures by the
old and the new key during a transition; a verifier trusts a set of keys and, as the spec demands,
ignores signatures by keys it does not know.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .merkle import HASH_SIZE

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
SIGNATURE_SIZE = 64
PUBLIC_KEY_SIZE = 32
# signed-note: verifiers must accept at least 16 signatures and should cap them; Go caps at 100.
MAX_SIGNATURES = 100
MAX_NOTE_SIZE = 1 << 20
_PRIVATE_PREFIX = "PRIVATE+KEY+"
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """A note, key or checkpoint is malformed."""


class NoteVerificationError(NoteError):
    """A note is well formed but not validly signed by a trusted key."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise NoteError(f"{what} is not standard base64") from error


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def validate_key_name(name: str) -> str:
    """Key names are non-empty, without Unicode spaces or '+' (signed-note)."""
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")
    if any(ord(ch) < 0x20 for ch in name):
        raise NoteError(f"key name {name!r} contains a control character")
    return name


def key_name_for_origin(origin: str) -> str:
    """The key name of the log's checkpoint keys: the origin itself (tlog-checkpoint: SHOULD)."""
    return validate_key_name(origin)


def key_id(name: str, public_key: bytes) -> bytes:
    """SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4]."""
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise NoteError(f"an Ed25519 public key is {PUBLIC_KEY_SIZE} bytes, not {len(public_key)}")
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    """A public key that checks note signatures."""

    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        validate_key_name(self.name)
        if len(self.public_key) != PUBLIC_KEY_SIZE:
            raise NoteError(f"an Ed25519 public key is {PUBLIC_KEY_SIZE} bytes")

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def to_string(self) -> str:
        """``<name>+<hex key ID>+<base64(0x01 ‖ public key)>``."""
        return f"{self.name}+{self.key_id.hex()}+{_b64encode(bytes([ALG_ED25519]) + self.public_key)}"

    @classmethod
    def from_string(cls, text: str) -> VerifierKey:
        # The base64 part may itself contain '+': split at the first two only.
        parts = text.strip().split("+", 2)
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            raise NoteError("a verifier key is <name>+<8 hex digits>+<base64 key>")
        name, hash_hex, encoded = parts
        raw = _b64decode(encoded, "the verifier key")
        if len(raw) != 1 + PUBLIC_KEY_SIZE or raw[0] != ALG_ED25519:
            raise NoteError("the verifier key is not an Ed25519 key (type 0x01 and 32 bytes)")
        key = cls(name=validate_key_name(name), public_key=raw[1:])
        if key.key_id.hex() != hash_hex:
            raise NoteError(f"the verifier key's ID {hash_hex} does not match its name and key")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key with its note key name. Keep :meth:`to_string` secret."""

    name: str
    private_key: Ed25519PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        validate_key_name(self.name)

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        return cls(name=validate_key_name(name), private_key=Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> SigningKey:
        return cls(name=name, private_key=Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def public_key(self) -> bytes:
        return self.private_key.public_key().public_bytes_raw()

    @property
    def seed(self) -> bytes:
        return self.private_key.private_bytes_raw()

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def verifier(self) -> VerifierKey:
        return VerifierKey(name=self.name, public_key=self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    def to_string(self) -> str:
        """Go's signer key format, ``PRIVATE+KEY+<name>+<hex ID>+<base64(0x01 ‖ seed)>``."""
        return (
            f"{_PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{_b64encode(bytes([ALG_ED25519]) + self.seed)}"
        )

    @classmethod
    def from_string(cls, text: str) -> SigningKey:
        if not text.startswith(_PRIVATE_PREFIX):
            raise NoteError("a signer key starts with PRIVATE+KEY+")
        parts = text.strip()[len(_PRIVATE_PREFIX) :].split("+", 2)
        if len(parts) != 3:
            raise NoteError("a signer key is PRIVATE+KEY+<name>+<hex ID>+<base64 key>")
        name, hash_hex, encoded = parts
        raw = _b64decode(encoded, "the signer key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("the signer key is not an Ed25519 key (type 0x01 and a 32-byte seed)")
        key = cls.from_seed(validate_key_name(name), raw[1:])
        if key.key_id.hex() != hash_hex:
            raise NoteError(f"the signer key's ID {hash_hex} does not match its name and key")
        return key


# --- Signed notes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{SIGNATURE_PREFIX}{self.name} {_b64encode(self.key_id + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    """A parsed, not yet verified, note: the signed text and its signature lines."""

    text: bytes
    signatures: tuple[NoteSignature, ...]


@dataclass(frozen=True)
class VerifiedNote:
    text: bytes
    verified_by: tuple[VerifierKey, ...]


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("a note contains no control characters other than newline")


def sign_note(text: bytes, signers: Sequence[SigningKey]) -> bytes:
    """The signed note: text, blank line, one signature line per signer."""
    if not signers:
        raise NoteError("a signed note needs at least one signer")
    decoded = text.decode("utf-8")
    _check_text(decoded)
    if decoded.endswith("\n\n") or decoded == "\n":
        # The blank line before the signatures is the *last* blank line: the text cannot end in one.
        raise NoteError("a note's text cannot end in an empty line")
    lines = [NoteSignature(s.name, s.key_id, s.sign(text)).line() for s in signers]
    return text + b"\n" + "".join(lines).encode("utf-8")


def parse_note(data: bytes) -> Note:
    if len(data) > MAX_NOTE_SIZE:
        raise NoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NoteError("note is not UTF-8") from error
    _check_text(decoded)
    split = decoded.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, block = decoded[: split + 1], decoded[split + 2 :]
    if not block.endswith("\n"):
        raise NoteError("the last signature line does not end with a newline")
    signatures = []
    for line in block[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError(f"signature line does not start with an em dash and a space: {line[:40]!r}")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        validate_key_name(name)
        raw = _b64decode(encoded, f"the signature by {name}")
        if len(raw) < 5:
            raise NoteError(f"the signature by {name} is too short to hold a key ID and a signature")
        signatures.append(NoteSignature(name=name, key_id=raw[:4], signature=raw[4:]))
    if not signatures:
        raise NoteError("note has no signatures")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"note has more than {MAX_SIGNATURES} signatures")
    return Note(text=text.encode("utf-8"), signatures=tuple(signatures))


def verify_note(data: bytes, verifiers: Sequence[VerifierKey]) -> VerifiedNote:
    """Check a note against trusted keys (signed-note §Signatures).

    Signatures by unknown keys are ignored; one by a known key (same name *and* ID) that fails
    rejects the whole note; at least one known key must have signed.
    """
    note = parse_note(data)
    known = {(key.name, key.key_id): key for key in verifiers}
    verified: list[VerifierKey] = []
    for signature in note.signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            continue
        if not key.verify(note.text, signature.signature):
            raise NoteVerificationError(
                f"the signature by {key.name} (key ID {key.key_id.hex()}) does not verify: "
                "the note was altered or forged"
            )
        if key not in verified:
            verified.append(key)
    if not verified:
        signed_by = ", ".join(f"{s.name} ({s.key_id.hex()})" for s in note.signatures)
        raise NoteVerificationError(f"no signature by a trusted key; signed by: {signed_by}")
    return VerifiedNote(text=note.text, verified_by=tuple(verified))


# --- Checkpoints ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise NoteError("a checkpoint origin is one non-empty line")
        if self.size < 0:
            raise NoteError("a tree size is never negative")
        if len(self.root_hash) != HASH_SIZE:
            raise NoteError(f"a root hash is {HASH_SIZE} bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise NoteError("extension lines are non-empty single lines")

    def text(self) -> bytes:
        lines = [self.origin, str(self.size), _b64encode(self.root_hash), *self.extensions]
        return "".join(f"{line}\n" for line in lines).encode("utf-8")

    @classmethod
    def from_text(cls, text: bytes) -> Checkpoint:
        try:
            lines = text.decode("utf-8").split("\n")
        except UnicodeDecodeError as error:
            raise NoteError("a checkpoint is UTF-8 text") from error
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError(
                "a checkpoint is at least origin, tree size and root hash, each ending in a newline"
            )
        origin, size, root, *extensions = lines[:-1]
        if not _DECIMAL.fullmatch(size):
            raise NoteError(f"tree size {size!r} is not a decimal without leading zeroes")
        root_hash = _b64decode(root, "the root hash")
        return cls(origin=origin, size=int(size), root_hash=root_hash, extensions=tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[SigningKey]) -> bytes:
    return sign_note(checkpoint.text(), signers)


def open_checkpoint(
    data: bytes, verifiers: Sequence[VerifierKey], origin: str | None = None
) -> tuple[Checkpoint, tuple[VerifierKey, ...]]:
    """Verify a checkpoint note and parse it; check its origin when given."""
    verified = verify_note(data, verifiers)
    checkpoint = Checkpoint.from_text(verified.text)
    if origin is not None and checkpoint.origin != origin:
        raise NoteVerificationError(f"checkpoint is for origin {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint, verified.verified_by


@dataclass(frozen=True)
class KeyRing:
    """The log's current signing key and the public keys it has rotated out.

    Old checkpoints stay verifiable with the retired keys; new ones are signed by the current key
    (and, during a transition, :meth:`rotate` may keep signing with both).
    """

    current: SigningKey
    retired: tuple[VerifierKey, ...] = ()

    def verifiers(self) -> tuple[VerifierKey, ...]:
        return (self.current.verifier(), *self.retired)

    def rotate(self, new_key: SigningKey) -> KeyRing:
        if new_key.name != self.current.name:
            raise NoteError("a rotated key keeps the log's key name (its origin)")
        if new_key.key_id == self.current.key_id:
            raise NoteError("the new key has the same key ID as the current one")
        return KeyRing(current=new_key, retired=(self.current.verifier(), *self.retired))

"""Canonical JSON for log entries, and the salted payload digest that makes erasure possible.

An entry is hashed into the tree exactly as stored, so its bytes must be one and only one text:
keys sorted (by code point), no insignificant whitespace, UTF-8 without escapes beyond those JSON
requires, integers within I-JSON's exact range, no NaN or Infinity.

Personal data never enters an entry. The entry carries ``payload_digest = SHA-256(salt ‖ canonical
payload)`` with a fresh 32-byte random salt, and the payload and salt are stored apart. Deleting
both erases the data: the entry, and so every root and proof, stays exactly as it was, and without
the salt the digest cannot be tested against guessed payloads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Any JSON value; recursive aliases would make mypy strict noisier than useful here.
JSONValue = Any

SALT_SIZE = 32
# An entry bundle (C2SP tlog-tiles) prefixes each entry with a big-endian uint16 length.
MAX_ENTRY_SIZE = 0xFFFF
PAYLOAD_DIGEST_FIELD = "payload_digest"
# I-JSON (RFC 7493 §2.2): integers beyond ±(2**53 - 1) do not survive every JSON parser.
MAX_SAFE_INTEGER = 2**53 - 1
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


class CanonicalJSONError(ValueError):
    """A value has no canonical JSON form, or bytes are not the canonical form of their value."""


def _check(value: JSONValue, path: str) -> None:
    # json.dumps alone would quietly turn tuples into lists and int keys into strings: two inputs,
    # one text. Refuse what the reader could not give back unchanged.
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalJSONError(f"{path}: integer {value} is outside I-JSON's exact range; use a string")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalJSONError(f"{path}: NaN and Infinity have no JSON form")
        return
    if isinstance(value, list):
        for position, item in enumerate(value):
            _check(item, f"{path}[{position}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(f"{path}: object key {key!r} is not a string")
            _check(item, f"{path}.{key}")
        return
    raise CanonicalJSONError(f"{path}: {type(value).__name__} is not a JSON value")


def canonical_json(value: JSONValue) -> bytes:
    """The canonical UTF-8 bytes of a JSON value (dicts, lists, str, int, finite float, bool, None)."""
    _check(value, "$")
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate in a string
        raise CanonicalJSONError(f"text is not valid Unicode: {error.reason}") from error


def _no_duplicates(pairs: list[tuple[str, JSONValue]]) -> dict[str, JSONValue]:
    result: dict[str, JSONValue] = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalJSONError(f"duplicate object key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> JSONValue:
    raise CanonicalJSONError(f"{name} has no JSON form")


def parse_canonical_json(data: bytes) -> JSONValue:
    """Parse bytes that must be exactly the canonical form of their value."""
    try:
        value = json.loads(
            data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except UnicodeDecodeError as error:
        raise CanonicalJSONError(f"not UTF-8: {error.reason} at byte {error.start}") from error
    except json.JSONDecodeError as error:
        raise CanonicalJSONError(f"not JSON: {error.msg} at position {error.pos}") from error
    if canonical_json(value) != data:
        raise CanonicalJSONError("valid JSON, but not in canonical form (key order, whitespace or escapes)")
    return value


# --- Entries and their payloads ------------------------------------------------------------------


def encode_entry(fields: Mapping[str, JSONValue]) -> bytes:
    """The canonical bytes of a log entry: a JSON object that fits an entry bundle.

    If the entry commits to a payload, ``payload_digest`` must be 64 lowercase hex characters.
    """
    entry = dict(fields)
    digest = entry.get(PAYLOAD_DIGEST_FIELD)
    if PAYLOAD_DIGEST_FIELD in entry and not (isinstance(digest, str) and _HEX_DIGEST.fullmatch(digest)):
        raise CanonicalJSONError(f"{PAYLOAD_DIGEST_FIELD} must be a SHA-256 digest in lowercase hex")
    data = canonical_json(entry)
    if len(data) > MAX_ENTRY_SIZE:
        raise CanonicalJSONError(
            f"entry is {len(data)} bytes; an entry bundle holds at most {MAX_ENTRY_SIZE}"
        )
    return data


def decode_entry(data: bytes) -> dict[str, JSONValue]:
    value = parse_canonical_json(data)
    if not isinstance(value, dict):
        raise CanonicalJSONError("an entry is a JSON object")
    return value


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_SIZE)


def payload_digest(salt: bytes, payload: JSONValue) -> bytes:
    """SHA-256(salt ‖ canonical payload)."""
    if len(salt) != SALT_SIZE:
        raise ValueError(f"a salt is {SALT_SIZE} random bytes, not {len(salt)}")
    return hashlib.sha256(salt + canonical_json(payload)).digest()


@dataclass(frozen=True)
class PayloadCommitment:
    """The salt to store beside the payload, and the digest the entry carries (hex in the entry)."""

    salt: bytes
    digest: bytes

    @property
    def digest_hex(self) -> str:
        return self.digest.hex()


def commit_payload(payload: JSONValue) -> PayloadCommitment:
    salt = new_salt()
    return PayloadCommitment(salt=salt, digest=payload_digest(salt, payload))


def payload_matches(salt: bytes, payload: JSONValue, digest: bytes) -> bool:
    return hmac.compare_digest(payload_digest(salt, payload), digest)

"""Secrets of the decision log at rest, and the keyed pseudonym of a subject.

Each secret (a checkpoint signing key, the pseudonym key, group attributes) is sealed with AES-256-GCM under
a key-encryption key derived from Django's ``SECRET_KEY`` with HKDF-SHA256, one derived key per purpose.
The associated data names the row the ciphertext belongs to, so a sealed value copied to another row does
not open. A database dump alone therefore reveals no private key, no pseudonym key and no group attribute.

``SECRET_KEY`` can be changed: keep the old value in ``SECRET_KEY_FALLBACKS`` and values sealed under it
still open (they are sealed again under the new key when next written).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SEAL_VERSION = b"\x01"
NONCE_SIZE = 12
HKDF_SALT = b"verantwoord.decisionlog/key-encryption/v1"
PURPOSE_SIGNING_KEY = "signing-key"
PURPOSE_PSEUDONYM_SECRET = "pseudonym-secret"  # noqa: S105 — a label, not a secret
PURPOSE_GROUP_ATTRIBUTES = "group-attributes"
PSEUDONYM_SECRET_SIZE = 32
_BLOCK = 64  # SHA-256 block size, for HMAC


class SealError(ValueError):
    """A sealed value does not open: wrong key (SECRET_KEY changed without fallback) or tampered data."""


@lru_cache(maxsize=32)
def _cipher(secret_key: str, purpose: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=purpose.encode()).derive(
        secret_key.encode("utf-8")
    )
    return AESGCM(derived)


def _secret_keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def seal(purpose: str, plaintext: bytes, context: str, *, nonce: bytes | None = None) -> bytes:
    """version ‖ nonce ‖ AES-GCM(plaintext), bound to ``purpose`` and ``context`` (the row it belongs to).

    ``nonce``: 12 fresh random bytes when the caller draws them in bulk; never reuse one.
    """
    if nonce is None:
        nonce = os.urandom(NONCE_SIZE)
    elif len(nonce) != NONCE_SIZE:
        raise ValueError(f"a nonce is {NONCE_SIZE} random bytes")
    aad = f"{purpose}|{context}".encode()
    return SEAL_VERSION + nonce + _cipher(settings.SECRET_KEY, purpose).encrypt(nonce, plaintext, aad)


def sealer(purpose: str) -> Callable[[bytes, str, bytes], bytes]:
    """``seal`` for many values of one purpose: the key is looked up once. Give each a fresh nonce."""
    cipher = _cipher(settings.SECRET_KEY, purpose)
    prefix = f"{purpose}|"

    def seal_one(plaintext: bytes, context: str, nonce: bytes) -> bytes:
        return SEAL_VERSION + nonce + cipher.encrypt(nonce, plaintext, (prefix + context).encode())

    return seal_one


def unseal(purpose: str, sealed: bytes, context: str) -> bytes:
    sealed = bytes(sealed)
    if not sealed.startswith(SEAL_VERSION) or len(sealed) < 1 + NONCE_SIZE + 16:
        raise SealError(f"not a sealed {purpose}")
    nonce, ciphertext = sealed[1 : 1 + NONCE_SIZE], sealed[1 + NONCE_SIZE :]
    aad = f"{purpose}|{context}".encode()
    for secret_key in _secret_keys():
        try:
            return _cipher(secret_key, purpose).decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            continue
    raise SealError(
        f"the sealed {purpose} of {context} does not open with SECRET_KEY or its fallbacks: "
        "the key changed without a fallback, or the value was tampered with"
    )


def unseal_many(
    purpose: str, sealed_values: Sequence[bytes], contexts: Sequence[str], *, context_prefix: str = ""
) -> list[bytes]:
    """``unseal`` of many values of one purpose (a bulk read), value ``i`` in the context ``context_prefix``
    followed by ``contexts[i]``. One tight loop under the current key.

    When any value does not open that way (sealed under a fallback key, or damaged), the values are opened
    one by one with ``unseal``, which tries the fallbacks and names the value that does not open.
    """
    decrypt = _cipher(settings.SECRET_KEY, purpose).decrypt
    prefix = f"{purpose}|{context_prefix}"
    header = 1 + NONCE_SIZE
    version = SEAL_VERSION[0]
    try:
        return [
            decrypt(sealed[1:header], sealed[header:], (prefix + context).encode())
            for sealed, context in zip(sealed_values, contexts, strict=True)
            if sealed[0] == version or _not_sealed(purpose)
        ]
    except (InvalidTag, ValueError, IndexError):
        return [
            unseal(purpose, sealed, context_prefix + context)
            for sealed, context in zip(sealed_values, contexts, strict=True)
        ]


def _not_sealed(purpose: str) -> bool:
    raise ValueError(f"not a sealed {purpose}")


# --- Pseudonyms ----------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s.\-]")


def normalise_subject(subject: str) -> str:
    """The form a subject is pseudonymised in: no spaces, dots or dashes; an 8-digit BSN gets its leading 0."""
    value = _SEPARATORS.sub("", subject)
    if len(value) == 8 and value.isdigit():
        value = "0" + value
    return value


def is_valid_bsn(value: str) -> bool:
    """The 11-test (elfproef) of a citizen service number (burgerservicenummer)."""
    value = normalise_subject(value)
    if len(value) != 9 or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:8], range(9, 1, -1), strict=True))
    return (total - int(value[8])) % 11 == 0


def new_pseudonym_secret() -> bytes:
    return os.urandom(PSEUDONYM_SECRET_SIZE)


class Pseudonymiser:
    """HMAC-SHA256(organisation secret, "subject:v1:" ‖ normalised subject), as 64 hex characters.

    The HMAC's inner and outer states are prepared once: a batch of ten thousand subjects costs two
    hash-state copies each, not a key schedule each.
    """

    PREFIX = b"subject:v1:"

    def __init__(self, secret: bytes) -> None:
        key = hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret
        key = key.ljust(_BLOCK, b"\x00")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
        self._inner.update(self.PREFIX)
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
        self._cache: dict[str, str] = {}

    def __call__(self, subject: str) -> str:
        cached = self._cache.get(subject)
        if cached is not None:
            return cached
        inner = self._inner.copy()
        inner.update(normalise_subject(subject).encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        pseudonym = outer.hexdigest()
        if len(self._cache) < 100_000:
            self._cache[subject] = pseudonym
        return pseudonym

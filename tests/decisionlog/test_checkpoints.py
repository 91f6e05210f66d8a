"""C2SP checkpoints and signed notes: the exact format, Ed25519 signatures, key IDs and rotation."""

from __future__ import annotations

import base64
import hashlib

import pytest

from verantwoord.decisionlog.checkpoints import (
    Checkpoint,
    KeyRing,
    NoteError,
    NoteVerificationError,
    SigningKey,
    VerifierKey,
    key_id,
    key_name_for_origin,
    open_checkpoint,
    parse_note,
    sign_checkpoint,
    sign_note,
    verify_note,
)
from verantwoord.decisionlog.merkle import EMPTY_ROOT

# golang.org/x/mod/sumdb/note's own example: a different implementation, byte for byte.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    b"If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + (
        "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    ).encode()
)

ORIGIN = "verantwoord.example/testdorp/besluiten"
ROOT = hashlib.sha256(b"some root").digest()


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate(key_name_for_origin(ORIGIN))


def test_go_reference_note_is_reproduced_byte_for_byte() -> None:
    signer = SigningKey.from_string(GO_SIGNER)
    assert signer.to_string() == GO_SIGNER
    assert signer.verifier().to_string() == GO_VERIFIER
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE
    verified = verify_note(GO_NOTE, [VerifierKey.from_string(GO_VERIFIER)])
    assert verified.text == GO_TEXT


def test_key_id_is_computed_as_the_spec_says(key: SigningKey) -> None:
    expected = hashlib.sha256(ORIGIN.encode() + b"\x0a" + b"\x01" + key.public_key).digest()[:4]
    assert key.key_id == expected == key_id(ORIGIN, key.public_key)
    name, hash_hex, encoded = key.verifier().to_string().split("+", 2)
    assert (name, hash_hex) == (ORIGIN, expected.hex())
    assert base64.b64decode(encoded) == b"\x01" + key.public_key
    assert VerifierKey.from_string(key.verifier().to_string()) == key.verifier()
    assert SigningKey.from_string(key.to_string()).public_key == key.public_key


def test_checkpoint_note_format_is_exactly_the_spec(key: SigningKey) -> None:
    checkpoint = Checkpoint(ORIGIN, 20852163, ROOT)
    text = f"{ORIGIN}\n20852163\n{base64.b64encode(ROOT).decode()}\n".encode()
    assert checkpoint.text() == text
    note = sign_checkpoint(checkpoint, [key])
    body, _, signature_line = note.partition(b"\n\n")
    assert body + b"\n" == text
    assert signature_line.startswith("\u2014 ".encode()) and signature_line.startswith(b"\xe2\x80\x94 ")
    assert signature_line.endswith(b"\n") and signature_line.count(b"\n") == 1
    name, encoded = signature_line[len("\u2014 ".encode()) : -1].decode().split(" ")
    raw = base64.b64decode(encoded)
    assert name == ORIGIN and raw[:4] == key.key_id and len(raw) == 4 + 64
    assert key.verifier().verify(text, raw[4:])
    opened, verified_by = open_checkpoint(note, [key.verifier()], origin=ORIGIN)
    assert opened == checkpoint and verified_by == (key.verifier(),)


def test_checkpoint_text_of_the_spec_example_parses() -> None:
    example = b"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    checkpoint = Checkpoint.from_text(example)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.text() == example
    extended = Checkpoint.from_text(example + b"an extension line\n")
    assert extended.extensions == ("an extension line",)
    assert Checkpoint(ORIGIN, 0, EMPTY_ROOT).text().split(b"\n")[1] == b"0"


@pytest.mark.parametrize(
    "text",
    [
        b"origin\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # leading zero
        b"origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        b"origin\n12\nnot base64!\n",
        b"origin\n12\nAAAA\n",  # not 32 bytes
        b"origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",  # no final newline
        b"origin\n12\n",
        b"origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",  # empty extension line
    ],
)
def test_malformed_checkpoints_are_refused(text: bytes) -> None:
    with pytest.raises(NoteError):
        Checkpoint.from_text(text)


def test_forged_checkpoint_fails_its_signature(key: SigningKey) -> None:
    note = sign_checkpoint(Checkpoint(ORIGIN, 10, ROOT), [key])
    forged = note.replace(b"\n10\n", b"\n11\n", 1)
    with pytest.raises(NoteVerificationError, match="does not verify"):
        open_checkpoint(forged, [key.verifier()])


def test_re_signed_with_another_key_is_not_trusted(key: SigningKey) -> None:
    impostor = SigningKey.generate(ORIGIN)  # same name, so only the key ID tells them apart
    note = sign_checkpoint(Checkpoint(ORIGIN, 10, ROOT), [impostor])
    with pytest.raises(NoteVerificationError, match="no signature by a trusted key"):
        open_checkpoint(note, [key.verifier()])
    # A forged signature line that claims the trusted key's ID is checked, and fails.
    claimed = parse_note(note).signatures[0]
    line = f"\u2014 {ORIGIN} {base64.b64encode(key.key_id + claimed.signature).decode()}\n"
    with pytest.raises(NoteVerificationError, match="does not verify"):
        open_checkpoint(Checkpoint(ORIGIN, 10, ROOT).text() + b"\n" + line.encode(), [key.verifier()])


def test_unknown_signatures_are_ignored_next_to_a_trusted_one(key: SigningKey) -> None:
    witness = SigningKey.generate("witness.example/w1")
    note = sign_checkpoint(Checkpoint(ORIGIN, 10, ROOT), [witness, key])
    assert verify_note(note, [key.verifier()]).verified_by == (key.verifier(),)
    assert len(verify_note(note, [key.verifier(), witness.verifier()]).verified_by) == 2


def test_rotation_keeps_old_checkpoints_verifiable(key: SigningKey) -> None:
    ring = KeyRing(current=key)
    old_note = sign_checkpoint(Checkpoint(ORIGIN, 10, ROOT), [ring.current])
    rotated = ring.rotate(SigningKey.generate(ORIGIN))
    assert rotated.retired == (key.verifier(),) and rotated.current.key_id != key.key_id
    new_note = sign_checkpoint(Checkpoint(ORIGIN, 20, ROOT), [rotated.current])
    for note in (old_note, new_note):
        open_checkpoint(note, rotated.verifiers(), origin=ORIGIN)
    with pytest.raises(NoteVerificationError):
        open_checkpoint(new_note, [key.verifier()])
    # During the transition a checkpoint carries both signatures: old and new verifiers accept it.
    both = sign_checkpoint(Checkpoint(ORIGIN, 30, ROOT), [key, rotated.current])
    open_checkpoint(both, [key.verifier()])
    open_checkpoint(both, [rotated.current.verifier()])
    with pytest.raises(NoteError, match="key name"):
        ring.rotate(SigningKey.generate("another.example/log"))
    with pytest.raises(NoteError, match="same key ID"):
        ring.rotate(key)


def test_wrong_origin_is_refused(key: SigningKey) -> None:
    note = sign_checkpoint(Checkpoint(ORIGIN, 10, ROOT), [key])
    with pytest.raises(NoteVerificationError, match="origin"):
        open_checkpoint(note, [key.verifier()], origin="verantwoord.example/elders")


@pytest.mark.parametrize(
    "note",
    [
        b"text\n\xe2\x80\x94 name AAAA\n",  # no blank line
        b"text\n\n- name AAAAAAAA\n",  # a hyphen, not an em dash
        b"text\n\n\xe2\x80\x94 name AAAAAAAA",  # no final newline
        b"text\n\n\xe2\x80\x94 name !!!!\n",  # not base64
        b"text\n\n\xe2\x80\x94 name AAAA\n",  # shorter than a key ID and a signature
        b"te\x01xt\n\n\xe2\x80\x94 name AAAAAAAA\n",  # control character
        b"text\n\n",  # no signatures
        b"\xff\n\n\xe2\x80\x94 name AAAAAAAA\n",  # not UTF-8
    ],
)
def test_malformed_notes_are_refused(note: bytes) -> None:
    with pytest.raises(NoteError):
        parse_note(note)


@pytest.mark.parametrize("name", ["", "with space", "with+plus", "tab\tname"])
def test_key_names_follow_the_spec(name: str) -> None:
    with pytest.raises(NoteError):
        SigningKey.generate(name)


def test_verifier_key_with_a_wrong_id_or_type_is_refused(key: SigningKey) -> None:
    name, hash_hex, encoded = key.verifier().to_string().split("+", 2)
    wrong_id = f"{int(hash_hex, 16) ^ 1:08x}"
    with pytest.raises(NoteError, match="does not match"):
        VerifierKey.from_string(f"{name}+{wrong_id}+{encoded}")
    other_type = base64.b64encode(b"\x02" + key.public_key).decode()
    with pytest.raises(NoteError, match="Ed25519"):
        VerifierKey.from_string(f"{name}+{hash_hex}+{other_type}")
    with pytest.raises(NoteError):
        VerifierKey.from_string("just-a-name")


def test_signing_refuses_text_that_would_not_parse_back(key: SigningKey) -> None:
    for text in (b"no newline", b"ends in a blank line\n\n", b"ctrl\x07\n"):
        with pytest.raises(NoteError):
            sign_note(text, [key])
    with pytest.raises(NoteError):
        sign_note(b"text\n", [])

"""The export bundle and the stand-alone verifier, run as an auditor runs it: a separate process.

Each kind of tampering is shown to be caught with its own precise message. Where an attacker would
also fix up what is easy to fix (the manifest's file hashes, the hash tiles), the tests do so too,
so that detection rests on the signed checkpoint and not on bookkeeping.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from verantwoord_verify.entries import chunk_bounds, parse_claimed
from verantwoord_verify.parallel import Chunks, in_background

from verantwoord.decisionlog.canonical import (
    CanonicalJSONError,
    canonical_json,
    commit_payload,
    decode_entry,
    encode_entry,
    parse_canonical_json,
    payload_digest,
    payload_matches,
)
from verantwoord.decisionlog.checkpoints import Checkpoint, SigningKey, sign_checkpoint
from verantwoord.decisionlog.merkle import MemoryNodeStore, TreeBuilder, leaf_hash
from verantwoord.decisionlog.tiles import (
    ExportError,
    PayloadRecord,
    PublishedKey,
    TileID,
    decode_entry_bundle,
    encode_entry_bundle,
    export_bundle,
    tile_hashes,
    tiles_for_size,
)

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "verify"
ORIGIN = "verantwoord.example/testdorp/besluiten"
SIZE = 300  # a full and a partial level-0 tile, and a partial level-1 tile


@dataclass
class Log:
    key: SigningKey
    entries: list[bytes]
    payloads: list[PayloadRecord]

    def checkpoint(self, size: int | None = None, key: SigningKey | None = None) -> bytes:
        size = len(self.entries) if size is None else size
        builder = TreeBuilder()
        for entry in self.entries[:size]:
            builder.append(entry)
        return sign_checkpoint(Checkpoint(ORIGIN, size, builder.root()), [key or self.key])

    def export(self, directory: Path, size: int | None = None) -> Path:
        size = len(self.entries) if size is None else size
        export_bundle(
            directory,
            entries=self.entries[:size],
            checkpoint_note=self.checkpoint(size),
            keys=[PublishedKey(self.key.verifier())],
            payloads=[p for p in self.payloads if p.index < size],
        )
        return directory


def make_log(size: int = SIZE, key: SigningKey | None = None) -> Log:
    key = key or SigningKey.generate(ORIGIN)
    entries, payloads = [], []
    for i in range(size):
        payload = {"naam": f"Inwoner {i}", "bsn": f"{100000000 + i}"}
        commitment = commit_payload(payload)
        entries.append(
            encode_entry(
                {
                    "seq": i,
                    "kind": "besluit",
                    "uitkomst": "toegekend",
                    "payload_digest": commitment.digest_hex,
                }
            )
        )
        payloads.append(PayloadRecord(i) if i % 9 == 4 else PayloadRecord(i, commitment.salt, payload))
    return Log(key, entries, payloads)


@pytest.fixture(scope="module")
def log() -> Log:
    return make_log()


@pytest.fixture(scope="module")
def pristine(log: Log, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return log.export(tmp_path_factory.mktemp("pristine") / "bundle")


@pytest.fixture
def bundle(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "bundle"))


def verify(directory: Path, *args: str) -> tuple[int, str]:
    # From its own directory, as an auditor runs it: nothing of Verantwoord on the path but the tool.
    result = subprocess.run(
        [sys.executable, "-m", "verantwoord_verify", str(directory), *args],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def verify_json(directory: Path, *args: str) -> tuple[int, dict[str, object]]:
    code, output = verify(directory, "--json", *args)
    return code, json.loads(output)


# --- What an attacker rewrites ---------------------------------------------------------------------


def read_entries(directory: Path) -> list[bytes]:
    entries: list[bytes] = []
    for tile in tiles_for_size(
        json.loads((directory / "manifest.json").read_text())["tree_size"], entries=True
    ):
        entries.extend(decode_entry_bundle((directory / tile.path).read_bytes()))
    return entries


def rewrite_entries(directory: Path, entries: list[bytes], *, fix_tiles: bool = False) -> None:
    """Replace the entry bundles (laid out for the new count) and, if asked, recompute the tiles."""
    shutil.rmtree(directory / "tile" / "entries")
    for tile in tiles_for_size(len(entries), entries=True):
        target = directory / tile.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(encode_entry_bundle(entries[tile.index * 256 : tile.index * 256 + tile.width]))
    if fix_tiles:
        for path in (directory / "tile").iterdir():
            if path.name != "entries":
                shutil.rmtree(path)
        store = MemoryNodeStore.from_leaf_hashes(b"".join(leaf_hash(entry) for entry in entries))
        for tile in tiles_for_size(len(entries)):
            target = directory / tile.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tile_hashes(tile, store))
    fix_manifest(directory)


def fix_manifest(directory: Path) -> None:
    """Recompute the manifest's file list and hashes, as anyone altering a bundle can."""
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"] = {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def alter(entry: bytes, **changes: object) -> bytes:
    return encode_entry({**decode_entry(entry), **changes})


# --- The intact bundle ----------------------------------------------------------------------------


def test_intact_bundle_verifies(bundle: Path, log: Log) -> None:
    code, output = verify(bundle, "--key", log.key.verifier().to_string())
    assert code == 0, output
    assert output.rstrip().endswith("INTACT")
    for check in (
        "manifest",
        "keys",
        "checkpoint",
        "entry bundles",
        "entry encoding",
        "root",
        "tiles",
        "payloads",
    ):
        assert f"ok    {check}:" in output
    assert "payload(s) match their digests, 33 erased" in output


def test_bundle_layout_follows_tlog_tiles(bundle: Path, log: Log) -> None:
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    key_file = f"keys/{log.key.key_id.hex()}.vkey"
    assert files == {
        "checkpoint", "manifest.json", "payloads.jsonl", key_file,
        "tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/000", "tile/entries/001.p/44",
    }  # fmt: skip
    assert (bundle / "checkpoint").read_bytes() == log.checkpoint()
    assert (bundle / key_file).read_text() == log.key.verifier().to_string() + "\n"
    assert len((bundle / "tile/0/000").read_bytes()) == 256 * 32
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["tree_size"] == SIZE and manifest["origin"] == ORIGIN
    assert manifest["keys"] == [
        {"file": key_file, "key": log.key.verifier().to_string(), "status": "current"}
    ]
    assert manifest["files"]["tile/0/000"] == hashlib.sha256((bundle / "tile/0/000").read_bytes()).hexdigest()
    lines = (bundle / "payloads.jsonl").read_bytes().splitlines()
    assert lines[4] == b'{"erased":true,"index":4}'
    assert lines[0].startswith(b'{"index":0,"payload":{"bsn":"100000000","naam":"Inwoner 0"},"salt":"')


def test_json_report_and_single_proofs(bundle: Path, log: Log) -> None:
    old = bundle.parent / "old-checkpoint"
    old.write_bytes(log.checkpoint(200))
    code, report = verify_json(bundle, "--inclusion", "299", "--inclusion", "7", "--consistency", str(old))
    assert code == 0, report
    assert report["intact"] is True and report["tree_size"] == SIZE
    inclusion = report["inclusion"]
    assert isinstance(inclusion, list) and [proof["index"] for proof in inclusion] == [299, 7]
    assert len(inclusion[1]["proof"]) == 9 and inclusion[1]["tree_size"] == SIZE
    checks = {c["check"]: c["ok"] for c in report["checks"]}  # type: ignore[attr-defined]
    assert checks == {
        "manifest": True, "keys": True, "checkpoint": True, "inclusion of entry 299": True,
        "inclusion of entry 7": True, f"consistency with {old}": True,
    }  # fmt: skip
    code, report = verify_json(bundle, "--full", "--inclusion", "0")
    assert code == 0 and "tiles" in {c["check"] for c in report["checks"]}  # type: ignore[attr-defined]


def test_one_core_and_two_cores_give_the_same_report(bundle: Path) -> None:
    reports = []
    for jobs in ("1", "2"):
        code, report = verify_json(bundle, "--jobs", jobs)
        assert code == 0, report
        reports.append(report)
    one, two = reports
    assert [c["check"] for c in one["checks"]] == [c["check"] for c in two["checks"]]  # type: ignore[attr-defined]
    assert one == two


def test_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    for module in (TOOLS / "verantwoord_verify").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "cryptography", (
                    f"{module.name} imports {name}"
                )


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert verify(tmp_path / "nothing")[0] == 2
    assert verify(tmp_path, "--key", "not-a-key+zz+AAAA")[0] == 2


# --- Tampering, one kind at a time ----------------------------------------------------------------


def test_altered_entry(bundle: Path) -> None:
    entries = read_entries(bundle)
    entries[5] = alter(entries[5], uitkomst="afgewezen")
    rewrite_entries(bundle, entries)
    code, output = verify(bundle)
    assert code == 1
    assert "entry 5 was altered: its hash is not the signed tree's leaf 5" in output
    assert "is not the signed root" in output
    assert "tile/0/000 differs from the tile recomputed from the entries" in output


def test_altered_entry_with_recomputed_tiles(bundle: Path) -> None:
    entries = read_entries(bundle)
    entries[5] = alter(entries[5], uitkomst="afgewezen")
    rewrite_entries(bundle, entries, fix_tiles=True)
    code, output = verify(bundle)
    assert code == 1
    assert "the root computed from the entries" in output and "is not the signed root" in output
    assert "the hash tiles do not match the signed root either" in output


def test_altered_payload_digest(bundle: Path) -> None:
    # Swap the payload an entry commits to: new digest in the entry, the new payload beside it.
    entries = read_entries(bundle)
    other = {"naam": "Iemand anders", "bsn": "999999990"}
    commitment = commit_payload(other)
    entries[7] = alter(entries[7], payload_digest=commitment.digest_hex)
    rewrite_entries(bundle, entries)
    lines = (bundle / "payloads.jsonl").read_bytes().splitlines()
    lines[7] = PayloadRecord(7, commitment.salt, other).line()
    (bundle / "payloads.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert code == 1
    assert "entry 7 was altered" in output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_altered_payload(bundle: Path, jobs: str) -> None:
    lines = (bundle / "payloads.jsonl").read_bytes().splitlines()
    lines[8] = lines[8].replace(b"Inwoner 8", b"Inwoner 9")
    (bundle / "payloads.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fix_manifest(bundle)
    code, output = verify(bundle, "--jobs", jobs)
    assert code == 1
    assert "entry 8: the payload and salt do not hash to the entry's payload_digest" in output
    assert output.count("FAIL") == 1


def test_deleted_entry(bundle: Path) -> None:
    entries = read_entries(bundle)
    del entries[3]
    rewrite_entries(bundle, entries)
    code, output = verify(bundle)
    assert code == 1
    assert "entry 3 of the signed tree was deleted: the bundle holds 299 entries, the tree 300" in output


def test_inserted_entry(bundle: Path) -> None:
    entries = read_entries(bundle)
    entries.insert(4, encode_entry({"seq": 999, "kind": "besluit", "uitkomst": "toegekend"}))
    rewrite_entries(bundle, entries)
    code, output = verify(bundle)
    assert code == 1
    assert "an entry was inserted at position 4: the bundle holds 301 entries, the tree 300" in output


def test_reordered_entries(bundle: Path) -> None:
    entries = read_entries(bundle)
    entries[2], entries[3] = entries[3], entries[2]
    rewrite_entries(bundle, entries, fix_tiles=False)
    code, output = verify(bundle)
    assert code == 1
    assert "entries were reordered: entry 2 is the signed tree's entry 3" in output
    assert "entries were reordered: entry 3 is the signed tree's entry 2" in output


def test_truncated_log(bundle: Path) -> None:
    rewrite_entries(bundle, read_entries(bundle)[:290])
    code, output = verify(bundle)
    assert code == 1
    assert "the log was truncated: the signed tree has 300 entries, the bundle only 290" in output
    assert "tile/entries/001.p/44 is missing" in output


def test_rolled_back_log(log: Log, tmp_path: Path) -> None:
    # A validly signed older bundle, presented after the newer checkpoint was seen.
    older = log.export(tmp_path / "older", size=200)
    newer = tmp_path / "newer-checkpoint"
    newer.write_bytes(log.checkpoint())
    assert verify(older)[0] == 0  # on its own, an older bundle is intact
    code, output = verify(older, "--checkpoint", str(newer))
    assert code == 1
    assert "it has tree size 300, the bundle only 200: the log was rolled back" in output
    code, output = verify(older, "--consistency", str(newer), "--full")
    assert code == 1 and "rolled back" in output


def test_forked_history_fails_consistency(log: Log, tmp_path: Path) -> None:
    bundle = log.export(tmp_path / "bundle")
    rewritten = Log(
        log.key, [alter(e, uitkomst="herzien") if i == 10 else e for i, e in enumerate(log.entries)], []
    )
    other = tmp_path / "other-checkpoint"
    other.write_bytes(rewritten.checkpoint(200))  # signed by the log's own key: equivocation
    code, output = verify(bundle, "--consistency", str(other))
    assert code == 1
    assert "the consistency proof does not lead to the older root (size 200)" in output
    other.write_bytes(rewritten.checkpoint(300))
    code, output = verify(bundle, "--consistency", str(other))
    assert code == 1 and "both sign tree size 300 with different roots: the log forked" in output


def test_forged_checkpoint(bundle: Path) -> None:
    note = (bundle / "checkpoint").read_bytes()
    (bundle / "checkpoint").write_bytes(note.replace(b"\n300\n", b"\n290\n", 1))
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert code == 1
    assert "does not verify: the checkpoint was altered or forged" in output


def test_re_signed_checkpoint_with_swapped_keys(bundle: Path, log: Log) -> None:
    # The attacker alters an entry, recomputes everything, signs with their own key and publishes
    # that key in keys/: the bundle is consistent with itself, only a trusted key exposes it.
    attacker = SigningKey.generate(ORIGIN)
    entries = read_entries(bundle)
    entries[5] = alter(entries[5], uitkomst="afgewezen")
    rewrite_entries(bundle, entries, fix_tiles=True)
    (bundle / "checkpoint").write_bytes(Log(attacker, entries, []).checkpoint())
    for path in (bundle / "keys").iterdir():
        path.unlink()
    (bundle / "keys" / f"{attacker.key_id.hex()}.vkey").write_text(attacker.verifier().to_string() + "\n")
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["keys"] = [
        {"file": f"keys/{attacker.key_id.hex()}.vkey", "key": attacker.verifier().to_string()}
    ]
    manifest["root_hash"] = None
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert "no --key given" in output  # what an unanchored check can and cannot say
    code, output = verify(bundle, "--key", log.key.verifier().to_string())
    assert code == 1
    assert f"not signed by the trusted key {ORIGIN} ({log.key.key_id.hex()}" in output
    assert "forged or re-signed with another key" in output


def test_swapped_public_key(bundle: Path, log: Log) -> None:
    other = SigningKey.generate(ORIGIN)
    (bundle / "keys" / f"{log.key.key_id.hex()}.vkey").write_text(other.verifier().to_string() + "\n")
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert code == 1
    assert "no valid signature by any key in keys/" in output
    assert "the file name does not match its key ID" in output


def test_file_changed_without_the_manifest_knowing(bundle: Path) -> None:
    (bundle / "stray.txt").write_text("added later")
    data = bytearray((bundle / "tile/0/000").read_bytes())
    data[0] ^= 1
    (bundle / "tile/0/000").write_bytes(bytes(data))
    code, output = verify(bundle)
    assert code == 1
    assert "stray.txt is not listed in the manifest" in output
    assert "tile/0/000 has SHA-256" in output and "the manifest lists" in output


def test_tampered_tile_fails_the_inclusion_proof(bundle: Path) -> None:
    data = bytearray((bundle / "tile/0/000").read_bytes())
    data[32 * 6] ^= 1  # the sibling of leaf 7
    (bundle / "tile/0/000").write_bytes(bytes(data))
    code, output = verify(bundle, "--inclusion", "7")
    assert code == 1
    assert "entry 7 is not proven in the signed tree" in output
    assert verify(bundle, "--inclusion", "300")[0] == 1


# --- Erasure --------------------------------------------------------------------------------------


def test_erasing_a_payload_keeps_the_bundle_intact(bundle: Path) -> None:
    lines = (bundle / "payloads.jsonl").read_bytes().splitlines()
    lines[10] = PayloadRecord(10).line()
    (bundle / "payloads.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert code == 0, output
    assert "34 erased" in output


def test_erasure_that_kept_the_data_or_dropped_the_line(bundle: Path) -> None:
    lines = (bundle / "payloads.jsonl").read_bytes().splitlines()
    salt = json.loads(lines[11])["salt"]
    lines[11] = canonical_json({"erased": True, "index": 11, "salt": salt})
    del lines[12]
    (bundle / "payloads.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fix_manifest(bundle)
    code, output = verify(bundle)
    assert code == 1
    assert "entry 11 is marked erased but its line still holds ['salt']: not erased" in output
    assert "entry 12 commits to a payload that is neither exported nor marked erased" in output


def test_export_refuses_what_would_not_verify(log: Log, tmp_path: Path) -> None:
    keys = [PublishedKey(log.key.verifier())]
    with pytest.raises(ExportError, match="covers 300 entries, 299 were given"):
        export_bundle(tmp_path / "a", entries=log.entries[:299], checkpoint_note=log.checkpoint(), keys=keys)
    with pytest.raises(ExportError, match="does not verify"):
        export_bundle(
            tmp_path / "b",
            entries=log.entries,
            checkpoint_note=log.checkpoint(),
            keys=[PublishedKey(SigningKey.generate(ORIGIN).verifier())],
        )
    wrong = [PayloadRecord(0, b"\x00" * 32, {"naam": "x"})]
    with pytest.raises(ExportError, match="does not match"):
        export_bundle(
            tmp_path / "c", entries=log.entries, checkpoint_note=log.checkpoint(), keys=keys, payloads=wrong
        )
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_text("")
    with pytest.raises(ExportError, match="not empty"):
        export_bundle(tmp_path / "d", entries=log.entries, checkpoint_note=log.checkpoint(), keys=keys)


def test_rotated_keys_are_published_and_old_checkpoints_still_check(log: Log, tmp_path: Path) -> None:
    new_key = SigningKey.generate(ORIGIN)
    rotated = Log(new_key, log.entries, log.payloads)
    bundle = tmp_path / "bundle"
    export_bundle(
        bundle,
        entries=log.entries,
        checkpoint_note=rotated.checkpoint(),
        keys=[PublishedKey(new_key.verifier()), PublishedKey(log.key.verifier(), "rotated")],
        payloads=log.payloads,
    )
    old = tmp_path / "old-checkpoint"
    old.write_bytes(log.checkpoint(100))  # signed by the key rotated out
    code, output = verify(
        bundle, "--key", new_key.verifier().to_string(), "--consistency", str(old), "--full"
    )
    assert code == 0, output
    assert "2 published key(s)" in output


def test_empty_log_exports_and_verifies(tmp_path: Path) -> None:
    empty = make_log(0)
    code, output = verify(empty.export(tmp_path / "bundle"))
    assert code == 0, output


# --- Entries and payloads: canonical bytes and salted digests -------------------------------------


def test_canonical_json_is_one_text_per_value() -> None:
    assert canonical_json({"b": [1, "é", None, True], "a": {"d": 1.5, "c": -0}}) == (
        '{"a":{"c":0,"d":1.5},"b":[1,"é",null,true]}'.encode()
    )
    assert canonical_json("\u2028\x07") == b'"\xe2\x80\xa8\\u0007"'
    for bad in (float("nan"), float("inf"), {1: "x"}, (1, 2), 2**53, {"x": {1, 2}}, "\ud800"):
        with pytest.raises(CanonicalJSONError):
            canonical_json(bad)
    assert parse_canonical_json(b'{"a":1,"b":[true]}') == {"a": 1, "b": [True]}
    for text in (b'{"b":1,"a":2}', b'{"a": 1}', b'{"a":1,"a":1}', b"NaN", b'"\\u00e9"', b"\xff", b"1e400"):
        with pytest.raises(CanonicalJSONError):
            parse_canonical_json(text)
    with pytest.raises(CanonicalJSONError, match="payload_digest"):
        encode_entry({"payload_digest": "ABC"})
    with pytest.raises(CanonicalJSONError, match="65535"):
        encode_entry({"x": "y" * 70_000})
    with pytest.raises(CanonicalJSONError, match="object"):
        decode_entry(b"[1]")


def test_salted_digest_hides_the_payload_and_commits_to_it() -> None:
    payload = {"bsn": "123456782", "naam": "Jan"}
    first, second = commit_payload(payload), commit_payload(payload)
    assert first.salt != second.salt and first.digest != second.digest  # no linking of equal payloads
    assert first.digest == hashlib.sha256(first.salt + canonical_json(payload)).digest()
    assert payload_matches(first.salt, payload, first.digest)
    assert not payload_matches(first.salt, {**payload, "naam": "Piet"}, first.digest)
    assert (
        payload_digest(first.salt, {"naam": "Jan", "bsn": "123456782"}) == first.digest
    )  # key order is irrelevant
    with pytest.raises(ValueError):
        payload_digest(b"short", payload)


def test_verifier_and_library_agree_on_canonical_form(tmp_path: Path) -> None:
    # An entry the library would never write: valid JSON, keys out of order.
    log = make_log(3)
    log.entries[1] = b'{"seq":1,"kind":"besluit"}'
    log.payloads = []
    bundle = log.export(tmp_path / "bundle")
    code, output = verify(bundle)
    assert code == 1
    assert "entry 1: valid JSON but not its canonical form" in output
    assert TileID(0, 0, 3).path in {p.relative_to(bundle).as_posix() for p in bundle.rglob("*")}


# --- Two cores: the child parses most entries, the parent glances at the digests -------------------------


def nested_digest_log(size: int) -> Log:
    """Entries whose nested object holds a payload_digest key ahead of the real one: the parent's glance at
    the bytes takes the nested one, so only the parsed digests are right."""
    log = make_log(size)
    for index, entry in enumerate(log.entries):
        value = decode_entry(entry)
        value["context"] = {"payload_digest": "0" * 64}  # sorts before the top-level key
        log.entries[index] = encode_entry(value)
    return log


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_nested_payload_digest_does_not_fool_the_two_core_check(tmp_path: Path, jobs: str) -> None:
    log = nested_digest_log(40)
    intact = log.export(tmp_path / "intact")
    code, output = verify(intact, "--jobs", jobs)
    assert code == 0, output

    altered = Path(shutil.copytree(intact, tmp_path / "altered"))
    lines = (altered / "payloads.jsonl").read_bytes().splitlines()
    lines[35] = lines[35].replace(b"Inwoner 35", b"Inwoner 36")
    (altered / "payloads.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fix_manifest(altered)
    code, output = verify(altered, "--jobs", jobs)
    assert code == 1
    assert "entry 35: the payload and salt do not hash to the entry's payload_digest" in output
    assert output.count("FAIL") == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_entries_that_are_not_canonical_are_named_in_both_shares(tmp_path: Path, jobs: str) -> None:
    # With two jobs the two processes parse chunks as they come free; the report keeps the entries' order.
    log = make_log(100)
    log.entries[3] = b'{"seq":3,"kind":"besluit"}'
    log.entries[97] = b'{"seq": 97}'
    log.payloads = [p for p in log.payloads if p.index not in (3, 97)]
    bundle = log.export(tmp_path / "bundle")
    code, report = verify_json(bundle, "--jobs", jobs)
    assert code == 1
    errors = [str(error) for error in report["errors"] if str(error).startswith("entry encoding")]  # type: ignore[attr-defined]
    assert errors == [
        "entry encoding: entry 3: valid JSON but not its canonical form (key order, whitespace or escapes)",
        "entry encoding: entry 97: valid JSON but not its canonical form (key order, whitespace or escapes)",
    ]


def test_chunks_are_handed_out_once_each_across_a_fork() -> None:
    chunks = Chunks(2_000)
    pending = in_background(lambda: list(iter(chunks.claim, None)))
    mine = list(iter(chunks.claim, None))
    theirs = pending.result()
    assert sorted(mine + theirs) == list(range(2_000))
    assert chunks.claim() is None


def test_every_chunk_is_parsed_once_whichever_process_takes_it(tmp_path: Path) -> None:
    log = make_log(10)
    log.entries[7] = b'{"seq": 7}'
    chunks = Chunks(4)  # chunks of 3, 3, 3 and 1 entries
    assert [chunk_bounds(10, 4)(n) for n in range(4)] == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert chunks.claim() == 0  # taken by "the other process"
    parsed = parse_claimed(log.entries, chunks)
    assert [number for number, _, _ in parsed] == [1, 2, 3]
    assert [len(digests) for _, digests, _ in parsed] == [3, 3, 1]
    assert parsed[1][2] == [
        "entry 7: valid JSON but not its canonical form (key order, whitespace or escapes)"
    ]

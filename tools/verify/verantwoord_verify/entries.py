"""Recomputing the tree from the entries, and checking the payloads against their digests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from typing import Any

from .bundle import Bundle
from .canonical import HEX_DIGEST, canonical_json, decode_text, encode_text, parse_canonical, parse_json
from .merkle import HASH_SIZE, build_levels, fold, range_nodes
from .notes import Checkpoint
from .parallel import Chunks
from .report import Report, VerifyError
from .tiles import TILE_HEIGHT, TILE_WIDTH, decode_bundle, expected_bundles, expected_tiles, parse_tile_path


def read_entries(bundle: Bundle, size: int, report: Report) -> list[bytes]:
    """The entries the bundle holds, in order, whatever its entry-bundle files are called."""
    problems: list[str] = []
    expected = expected_bundles(size)
    found: dict[int, list[tuple[int, str]]] = {}
    for relative in bundle.paths:
        parsed = parse_tile_path(relative)
        if parsed is not None and parsed[0] == "entries":
            found.setdefault(parsed[1], []).append((parsed[2], relative))
    entries: list[bytes] = []
    for index in sorted(found):
        # Prefer the file the tree size calls for; otherwise the widest one present.
        candidates = sorted(found[index], reverse=True)
        path = next((p for _, p in candidates if p in expected), candidates[0][1])
        try:
            items = decode_bundle(bundle.read(path) or b"", path)
        except VerifyError as error:
            problems.append(str(error))
            continue
        width = path_width(path)
        if len(items) != width:
            problems.append(f"{path} holds {len(items)} entries, its name says {width}")
        if index * TILE_WIDTH != len(entries):
            problems.append(
                f"{path} starts at entry {index * TILE_WIDTH}, but the entries before it number {len(entries)}"
            )
        entries.extend(items)
    for path in sorted(set(expected) - {p for group in found.values() for _, p in group}):
        problems.append(f"{path} is missing (the tree of size {size} needs it)")
    for path in sorted({p for group in found.values() for _, p in group} - set(expected)):
        problems.append(f"{path} does not belong to a tree of size {size}")
    report.record("entry bundles", problems, f"{len(expected)} entry bundle(s) as tlog-tiles lays them out")
    return entries


def path_width(path: str) -> int:
    parsed = parse_tile_path(path)
    return parsed[2] if parsed else TILE_WIDTH


def check_entry_encoding(entries: Sequence[bytes], report: Report) -> list[str | None]:
    """Each entry is a canonical JSON object; returns each entry's payload_digest (or None)."""
    digests, problems = encoding_problems(entries)
    report.record("entry encoding", problems, encoding_detail(len(entries)))
    return digests


def encoding_detail(count: int) -> str:
    return f"{count} entries, each a canonical JSON object"


def encoding_problems(entries: Sequence[bytes], offset: int = 0) -> tuple[list[str | None], list[str]]:
    """The payload_digest of each entry (or None), and what is wrong with the entries that are not canonical
    JSON objects; ``offset`` is the index of the first entry given."""
    problems: list[str] = []
    digests: list[str | None] = []
    decode, encode, is_hex = decode_text, encode_text, HEX_DIGEST.fullmatch
    for index, entry in enumerate(entries, offset):
        # The common case, inline: at a million entries even a function call per entry shows.
        try:
            text = entry.decode("utf-8")
            value = decode(text)
            if encode(value) == text and type(value) is dict:
                digest = value.get("payload_digest")
                if digest is None or (type(digest) is str and is_hex(digest)):
                    digests.append(digest)
                    continue
        except (ValueError, UnicodeError, RecursionError, VerifyError):
            pass
        try:
            digests.append(entry_digest(entry))  # raises with the precise reason
        except VerifyError as error:
            problems.append(f"entry {index}: {error}")
            digests.append(None)
    return digests, problems


# Where an entry names its payload digest, found without parsing the entry. Not authoritative on its own (a
# nested object could hold the same key, the value could be anything): a parallel run compares the glance
# with the parsed digests. A plain search, not a regular expression: half the time at a million entries.
_DIGEST_KEY = b'"payload_digest":"'
_DIGEST_START = len(_DIGEST_KEY)
_DIGEST_END = _DIGEST_START + 64


def digests_at_a_glance(entries: Sequence[bytes]) -> list[str | None]:
    """Each entry's payload digest as the bytes show it, for checking the payloads while another process
    parses the entries; comparing with the parsed digests tells whether the glance was right."""
    glanced: list[str | None] = []
    add = glanced.append
    for entry in entries:
        at = entry.find(_DIGEST_KEY)
        add(None if at < 0 else entry[at + _DIGEST_START : at + _DIGEST_END].decode("utf-8", "replace"))
    return glanced


def digests_fingerprint(digests: Sequence[str | None]) -> bytes:
    return hashlib.sha256("\n".join(digest or "-" for digest in digests).encode()).digest()


ParsedChunk = tuple[int, list[str | None], list[str]]  # chunk number, its entries' digests, problems


def chunk_bounds(count: int, chunks: int) -> Callable[[int], tuple[int, int]]:
    """The entries of chunk ``number`` as (start, end), for ``count`` entries in ``chunks`` chunks."""
    size = -(-count // chunks) if chunks else 0
    return lambda number: (number * size, min(count, (number + 1) * size))


def parse_claimed(entries: Sequence[bytes], chunks: Chunks) -> list[ParsedChunk]:
    """Parse the chunks of ``entries`` this process claims, until none are left to claim."""
    bounds = chunk_bounds(len(entries), chunks.count)
    parsed = []
    while (number := chunks.claim()) is not None:
        start, end = bounds(number)
        digests, problems = encoding_problems(entries[start:end], start)
        parsed.append((number, digests, problems))
    return parsed


def entry_digest(entry: bytes) -> str | None:
    """The payload_digest of one entry, which must be a canonical JSON object."""
    value = parse_canonical(entry)
    if not isinstance(value, dict):
        raise VerifyError("not a JSON object")
    digest = value.get("payload_digest")
    if digest is not None and not (isinstance(digest, str) and HEX_DIGEST.fullmatch(digest)):
        raise VerifyError("payload_digest is not a SHA-256 digest in lowercase hex")
    return digest


def levels_from_tiles(bundle: Bundle, size: int, computed: Sequence[bytes]) -> Sequence[bytes] | None:
    """The levels as the hash tiles give them, or None if they are not there to read.

    When the level-0 tiles hold exactly the leaf hashes of the entries, the levels already computed
    from the entries are reused: the same hashing twice would only cost time.
    """
    parts = []
    for path, (level, _, width) in expected_tiles(size).items():
        if level == 0:
            data = bundle.read(path)
            if data is None or len(data) != width * HASH_SIZE:
                return None
            parts.append(data)
    leaves = b"".join(parts)
    return computed if computed and computed[0] == leaves else build_levels(leaves)


def root_of(levels: Sequence[bytes], size: int) -> bytes:
    return fold(
        [levels[level][index * HASH_SIZE : (index + 1) * HASH_SIZE] for level, index in range_nodes(0, size)]
    )


def diagnose(leaves: Sequence[bytes], tree: bytes, size: int) -> list[str]:
    """Say what happened to the entries, given the tree's authentic leaf hashes (``tree``)."""
    authentic = [tree[i * HASH_SIZE : (i + 1) * HASH_SIZE] for i in range(size)]
    position = {value: index for index, value in enumerate(authentic)}
    count = len(leaves)
    first = next((i for i in range(min(count, size)) if leaves[i] != authentic[i]), None)
    if first is None:
        if count < size:
            return [f"the log was truncated: the signed tree has {size} entries, the bundle only {count}"]
        if count > size:
            return [
                f"{count - size} entries follow the {size} the signed checkpoint covers (inserted after signing)"
            ]
        return []
    if count < size and position.get(leaves[first], -1) > first:
        return [
            f"entry {first} of the signed tree was deleted: the bundle holds {count} entries, the tree {size}"
        ]
    if count > size and leaves[first + 1 : first + 2] == [authentic[first]]:
        return [
            f"an entry was inserted at position {first}: the bundle holds {count} entries, the tree {size}"
        ]
    problems = []
    for index in range(min(count, size)):
        if leaves[index] != authentic[index]:
            moved = position.get(leaves[index])
            if moved is not None:
                problems.append(f"entries were reordered: entry {index} is the signed tree's entry {moved}")
            else:
                problems.append(f"entry {index} was altered: its hash is not the signed tree's leaf {index}")
    if count != size:
        problems.append(f"the bundle holds {count} entries, the signed tree {size}")
    return problems


def check_tree(
    bundle: Bundle, checkpoint: Checkpoint, entries: Sequence[bytes], report: Report
) -> list[bytes] | None:
    size = checkpoint.size
    sha256 = hashlib.sha256  # leaf_hash, inlined: it runs once per entry
    leaves = [sha256(b"\x00" + entry).digest() for entry in entries]
    levels = build_levels(b"".join(leaves[:size]))
    computed = root_of(levels, size) if len(leaves) >= size else None

    # The tiles as given, against the signed root: if they match, their leaf hashes are authentic
    # and each entry can be told apart as altered, moved, deleted or inserted.
    tile_levels = levels_from_tiles(bundle, size, levels)
    tiles_authentic = tile_levels is not None and hmac.compare_digest(
        root_of(tile_levels, size), checkpoint.root
    )

    problems = []
    if computed is not None and not hmac.compare_digest(computed, checkpoint.root):
        encoded = base64.b64encode(computed).decode()
        problems.append(f"the root computed from the entries, {encoded}, is not the signed root")
    if tiles_authentic and tile_levels is not None and (problems or len(entries) != size):
        problems.extend(diagnose(leaves, tile_levels[0] if tile_levels else b"", size))
    elif not tiles_authentic:
        if computed is None:
            problems.append(f"the bundle holds {len(entries)} entries; the signed checkpoint covers {size}")
        elif len(entries) > size:
            problems.append(f"{len(entries) - size} entries follow the {size} the signed checkpoint covers")
        if problems:
            problems.append(
                "the hash tiles do not match the signed root either, so which entries changed is unknown"
            )
    report.record("root", problems, "the root recomputed from every entry is the signed root")

    tile_problems = []
    expected = expected_tiles(size)
    for path, (level, index, width) in expected.items():
        data = bundle.read(path)
        if data is None:
            tile_problems.append(f"{path} is missing")
        elif computed is not None:
            start = index * TILE_WIDTH * HASH_SIZE
            if data != levels[TILE_HEIGHT * level][start : start + width * HASH_SIZE]:
                tile_problems.append(f"{path} differs from the tile recomputed from the entries")
    for relative in bundle.paths:
        parsed = parse_tile_path(relative)
        if relative.startswith("tile/") and parsed is None:
            tile_problems.append(f"{relative} is not a tlog-tiles path")
        elif parsed is not None and parsed[0] != "entries" and relative not in expected:
            tile_problems.append(f"{relative} does not belong to a tree of size {size}")
    report.record("tiles", tile_problems, f"all {len(expected)} hash tiles recomputed from the entries")
    return list(levels) if not problems else None


def check_payloads(
    bundle: Bundle, manifest: dict[str, Any] | None, digests: Sequence[str | None], report: Report
) -> None:
    """Published payloads hash to their entries' digests; erased ones hold nothing any more."""
    raw = bundle.read("payloads.jsonl")
    if (manifest or {}).get("payloads") is None and raw is None:
        report.checks.append(
            {"check": "payloads", "ok": True, "detail": "no payloads exported (digests only)"}
        )
        return
    if raw is None:
        report.record("payloads", ["the manifest lists payloads.jsonl but it is missing"], "")
        return
    problems: list[str] = []
    seen = bytearray(len(digests))
    counts = [0, 0]  # revealed, erased
    lines = raw.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, 1):
        try:
            counts[_check_payload_line(line, digests, seen)] += 1
        except VerifyError as error:
            problems.append(f"payloads.jsonl line {number}: {error}")
    for index, digest in enumerate(digests):
        if digest is not None and not seen[index]:
            problems.append(f"entry {index} commits to a payload that is neither exported nor marked erased")
    report.record("payloads", problems, f"{counts[0]} payload(s) match their digests, {counts[1]} erased")


# The export writes payload lines as canonical JSON, so keys come in the order erased/index or
# index/payload/salt and the payload's own canonical bytes sit verbatim inside the line. Hashing
# those bytes directly spares parsing and re-encoding every payload: if the digest matches, they
# are the bytes the log committed to. Anything else takes the slow path, which names the problem.
_ERASED_LINE = re.compile(rb'\{"erased":true,"index":(0|[1-9][0-9]*)\}')
_PAYLOAD_START = re.compile(rb'\{"index":(0|[1-9][0-9]*),"payload":')
_PAYLOAD_END = re.compile(rb',"salt":"([0-9a-f]{64})"\}')  # the last 75 bytes of the line


def _check_payload_line(line: bytes, digests: Sequence[str | None], seen: bytearray) -> int:
    """0 for a payload that matches its entry's digest, 1 for an erasure; VerifyError otherwise."""
    start = _PAYLOAD_START.match(line)
    end = _PAYLOAD_END.fullmatch(line, len(line) - 75) if start and len(line) > start.end() + 75 else None
    if start is not None and end is not None:
        index = _claim(int(start[1]), digests, seen)
        payload = line[start.end() : len(line) - 75]
        if hashlib.sha256(bytes.fromhex(end[1].decode()) + payload).hexdigest() != digests[index]:
            raise VerifyError(
                f"entry {index}: the payload and salt do not hash to the entry's payload_digest"
            )
        return 0
    match = _ERASED_LINE.fullmatch(line)
    if match is not None:
        _claim(int(match[1]), digests, seen)
        return 1
    record = parse_json(line)
    number = record.get("index") if isinstance(record, dict) else None
    if type(number) is not int:
        raise VerifyError("not an object with an integer index")
    index = _claim(number, digests, seen)
    if record.get("erased") is True:
        if len(record) != 2:
            held = sorted(set(record) - {"erased", "index"})
            raise VerifyError(f"entry {index} is marked erased but its line still holds {held}: not erased")
        return 1
    salt = record.get("salt")
    if (
        len(record) != 3
        or "payload" not in record
        or not isinstance(salt, str)
        or not HEX_DIGEST.fullmatch(salt)
    ):
        raise VerifyError(f"entry {index}: a payload line holds index, payload and a 32-byte hex salt")
    if hashlib.sha256(bytes.fromhex(salt) + canonical_json(record["payload"])).hexdigest() != digests[index]:
        raise VerifyError(f"entry {index}: the payload and salt do not hash to the entry's payload_digest")
    return 0


def _claim(index: int, digests: Sequence[str | None], seen: bytearray) -> int:
    """Mark a payload line's entry as accounted for; each entry has at most one line."""
    if not 0 <= index < len(digests) or seen[index]:
        raise VerifyError(f"index {index} is repeated or has no entry")
    seen[index] = 1
    if digests[index] is None:
        raise VerifyError(f"entry {index} carries no payload_digest, yet a payload line refers to it")
    return index

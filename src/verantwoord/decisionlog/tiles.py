"""The C2SP tlog-tiles layout (c2sp.org/tlog-tiles) and the export bundle built on it.

A tile at tile level ``L`` with index ``N`` holds up to 256 consecutive hashes of tree level
``8 * L``: exactly the nodes ``(8 * L, N * 256 + i)`` the store keeps, so a tile is a slice of a
level. An entry bundle holds the entries of the level-0 tile with the same index, each prefixed by
its length as a big-endian uint16.

Export bundle (``export_bundle``)::

    checkpoint                     the signed checkpoint note (c2sp.org/tlog-checkpoint)
    tile/<L>/<N>[.p/<W>]           hash tiles for the checkpoint's tree size
    tile/entries/<N>[.p/<W>]       entry bundles: the canonical entry bytes, exactly as hashed
    payloads.jsonl                 optional; one canonical JSON line per entry with a payload,
                                   in index order:
                                   {"index":i,"payload":…,"salt":"<hex>"} or {"erased":true,"index":i}
    keys/<key ID hex>.vkey         verifier keys (current and rotated), one line each
    manifest.json                  origin, tree size, root, keys and the SHA-256 of every other file

Erased entries appear as what the tree holds — the entry with its ``payload_digest`` — and a
``{"erased":true}`` payload line, so an auditor sees the erasure without seeing the data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .canonical import PAYLOAD_DIGEST_FIELD, JSONValue, canonical_json, decode_entry, payload_digest
from .checkpoints import Checkpoint, NoteError, VerifierKey, verify_note
from .merkle import HASH_SIZE, MemoryNodeStore, NodeID, NodeReader, fold, leaf_hash, node_hash, root_nodes

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
BUNDLE_FORMAT = "verantwoord-decisionlog-bundle/1"
PAYLOADS_FILE = "payloads.jsonl"
_PATH = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<width>[1-9][0-9]*))?"
)


@dataclass(frozen=True)
class TileID:
    """A tile (or, with ``level`` None, an entry bundle) of a tree: full when ``width`` is 256."""

    level: int | None
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if self.level is not None and not 0 <= self.level <= 63:
            raise ValueError(f"tile level {self.level} is not between 0 and 63")
        if self.index < 0 or not 1 <= self.width <= TILE_WIDTH:
            raise ValueError(f"tile index {self.index} or width {self.width} out of range")

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def path(self) -> str:
        level = "entries" if self.level is None else str(self.level)
        suffix = f".p/{self.width}" if self.is_partial else ""
        return f"tile/{level}/{encode_index(self.index)}{suffix}"

    def node_range(self) -> tuple[int, int, int]:
        """(tree level, first node index, node count) of the hashes this tile holds."""
        return (TILE_HEIGHT * (self.level or 0), self.index * TILE_WIDTH, self.width)


def encode_index(index: int) -> str:
    """Tile index as zero-padded 3-digit path elements, all but the last prefixed with ``x``."""
    if index < 0:
        raise ValueError("a tile index is never negative")
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])


def parse_tile_path(path: str) -> TileID:
    match = _PATH.fullmatch(path)
    if match is None:
        raise ValueError(f"{path!r} is not a tlog-tiles path")
    index = int(match["index"].replace("x", "").replace("/", ""))
    if encode_index(index) != match["index"]:
        raise ValueError(f"{path!r} encodes its index with leading zero groups")
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    if width >= TILE_WIDTH and match["width"]:
        raise ValueError(f"{path!r}: a partial tile is narrower than {TILE_WIDTH}")
    level = None if match["level"] == "entries" else int(match["level"])
    return TileID(level=level, index=index, width=width)


def tiles_for_size(size: int, *, entries: bool = False) -> list[TileID]:
    """Every tile of a tree of ``size`` leaves: all full tiles and the partial ones (tlog-tiles)."""
    tiles: list[TileID] = []
    level = 0
    while True:
        count = size >> (TILE_HEIGHT * level)  # complete hashes at tree level 8 * level
        if not count:
            return tiles
        tile_level = None if entries else level
        tiles.extend(TileID(tile_level, index) for index in range(count // TILE_WIDTH))
        if count % TILE_WIDTH:
            tiles.append(TileID(tile_level, count // TILE_WIDTH, count % TILE_WIDTH))
        if entries:
            return tiles
        level += 1


def tile_hashes(tile: TileID, reader: NodeReader) -> bytes:
    """The concatenated hashes of a tile, read from a node store."""
    tree_level, start, count = tile.node_range()
    get_range = getattr(reader, "get_range", None)
    if get_range is not None:
        data: bytes = get_range(tree_level, start, count)
        return data
    return b"".join(reader.get_nodes([(tree_level, start + i) for i in range(count)]))


def tile_slot(node: NodeID) -> tuple[int, int, int] | None:
    """Where a stored node lands in the tiles: (tile level, tile index, position), or None.

    Only tree levels 0, 8, 16, … are tiled. Storage that keeps tiles rather than every node writes
    each node :class:`~verantwoord.decisionlog.merkle.TreeBuilder` reports at such a level into its
    tile and drops the rest; :class:`TileNodeReader` recomputes those from the tiles.
    """
    level, index = node
    if level % TILE_HEIGHT:
        return None
    return (level // TILE_HEIGHT, index // TILE_WIDTH, index % TILE_WIDTH)


class TileNodeReader:
    """A :class:`~verantwoord.decisionlog.merkle.NodeReader` over tiles alone.

    Nodes between tile levels are rehashed from the tile below (at most 255 hashes per node), so a
    proof costs a few tile reads instead of a few dozen node reads: a trade of CPU for storage
    (tiles hold about 1.004 hashes per entry, every node 2).
    """

    def __init__(self, size: int, read_tile: Callable[[TileID], bytes]) -> None:
        self._size, self._read_tile = size, read_tile
        self._cache: dict[TileID, bytes] = {}

    def get_nodes(self, ids: Sequence[NodeID]) -> list[bytes]:
        return [self._node(level, index) for level, index in ids]

    def _node(self, level: int, index: int) -> bytes:
        if index < 0 or (index + 1) << level > self._size:
            raise KeyError((level, index))
        tile_level, sub = divmod(level, TILE_HEIGHT)
        first = index << sub  # the node's first hash at the tiled level below it
        count = self._size >> (TILE_HEIGHT * tile_level)
        tile = TileID(
            tile_level, first // TILE_WIDTH, min(TILE_WIDTH, count - first // TILE_WIDTH * TILE_WIDTH)
        )
        if tile not in self._cache:
            data = self._read_tile(tile)
            if len(data) != tile.width * HASH_SIZE:
                raise KeyError((level, index))
            self._cache[tile] = data
        data = self._cache[tile]
        offset = first % TILE_WIDTH
        hashes = [data[(offset + i) * HASH_SIZE : (offset + i + 1) * HASH_SIZE] for i in range(1 << sub)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    parts = []
    for entry in entries:
        if len(entry) > 0xFFFF:
            raise ValueError(f"an entry of {len(entry)} bytes does not fit a uint16 length prefix")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    entries, position = [], 0
    while position < len(data):
        if position + 2 > len(data):
            raise ValueError(f"entry bundle ends inside a length prefix at byte {position}")
        length = int.from_bytes(data[position : position + 2], "big")
        position += 2
        if position + length > len(data):
            raise ValueError(f"entry bundle ends inside an entry at byte {position}")
        entries.append(data[position : position + length])
        position += length
    return entries


# --- The export bundle ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PayloadRecord:
    """An entry's personal payload and salt, or — both None — the record of its erasure."""

    index: int
    salt: bytes | None = None
    payload: JSONValue = None

    @property
    def erased(self) -> bool:
        return self.salt is None

    def line(self) -> bytes:
        if self.salt is None:
            return canonical_json({"erased": True, "index": self.index})
        return canonical_json({"index": self.index, "payload": self.payload, "salt": self.salt.hex()})


@dataclass(frozen=True)
class PublishedKey:
    verifier: VerifierKey
    status: Literal["current", "rotated"] = "current"

    @property
    def path(self) -> str:
        return f"keys/{self.verifier.key_id.hex()}.vkey"


class ExportError(ValueError):
    """The data given to the export do not make an intact bundle; nothing sensible to write."""


def export_bundle(
    directory: Path,
    *,
    entries: Sequence[bytes],
    checkpoint_note: bytes,
    keys: Sequence[PublishedKey],
    payloads: Iterable[PayloadRecord] | None = None,
    store: NodeReader | None = None,
    extra_files: Mapping[str, bytes] | None = None,
) -> dict[str, JSONValue]:
    """Write an export bundle of ``entries`` (index 0 first) under the signed checkpoint.

    ``store`` may supply the stored node hashes; otherwise they are computed from the entries. The
    checkpoint must cover exactly these entries and verify with one of ``keys``: the export refuses
    to write a bundle that ``verantwoord-verify`` would reject. ``extra_files`` (relative path → bytes,
    under ``extra/`` or ``checkpoints/``) are written and listed in the manifest too, e.g. earlier
    checkpoints to check consistency against. Returns the manifest.
    """
    for relative in extra_files or {}:
        if not relative.startswith(("extra/", "checkpoints/")) or ".." in relative.split("/"):
            raise ExportError(f"extra file {relative!r} must lie under extra/ or checkpoints/")
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(f"{directory} is not empty; a bundle is written into a fresh directory")
    checkpoint = _checked_checkpoint(checkpoint_note, keys, len(entries))
    if store is None:
        store = MemoryNodeStore.from_leaf_hashes(b"".join(leaf_hash(entry) for entry in entries))
    root = fold(list(store.get_nodes(root_nodes(checkpoint.size))))
    if root != checkpoint.root_hash:
        raise ExportError("the checkpoint's root hash is not the root of these entries")

    files: dict[str, str] = {}

    def write(relative: str, data: bytes) -> None:
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files[relative] = hashlib.sha256(data).hexdigest()

    write("checkpoint", checkpoint_note)
    for tile in tiles_for_size(checkpoint.size):
        write(tile.path, tile_hashes(tile, store))
    for bundle in tiles_for_size(checkpoint.size, entries=True):
        first = bundle.index * TILE_WIDTH
        write(bundle.path, encode_entry_bundle(entries[first : first + bundle.width]))
    if payloads is not None:
        write(PAYLOADS_FILE, _payload_lines(payloads, entries))
    for key in keys:
        write(key.path, f"{key.verifier.to_string()}\n".encode())
    for relative, data in sorted((extra_files or {}).items()):
        write(relative, data)

    manifest: dict[str, JSONValue] = {
        "format": BUNDLE_FORMAT,
        "origin": checkpoint.origin,
        "tree_size": checkpoint.size,
        "root_hash": base64.b64encode(checkpoint.root_hash).decode("ascii"),
        "payloads": PAYLOADS_FILE if payloads is not None else None,
        "keys": [{"file": key.path, "key": key.verifier.to_string(), "status": key.status} for key in keys],
        "files": dict(sorted(files.items())),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def _checked_checkpoint(note: bytes, keys: Sequence[PublishedKey], count: int) -> Checkpoint:
    if not keys:
        raise ExportError("a bundle publishes at least the key that signed its checkpoint")
    if len({key.path for key in keys}) != len(keys):
        raise ExportError("two published keys share a key ID")
    try:
        checkpoint = Checkpoint.from_text(verify_note(note, [key.verifier for key in keys]).text)
    except NoteError as error:
        raise ExportError(f"the checkpoint does not verify with the published keys: {error}") from error
    if checkpoint.size != count:
        raise ExportError(f"the checkpoint covers {checkpoint.size} entries, {count} were given")
    if len(checkpoint.root_hash) != HASH_SIZE:
        raise ExportError("the checkpoint's root hash is not a SHA-256 hash")
    return checkpoint


def _payload_lines(payloads: Iterable[PayloadRecord], entries: Sequence[bytes]) -> bytes:
    lines, previous = [], -1
    for record in sorted(payloads, key=lambda item: item.index):
        if record.index == previous or not 0 <= record.index < len(entries):
            raise ExportError(f"payload index {record.index} is repeated or has no entry")
        previous = record.index
        digest = decode_entry(entries[record.index]).get(PAYLOAD_DIGEST_FIELD)
        if not isinstance(digest, str):
            raise ExportError(f"entry {record.index} carries no {PAYLOAD_DIGEST_FIELD}")
        if record.salt is not None and payload_digest(record.salt, record.payload).hex() != digest:
            raise ExportError(
                f"the payload of entry {record.index} does not match its {PAYLOAD_DIGEST_FIELD}"
            )
        lines.append(record.line() + b"\n")
    return b"".join(lines)

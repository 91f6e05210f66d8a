"""The C2SP tlog-tiles layout: paths, entry bundles, and node hashes read from tiles."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .merkle import HASH_SIZE, fold, node_hash
from .report import VerifyError

TILE_HEIGHT, TILE_WIDTH = 8, 256


def encode_index(index: int) -> str:
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def tile_path(level: str, index: int, width: int) -> str:
    return f"tile/{level}/{encode_index(index)}" + (f".p/{width}" if width < TILE_WIDTH else "")


def expected_tiles(size: int) -> dict[str, tuple[int, int, int]]:
    """path → (tile level, tile index, width) of every hash tile of a tree of ``size`` leaves."""
    tiles, level = {}, 0
    while size >> (TILE_HEIGHT * level):
        count = size >> (TILE_HEIGHT * level)
        for index in range((count + TILE_WIDTH - 1) // TILE_WIDTH):
            width = min(TILE_WIDTH, count - index * TILE_WIDTH)
            tiles[tile_path(str(level), index, width)] = (level, index, width)
        level += 1
    return tiles


def expected_bundles(size: int) -> dict[str, tuple[int, int]]:
    """path → (index, width) of every entry bundle of a tree of ``size`` leaves."""
    return {
        tile_path("entries", index, min(TILE_WIDTH, size - index * TILE_WIDTH)): (
            index,
            min(TILE_WIDTH, size - index * TILE_WIDTH),
        )
        for index in range((size + TILE_WIDTH - 1) // TILE_WIDTH)
    }


_TILE_RE = re.compile(r"tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?")


def parse_tile_path(path: str) -> tuple[str, int, int] | None:
    match = _TILE_RE.fullmatch(path)
    if match is None:
        return None
    width = int(match[3]) if match[3] else TILE_WIDTH
    return (match[1], int(match[2].replace("x", "").replace("/", "")), width)


def decode_bundle(data: bytes, path: str) -> list[bytes]:
    entries, position, size = [], 0, len(data)
    while position < size:
        if position + 2 > size:
            raise VerifyError(f"{path} ends inside a length prefix (byte {position})")
        end = position + 2 + ((data[position] << 8) | data[position + 1])
        if end > size:
            raise VerifyError(f"{path} ends inside an entry (byte {position})")
        entries.append(data[position + 2 : end])
        position = end
    return entries


class TileNodes:
    """Complete subtree hashes read from hash tiles; inner tile levels are recomputed."""

    def __init__(self, files: Callable[[str], bytes | None], size: int) -> None:
        self._files, self._size = files, size

    def node(self, level: int, index: int) -> bytes:
        if (index + 1) << level > self._size:
            raise VerifyError(f"node ({level}, {index}) is outside the tree of size {self._size}")
        tile_level, sub = divmod(level, TILE_HEIGHT)
        first = index << sub
        count = self._size >> (TILE_HEIGHT * tile_level)
        tile_index = first // TILE_WIDTH
        width = min(TILE_WIDTH, count - tile_index * TILE_WIDTH)
        path = tile_path(str(tile_level), tile_index, width)
        data = self._files(path)
        if data is None or len(data) != width * HASH_SIZE:
            raise VerifyError(f"{path} is missing or not {width} hashes long")
        offset = (first % TILE_WIDTH) * HASH_SIZE
        hashes = [data[offset + i * HASH_SIZE : offset + (i + 1) * HASH_SIZE] for i in range(1 << sub)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]


class LevelNodes:
    """Complete subtree hashes from levels recomputed from the entries."""

    def __init__(self, levels: Sequence[bytes]) -> None:
        self._levels = levels

    def node(self, level: int, index: int) -> bytes:
        return self._levels[level][index * HASH_SIZE : (index + 1) * HASH_SIZE]


def resolve(plan: Sequence[Sequence[tuple[int, int]]], nodes: TileNodes | LevelNodes) -> list[bytes]:
    return [fold([nodes.node(level, index) for level, index in group]) for group in plan]

"""RFC 9162 Merkle tree hashing and proof verification, written out again on purpose."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from .report import VerifyError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def fold(hashes: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash of a range from its perfect subtrees, largest first (RFC 9162 split)."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for item in reversed(hashes[:-1]):
        result = node_hash(item, result)
    return result


def split_point(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def range_nodes(start: int, end: int) -> list[tuple[int, int]]:
    nodes = []
    while start < end:
        width = 1 << ((end - start).bit_length() - 1)
        level = width.bit_length() - 1
        nodes.append((level, start >> level))
        start += width
    return nodes


def inclusion_plan(index: int, size: int) -> list[list[tuple[int, int]]]:
    """RFC 9162 §2.1.3.1 PATH(index, D[size]) as groups of complete subtrees, leaf sibling first."""
    path, start, end = [], 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(range_nodes(start + k, end))
            end = start + k
        else:
            path.append(range_nodes(start, start + k))
            start += k
    return path[::-1]


def consistency_plan(old: int, new: int) -> list[list[tuple[int, int]]]:
    """RFC 9162 §2.1.4.1 PROOF(old, D[new]) as groups of complete subtrees."""
    if old in (0, new):
        return []
    proof, start, end, complete = [], 0, new, True
    while old != end:
        k = split_point(end - start)
        if old <= start + k:
            proof.append(range_nodes(start + k, end))
            end = start + k
        else:
            proof.append(range_nodes(start, start + k))
            start += k
            complete = False
    if not complete:
        proof.append(range_nodes(start, end))
    return proof[::-1]


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        raise VerifyError(f"index {index} is outside the tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerifyError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise VerifyError("the inclusion proof is too short")
    if not hmac.compare_digest(r, root):
        raise VerifyError("the inclusion proof leads to a different root than the signed one")


def verify_consistency(old: int, new: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes) -> None:
    """RFC 9162 §2.1.4.2 (with the trivial cases: equal sizes, the empty tree)."""
    if old > new:
        raise VerifyError(f"tree size {new} cannot extend tree size {old}")
    if old == new:
        if proof or not hmac.compare_digest(old_root, new_root):
            raise VerifyError(f"two different roots for tree size {old}")
        return
    if old == 0:
        return
    if not proof:
        raise VerifyError("the consistency proof is empty")
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerifyError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise VerifyError("the consistency proof is too short")
    if not hmac.compare_digest(fr, old_root):
        raise VerifyError(f"the consistency proof does not lead to the older root (size {old})")
    if not hmac.compare_digest(sr, new_root):
        raise VerifyError(f"the consistency proof does not lead to the bundle's root (size {new})")


def build_levels(leaf_hashes: bytes) -> list[bytes]:
    """Every level of complete subtree hashes, level 0 the leaves, as concatenated hashes."""
    levels, level, sha256 = [], leaf_hashes, hashlib.sha256
    while level:
        levels.append(level)
        view = memoryview(level)
        level = b"".join(
            [sha256(b"\x01" + view[i : i + 64]).digest() for i in range(0, len(level) // 64 * 64, 64)]
        )
    return levels

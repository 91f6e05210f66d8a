"""RFC 9162 (RFC 6962) Merkle tree hashing, incremental building and proofs.

The tree is stored as its *complete subtree hashes*: node ``(level, index)`` is the Merkle Tree
Hash of the ``2**level`` leaves ``[index * 2**level, (index + 1) * 2**level)``. A node is written
once, when its last leaf arrives, and never changes, so storage is append-only (about two hashes
per entry). Every root, inclusion proof and consistency proof of any tree size up to the stored
size is a right-to-left fold of O(log n) such nodes: a proof at ten million entries needs some
two dozen look-ups, which a database answers in one query (see :func:`inclusion_plan`).

The C2SP tiles are slices of the same nodes (tile level ``L`` holds tree level ``8 * L``), so the
export reads them from the store unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Protocol

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
# RFC 9162 §2.1.1: the hash of an empty list is the hash of an empty string.
EMPTY_ROOT = hashlib.sha256(b"").digest()

# (level, index) of a complete subtree; level 0 are the leaves.
NodeID = tuple[int, int]


class ProofError(ValueError):
    """A proof does not verify, or the arguments describe no valid proof."""


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 §2.1.1: SHA-256(0x00 ‖ entry)."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n > 1): RFC 9162's split point k."""
    if n < 2:
        raise ValueError(f"no power of two below {n} splits a tree")
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of a list of leaf hashes (RFC 9162 §2.1.1), in O(n) without recursion."""
    builder = TreeBuilder()
    for item in leaf_hashes:
        builder.append_leaf_hash(item)
    return builder.root()


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine the perfect subtrees of a range, largest (leftmost) first, into its Merkle Tree Hash.

    RFC 9162 splits a range at the largest power of two, so its hash is ``p0 ⊕ (p1 ⊕ (p2 ⊕ …))``:
    the fold runs from the right.
    """
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for item in reversed(hashes[:-1]):
        result = node_hash(item, result)
    return result


# --- Which stored nodes make up a range, a root, a proof --------------------------------------


def range_nodes(start: int, end: int) -> list[NodeID]:
    """The complete subtrees that make up leaves ``[start, end)``, largest first.

    ``start`` must be aligned as RFC 9162's recursion leaves it (a multiple of a power of two at
    least as large as the first subtree); every range in a root or proof is.
    """
    if not 0 <= start < end:
        raise ValueError(f"empty or negative range [{start}, {end})")
    nodes: list[NodeID] = []
    while start < end:
        size = end - start
        width = 1 << (size.bit_length() - 1)  # the largest power of two ≤ size
        if start % width:
            raise ValueError(f"range [{start}, {end}) is not aligned as RFC 9162 splits a tree")
        level = width.bit_length() - 1
        nodes.append((level, start >> level))
        start += width
    return nodes


def root_nodes(size: int) -> list[NodeID]:
    """The nodes whose fold is the root of the tree of ``size`` leaves (its compact range)."""
    if size < 0:
        raise ValueError("a tree size is never negative")
    return range_nodes(0, size) if size else []


def inclusion_plan(index: int, size: int) -> list[list[NodeID]]:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves, as node groups.

    RFC 9162 §2.1.3.1 PATH(m, D[n]), leaf's sibling first. Each element of the path is the fold of
    one group (a single node, except for at most one group on the ragged right edge). Fetch every
    node of every group at once, then call :func:`resolve_plan`.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    path: list[list[NodeID]] = []
    start, end = 0, size
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if index < start + k:
            path.append(range_nodes(start + k, end))
            end = start + k
        else:
            path.append(range_nodes(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_plan(old_size: int, new_size: int) -> list[list[NodeID]]:
    """The consistency proof from ``old_size`` to ``new_size`` as node groups (RFC 9162 §2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from tree size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[list[NodeID]] = []
    # SUBPROOF(m, D[start:end], b) with m the absolute old size; b: the old tree is still a prefix
    # of the subtree we are in, so its own hash needs no proof node.
    start, end, complete = 0, new_size, True
    while old_size != end:
        k = largest_power_of_two_below(end - start)
        if old_size <= start + k:
            proof.append(range_nodes(start + k, end))
            end = start + k
        else:
            proof.append(range_nodes(start, start + k))
            start += k
            complete = False
    if not complete:
        proof.append(range_nodes(start, end))
    proof.reverse()
    return proof


def plan_nodes(plan: Iterable[Sequence[NodeID]]) -> list[NodeID]:
    """Every node a plan needs, each once: what to fetch from storage."""
    seen: dict[NodeID, None] = {}
    for group in plan:
        for node in group:
            seen[node] = None
    return list(seen)


def resolve_plan(plan: Sequence[Sequence[NodeID]], reader: NodeReader) -> list[bytes]:
    """Fetch the nodes of a plan in one call and fold each group into a proof element."""
    ids = plan_nodes(plan)
    hashes = dict(zip(ids, reader.get_nodes(ids), strict=True))
    return [fold([hashes[node] for node in group]) for group in plan]


class NodeReader(Protocol):
    """Storage of complete subtree hashes, as the database or :class:`MemoryNodeStore` keeps them."""

    def get_nodes(self, ids: Sequence[NodeID]) -> Sequence[bytes]:
        """The 32-byte hashes of ``ids``, in that order; raise ``KeyError`` for a missing node."""
        ...


def root_at(size: int, reader: NodeReader) -> bytes:
    """The root hash of the tree's first ``size`` leaves, from stored nodes."""
    ids = root_nodes(size)
    return fold(list(reader.get_nodes(ids))) if ids else EMPTY_ROOT


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    return resolve_plan(inclusion_plan(index, size), reader)


def consistency_proof(old_size: int, new_size: int, reader: NodeReader) -> list[bytes]:
    return resolve_plan(consistency_plan(old_size, new_size), reader)


# --- Verification: RFC 9162 §2.1.3.2 and §2.1.4.2, step by step --------------------------------


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, a SHA-256 hash is {HASH_SIZE}")


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` proves ``leaf`` (a leaf hash) to be included in at ``index``."""
    _check_hash(leaf, "the leaf hash")
    if not 0 <= index < size:  # step 1
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    fn, sn, r = index, size - 1, leaf  # steps 2 and 3
    for position, p in enumerate(proof):  # step 4
        _check_hash(p, f"inclusion proof element {position}")
        if sn == 0:
            raise ProofError(f"inclusion proof is too long for index {index} in a tree of size {size}")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # step 5
        raise ProofError(f"inclusion proof is too short for index {index} in a tree of size {size}")
    return r


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    _check_hash(root, "the root hash")
    if not hmac.compare_digest(root_from_inclusion_proof(leaf, index, size, proof), root):
        raise ProofError(f"inclusion proof for index {index} does not lead to the root of size {size}")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows the new tree extends the old one."""
    _check_hash(old_root, "the old root hash")
    _check_hash(new_root, "the new root hash")
    if not 0 <= old_size <= new_size:
        raise ProofError(f"tree size {new_size} cannot extend tree size {old_size}: the log shrank")
    if old_size == new_size:
        if proof:
            raise ProofError("a consistency proof between equal tree sizes must be empty")
        if not hmac.compare_digest(old_root, new_root):
            raise ProofError(f"two different root hashes for tree size {old_size}: the log forked")
        return
    if old_size == 0:
        # Every tree extends the empty tree; RFC 9162 defines no proof for it.
        if proof:
            raise ProofError("a consistency proof from the empty tree must be empty")
        return
    if not proof:  # step 1
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    for position, p in enumerate(path):
        _check_hash(p, f"consistency proof element {position}")
    if old_size & (old_size - 1) == 0:  # step 2: first is an exact power of two
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # step 7
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if not hmac.compare_digest(fr, old_root):
        raise ProofError(f"the consistency proof does not lead to the old root of size {old_size}")
    if not hmac.compare_digest(sr, new_root):
        raise ProofError(f"the consistency proof does not lead to the new root of size {new_size}")


# --- Building: the compact range, and what storage must keep -----------------------------------


class TreeBuilder:
    """Appends leaves and reports the complete subtrees each append finishes.

    The builder holds only the *compact range* of the tree: one hash per set bit of the size (at
    most 64), enough to compute the root and to continue appending. Storage keeps the nodes that
    :meth:`append_leaf_hash` returns; after a restart, :meth:`from_store` rebuilds the builder from
    ``root_nodes(size)`` of that storage.
    """

    def __init__(self, size: int = 0, border: Sequence[bytes] = ()) -> None:
        if size < 0 or len(border) != size.bit_count():
            raise ValueError(f"a tree of size {size} has a compact range of {size.bit_count()} hashes")
        for item in border:
            _check_hash(item, "a compact range hash")
        self._size = size
        self._border = list(border)  # perfect subtrees, largest first

    @classmethod
    def from_store(cls, size: int, reader: NodeReader) -> TreeBuilder:
        return cls(size, list(reader.get_nodes(root_nodes(size))))

    @property
    def size(self) -> int:
        return self._size

    @property
    def border(self) -> list[bytes]:
        """The compact range: hashes of ``root_nodes(size)``, largest subtree first."""
        return list(self._border)

    def append(self, entry: bytes) -> list[tuple[NodeID, bytes]]:
        """Append an entry (its canonical bytes); return the nodes to store, the leaf first."""
        return self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, leaf: bytes) -> list[tuple[NodeID, bytes]]:
        _check_hash(leaf, "a leaf hash")
        index = self._size
        completed: list[tuple[NodeID, bytes]] = [((0, index), leaf)]
        level, current = 0, leaf
        # Each trailing 1-bit of the index closes a subtree with its left sibling on the border.
        while index & 1:
            current = node_hash(self._border.pop(), current)
            level += 1
            index >>= 1
            completed.append(((level, index), current))
        self._border.append(current)
        self._size += 1
        return completed

    def append_leaf_hashes(self, leaves: Sequence[bytes], min_level: int = 0) -> list[tuple[int, int, bytes]]:
        """Append many leaf hashes at once; return the (level, index, hash) of every subtree they complete
        at ``min_level`` or above — the same nodes as :meth:`append_leaf_hash` one by one, computed a level
        at a time (ten thousand appends per batch: the per-leaf bookkeeping would cost more than hashing)."""
        for leaf in leaves:
            _check_hash(leaf, "a leaf hash")
        size, count = self._size, len(leaves)
        if not count:
            return []
        new_size = size + count
        # The compact range holds one subtree per set bit of the size, largest first.
        old_border = dict(
            zip(
                (bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1),
                self._border,
                strict=True,
            )
        )
        completed: list[tuple[int, int, bytes]] = []
        new_border: dict[int, bytes] = {}
        sha256 = hashlib.sha256
        level, start, nodes = 0, size, list(leaves)
        while nodes or new_size >> level:
            if level >= min_level:
                completed.extend((level, start + offset, value) for offset, value in enumerate(nodes))
            if start & 1:  # the first new node's left sibling is the old subtree at this level
                nodes.insert(0, old_border[level])
                start -= 1
            if new_size >> level & 1:  # the last node of this level is a subtree of the new compact range
                new_border[level] = nodes[-1] if nodes else old_border[level]
            nodes = [sha256(b"\x01" + nodes[i] + nodes[i + 1]).digest() for i in range(0, len(nodes) - 1, 2)]
            level, start = level + 1, start >> 1
        self._border = [new_border[bit] for bit in sorted(new_border, reverse=True)]
        self._size = new_size
        return completed

    def root(self) -> bytes:
        return fold(self._border)


class MemoryNodeStore:
    """Complete subtree hashes in memory: one contiguous ``bytearray`` per level.

    The reference :class:`NodeReader`, used by the export, the tests and the benchmark. Nodes of a
    level are appended in index order — which is the order :class:`TreeBuilder` finishes them.
    """

    def __init__(self) -> None:
        self._levels: list[bytearray] = []

    @classmethod
    def from_leaf_hashes(cls, leaf_hashes: bytes | bytearray) -> MemoryNodeStore:
        """Build every level at once from concatenated leaf hashes (fast path for bulk loads)."""
        if len(leaf_hashes) % HASH_SIZE:
            raise ValueError("leaf hashes must be a concatenation of 32-byte hashes")
        store = cls()
        level = bytearray(leaf_hashes)
        sha256 = hashlib.sha256
        while level:
            store._levels.append(level)
            view = memoryview(level)
            pairs = len(level) // (2 * HASH_SIZE)
            # Node input is 0x01 ‖ left ‖ right, and left ‖ right lie side by side in the level.
            level = bytearray(
                b"".join([sha256(NODE_PREFIX + view[i : i + 64]).digest() for i in range(0, pairs * 64, 64)])
            )
        return store

    @property
    def size(self) -> int:
        """The number of leaves stored."""
        return len(self._levels[0]) // HASH_SIZE if self._levels else 0

    def put(self, nodes: Iterable[tuple[NodeID, bytes]]) -> None:
        for (level, index), value in nodes:
            _check_hash(value, "a node hash")
            while len(self._levels) <= level:
                self._levels.append(bytearray())
            row = self._levels[level]
            if len(row) != index * HASH_SIZE:
                raise ValueError(
                    f"node ({level}, {index}) is out of order: level {level} holds {len(row) // 32}"
                )
            row += value

    def get_nodes(self, ids: Sequence[NodeID]) -> list[bytes]:
        result = []
        for level, index in ids:
            row = self._levels[level] if 0 <= level < len(self._levels) else b""
            start = index * HASH_SIZE
            if index < 0 or start + HASH_SIZE > len(row):
                raise KeyError((level, index))
            result.append(bytes(row[start : start + HASH_SIZE]))
        return result

    def get_range(self, level: int, start: int, count: int) -> bytes:
        """``count`` consecutive hashes of a level, concatenated: a tile."""
        row = self._levels[level] if 0 <= level < len(self._levels) else b""
        if start < 0 or (start + count) * HASH_SIZE > len(row):
            raise KeyError((level, start, count))
        return bytes(row[start * HASH_SIZE : (start + count) * HASH_SIZE])

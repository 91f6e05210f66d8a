"""RFC 9162 Merkle hashing and proofs, against published vectors and a by-the-letter reference."""

from __future__ import annotations

import hashlib

import pytest

from verantwoord.decisionlog.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    ProofError,
    TreeBuilder,
    consistency_plan,
    consistency_proof,
    inclusion_plan,
    inclusion_proof,
    leaf_hash,
    node_hash,
    plan_nodes,
    root_at,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from verantwoord.decisionlog.tiles import (
    TileID,
    TileNodeReader,
    decode_entry_bundle,
    encode_entry_bundle,
    encode_index,
    parse_tile_path,
    tile_hashes,
    tile_slot,
    tiles_for_size,
)

# The RFC 6962 test vectors of the Certificate Transparency Go code, as kept in
# transparency-dev/merkle (testonly/constants.go and proof/verify_test.go).
LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
# (leaf index, tree size, audit path); the Go vectors count leaves from 1.
INCLUSION_VECTORS = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY_VECTORS = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip


# --- A reference written straight from RFC 9162 §2.1, recursion and all -------------------------


def ref_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*ref_path(m, leaves[:k]), ref_mth(leaves[k:])]
    return [*ref_path(m - k, leaves[k:]), ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [ref_mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*ref_subproof(m, leaves[:k], b), ref_mth(leaves[k:])]
    return [*ref_subproof(m - k, leaves[k:], False), ref_mth(leaves[:k])]


def make_leaves(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def store_of(leaves: list[bytes]) -> MemoryNodeStore:
    builder, store = TreeBuilder(), MemoryNodeStore()
    for leaf in leaves:
        store.put(builder.append(leaf))
    return store


def flipped(proof: list[bytes], position: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[position])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:position], bytes(changed), *proof[position + 1 :]]


# --- Published vectors ----------------------------------------------------------------------------


def test_hashing_prefixes_and_empty_tree() -> None:
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert leaf_hash(b"").hex() == ROOTS[1]
    assert node_hash(leaf_hash(b""), leaf_hash(b"\x00")).hex() == ROOTS[2]


def test_roots_of_every_prefix_match_the_vectors() -> None:
    builder = TreeBuilder()
    assert builder.root().hex() == ROOTS[0]
    for size, entry in enumerate(LEAF_INPUTS, 1):
        builder.append(entry)
        assert builder.root().hex() == ROOTS[size]
        assert root_from_leaf_hashes([leaf_hash(e) for e in LEAF_INPUTS[:size]]).hex() == ROOTS[size]


def test_stored_nodes_are_the_vectors_complete_subtrees() -> None:
    store = store_of(LEAF_INPUTS)
    for level, hashes in enumerate(NODE_HASHES):
        assert [h.hex() for h in store.get_nodes([(level, i) for i in range(len(hashes))])] == hashes
    bulk = MemoryNodeStore.from_leaf_hashes(b"".join(leaf_hash(e) for e in LEAF_INPUTS))
    assert bulk.get_range(0, 0, 8) == store.get_range(0, 0, 8)
    for size in range(9):
        assert root_at(size, store).hex() == root_at(size, bulk).hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
def test_inclusion_vectors(index: int, size: int, path: list[str]) -> None:
    store = store_of(LEAF_INPUTS)
    proof = inclusion_proof(index, size, store)
    assert [p.hex() for p in proof] == path
    root = bytes.fromhex(ROOTS[size])
    leaf = leaf_hash(LEAF_INPUTS[index])
    verify_inclusion(leaf, index, size, proof, root)
    for wrong_index, wrong_size in [
        (index + 1, size),
        (index ^ 2, size),
        (index, size * 2),
        (index, size // 2),
    ]:
        if wrong_index < wrong_size and (wrong_index, wrong_size) != (index, size):
            with pytest.raises(ProofError):
                verify_inclusion(leaf, wrong_index, wrong_size, proof, root)
    for garbled in ([*proof, root], [root, *proof], proof[:-1], [EMPTY_ROOT, *proof[1:]]):
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, size, garbled, root)
    with pytest.raises(ProofError):
        verify_inclusion(leaf_hash(b"WrongLeaf"), index, size, proof, root)


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY_VECTORS)
def test_consistency_vectors(old: int, new: int, path: list[str]) -> None:
    store = store_of(LEAF_INPUTS)
    proof = consistency_proof(old, new, store)
    assert [p.hex() for p in proof] == path
    old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    verify_consistency(old, new, proof, old_root, new_root)
    wrong = [
        (old - 1, new, proof, old_root, new_root),
        (old + 1, new, proof, old_root, new_root),
        (old, new * 2, proof, old_root, new_root),
        (old, new, proof, new_root, old_root),
        (old, new, [], old_root, new_root),
        (old, new, [*proof, old_root], old_root, new_root),
        (old, new, [old_root, *proof], old_root, new_root),
        (old, new, proof[:-1], old_root, new_root),
    ]
    for args in wrong:
        if 0 < args[0] <= args[1]:
            with pytest.raises(ProofError):
                verify_consistency(*args)


def test_trivial_consistency_cases() -> None:
    verify_consistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)
    verify_consistency(0, 5, [], EMPTY_ROOT, bytes.fromhex(ROOTS[5]))
    verify_consistency(3, 3, [], bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[3]))
    with pytest.raises(ProofError, match="forked"):
        verify_consistency(3, 3, [], bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[4]))
    with pytest.raises(ProofError, match="shrank"):
        verify_consistency(4, 3, [], bytes.fromhex(ROOTS[4]), bytes.fromhex(ROOTS[3]))
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(3, 3, [EMPTY_ROOT], bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[3]))
    with pytest.raises(ProofError):
        verify_inclusion(leaf_hash(b""), 0, 0, [], EMPTY_ROOT)
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(b"short", 0, 1, [], EMPTY_ROOT)


# --- Properties over many sizes -------------------------------------------------------------------

SIZES = [*range(1, 66), 127, 128, 129, 255, 256, 257, 300]


def test_every_inclusion_proof_of_every_size_is_rfc_9162s_and_verifies() -> None:
    leaves = make_leaves(max(SIZES))
    store = store_of(leaves)
    hashes = [leaf_hash(leaf) for leaf in leaves]
    for size in SIZES:
        root = ref_mth(leaves[:size])
        assert root_at(size, store) == root
        for index in range(size):
            proof = inclusion_proof(index, size, store)
            assert proof == ref_path(index, leaves[:size])
            verify_inclusion(hashes[index], index, size, proof, root)


def test_every_consistency_proof_between_sizes_is_rfc_9162s_and_verifies() -> None:
    leaves = make_leaves(70)
    store = store_of(leaves)
    roots = [ref_mth(leaves[:size]) for size in range(71)]
    for new in range(1, 71):
        for old in range(1, new + 1):
            proof = consistency_proof(old, new, store)
            assert proof == (ref_subproof(old, leaves[:new], True) if old < new else [])
            verify_consistency(old, new, proof, roots[old], roots[new])


def test_any_bit_flip_in_a_proof_fails() -> None:
    leaves = make_leaves(45)
    store = store_of(leaves)
    root = root_at(45, store)
    for index in (0, 17, 31, 44):
        proof = inclusion_proof(index, 45, store)
        for position in range(len(proof)):
            for bit in range(0, 256, 7):
                with pytest.raises(ProofError):
                    verify_inclusion(leaf_hash(leaves[index]), index, 45, flipped(proof, position, bit), root)
    for old in (1, 6, 16, 33):
        proof = consistency_proof(old, 45, store)
        for position in range(len(proof)):
            for bit in range(0, 256, 7):
                with pytest.raises(ProofError):
                    verify_consistency(old, 45, flipped(proof, position, bit), root_at(old, store), root)


def test_a_changed_leaf_changes_every_root_that_covers_it() -> None:
    leaves = make_leaves(20)
    for index in range(20):
        changed = [*leaves[:index], b"changed", *leaves[index + 1 :]]
        assert ref_mth(changed) != ref_mth(leaves)
        assert root_from_leaf_hashes([leaf_hash(leaf) for leaf in changed]) == ref_mth(changed)


# --- Storage: the builder, the store, and how many look-ups a proof costs -------------------------


def test_builder_reports_each_complete_subtree_once_and_restarts_from_the_store() -> None:
    builder, store = TreeBuilder(), MemoryNodeStore()
    written: list[tuple[int, int]] = []
    for leaf in make_leaves(100):
        nodes = builder.append(leaf)
        written.extend(node for node, _ in nodes)
        store.put(nodes)
    assert len(written) == len(set(written)) == 100 + 50 + 25 + 12 + 6 + 3 + 1
    restored = TreeBuilder.from_store(100, store)
    assert restored.root() == builder.root() and restored.border == builder.border
    for leaf in make_leaves(130)[100:]:
        store.put(restored.append(leaf))
    assert restored.root() == ref_mth(make_leaves(130))


@pytest.mark.parametrize(
    ("size", "count", "min_level"),
    [
        (0, 1, 0),
        (0, 100, 0),
        (1, 1, 0),
        (5, 11, 0),
        (7, 1, 0),
        (16, 16, 4),
        (100, 130, 4),
        (255, 1, 4),
        (37, 0, 0),
    ],
)
def test_appending_a_batch_gives_the_nodes_and_border_of_appending_one_by_one(
    size: int, count: int, min_level: int
) -> None:
    leaves = [leaf_hash(leaf) for leaf in make_leaves(size + count)]
    one_by_one = TreeBuilder()
    for leaf in leaves[:size]:
        one_by_one.append_leaf_hash(leaf)
    batch = TreeBuilder(size, one_by_one.border)
    expected = [
        (level, index, value)
        for leaf in leaves[size:]
        for (level, index), value in one_by_one.append_leaf_hash(leaf)
        if level >= min_level
    ]
    assert sorted(batch.append_leaf_hashes(leaves[size:], min_level)) == sorted(expected)
    assert batch.size == one_by_one.size and batch.border == one_by_one.border
    assert batch.root() == ref_mth(make_leaves(size + count))


def test_store_refuses_gaps_and_reports_missing_nodes() -> None:
    store = MemoryNodeStore()
    with pytest.raises(ValueError, match="out of order"):
        store.put([((0, 1), EMPTY_ROOT)])
    with pytest.raises(KeyError):
        store.get_nodes([(0, 0)])
    with pytest.raises(ValueError):
        TreeBuilder(3, [EMPTY_ROOT])


def test_proofs_at_ten_million_need_only_logarithmically_many_nodes() -> None:
    size = 10_000_000
    for index in (0, 4_999_999, 9_999_999, 8_388_607, 8_388_608):
        assert len(plan_nodes(inclusion_plan(index, size))) <= 2 * size.bit_length()
    assert len(plan_nodes(consistency_plan(1_234_567, size))) <= 2 * size.bit_length()
    with pytest.raises(ProofError):
        inclusion_plan(size, size)
    with pytest.raises(ProofError):
        consistency_plan(size + 1, size)


# --- Tiles are slices of the stored levels --------------------------------------------------------


def test_tile_index_encoding_and_paths() -> None:
    assert encode_index(0) == "000"
    assert encode_index(1234067) == "x001/x234/067"
    assert TileID(0, 1234067).path == "tile/0/x001/x234/067"
    assert TileID(2, 5, 17).path == "tile/2/005.p/17"
    assert TileID(None, 1000, 3).path == "tile/entries/x001/000.p/3"
    for tile in (TileID(0, 1234067), TileID(2, 5, 17), TileID(None, 1000, 3), TileID(63, 0)):
        assert parse_tile_path(tile.path) == tile
    for bad in (
        "tile/0/1",
        "tile/0/x000/001",
        "tile/0/001.p/256",
        "tile/64/000",
        "tile/00/000",
        "tile/0/000.p/0",
    ):
        with pytest.raises(ValueError):
            parse_tile_path(bad)


def test_tiles_for_a_tree_of_70000_are_as_the_spec_lists() -> None:
    tiles = tiles_for_size(70_000)
    assert [t for t in tiles if t.level == 0 and not t.is_partial] == [TileID(0, i) for i in range(273)]
    assert TileID(0, 273, 112) in tiles
    assert [t for t in tiles if t.level == 1] == [TileID(1, 0), TileID(1, 1, 17)]
    assert [t for t in tiles if t.level == 2] == [TileID(2, 0, 1)]
    assert len(tiles) == 273 + 1 + 2 + 1
    assert tiles_for_size(256) == [TileID(0, 0), TileID(1, 0, 1)]
    assert tiles_for_size(0) == []
    assert tiles_for_size(600, entries=True) == [TileID(None, 0), TileID(None, 1), TileID(None, 2, 88)]


def test_tile_hashes_are_the_stored_level_and_rehash_to_the_level_above() -> None:
    leaves = make_leaves(600)
    store = store_of(leaves)
    level0 = tile_hashes(TileID(0, 1), store)
    assert level0 == b"".join(leaf_hash(leaf) for leaf in leaves[256:512])
    # A full tile's hashes fold into the single hash it contributes to the tile level above.
    level1 = tile_hashes(TileID(1, 0, 2), store)
    assert level1[32:64] == ref_mth(leaves[256:512])


def test_entry_bundles_are_uint16_length_prefixed() -> None:
    entries = [b"", b"a", b"x" * 300]
    data = encode_entry_bundle(entries)
    assert data[:2] == b"\x00\x00" and data[2:5] == b"\x00\x01a" and data[5:7] == (300).to_bytes(2, "big")
    assert decode_entry_bundle(data) == entries
    with pytest.raises(ValueError):
        decode_entry_bundle(data[:-1])
    with pytest.raises(ValueError):
        encode_entry_bundle([b"x" * 70_000])


def test_tiles_alone_serve_every_proof() -> None:
    leaves = make_leaves(70_000 // 100)  # 700: full and partial tiles on two levels
    store = store_of(leaves)
    size = len(leaves)
    tiles = {tile: tile_hashes(tile, store) for tile in tiles_for_size(size)}
    reads: list[TileID] = []

    def read_tile(tile: TileID) -> bytes:
        reads.append(tile)
        return tiles[tile]

    for index in (0, 255, 256, 511, 699):
        reader = TileNodeReader(size, read_tile)
        assert inclusion_proof(index, size, reader) == inclusion_proof(index, size, store)
        assert root_at(size, reader) == root_at(size, store)
    for old in (1, 256, 300, 512):
        assert consistency_proof(old, size, TileNodeReader(size, read_tile)) == consistency_proof(
            old, size, store
        )
    assert set(reads) <= set(tiles)
    with pytest.raises(KeyError):
        TileNodeReader(size, read_tile).get_nodes([(0, size)])


def test_tile_slots_of_the_nodes_an_append_reports() -> None:
    builder = TreeBuilder()
    for leaf in make_leaves(255):
        builder.append(leaf)
    nodes = [node for node, _ in builder.append(b"the 256th")]
    assert [tile_slot(node) for node in nodes] == [
        (0, 0, 255),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        (1, 0, 0),
    ]

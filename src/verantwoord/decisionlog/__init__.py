"""The tamper-evident decision log: the pure cryptographic core.

Nothing here touches Django or a database. Storage, ingestion and the web API are built on top:

* ``canonical`` — the canonical JSON bytes of an entry, and the salted payload digest that lets
  personal data be erased without breaking the tree;
* ``merkle`` — RFC 9162 Merkle tree hashing, an incremental builder whose newly completed nodes
  are what storage keeps, and inclusion/consistency proofs from those stored nodes;
* ``checkpoints`` — C2SP signed-note checkpoints with Ed25519 keys, rotation included;
* ``tiles`` — the C2SP tlog-tiles layout and the export bundle that ``tools/verify`` checks.
"""

"""verantwoord-verify: check an exported Verantwoord decision-log bundle, from scratch.

It recomputes every leaf hash from the entries, every tile, and the root, and checks the root
against the signed checkpoint (C2SP tlog-checkpoint, signed-note, Ed25519), the signatures against
the bundle's public keys and against keys you trust (``--key``), the SHA-256 of every file against
the manifest, and every published payload against the salted digest its entry commits to.

Exit status: 0 intact; 1 not intact (every problem is listed); 2 the verifier could not run
(bad arguments, no bundle at that path, an unreadable file given as an argument).

This package deliberately imports nothing from ``verantwoord``: only the standard library and
``cryptography``. The Merkle hashing, canonical JSON, note parsing and tile layout are written out
again here, on purpose — a verifier that reused the code it checks would inherit its mistakes.

Run it as ``verantwoord-verify BUNDLE_DIR`` once installed, or from ``tools/verify`` as
``python -m verantwoord_verify BUNDLE_DIR``.
"""

from .cli import main

__all__ = ["main"]

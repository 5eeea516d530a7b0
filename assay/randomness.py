"""Seed derivation: every random stream comes from a hash of its parts, never ``seed + index``.

Two streams with different parts never overlap, and none depends on PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import random

from assay.types import canonical_json


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from JSON-safe parts (a task id, a seed, an index...).

    >>> derive_seed("math/arithmetic", 0, 1) == derive_seed("math/arithmetic", 0, 1)
    True
    >>> derive_seed(0, 1) != derive_seed(1, 0)
    True
    """
    digest = hashlib.sha256(canonical_json(list(parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(*parts: object) -> random.Random:
    """A private ``random.Random`` seeded from the parts (never the global ``random``).

    >>> rng_for("x", 3).random() == rng_for("x", 3).random()
    True
    """
    return random.Random(derive_seed(*parts))

"""What a corpus already holds, in fixed size: 64-bit hashes of problem ids and prompts in an
open-addressing table, so de-duplicating ten million problems costs about 300 MB, not the prompts.

Two different texts share a 64-bit hash with odds of about n^2 / 2^65 (one in a few hundred
thousand at ten million problems); such a clash skips one problem, the same one in every run.
"""

from __future__ import annotations

import hashlib

import numpy as np

from assay.types import Problem

MAX_LOAD = 0.7


def text_hash(kind: bytes, text: str) -> int:
    """A non-zero 64-bit hash of ``text`` in the domain ``kind`` (ids and prompts never clash).

    >>> text_hash(b"prompt", "What is 1+1?") == text_hash(b"prompt", "What is 1+1?") != text_hash(b"id", "What is 1+1?")
    True
    """
    value = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8, person=kind).digest(), "little")
    return value or 1  # 0 marks an empty slot


class HashSet64:
    """A set of non-zero 64-bit integers in a numpy table (linear probing, grown at 70% load).

    >>> seen = HashSet64()
    >>> seen.add(5), seen.add(5), 5 in seen, 6 in seen, len(seen)
    (True, False, True, False, 1)
    """

    def __init__(self, capacity: int = 1 << 12) -> None:
        size = 1
        while size < capacity:
            size <<= 1
        self._table = np.zeros(size, dtype=np.uint64)
        self._mask = size - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _slot(self, value: int) -> int:
        table, mask = self._table, self._mask
        index = value & mask  # the values are hashes already: their low bits are spread
        while True:
            held = table.item(index)
            if held == 0 or held == value:
                return index
            index = (index + 1) & mask

    def __contains__(self, value: int) -> bool:
        return self._table.item(self._slot(value)) == value

    def add(self, value: int) -> bool:
        """Add ``value``; True when it was new."""
        if not 0 < value < 1 << 64:
            raise ValueError(f"HashSet64 holds non-zero 64-bit values, not {value!r}")
        index = self._slot(value)
        if self._table.item(index) == value:
            return False
        self._table[index] = value
        self._count += 1
        if self._count > MAX_LOAD * len(self._table):
            self._grow()
        return True

    def _grow(self) -> None:
        held = self._table[self._table != 0]
        self._table = np.zeros(len(self._table) * 2, dtype=np.uint64)
        self._mask = len(self._table) - 1
        for value in held.tolist():
            self._table[self._slot(value)] = value


class SeenProblems:
    """The ids and prompts a corpus holds so far, as fixed-size hashes.

    >>> from assay.scoring import generate
    >>> a, b = generate("math/arithmetic", 2)
    >>> seen = SeenProblems()
    >>> seen.add(a), seen.add(b), seen.add(a)
    (True, True, False)
    """

    def __init__(self) -> None:
        self._hashes = HashSet64()

    def add(self, problem: Problem, *, by_prompt: bool = True) -> bool:
        """Record ``problem``; False when its id (or, with ``by_prompt``, its prompt) was seen
        before (then nothing is recorded). Tasks whose prompt does not show the whole problem (a
        terminal task's instruction over a file tree of its own) are told apart by id alone.

        >>> from assay.types import Problem
        >>> seen = SeenProblems()
        >>> one, two = (Problem.create("t/x", "Tidy /work.", "", {"tree": n}, {}) for n in (1, 2))
        >>> seen.add(one, by_prompt=False), seen.add(two, by_prompt=False), seen.add(two)
        (True, True, False)
        """
        return self.add_hashes(text_hash(b"id", problem.id), text_hash(b"prompt", problem.prompt), by_prompt=by_prompt)

    def add_hashes(self, by_id: int, prompt: int, *, by_prompt: bool = True) -> bool:
        """``add`` for a problem given by its ``text_hash`` of id (kind ``b"id"``) and of prompt
        (kind ``b"prompt"``), as a generation worker computes them."""
        if by_id in self._hashes or (by_prompt and prompt in self._hashes):
            return False
        self._hashes.add(by_id)
        self._hashes.add(prompt)
        return True

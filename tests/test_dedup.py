"""Fixed-size de-duplication: the hash table agrees with a Python set through its growth, and a
problem repeats when either its id or its prompt does."""

from __future__ import annotations

import dataclasses
import random

import pytest

import assay
from assay.dedup import HashSet64, SeenProblems, text_hash


def test_hash_set_agrees_with_a_set_through_growth():
    rng = random.Random(4)
    values = [rng.randrange(1, 1 << 64) for _ in range(5000)]
    values += values[:700]  # repeats
    values += [v & 0xFFF or 1 for v in values[:300]]  # small values that share their low bits
    table, reference = HashSet64(capacity=8), set()
    for value in values:
        assert table.add(value) == (value not in reference)
        reference.add(value)
    assert len(table) == len(reference)
    assert all(v in table for v in reference)
    assert not any(v in table for v in (rng.randrange(1, 1 << 64) for _ in range(2000)) if v not in reference)


@pytest.mark.parametrize("bad", [0, -1, 1 << 64])
def test_hash_set_refuses_what_it_cannot_hold(bad):
    with pytest.raises(ValueError):
        HashSet64().add(bad)


def test_a_problem_repeats_by_id_or_by_prompt():
    a, b = assay.generate("math/arithmetic", 2, seed=3)
    seen = SeenProblems()
    assert seen.add(a) and seen.add(b)
    assert not seen.add(dataclasses.replace(b, prompt="a prompt never seen"))  # same id
    assert not seen.add(dataclasses.replace(a, id="f" * 24))  # same prompt
    assert seen.add(dataclasses.replace(a, id="f" * 24, prompt="a prompt never seen"))


def test_hashes_are_stable_and_domain_separated():
    assert text_hash(b"prompt", "x") == text_hash(b"prompt", "x") != text_hash(b"id", "x")
    assert text_hash(b"prompt", "x") == 0xB9627D36264826  # pinned: blake2b-64, little-endian

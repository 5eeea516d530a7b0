"""Fuzzed variants of an external database: on one Spider-style database, the equivalent rewrites
of the table still pass, and what one database cannot tell (hard-coded ids, literal rows) fails."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from _sql_cases import EQUIVALENT, NEAR_MISSES, STORE

from assay.errors import ConfigError
from assay.verifiers.sql import verify

ENGINES = ("sqlite", "duckdb")
SUITE_ONLY = [row for row in NEAR_MISSES if row[-1] in {"hard-coded ids (a second database tells)", "literal result rows"}]
SUITE_ONLY += [
    ("SELECT name FROM products WHERE price > (SELECT AVG(price) FROM products)", "SELECT name FROM products WHERE id IN (2, 3, 4)",
     False, "hard-coded ids of a subquery's answer"),
    ("SELECT COUNT(*) FROM orders WHERE quantity >= 2", "SELECT 4", False, "a hard-coded count"),
]


# Equivalent on the fixed databases only because their customer names happen to be unique; the
# schema does not declare it, so the variants (with repeated names) rightly tell them apart.
NAME_UNIQUENESS = {"a join written as an IN subquery", "EXCEPT as NOT IN"}


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("variants") / "store.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript(STORE)
    connection.close()
    return path


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("gold,candidate,expected,why", EQUIVALENT + SUITE_ONLY, ids=[r[-1][:50] for r in EQUIVALENT + SUITE_ONLY])
def test_variants_keep_rewrites_and_catch_hard_coding(gold, candidate, expected, why, engine, store_file):
    before = hashlib.sha256(store_file.read_bytes()).hexdigest()
    want = expected[engine] if isinstance(expected, dict) else expected
    if why in NAME_UNIQUENESS:
        want = False
    for source in (STORE, store_file):
        verdict = verify(f"<answer>{candidate}</answer>", gold, source, dialect=engine, variants=4)
        assert verdict.passed is want, (why, verdict)
    assert hashlib.sha256(store_file.read_bytes()).hexdigest() == before


def test_variants_are_validated():
    with pytest.raises(ConfigError):
        verify("<answer>SELECT 1</answer>", "SELECT 1", STORE, variants=-1)

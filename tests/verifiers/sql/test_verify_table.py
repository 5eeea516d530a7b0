"""The SQL verifier's adversarial table, on both engines and both database forms (script and
SQLite file), as a two-database test suite; every case leaves the databases and the disk as they were."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from _sql_cases import EQUIVALENT, EXTRACTION, HACKS, NEAR_MISSES, STORE, STORE_VARIANT

from assay.verifiers.sql import verify
from assay.verifiers.sql.databases import load
from assay.verifiers.sql.engines import Budget, Result

ENGINES = ("sqlite", "duckdb")
FORMS = ("script", "file")
RESOURCE = {"query_timeout", "too_large"}
REFUSED = {"invalid", "unparseable"}
TABLE = EQUIVALENT + NEAR_MISSES + HACKS
FINGERPRINT = "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM orders), (SELECT SUM(price) FROM products), (SELECT COUNT(*) FROM sqlite_master)"
FINGERPRINT_DUCKDB = "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM orders), (SELECT SUM(price) FROM products), (SELECT COUNT(*) FROM information_schema.tables)"


def test_the_table_is_large_enough():
    assert len(TABLE) >= 80
    assert len({why for *_, why in TABLE}) == len(TABLE), "every row says why, once"


def _write_file(path: Path, script: str) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.close()
    return path


@pytest.fixture(scope="module")
def database_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sql_table")
    return _write_file(folder / "store.db", STORE), _write_file(folder / "variant.db", STORE_VARIANT)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(*folders: Path) -> set[str]:
    return {str(p) for folder in folders for p in folder.rglob("*")}


def _fingerprint(source: object, engine: str) -> tuple:
    query = FINGERPRINT if engine == "sqlite" else FINGERPRINT_DUCKDB
    result = load(source, engine).run(query, Budget.start(5.0, 10**8))  # type: ignore[arg-type]
    assert isinstance(result, Result), result
    return result.rows


def _expected_for(expected: object, engine: str) -> object:
    return expected[engine] if isinstance(expected, dict) else expected


def _case_id(case: tuple) -> str:
    return case[-1].replace(" ", "_")[:60]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("gold,candidate,expected,why", TABLE, ids=[_case_id(c) for c in TABLE])
def test_table(gold, candidate, expected, why, engine, form, database_files, tmp_path, monkeypatch):
    # the working directory is a fresh folder of this test's own: a relative path the query
    # writes lands there, and other tests (other xdist workers) never write into it
    monkeypatch.chdir(tmp_path)
    sources: list = [STORE, STORE_VARIANT] if form == "script" else list(database_files)
    before_digests = [_digest(p) for p in database_files]
    before_listing = _listing(tmp_path, database_files[0].parent)
    before_content = [_fingerprint(s, engine) for s in sources]
    text = candidate.replace("{tmp}", str(tmp_path))
    verdict = verify(f"Reasoning.\n<answer>{text}</answer>", gold, sources, dialect=engine, time_limit_s=1.0)
    want = _expected_for(expected, engine)
    if want is True:
        assert verdict.passed and verdict.score == 1.0, (why, verdict)
    elif want is False:
        assert not verdict.passed and verdict.score == 0.0, (why, verdict)
    elif want == "refused":
        assert verdict.reason in REFUSED and verdict.score == 0.0, (why, verdict)
    elif want in RESOURCE:
        assert verdict.reason in RESOURCE and verdict.score == 0.0, (why, verdict)
    else:
        assert verdict.reason == want and verdict.score == 0.0, (why, verdict)
    # no side effect: files byte-identical, no file created, in-memory copies unchanged
    assert [_digest(p) for p in database_files] == before_digests
    assert _listing(tmp_path, database_files[0].parent) == before_listing
    assert [_fingerprint(s, engine) for s in sources] == before_content


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("template,expected", EXTRACTION)
def test_extraction_forms(template, expected, engine):
    query = "SELECT name FROM customers WHERE age >= 30"
    verdict = verify(template.format(q=query), query, STORE, dialect=engine)
    if expected is True:
        assert verdict.passed
    elif expected is False:
        assert not verdict.passed
    else:
        assert verdict.reason == expected


def test_a_single_database_cannot_tell_hard_coded_ids_but_the_suite_does():
    gold = "SELECT name FROM customers WHERE age >= 30"
    hard_coded = "<answer>SELECT name FROM customers WHERE id IN (1, 3, 5)</answer>"
    assert verify(hard_coded, gold, STORE).passed  # what single-database execution accuracy accepts
    assert not verify(hard_coded, gold, [STORE, STORE_VARIANT]).passed


@pytest.mark.parametrize("engine", ENGINES)
def test_literal_rows_are_refused_even_where_one_database_cannot_tell(engine):
    gold = "SELECT name FROM customers WHERE age >= 30"
    for literal in ("SELECT 'Ann' UNION ALL SELECT 'Cy' UNION ALL SELECT 'Eve'", "SELECT * FROM (VALUES ('Ann'), ('Cy'), ('Eve')) AS v(n)"):
        verdict = verify(f"<answer>{literal}</answer>", gold, STORE, dialect=engine)
        assert verdict.reason == "invalid" and verdict.score == 0.0, verdict
    # a constant column beside a real read is an answer like any other
    assert verify("<answer>SELECT name FROM customers WHERE age >= 30 AND 'x' = 'x'</answer>", gold, STORE, dialect=engine).passed


SUMS = ("CREATE TABLE t(g TEXT, v REAL); INSERT INTO t VALUES ('A', 0.3), ('A', 0.2), ('A', 0.1), "
        "('B', 0.2), ('B', 0.2), ('B', 0.2), ('C', 0.5);")  # SUM: A 0.6, B 0.6000000000000001, C 0.5


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("candidate,expected", [
    ("SELECT g FROM t GROUP BY g ORDER BY SUM(v * 10) DESC, g", True),  # A and B tie once summed another way
    ("SELECT g FROM t GROUP BY g ORDER BY SUM(v * 10) DESC, g DESC", True),
    ("SELECT g FROM t GROUP BY g ORDER BY SUM(v)", False),  # C's place still counts
])
def test_sort_keys_a_last_bit_apart_tie(engine, candidate, expected):
    verdict = verify(f"<answer>{candidate}</answer>", "SELECT g FROM t GROUP BY g ORDER BY SUM(v) DESC", SUMS, dialect=engine)
    assert verdict.passed is expected, verdict


def test_no_file_is_created_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for engine in ENGINES:
        assert verify("<answer>SELECT COUNT(*) FROM orders</answer>", "SELECT COUNT(*) FROM orders", STORE + "\n-- cwd", dialect=engine).passed
    assert os.listdir(tmp_path) == []


PARTIAL = {"syntax": 0.1, "schema_linking": 0.1, "ngram": 0.1, "format": 0.05}


@pytest.mark.parametrize("candidate,positive", [
    ("SELECT name FROM customers WHERE age < 30", True),  # runs, reads the gold's table, right width
    ("SELECT 1", False),  # degenerate: no table of the gold
    ("SELECT * FROM customers", False),  # a dump of the table: wrong width
    ("SELECT nme FROM customers", False),  # does not run
    ("DELETE FROM customers", False),  # a hack earns nothing whatever the weights
])
def test_partial_credit_is_off_by_default_and_never_reached_by_degenerate_answers(candidate, positive):
    gold = "SELECT name FROM customers WHERE age >= 30"
    plain = verify(f"<answer>{candidate}</answer>", gold, STORE)
    weighted = verify(f"<answer>{candidate}</answer>", gold, STORE, partial=PARTIAL)
    assert plain.score == 0.0 and set(plain.detail["components"]) == set(PARTIAL)
    assert (0.0 < weighted.score < 1.0) if positive else weighted.score == 0.0
    assert not weighted.passed

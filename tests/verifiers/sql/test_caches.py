"""The SQL verifier's caches and comparison shortcuts: a worker keeps many problems' databases
(bounded by memory, not by a small count), an evicted database stays usable by whoever holds it,
and the exact shortcuts of the result comparison never pay what the full comparison refuses."""

from __future__ import annotations

import math

import pytest

from assay.verifiers.sql import verify
from assay.verifiers.sql.compare import Result, results_match
from assay.verifiers.sql.databases import _Lru, load
from assay.verifiers.sql.engines import Budget, SqliteDatabase


def test_a_worker_keeps_the_databases_of_many_problems():
    # 60 problems x K=2 small databases: all stay loaded (a count bound of 48 rebuilt them every pass)
    scripts = [f"CREATE TABLE t(a INTEGER); INSERT INTO t VALUES ({i}), ({i + 1});" for i in range(120)]
    first = [load(script) for script in scripts]
    again = [load(script) for script in scripts]
    assert all(a is b for a, b in zip(first, again))
    assert all(isinstance(db, SqliteDatabase) and 0 < db.size_bytes < 1 << 20 for db in first)


def test_the_cache_is_bounded_by_weight_and_keeps_the_newest():
    cache = _Lru(100, weigh=len, max_weight=10)
    for key, value in (("a", "xxxx"), ("b", "yyyy"), ("c", "zzzz")):
        cache.get_or_make(key, lambda value=value: value)
    assert len(cache) == 2 and cache.weight == 8  # "a" went first
    cache.get_or_make("big", lambda: "w" * 50)  # heavier than the whole budget: kept alone
    assert len(cache) == 1 and cache.weight == 50
    made = []
    assert cache.get_or_make("big", lambda: made.append(1) or "other") == "w" * 50 and not made


def test_an_evicted_database_still_answers_its_holder():
    cache = _Lru(1)
    held = cache.get_or_make("one", lambda: SqliteDatabase.from_script("CREATE TABLE t(a INT); INSERT INTO t VALUES (7);"))
    cache.get_or_make("two", lambda: SqliteDatabase.from_script("CREATE TABLE t(a INT);"))  # evicts "one"
    assert held.run("SELECT a FROM t", Budget.start(1.0, 10**6)).rows == ((7,),)


ROWS = [  # (gold rows, candidate rows, ordered, expected, why)
    (((1,), (2,)), ((1,), (2,)), True, True, "identical rows in order"),
    (((1,), (2,)), ((2,), (1,)), False, True, "the same bag in another order"),
    (((1,), (2,)), ((2,), (1,)), True, False, "another order where the gold sorts"),
    (((3,),), ((3.0,),), False, True, "an integer and the same value as an exact float"),
    (((3,),), ((3.0000001,),), False, False, "an integer and a float that is not exact"),
    (((0.1 + 0.2,),), ((0.3,),), True, True, "floats within the tolerance"),
    (((math.nan,),), ((math.nan,),), False, True, "NaN against NaN (different objects)"),
    (((None,),), ((0,),), False, False, "NULL is not zero"),
    ((("a",),), ((b"a",),), False, False, "text is not a blob"),
    (((1,), (1,), (2,)), ((1,), (2,), (2,)), False, False, "same values, other multiplicities"),
    (((1, "x"), (2, "y")), (("x", 1), ("y", 2)), False, True, "columns in another order"),
    (((1, "x"), (2, "y")), ((1, "y"), (2, "x")), False, False, "values moved across rows"),
]


@pytest.mark.parametrize(("gold", "candidate", "ordered", "expected", "why"), ROWS, ids=[row[-1] for row in ROWS])
def test_result_comparison(gold, candidate, ordered, expected, why):
    width = len(gold[0])
    assert results_match(Result(gold, width), Result(candidate, width), ordered=ordered) is expected, why


def test_verdicts_do_not_depend_on_the_parse_cache():
    from assay.verifiers.sql.partial import ngram_counts
    from assay.verifiers.sql.statement import check_read_only

    db = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, age INT); INSERT INTO t VALUES (1, 'Ann', 30), (2, 'Bob', 25);"
    answers = ["<answer>SELECT name FROM t WHERE age = 30</answer>", "<answer>SELECT name FROM t</answer>", "<answer>DROP TABLE t</answer>"]
    weights = {"syntax": 0.1, "ngram": 0.2}
    first = [verify(a, "SELECT name FROM t WHERE age > 26", db, partial=weights) for a in answers]
    check_read_only.cache_clear()
    ngram_counts.cache_clear()
    second = [verify(a, "SELECT name FROM t WHERE age > 26", db, partial=weights) for a in answers]
    strip = [(v.score, v.reason, {k: x for k, x in v.detail.items() if k != "ms"}) for v in first]
    assert strip == [(v.score, v.reason, {k: x for k, x in v.detail.items() if k != "ms"}) for v in second]
    assert [v.reason for v in first] == ["correct", "wrong_answer", "invalid"]

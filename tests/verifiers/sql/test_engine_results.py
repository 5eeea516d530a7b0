"""SQLite results are taken as the engine gives them (its values are already normal) and are still
bounded by the characters they hold; DuckDB results are normalised."""

from __future__ import annotations

from assay.verifiers.sql.compare import normalise
from assay.verifiers.sql.engines import MAX_RESULT_CHARS, MAX_VALUE_BYTES, Budget, DuckdbDatabase, SqliteDatabase

SCRIPT = "CREATE TABLE t(a INTEGER, b REAL, c TEXT, d BLOB); INSERT INTO t VALUES (1, 2.5, 'x', x'00ff'), (NULL, 3, NULL, NULL);"


def test_sqlite_values_come_back_normal():
    db = SqliteDatabase.from_script(SCRIPT)
    try:
        got = db.run("SELECT a, b, c, d, a = 1 FROM t ORDER BY rowid", Budget.start(5.0, 10**7))
        assert got.rows == ((1, 2.5, "x", b"\x00\xff", 1), (None, 3.0, None, None, None))
        assert all(normalise(v) == v and type(normalise(v)) is type(v) for row in got.rows for v in row)
    finally:
        db.close()


def test_sqlite_results_are_bounded_by_their_characters():
    rows = MAX_RESULT_CHARS // (MAX_VALUE_BYTES - 1) + 1  # just over the bound in values of the longest length
    query = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {}) "
             f"SELECT printf('%.*c', {MAX_VALUE_BYTES - 1}, 'x') FROM r")
    db = SqliteDatabase.from_script(SCRIPT)
    try:
        over = db.run(query.format(rows), Budget.start(30.0, 10**9))
        assert over.kind == "too_large", over
        under = db.run(query.format(rows - 2), Budget.start(30.0, 10**9))
        assert len(under.rows) == rows - 2
    finally:
        db.close()


def test_duckdb_values_are_normalised():
    db = DuckdbDatabase.from_script("CREATE TABLE t(d DATE, n DECIMAL(5, 2), b BOOLEAN); INSERT INTO t VALUES ('2020-01-02', 2.50, true);")
    try:
        assert db.run("SELECT d, n, b FROM t", Budget.start(5.0, 10**7)).rows == (("2020-01-02", 2.5, 1),)
    finally:
        db.close()

"""The generator's fast database loads hold what the stored scripts hold: SQLite filled from the
rows equals the script's database, and the DuckDB cross-check's tables equal the DuckDB script's
(types and rows); the scripts' text is the literal-by-literal rendering."""

from __future__ import annotations

import random

import pytest

from assay.generators.sql._base import _sqlite_database
from assay.generators.sql._data import ddl, draw_rows, duckdb_tables, literal, script
from assay.generators.sql._schemas import DOMAIN_NAMES, DOMAINS
from assay.verifiers.sql.engines import Budget, DuckdbDatabase, SqliteDatabase

SIZES = (4, 17, 40)


def draws(name: str) -> list[dict]:
    rng = random.Random(f"loading {name}")
    return [draw_rows(rng, DOMAINS[name], size) for size in SIZES]


def typed(rows: list[tuple]) -> list[tuple]:
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


@pytest.mark.parametrize("name", DOMAIN_NAMES)
def test_scripts_render_every_value_as_its_literal(name):
    domain = DOMAINS[name]
    for rows in draws(name):
        for dialect in ("sqlite", "duckdb"):
            parts = [ddl(domain, dialect)] + [
                f"INSERT INTO {t.name} VALUES\n" + ",\n".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows[t.name]) + ";"
                for t in domain.tables if rows[t.name]]
            assert script(domain, rows, dialect) == "\n".join(parts) + "\n"


@pytest.mark.parametrize("name", DOMAIN_NAMES)
def test_sqlite_filled_from_rows_is_the_scripts_database(name):
    domain = DOMAINS[name]
    for rows in draws(name):
        fast, stored = _sqlite_database(domain, rows), SqliteDatabase.from_script(script(domain, rows, "sqlite"))
        try:
            assert fast.catalog() == stored.catalog()
            for table in domain.tables:
                assert typed(fast.rows(table.name)) == typed(stored.rows(table.name)), table.name
        finally:
            fast.close()
            stored.close()


@pytest.mark.parametrize("name", DOMAIN_NAMES)
def test_duckdb_check_tables_are_the_duckdb_scripts_tables(name):
    domain = DOMAINS[name]
    budget = Budget.start(60.0, 10**9)
    for rows in draws(name):
        stored = DuckdbDatabase.from_script(script(domain, rows, "duckdb"))
        fast = DuckdbDatabase.from_script("SELECT 1")
        try:
            fast.load(duckdb_tables(domain, rows, {t.name for t in domain.tables}))
            for table in domain.tables:
                columns = ("SELECT column_name, data_type FROM information_schema.columns "
                           f"WHERE table_name = '{table.name}' ORDER BY ordinal_position")
                assert fast.run(columns, budget) == stored.run(columns, budget), table.name
                # typeof per value as well: the result normalises dates to text
                probe = f"SELECT *, {', '.join(f'typeof({c.name})' for c in table.columns)} FROM {table.name}"
                got, want = fast.run(probe, budget), stored.run(probe, budget)
                assert got.rows and typed(got.rows) == typed(want.rows), table.name
        finally:
            fast.close()
            stored.close()


def test_duckdb_check_loads_only_the_tables_asked_for():
    domain = DOMAINS["retail"]
    rows = draw_rows(random.Random(3), domain, 8)
    statements = duckdb_tables(domain, rows, {domain.tables[-1].name})
    assert len(statements) == 1 and statements[0].startswith(f"CREATE OR REPLACE TABLE {domain.tables[-1].name} AS")

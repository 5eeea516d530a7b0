"""Seeded rows for a domain's tables (NULLs where nullable, ties and duplicates on purpose, rows
inserted in shuffled order) and their rendering as a DDL + INSERT script for SQLite or DuckDB.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Collection
from typing import Any

from assay.generators.sql._schemas import NAME_POOLS, POOLS, Column, Domain, Table

Rows = dict[str, list[tuple[Any, ...]]]

TYPES = {
    "sqlite": {"INTEGER": "INTEGER", "REAL": "REAL", "TEXT": "TEXT", "DATE": "DATE"},
    "duckdb": {"INTEGER": "INTEGER", "REAL": "DOUBLE", "TEXT": "VARCHAR", "DATE": "DATE"},
}


def _names(rng: random.Random, kind: str, count: int, unique: bool) -> list[str]:
    pools = [POOLS[p] for p in NAME_POOLS[kind]]
    if len(pools) == 2:  # people: some share a first or last name, a few the whole name
        out = [f"{first} {last}" for first, last in zip(rng.choices(pools[0], k=count), rng.choices(pools[1], k=count))]
    else:
        words = list(pools[0])
        rng.shuffle(words)
        out = [words[i % len(words)] + ("" if i < len(words) else f" {i // len(words) + 1}") for i in range(count)]
        if not unique and count > 3:
            out[-1] = out[0]  # a repeated label where labels may repeat
    if unique:
        seen: dict[str, int] = {}
        for i, name in enumerate(out):
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                out[i] = f"{name} {seen[name]}"
    return out


def _numbers(rng: random.Random, column: Column, count: int) -> list[Any]:
    _, low, high = column.kind.split(":")
    lo, hi = int(low), int(high)
    rand = rng.random
    if column.kind.startswith("money:"):
        span = hi - lo
        anchors = [round(lo + span * rand(), 2) for _ in range(3)]
        # about 30% ties on purpose
        return [anchors[int(3 * rand())] if rand() < 0.3 else round(lo + span * rand(), 2) for _ in range(count)]
    width = hi - lo + 1
    anchors = [lo + int(width * rand()) for _ in range(3)]
    return [anchors[int(3 * rand())] if rand() < 0.3 else lo + int(width * rand()) for _ in range(count)]


def _dates(rng: random.Random, column: Column, count: int) -> list[str]:
    _, first, last = column.kind.split(":")
    start = datetime.date(int(first), 1, 1).toordinal()
    width = datetime.date(int(last), 12, 31).toordinal() - start + 1
    rand = rng.random
    anchors = [start + int(width * rand()) for _ in range(2)]
    days = [anchors[int(2 * rand())] if rand() < 0.15 else start + int(width * rand()) for _ in range(count)]
    return [datetime.date.fromordinal(day).isoformat() for day in days]


def draw_rows(rng: random.Random, domain: Domain, size: int) -> Rows:
    """Rows for every table of ``domain``: about ``size`` per entity table, more for link tables.

    >>> from assay.generators.sql._schemas import DOMAINS
    >>> rows = draw_rows(random.Random(0), DOMAINS["retail"], 10)
    >>> sorted(rows) == sorted(t.name for t in DOMAINS["retail"].tables)
    True
    """
    rows: Rows = {}
    ids: dict[str, list[int]] = {}
    for table in domain.tables:
        links = len(table.foreign_keys)
        count = max(4, size + rng.randint(-size // 4, size // 4) + (size // 2) * links)
        columns: list[list[Any]] = []
        for column in table.columns:
            columns.append(_column_values(rng, table, column, count, ids))
        rand = rng.random
        for index, column in enumerate(table.columns):
            if column.nullable:
                share = column.nullable
                columns[index] = [None if rand() < share else v for v in columns[index]]
        table_rows = list(zip(*columns))
        rng.shuffle(table_rows)  # insertion order never matches a sort order
        rows[table.name] = table_rows
        ids[table.name] = list(range(1, count + 1))
    return rows


def _column_values(rng: random.Random, table: Table, column: Column, count: int, ids: dict[str, list[int]]) -> list[Any]:
    kind = column.kind
    if kind == "pk":
        return list(range(1, count + 1))
    if column.parent:
        parents = ids[column.parent]
        # about a quarter of the parents get no child, so anti-joins and LEFT JOINs matter
        used = parents[: max(1, (len(parents) * 3) // 4)] if len(parents) > 3 else parents
        shuffled = list(used)
        rng.shuffle(shuffled)
        weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(shuffled))]  # some parents get many children
        return rng.choices(shuffled, weights=weights, k=count)
    if kind.startswith("name:"):
        return _names(rng, kind[5:], count, column.unique)
    if kind.startswith("pool:"):
        pool: list[Any] = list(POOLS[kind[5:]])
        width = rng.randint(max(2, len(pool) // 2), len(pool))
        used = rng.sample(pool, width)
        return rng.choices(used, k=count)
    if column.date:
        return _dates(rng, column, count)
    return _numbers(rng, column, count)


def literal(value: Any) -> str:
    """A value as a SQL literal.

    >>> literal(None), literal("O'Neil"), literal(2.5), literal(3)
    ('NULL', "'O''Neil'", '2.5', '3')
    """
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


_DDL: dict[tuple[int, str], tuple[Domain, str]] = {}


def ddl(domain: Domain, dialect: str) -> str:
    """The CREATE TABLE statements of a domain, as the prompt shows them (made once per domain)."""
    cached = _DDL.get((id(domain), dialect))
    if cached is not None and cached[0] is domain:
        return cached[1]
    text = _make_ddl(domain, dialect)
    _DDL[(id(domain), dialect)] = (domain, text)
    return text


def _make_ddl(domain: Domain, dialect: str) -> str:
    types = TYPES[dialect]
    statements = []
    for table in domain.tables:
        parts = []
        for column in table.columns:
            words = [column.name, types[column.type]]
            if column.kind == "pk":
                words.append("PRIMARY KEY")
            elif not column.nullable:
                words.append("NOT NULL")
            if column.unique:
                words.append("UNIQUE")
            if column.parent:
                words.append(f"REFERENCES {column.parent}(id)")
            parts.append("  " + " ".join(words))
        statements.append(f"CREATE TABLE {table.name} (\n" + ",\n".join(parts) + "\n);")
    return "\n".join(statements)


def _column_text(values: tuple[Any, ...]) -> list[str]:
    # literal() of every value of a column, rendered a column at a time (the same text; a column
    # holds one type and NULLs, anything else goes through literal() value by value)
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds == {str}:
        return ["NULL" if v is None else "'" + v.replace("'", "''") + "'" for v in values]
    if kinds == {int} or kinds == {float}:
        return ["NULL" if v is None else repr(v) for v in values]
    return [literal(v) for v in values]


def inserts(domain: Domain, rows: Rows) -> list[str]:
    """One INSERT statement per non-empty table, in the domain's order (the same text in both
    dialects: only the DDL differs)."""
    out = []
    for table in domain.tables:
        table_rows = rows[table.name]
        if table_rows:
            columns = [_column_text(values) for values in zip(*table_rows)]
            values = ",\n".join(["(" + ", ".join(row) + ")" for row in zip(*columns)])
            out.append(f"INSERT INTO {table.name} VALUES\n{values};")
    return out


def duckdb_tables(domain: Domain, rows: Rows, tables: Collection[str]) -> list[str]:
    """One DuckDB statement per table of ``tables`` (in the domain's order) that replaces it by a
    table with the DuckDB script's columns, types and rows, converted from the same literals as
    the script's INSERT (keys and constraints left out: the rows already satisfy them).

    >>> from assay.generators.sql._schemas import DOMAINS
    >>> duckdb_tables(DOMAINS["hr"], draw_rows(random.Random(0), DOMAINS["hr"], 4), {"departments"})[0].split(" AS id")[0]
    'CREATE OR REPLACE TABLE departments AS SELECT CAST(c0 AS INTEGER)'
    """
    types = TYPES["duckdb"]
    out = []
    for table in domain.tables:
        if table.name not in tables:
            continue
        spec = ", ".join(f"CAST(c{i} AS {types[c.type]}) AS {c.name}" for i, c in enumerate(table.columns))
        table_rows = rows[table.name]
        if not table_rows:
            out.append(f"CREATE OR REPLACE TABLE {table.name} ({', '.join(f'{c.name} {types[c.type]}' for c in table.columns)})")
            continue
        columns = [_column_text(values) for values in zip(*table_rows)]
        values = ",\n".join(["(" + ", ".join(row) + ")" for row in zip(*columns)])
        names = ", ".join(f"c{i}" for i in range(len(table.columns)))
        out.append(f"CREATE OR REPLACE TABLE {table.name} AS SELECT {spec} FROM (VALUES\n{values}) AS v({names})")
    return out


def script(domain: Domain, rows: Rows, dialect: str) -> str:
    """DDL plus one INSERT per table: a database the verifier loads without generator code.

    >>> from assay.generators.sql._schemas import DOMAINS
    >>> text = script(DOMAINS["hr"], draw_rows(random.Random(0), DOMAINS["hr"], 4), "sqlite")
    >>> text.startswith("CREATE TABLE"), text.count("INSERT INTO")
    (True, 4)
    """
    return "\n".join([ddl(domain, dialect), *inserts(domain, rows)]) + "\n"

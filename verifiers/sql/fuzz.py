"""Fuzzed variants of an external database (test-suite accuracy for Spider/BIRD rows): the same
schema filled with new rows drawn from its own values, the gold's literals and their neighbours,
keeping primary, UNIQUE, NOT NULL and foreign keys. Built once per (content, gold literals, count).
"""

from __future__ import annotations

import hashlib
import logging
import random
import sqlite3
from collections.abc import Hashable
from typing import Any

from sqlglot import exp

from assay.verifiers.sql.engines import SqliteDatabase, TableInfo

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 2_000  # rows of each original table read for value pools
MAX_POOL = 60  # distinct values kept per column
MAX_VARIANT_ROWS = 40  # rows per table in a variant
NULL_SHARE = 0.15


def gold_literals(tree: exp.Expression) -> list[Any]:
    """Numbers and strings the gold query names (a variant must contain them to be informative).

    >>> import sqlglot
    >>> gold_literals(sqlglot.parse_one("SELECT a FROM t WHERE b > 3 AND c = 'x'"))
    [3, 'x']
    """
    out: list[Any] = []
    for node in tree.find_all(exp.Literal):
        if node.is_string:
            out.append(node.this)
        else:
            try:
                number = float(node.this)
            except ValueError:
                continue
            out.append(int(number) if number.is_integer() and "." not in node.this else number)
    return out


def _affinity(declared: str) -> str:
    if "INT" in declared:
        return "int"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "any"


def _pool(rng: random.Random, values: list[Any], affinity: str, literals: list[Any]) -> list[Any]:
    distinct = list(dict.fromkeys(v for v in values if v is not None))
    rng.shuffle(distinct)
    pool = distinct[:MAX_POOL]
    for literal in literals:
        if affinity in ("int", "real") and isinstance(literal, (int, float)):
            pool += [literal, literal + 1, literal - 1] if affinity == "int" and isinstance(literal, int) else [literal]
        elif affinity in ("text", "any") and isinstance(literal, str):
            pool.append(literal)
    numbers = [v for v in pool if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for value in numbers[:5]:  # neighbours of existing numbers make boundaries matter
        pool.append(value + 1 if isinstance(value, int) else value * 1.5)
    return list(dict.fromkeys(pool)) or [0 if affinity in ("int", "real") else "x"]


def _ordered(tables: list[TableInfo]) -> list[TableInfo]:
    """Parents before children (cycles and self references broken by declaration order)."""
    names = {t.name.lower(): t for t in tables}
    done: dict[str, TableInfo] = {}

    def visit(table: TableInfo, path: set[str]) -> None:
        key = table.name.lower()
        if key in done or key in path:
            return
        for _, parent, _ in table.foreign_keys:
            if parent.lower() in names and parent.lower() != key:
                visit(names[parent.lower()], path | {key})
        done[key] = table

    for table in tables:
        visit(table, set())
    return list(done.values())


def _variant_rows(rng: random.Random, table: TableInfo, sample: list[tuple[Any, ...]], literals: list[Any],
                  made: dict[tuple[str, str], list[Any]]) -> list[tuple[Any, ...]]:
    names = [c[0] for c in table.columns]
    count = max(1, min(MAX_VARIANT_ROWS, int(max(len(sample), 4) * rng.uniform(0.5, 1.5))))
    references = {child.lower(): (parent.lower(), (parent_column or "").lower()) for child, parent, parent_column in table.foreign_keys}
    pk = [c[0] for c in sorted((c for c in table.columns if c[3]), key=lambda c: c[3])]
    keys = [tuple(k) for k in table.unique] + ([tuple(pk)] if pk else [])
    pools = [_pool(rng, [row[i] for row in sample], _affinity(c[1]), literals) for i, c in enumerate(table.columns)]
    seen: list[set[tuple[Any, ...]]] = [set() for _ in keys]
    rows: list[tuple[Any, ...]] = []
    for _ in range(count * 3):
        if len(rows) >= count:
            break
        row = []
        for index, (name, declared, not_null, pk_position) in enumerate(table.columns):
            parent = references.get(name.lower())
            parent_values = made.get(parent) if parent else None
            if parent_values:
                value = rng.choice(parent_values)
            elif len(pk) == 1 and pk_position and _affinity(declared) == "int":
                value = len(rows) + 1 + rng.choice((0, 0, 100))  # integer keys, sometimes beyond the original ids
            else:
                value = rng.choice(pools[index])
            if not not_null and not pk_position and rng.random() < NULL_SHARE:
                value = None
            row.append(value)
        key_values = [tuple(row[names.index(c)] for c in key if c in names) for key in keys]
        if any(k in s for k, s in zip(key_values, seen)):
            continue
        for k, s in zip(key_values, seen):
            s.add(k)
        rows.append(tuple(row))
    return rows


def build_variant(source: SqliteDatabase, tables: list[TableInfo], seed: Hashable, literals: list[Any]) -> SqliteDatabase:
    """One variant: the source's DDL, new rows; rows a CHECK or key refuses are skipped."""
    rng = random.Random(int.from_bytes(hashlib.sha256(repr(seed).encode()).digest()[:8], "big"))
    connection = SqliteDatabase.connect()
    made: dict[tuple[str, str], list[Any]] = {}
    trailing: list[str] = []
    for table in tables:
        connection.execute(table.ddl)
        trailing += table.trailing_ddl
    for table in _ordered(tables):
        sample = source.rows(table.name, SAMPLE_ROWS)
        rows = _variant_rows(rng, table, sample, literals, made)
        quoted = table.name.replace('"', '""')
        marks = ", ".join("?" for _ in table.columns)
        kept = []
        for row in rows:
            try:
                connection.execute(f'INSERT INTO "{quoted}" VALUES ({marks})', row)
                kept.append(row)
            except sqlite3.Error:
                continue
        for index, column in enumerate(table.columns):
            made[(table.name.lower(), column[0].lower())] = [r[index] for r in kept if r[index] is not None]
        # a foreign key naming no column refers to the parent's primary key
        pk = [c for c in table.columns if c[3] == 1]
        if pk:
            made[(table.name.lower(), "")] = made[(table.name.lower(), pk[0][0].lower())]
    for statement in trailing:
        try:
            connection.execute(statement)
        except sqlite3.Error:
            logger.debug("a trailing statement of the schema fails on a variant: %s", statement[:80])
    return SqliteDatabase.from_connection(connection)

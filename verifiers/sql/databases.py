"""Databases and gold results, cached by content: a database given as a script or a SQLite file
is loaded once per process (in memory, never written), and a gold query runs once per database.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from assay.errors import ConfigError, DatasetError
from assay.verifiers.sql.compare import Result, rows_equal, sub_bag
from assay.verifiers.sql.engines import MAX_ROWS, Budget, DuckdbDatabase, Failure, SqliteDatabase
from assay.verifiers.sql.fuzz import build_variant, gold_literals
from assay.verifiers.sql.statement import Refusal, Statement, check_read_only, top_level_order

DIALECTS = ("sqlite", "duckdb")
DATABASE_CACHE_SIZE = 2048  # databases held in memory at most (K per problem: a worker keeps its recent problems')
DATABASE_CACHE_BYTES = 512 << 20  # and at most this much memory for them (each database's ``size_bytes``)
GOLD_CACHE_SIZE = 4096
GOLD_TIME_LIMIT_S = 30.0
GOLD_SQLITE_STEPS = 2_000_000_000
KEY_PREFIX = "__assay_key_"
TIE_POOL_ROWS = 1000  # rows read past a LIMIT for the rows tied with those at the cut
SCRIPT_DIGEST_MEMO_CHARS = 1 << 20  # longer scripts are hashed again on each call rather than held

Database: TypeAlias = SqliteDatabase | DuckdbDatabase
DatabaseSource: TypeAlias = str | os.PathLike[str]
V = TypeVar("V")


class _Lru:
    """A small thread-safe LRU cache, bounded by its count of items and, with ``weigh``, by their
    total weight (the newest item is kept even when it alone weighs more).

    An evicted item is dropped, not closed: a thread that took it from the cache just before may
    still be running a query on it, and it is freed when the last user lets go of it.
    """

    def __init__(self, size: int, *, weigh: Callable[[Any], int] | None = None, max_weight: int = 0) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._weigh = weigh
        self._max_weight = max_weight
        self._weights: dict[Hashable, int] = {}
        self.weight = 0

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            if key in self._items:  # another thread made it first: keep one
                return self._items[key]
            self._items[key] = value
            if self._weigh is not None:
                self._weights[key] = self._weigh(value)
                self.weight += self._weights[key]
            while len(self._items) > self._size or (self._weigh is not None and self.weight > self._max_weight and len(self._items) > 1):
                old, _ = self._items.popitem(last=False)
                self.weight -= self._weights.pop(old, 0)
            return value

    def __len__(self) -> int:
        return len(self._items)


_DATABASES = _Lru(DATABASE_CACHE_SIZE, weigh=lambda database: database.size_bytes, max_weight=DATABASE_CACHE_BYTES)
_FILE_DIGESTS = _Lru(1024)
_GOLD_PLANS = _Lru(GOLD_CACHE_SIZE)
_GOLD_RESULTS = _Lru(GOLD_CACHE_SIZE)


def check_dialect(dialect: str) -> str:
    if dialect not in DIALECTS:
        raise ConfigError("dialect", f"must be one of {', '.join(DIALECTS)}", dialect)
    return dialect


def is_script(source: DatabaseSource) -> bool:
    """Whether a database source is SQL text (else it names a SQLite file).

    >>> is_script("CREATE TABLE t(a INT);"), is_script("/data/spider/concert.sqlite")
    (True, False)
    """
    if isinstance(source, os.PathLike):
        return False
    if not isinstance(source, str):
        raise DatasetError(f"a database is a SQL script or the path of a SQLite file, not {type(source).__name__}")
    return "\n" in source or ";" in source or " " in source.strip() or not source.strip()


def _script_digest(script: str) -> str:
    # a worker sees the same script objects again and again (K per problem, every sample): their
    # digests are remembered by text (a str caches its hash; a hit compares by identity first)
    if len(script) > SCRIPT_DIGEST_MEMO_CHARS:
        return _sha256_text(script)
    return _memo_sha256_text(script)


def _sha256_text(script: str) -> str:
    return hashlib.sha256(script.encode("utf-8", "surrogatepass")).hexdigest()


_memo_sha256_text = functools.lru_cache(maxsize=4096)(_sha256_text)


def _file_digest(path: Path) -> tuple[str, bytes | None]:
    try:
        stat = path.stat()
    except OSError as error:
        raise DatasetError(f"cannot read the database file {str(path)!r}: {error.strerror}") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    holder: dict[str, bytes] = {}

    def digest() -> str:
        image = _read(path)
        holder["image"] = image
        return hashlib.sha256(image).hexdigest()

    return _FILE_DIGESTS.get_or_make(key, digest), holder.get("image")


def _read(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:  # read-only: the file is never opened for writing
            return handle.read()
    except OSError as error:
        raise DatasetError(f"cannot read the database file {str(path)!r}: {error.strerror}") from None


def load(source: DatabaseSource, dialect: str = "sqlite") -> Database:
    """The database of a source (script or SQLite file) on an engine, cached by content.

    >>> load("CREATE TABLE t(a INT); INSERT INTO t VALUES (1);").dialect
    'sqlite'
    >>> load("CREATE TABLE broken(")
    Traceback (most recent call last):
    ...
    assay.errors.DatasetError: the database script does not run on SQLite: incomplete input
    """
    check_dialect(dialect)
    if is_script(source):
        script = str(source)
        if not script.strip():
            raise DatasetError("the database script is empty")
        digest = _script_digest(script)
        return _DATABASES.get_or_make((dialect, "script", digest), lambda: _from_script(script, dialect))
    path = Path(source)
    digest, image = _file_digest(path)

    def make() -> Database:
        data = image if image is not None else _read(path)
        if hashlib.sha256(data).hexdigest() != digest:
            raise DatasetError(f"the database file {str(path)!r} changed while it was read")
        sqlite = SqliteDatabase.from_bytes(data, repr(str(path)))
        if dialect == "sqlite":
            return sqlite
        try:
            return DuckdbDatabase.from_sqlite(sqlite)
        finally:
            sqlite.close()

    return _DATABASES.get_or_make((dialect, "file", digest), make)


def _from_script(script: str, dialect: str) -> Database:
    if dialect == "sqlite":
        return SqliteDatabase.from_script(script)
    try:
        return DuckdbDatabase.from_script(script)
    except DatasetError as first:
        try:  # a SQLite-flavoured script (Spider's dumps): let sqlglot translate it once
            translated = ";\n".join(sqlglot.transpile(script, read="sqlite", write="duckdb")) + ";"
        except SqlglotError:
            raise first from None
        if translated == script:
            raise
        return DuckdbDatabase.from_script(translated)


@dataclass(frozen=True)
class GoldPlan:
    """How a gold query is run and compared: whether its rows are ordered, and the query that
    also yields its sort keys (``key_sql``: the gold with ORDER BY terms appended as columns)."""

    tree: exp.Expression
    ordered: bool
    key_columns: tuple[int, ...]  # positions of the sort keys; -1 - i: the i-th appended column
    appended: int  # ORDER BY terms appended to the gold's select list
    key_sql: str | None  # None: run the gold itself
    statement: Statement | None = None  # the checked gold (its text and schema items)
    wide_sql: str | None = None  # a gold cut by LIMIT/OFFSET: the same query reaching past the cut (tie pools)


def gold_plan(gold_sql: str, dialect: str) -> GoldPlan:
    """Parse and check a gold query once (a gold that is not one read-only query: DatasetError).

    >>> plan = gold_plan("SELECT name FROM t ORDER BY price DESC, name", "sqlite")
    >>> plan.ordered, plan.key_columns, plan.appended
    (True, (-1, 0), 1)
    """
    return _GOLD_PLANS.get_or_make((dialect, gold_sql), lambda: _make_plan(gold_sql, dialect))


def _make_plan(gold_sql: str, dialect: str) -> GoldPlan:
    checked = check_read_only(gold_sql, dialect)
    if isinstance(checked, Refusal):
        raise DatasetError(f"the gold query is refused ({checked.reason}): {checked.message}")
    tree = checked.tree
    order = top_level_order(tree)
    if order is None:
        return GoldPlan(tree, False, (), 0, None, checked)
    root = tree
    while isinstance(root, exp.Subquery):
        root = root.this
    projections = list(root.selects) if isinstance(root, (exp.Select, exp.SetOperation)) else []
    names = [p.alias_or_name.lower() if not isinstance(p, exp.Star) else None for p in projections]
    plain = [p.unalias() for p in projections]
    star = any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)) for p in projections)
    keys: list[int] = []
    extra: list[exp.Expression] = []
    for term in order.expressions:
        expression = term.this if isinstance(term, exp.Ordered) else term
        position = _output_position(expression, names, plain)
        if position is not None and not star:
            keys.append(position)
        else:
            keys.append(-1 - len(extra))
            extra.append(expression)
    if not extra:
        return GoldPlan(tree, True, tuple(keys), 0, None, checked, _widened(root, dialect))
    if not isinstance(root, exp.Select) or root.args.get("distinct"):
        return GoldPlan(tree, True, (), 0, None, checked)  # keys not recoverable: rows compared in exact order
    augmented = root.copy()
    augmented = augmented.select(*[e.copy().as_(f"{KEY_PREFIX}{i}") for i, e in enumerate(extra)], append=True)
    # appended keys sit after the gold's own columns; their positions are resolved per result
    return GoldPlan(tree, True, tuple(keys), len(extra), augmented.sql(dialect=dialect), checked, _widened(augmented, dialect))


def _widened(root: exp.Expression, dialect: str) -> str | None:
    """A sorted query cut by a literal LIMIT (and OFFSET) rewritten to reach TIE_POOL_ROWS past the
    cut from the first row: the rows tied with those at the cut, any of which a right answer may
    list instead (None: no literal cut)."""
    if not isinstance(root, (exp.Select, exp.SetOperation)):
        return None
    limit, offset = root.args.get("limit"), root.args.get("offset")
    if not isinstance(limit, exp.Limit) or limit.args.get("offset") is not None:
        return None
    counts = [limit.expression] + ([offset.expression] if offset is not None else [])
    if not all(isinstance(c, exp.Literal) and c.is_int for c in counts) or (offset is not None and not isinstance(offset, exp.Offset)):
        return None
    reach = sum(int(c.name) for c in counts) + TIE_POOL_ROWS
    wide = root.copy()
    wide.set("offset", None)
    return wide.limit(reach).sql(dialect=dialect)


def _output_position(expression: exp.Expression, names: list[str | None], plain: list[Any]) -> int | None:
    if isinstance(expression, exp.Literal) and expression.is_int:
        position = int(expression.name) - 1
        return position if 0 <= position < len(names) else None
    if isinstance(expression, exp.Column) and not expression.table and expression.name.lower() in names:
        return names.index(expression.name.lower())
    for index, projection in enumerate(plain):
        if projection == expression:
            return index
    return None


def run_gold(database: Database, plan: GoldPlan, gold_sql: str) -> Result:
    """The gold's result on one database, with its sort keys when ordered (not cached)."""
    budget = Budget.start(GOLD_TIME_LIMIT_S, GOLD_SQLITE_STEPS)
    if plan.ordered and plan.key_sql is not None:
        got = database.run(plan.key_sql, budget)
        if isinstance(got, Result):
            return _with_ties(database, plan, _keyed(got, plan), budget)
    got = database.run(plan.statement.sql if plan.statement is not None else gold_sql, budget)  # trailing semicolons dropped
    if isinstance(got, Failure):
        raise DatasetError(f"the gold query fails on its database ({got.kind}): {got.message}")
    if plan.ordered and plan.key_columns and all(0 <= k < got.columns for k in plan.key_columns):
        return _with_ties(database, plan, _keyed(got, plan), budget)
    return got


def _keyed(got: Result, plan: GoldPlan) -> Result:
    # the gold's own columns, and each row's sort key (appended key columns sit after them)
    width = got.columns - plan.appended
    positions = [k if k >= 0 else width + (-1 - k) for k in plan.key_columns]
    return Result(tuple(row[:width] for row in got.rows), width, tuple(tuple(row[p] for p in positions) for row in got.rows))


def _with_ties(database: Database, plan: GoldPlan, gold: Result, budget: Budget) -> Result:
    """A gold cut by LIMIT/OFFSET with the pools of the tie groups at its edges: every row of the
    uncut query with the first or last row's sort key (``SELECT name ... ORDER BY price LIMIT 1``
    with two cheapest products: either name is right). Unchanged when nothing ties across the cut."""
    if plan.wide_sql is None or not gold.rows or gold.keys is None:
        return gold
    wide = database.run(plan.wide_sql, budget)
    if isinstance(wide, Failure) or len(wide.rows) >= MAX_ROWS:
        return gold  # no pools: the gold's own tie-break is required
    wide = _keyed(wide, plan)
    assert wide.keys is not None
    if not sub_bag(gold.rows, wide.rows):
        return gold  # the rewritten query does not reach the gold's own rows: trust neither
    ties = []
    for edge in dict.fromkeys((gold.keys[0], gold.keys[-1])):
        pool = tuple(row for row, key in zip(wide.rows, wide.keys) if rows_equal(key, edge))
        if len(pool) > sum(1 for key in gold.keys if rows_equal(key, edge)):
            ties.append((edge, pool))
    return Result(gold.rows, gold.columns, gold.keys, tuple(ties)) if ties else gold


def gold_result(database: Database, plan: GoldPlan, gold_sql: str, digest_key: Hashable) -> Result:
    """The gold's result on one database (with sort keys when ordered), computed once."""
    return _GOLD_RESULTS.get_or_make((digest_key, database.dialect, gold_sql), lambda: run_gold(database, plan, gold_sql))


def variant_databases(source: DatabaseSource, dialect: str, plan: GoldPlan, gold_sql: str, count: int) -> list[tuple[Database, Result]]:
    """``count`` fuzzed variants of an external database with the gold's result on each (variants
    where the gold fails are left out). The source must load in SQLite; built once, then cached."""
    base = load(source, "sqlite")
    if not isinstance(base, SqliteDatabase):  # load(..., "sqlite") builds one
        raise TypeError(f"expected a SQLite database, got {type(base).__name__}")
    key = database_key(source)
    literals = gold_literals(plan.tree)
    literal_key = hashlib.sha256(repr(literals).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    catalog: list[Any] = []
    out = []
    for index in range(count):
        cache_key = (dialect, "variant", key, literal_key, index)

        def make(index: int = index) -> Database:
            if not catalog:
                catalog.append(base.catalog())
            variant = build_variant(base, catalog[0], (key, literal_key, index), literals)
            if dialect == "sqlite":
                return variant
            try:
                return DuckdbDatabase.from_sqlite(variant)
            finally:
                variant.close()

        engine = _DATABASES.get_or_make(cache_key, make)
        result = _GOLD_RESULTS.get_or_make((cache_key, dialect, gold_sql), lambda engine=engine: _gold_or_none(engine, plan, gold_sql))  # type: ignore[misc]
        if result is not None:
            out.append((engine, result))
    return out


def _gold_or_none(database: Database, plan: GoldPlan, gold_sql: str) -> Result | None:
    try:
        return run_gold(database, plan, gold_sql)
    except DatasetError:
        return None


def database_key(source: DatabaseSource) -> Hashable:
    """A content key of a database source, for the gold-result cache."""
    if is_script(source):
        return ("script", _script_digest(str(source)))
    return ("file", _file_digest(Path(source))[0])

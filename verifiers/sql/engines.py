"""Read-only, bounded execution on the two embedded engines: SQLite (an in-memory copy,
``query_only``, an authorizer, a step budget) and DuckDB (no external access, locked settings).
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.errors import DatasetError
from assay.verifiers.sql.compare import Result, normalise
from assay.verifiers.sql.statement import forbidden_function

logger = logging.getLogger(__name__)

MAX_ROWS = 50_000  # rows fetched from one query before it counts as too large
MAX_RESULT_CHARS = 32_000_000  # text held from one result (strings and blobs) before it is too large
MAX_VALUE_BYTES = 1_000_000  # SQLite's longest string or blob (SQLITE_LIMIT_LENGTH)
SQLITE_STEPS_PER_CALL = 1_000  # progress handler period, in virtual machine instructions
SQLITE_HEAP_LIMIT = 1 << 30  # process-wide hard heap limit set when none is set
DUCKDB_MEMORY = "256MB"
SQLITE_CONNECTION_BYTES = 32 << 10  # memory of an open in-memory SQLite connection besides its pages
DUCKDB_DATABASE_BYTES = 12 << 20  # resident memory of a small in-memory DuckDB database (measured: about 13 MiB)

_SQLITE_QUERY_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, getattr(sqlite3, "SQLITE_RECURSIVE", 33)})
# Names forbidden for DuckDB's file functions that are SQLite's string matching (the GLOB operator).
_SQLITE_STRING_FUNCTIONS = frozenset({"glob"})
_SQLITE_LOAD_DENIED = frozenset({sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH})
_HEAP_LIMIT_SET = threading.Lock()
_heap_limit_done = False


@dataclass(frozen=True)
class Budget:
    """Limits of one verification: a wall-clock deadline (monotonic seconds) and, on SQLite, a
    deterministic budget of virtual machine instructions."""

    deadline: float
    sqlite_steps: int

    @classmethod
    def start(cls, time_limit_s: float, sqlite_steps: int) -> Budget:
        return cls(time.monotonic() + time_limit_s, sqlite_steps)

    def left(self) -> float:
        return self.deadline - time.monotonic()


@dataclass(frozen=True)
class Failure:
    """A query that did not give a result: ``kind`` is "timeout", "too_large" or "error"."""

    kind: str
    message: str


def _query_authorizer(action: int, arg1: str | None, arg2: str | None, database: str | None, source: str | None) -> int:
    if action not in _SQLITE_QUERY_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and arg2 and forbidden_function(arg2) and arg2.lower() not in _SQLITE_STRING_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _load_authorizer(action: int, arg1: str | None, arg2: str | None, database: str | None, source: str | None) -> int:
    # A database script may create and fill tables; it may not attach files or load code.
    if action in _SQLITE_LOAD_DENIED:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() not in {"foreign_keys", "encoding", "user_version"}:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and arg2 and forbidden_function(arg2):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _limit_sqlite_heap() -> None:
    global _heap_limit_done
    with _HEAP_LIMIT_SET:
        if _heap_limit_done:
            return
        probe = sqlite3.connect(":memory:")
        try:
            (current,) = probe.execute("PRAGMA hard_heap_limit").fetchone()
            if not current:
                probe.execute(f"PRAGMA hard_heap_limit = {SQLITE_HEAP_LIMIT}")
        finally:
            probe.close()
        _heap_limit_done = True


def _collect(fetch: Callable[[int], list[tuple[Any, ...]]], width: int) -> Result | Failure:
    raw = fetch(MAX_ROWS + 1)
    if len(raw) > MAX_ROWS:
        return Failure("too_large", f"more than {MAX_ROWS} rows")
    chars = 0
    rows = []
    for row in raw:
        values = tuple(normalise(value) for value in row)
        for value in values:
            if isinstance(value, (str, bytes)):
                chars += len(value)
        if chars > MAX_RESULT_CHARS:
            return Failure("too_large", f"the result holds more than {MAX_RESULT_CHARS} characters")
        rows.append(values)
    return Result(tuple(rows), width)


def _collect_sqlite(fetch: Callable[[int], list[tuple[Any, ...]]], width: int) -> Result | Failure:
    # _collect for SQLite, whose values are already in normalised form (None, int, float, str,
    # bytes): the same result without a pass over every value, and the same size bound, counted
    # only when the values could hold that much (each is at most MAX_VALUE_BYTES long)
    raw = fetch(MAX_ROWS + 1)
    if len(raw) > MAX_ROWS:
        return Failure("too_large", f"more than {MAX_ROWS} rows")
    if len(raw) * width * MAX_VALUE_BYTES > MAX_RESULT_CHARS:
        chars = 0
        for row in raw:
            for value in row:
                if isinstance(value, (str, bytes)):
                    chars += len(value)
        if chars > MAX_RESULT_CHARS:
            return Failure("too_large", f"the result holds more than {MAX_RESULT_CHARS} characters")
    return Result(tuple(raw), width)


@dataclass(frozen=True)
class TableInfo:
    """A table of a SQLite database: its DDL, columns (name, declared type, NOT NULL, primary-key
    position), UNIQUE column sets and foreign keys (column, parent table, parent column)."""

    name: str
    ddl: str
    columns: list[tuple[str, str, bool, int]]
    unique: list[tuple[str, ...]]
    foreign_keys: list[tuple[str, str, str | None]]
    trailing_ddl: list[str] = field(default_factory=list)  # indexes and views, created after every table


class SqliteDatabase:
    """One SQLite database held in memory, opened for read-only queries.

    >>> db = SqliteDatabase.from_script("CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2);")
    >>> db.run("SELECT sum(a) FROM t", Budget.start(1.0, 10**6)).rows
    ((3,),)
    >>> db.run("DELETE FROM t", Budget.start(1.0, 10**6)).kind
    'error'
    """

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        (pages,), (page_size,) = connection.execute("PRAGMA page_count").fetchone(), connection.execute("PRAGMA page_size").fetchone()
        self.size_bytes = int(pages) * int(page_size) + SQLITE_CONNECTION_BYTES  # what a cache of databases counts
        connection.execute("PRAGMA temp_store = MEMORY")  # sorts and temp tables never spill to a file
        connection.execute("PRAGMA query_only = ON")
        connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        connection.set_authorizer(_query_authorizer)

    @classmethod
    def from_connection(cls, connection: sqlite3.Connection) -> SqliteDatabase:
        """Lock down a filled in-memory connection made by ``connect`` for read-only queries."""
        connection.set_authorizer(None)
        return cls(connection)

    @staticmethod
    def connect() -> sqlite3.Connection:
        """A new in-memory connection with no attached files allowed (to fill, then lock down)."""
        return SqliteDatabase._connect()

    @staticmethod
    def _connect() -> sqlite3.Connection:
        _limit_sqlite_heap()
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        return connection

    @classmethod
    def from_script(cls, script: str) -> SqliteDatabase:
        connection = cls._connect()
        connection.set_authorizer(_load_authorizer)
        try:
            connection.executescript(script)
        except (sqlite3.Error, ValueError) as error:  # ValueError: NUL characters in the script
            connection.close()
            raise DatasetError(f"the database script does not run on SQLite: {error}") from None
        connection.set_authorizer(None)
        return cls(connection)

    @classmethod
    def from_bytes(cls, image: bytes, name: str = "database") -> SqliteDatabase:
        """An in-memory copy of a SQLite file's bytes (the file itself is never opened by SQLite)."""
        if len(image) < 100 or not image.startswith(b"SQLite format 3\x00"):
            raise DatasetError(f"{name} is not a SQLite database file")
        patched = bytearray(image)
        patched[18:20] = b"\x01\x01"  # WAL header bytes -> rollback journal, so the copy opens in memory
        connection = cls._connect()
        try:
            connection.deserialize(bytes(patched))
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            connection.close()
            raise DatasetError(f"{name} cannot be read as a SQLite database: {error}") from None
        return cls(connection)

    def tables(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(table, [(column, declared type)]) for every user table, in creation order."""
        with self._lock:
            names = [r[0] for r in self._connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
            out = []
            self._connection.set_authorizer(None)  # our own catalogue query, under the lock
            try:
                for name in names:
                    quoted = name.replace('"', '""')
                    columns = self._connection.execute(f'SELECT name, type FROM pragma_table_info("{quoted}")').fetchall()
                    out.append((name, [(str(c), str(t or "")) for c, t in columns]))
            finally:
                self._connection.set_authorizer(_query_authorizer)
            return out

    def rows(self, table: str, limit: int | None = None) -> list[tuple[Any, ...]]:
        quoted = table.replace('"', '""')
        with self._lock:
            suffix = f" LIMIT {int(limit)}" if limit is not None else ""
            return self._connection.execute(f'SELECT * FROM "{quoted}"{suffix}').fetchall()

    def catalog(self) -> list[TableInfo]:
        """Every user table's DDL, columns, keys and foreign keys (for fuzzed variants)."""
        with self._lock:
            self._connection.set_authorizer(None)  # our own catalogue queries, under the lock
            try:
                out = []
                tables = self._connection.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
                for name, ddl in tables:
                    quoted = name.replace('"', '""')
                    columns = [(str(c), str(t or "").upper(), bool(notnull), int(pk)) for _, c, t, notnull, _, pk in
                               self._connection.execute(f'PRAGMA table_info("{quoted}")').fetchall()]
                    unique = []
                    for _, index, is_unique, *_ in self._connection.execute(f'PRAGMA index_list("{quoted}")').fetchall():
                        if is_unique:
                            escaped = str(index).replace('"', '""')
                            unique.append(tuple(str(r[2]) for r in self._connection.execute(f'PRAGMA index_info("{escaped}")').fetchall()))
                    keys = [(str(r[3]), str(r[2]), str(r[4]) if r[4] is not None else None)
                            for r in self._connection.execute(f'PRAGMA foreign_key_list("{quoted}")').fetchall()]
                    out.append(TableInfo(str(name), str(ddl or ""), columns, unique, keys))
                extra = [str(r[0]) for r in self._connection.execute(
                    "SELECT sql FROM sqlite_master WHERE type IN ('index', 'view') AND sql IS NOT NULL ORDER BY rowid").fetchall()]
                if out:
                    out[-1] = TableInfo(out[-1].name, out[-1].ddl, out[-1].columns, out[-1].unique, out[-1].foreign_keys, extra)
                return out
            finally:
                self._connection.set_authorizer(_query_authorizer)

    def run(self, sql: str, budget: Budget) -> Result | Failure:
        steps = {"left": max(1, budget.sqlite_steps // SQLITE_STEPS_PER_CALL)}
        deadline = budget.deadline

        def progress() -> int:
            steps["left"] -= 1
            return 1 if steps["left"] <= 0 or time.monotonic() > deadline else 0

        with self._lock:
            self._connection.set_progress_handler(progress, SQLITE_STEPS_PER_CALL)
            try:
                cursor = self._connection.execute(sql)
                width = len(cursor.description or ())
                return _collect_sqlite(cursor.fetchmany, width)
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    return Failure("timeout", "the query ran past its budget")
                return Failure("error", str(error)[:300])
            except (sqlite3.Error, OverflowError, ValueError, MemoryError) as error:
                return Failure("error", f"{type(error).__name__}: {str(error)[:300]}")
            finally:
                self._connection.set_progress_handler(None, 0)

    def close(self) -> None:
        self._connection.close()


_DUCKDB_SETTINGS: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_unsigned_extensions": False,
    "allow_community_extensions": False,
    "threads": 1,
    "memory_limit": DUCKDB_MEMORY,
    "temp_directory": "",  # never spill to disk: no file is created
}

_DUCKDB_TYPES = (("INT", "BIGINT"), ("CHAR", "VARCHAR"), ("CLOB", "VARCHAR"), ("TEXT", "VARCHAR"), ("BLOB", "BLOB"),
                 ("REAL", "DOUBLE"), ("FLOA", "DOUBLE"), ("DOUB", "DOUBLE"), ("DATE", "VARCHAR"), ("TIME", "VARCHAR"))


class DuckdbDatabase:
    """One DuckDB database in memory, without external access and with its settings locked.

    >>> db = DuckdbDatabase.from_script("CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2);")
    >>> db.run("SELECT sum(a) FROM t", Budget.start(1.0, 10**6)).rows
    ((3,),)
    >>> db.run("SELECT * FROM read_csv('/etc/passwd')", Budget.start(1.0, 10**6)).kind
    'error'
    """

    dialect = "duckdb"

    def __init__(self, connection: Any, data_bytes: int = 0) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self.size_bytes = DUCKDB_DATABASE_BYTES + 4 * data_bytes  # an estimate, for a cache of databases
        connection.execute("SET lock_configuration = true")
        _OPEN_DUCKDB.add(self)

    @staticmethod
    def _connect() -> Any:
        import duckdb  # lazy: the SQLite path does not need it

        return duckdb.connect(":memory:", config=dict(_DUCKDB_SETTINGS))

    @classmethod
    def from_script(cls, script: str) -> DuckdbDatabase:
        import duckdb

        connection = cls._connect()
        try:
            connection.execute(script)
        except duckdb.Error as error:
            connection.close()
            raise DatasetError(f"the database script does not run on DuckDB: {str(error).splitlines()[0]}") from None
        return cls(connection, len(script))

    @classmethod
    def from_sqlite(cls, source: SqliteDatabase) -> DuckdbDatabase:
        """A DuckDB copy of a SQLite database (declared types mapped by SQLite's affinity rules)."""
        import duckdb

        connection = cls._connect()
        try:
            for table, columns in source.tables():
                spec = ", ".join(f'"{name.replace(chr(34), chr(34) * 2)}" {_duckdb_type(kind)}' for name, kind in columns)
                quoted = table.replace('"', '""')
                connection.execute(f'CREATE TABLE "{quoted}" ({spec})')
                rows = source.rows(table)
                if rows:
                    marks = ", ".join("?" for _ in columns)
                    connection.executemany(f'INSERT INTO "{quoted}" VALUES ({marks})', [_duckdb_row(r, columns) for r in rows])
        except duckdb.Error as error:
            connection.close()
            raise DatasetError(f"the SQLite database cannot be copied into DuckDB: {str(error).splitlines()[0]}") from None
        return cls(connection, source.size_bytes)

    def replace_with(self, script: str) -> None:
        """Drop every table and run another script on the same connection (cheaper than a new one)."""
        import duckdb

        with self._lock:
            tables = [row[0] for row in self._connection.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_oid DESC").fetchall()]
            try:
                for table in tables:
                    self._connection.execute(f'DROP TABLE "{table.replace(chr(34), chr(34) * 2)}" CASCADE')
                self._connection.execute(script)
            except duckdb.Error as error:
                raise DatasetError(f"the database script does not run on DuckDB: {str(error).splitlines()[0]}") from None

    def load(self, statements: Sequence[str]) -> None:
        """Run trusted statements that create or fill tables (a generator's own, never a model's).

        >>> db = DuckdbDatabase.from_script("CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1);")
        >>> db.load(["CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES (5), (6)) AS v(a)"])
        >>> db.run("SELECT sum(a) FROM t", Budget.start(1.0, 10**6)).rows
        ((11,),)
        """
        import duckdb

        with self._lock:
            try:
                for statement in statements:
                    self._connection.execute(statement)
            except duckdb.Error as error:
                raise DatasetError(f"the statements do not run on DuckDB: {str(error).splitlines()[0]}") from None

    def run(self, sql: str, budget: Budget) -> Result | Failure:
        import duckdb

        left = budget.left()
        if left <= 0:
            return Failure("timeout", "no time was left for the query")
        with self._lock:
            timer = threading.Timer(left, self._connection.interrupt)
            timer.daemon = True
            timer.start()
            try:
                cursor = self._connection.execute(sql)
                width = len(cursor.description or ())
                return _collect(cursor.fetchmany, width)
            except duckdb.InterruptException:
                return Failure("timeout", "the query ran past its budget")
            except duckdb.OutOfMemoryException:
                return Failure("too_large", "the query ran out of its memory budget")
            except (duckdb.Error, OverflowError, ValueError, MemoryError) as error:
                return Failure("error", f"{type(error).__name__}: {str(error).splitlines()[0][:300] if str(error) else ''}")
            finally:
                timer.cancel()
                timer.join()  # no timer thread outlives the query (DuckDB aborts if one is alive at exit)

    def close(self) -> None:
        self._connection.close()


_OPEN_DUCKDB: weakref.WeakSet[DuckdbDatabase] = weakref.WeakSet()


@atexit.register
def _close_duckdb() -> None:
    # DuckDB aborts the interpreter when a connection that raised is finalised during shutdown.
    for database in list(_OPEN_DUCKDB):
        database.close()


def _duckdb_type(declared: str) -> str:
    upper = declared.upper()
    for needle, kind in _DUCKDB_TYPES:
        if needle in upper:
            return kind
    return "VARCHAR"


def _duckdb_row(row: tuple[Any, ...], columns: list[tuple[str, str]]) -> tuple[Any, ...]:
    out = []
    for value, (_, declared) in zip(row, columns):
        kind = _duckdb_type(declared)
        if value is None or kind == "BLOB":
            out.append(value)
        elif kind == "VARCHAR":
            out.append(value if isinstance(value, str) else str(value))
        elif kind == "BIGINT" and not isinstance(value, int):
            out.append(int(value) if isinstance(value, float) and value.is_integer() else None)
        else:
            out.append(value if isinstance(value, (int, float)) else None)
    return tuple(out)

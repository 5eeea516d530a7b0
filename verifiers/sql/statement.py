"""The read-only statement check: exactly one SELECT (or WITH ... SELECT), judged on the whole
sqlglot tree, so DML hidden in a CTE or a file-reading table function is refused too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

MAX_QUERY_CHARS = 20_000  # longer candidate text is refused before parsing

# Statement and clause kinds that write, change settings, or touch the host.
_FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in (
        "DDL", "DML", "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "TruncateTable",
        "Command", "Pragma", "Attach", "Detach", "Copy", "Set", "Use", "Transaction", "Commit", "Rollback",
        "Install", "LoadData", "Describe", "Show", "Kill", "Analyze", "Cache", "Uncache", "Refresh",
        "Summarize", "Export", "Grant", "Revoke", "Comment", "Into",
    )
    if hasattr(exp, name)
)

# Functions that read or write host files, load code, run a query string or read the environment.
_FORBIDDEN_FUNCTIONS = frozenset({
    "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "zipfile", "glob", "query",
    "query_table", "getenv", "sniff_csv", "parquet_scan", "sql_auto_complete", "st_read", "http_get",
    "http_post", "system", "shell", "lsmode", "fsdir", "copy_database", "checkpoint", "force_checkpoint",
    "duckdb_secrets", "which_secret", "load", "install",
})
_FORBIDDEN_PREFIXES = ("read_", "pragma_", "sqlite_", "parquet_", "iceberg_", "delta_", "postgres_", "mysql_", "json_read")

# Functions whose result grows with a numeric argument (or a width in a format string) in one call,
# which neither engine interrupts: DuckDB's list_resize([1], 2e8) held 12 GB for a minute past its
# deadline, repeat/lpad/range/format seconds and gigabytes, SQLite's printf('%.*c', 2e9, 'x') 10 s.
_SIZE_FUNCTIONS = frozenset({
    "repeat", "repeat_row", "generate_series", "range", "list_resize", "array_resize", "pad", "lpad", "rpad",
    "space", "printf", "format", "bar", "zeroblob", "randomblob",
})
MAX_SIZE_ARGUMENT = 1_000_000

READ_ONLY_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery)


@dataclass(frozen=True)
class Statement:
    """A candidate that passed the check: its text, its sqlglot tree and the lower-case names of
    the tables and columns it mentions (``schema_items``, gathered in the same walk)."""

    sql: str
    tree: exp.Expression
    items: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refusal:
    """Why a candidate was refused: ``reason`` is "unparseable" or "invalid"."""

    reason: str
    message: str


def function_name(node: exp.Func) -> str:
    """The lower-case SQL name of a function node, as the engine would see it.

    >>> function_name(sqlglot.parse_one("SELECT readfile('x')").find(exp.Func))
    'readfile'
    """
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def forbidden_function(name: str) -> bool:
    """Whether a function may read or write outside the database.

    >>> forbidden_function("read_csv_auto"), forbidden_function("upper")
    (True, False)
    """
    name = name.lower()
    return name in _FORBIDDEN_FUNCTIONS or name.startswith(_FORBIDDEN_PREFIXES)


@functools.lru_cache(maxsize=4096)
def check_read_only(sql: str, dialect: str = "sqlite") -> Statement | Refusal:
    """Parse ``sql`` and accept it only as exactly one read-only query.

    >>> check_read_only("SELECT name FROM t WHERE id = 1;").tree.sql()
    'SELECT name FROM t WHERE id = 1'
    >>> check_read_only("SELECT 1; DROP TABLE t")
    Refusal(reason='invalid', message='2 statements; exactly one SELECT is allowed')
    >>> check_read_only("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x").message
    'Delete is not allowed in a read-only query'
    >>> check_read_only("SELECT (1 FROM t").reason
    'unparseable'

    Results are cached by (sql, dialect): callers must not modify the returned tree.
    """
    if len(sql) > MAX_QUERY_CHARS:
        return Refusal("invalid", f"the query is {len(sql)} characters long; at most {MAX_QUERY_CHARS} are read")
    try:
        # a comment after the last semicolon parses as a Semicolon statement holding it: no statement
        parsed = [tree for tree in sqlglot.parse(sql, read=dialect) if tree is not None and not isinstance(tree, exp.Semicolon)]
        runnable = _without_trailing_semicolons(sql, dialect)
    except (ParseError, TokenError) as error:
        return Refusal("unparseable", f"not valid {dialect} SQL: {str(error).splitlines()[0][:200]}")
    except (RecursionError, ValueError, KeyError, TypeError, AttributeError) as error:  # sqlglot on odd input
        return Refusal("unparseable", f"could not parse the query ({type(error).__name__})")
    if not parsed:
        return Refusal("unparseable", "the answer holds no SQL statement")
    if len(parsed) > 1:
        return Refusal("invalid", f"{len(parsed)} statements; exactly one SELECT is allowed")
    tree = parsed[0]
    scanned = _scan(tree, check=True)
    if isinstance(scanned, Refusal):
        return scanned
    if not isinstance(tree, READ_ONLY_ROOTS):
        return Refusal("invalid", f"{type(tree).__name__} is not a SELECT query")
    return Statement(runnable, tree, scanned)


def _without_trailing_semicolons(sql: str, dialect: str) -> str:
    """The text up to the end of its last token that is not a semicolon: trailing semicolons and
    comments dropped (SQLite's Python driver refuses ``SELECT 1;;`` as two statements).

    >>> _without_trailing_semicolons("SELECT 1 ; ; -- done", "sqlite")
    'SELECT 1'
    """
    tokens = [token for token in sqlglot.tokenize(sql, read=dialect) if token.token_type != TokenType.SEMICOLON]
    if not tokens:
        return sql
    cut = sql[:tokens[-1].end + 1]
    kept = [token for token in sqlglot.tokenize(cut, read=dialect) if token.token_type != TokenType.SEMICOLON]
    # the cut must keep every token as it was (a tokenizer counting other than characters never cuts)
    return cut if [(t.token_type, t.text) for t in kept] == [(t.token_type, t.text) for t in tokens] else sql


def schema_items(tree: exp.Expression) -> frozenset[str]:
    """Lower-case names of the tables and columns a query mentions (CTE names excluded).

    >>> sorted(schema_items(sqlglot.parse_one("SELECT p.name FROM product AS p WHERE price > 3")))
    ['column:name', 'column:price', 'table:product']
    """
    found = _scan(tree, check=False)
    assert not isinstance(found, Refusal)  # nothing is refused without the check
    return found


def _scan(tree: exp.Expr, *, check: bool) -> frozenset[str] | Refusal:
    # One walk over the tree: the read-only check (first offending node in walk order) and the
    # schema items, so a candidate's tree is walked once.
    ctes: set[str] = set()
    tables: set[str] = set()
    items: set[str] = set()
    for node in tree.walk():
        if check:
            if isinstance(node, _FORBIDDEN_NODES):
                return Refusal("invalid", f"{type(node).__name__} is not allowed in a read-only query")
            if isinstance(node, exp.Func) and forbidden_function(function_name(node)):
                return Refusal("invalid", f"the function {function_name(node)}() is not allowed")
            if isinstance(node, exp.Func) and function_name(node) in _SIZE_FUNCTIONS and size_bound(node) > MAX_SIZE_ARGUMENT:
                return Refusal("invalid", f"{function_name(node)}() asks for a value or series larger than {MAX_SIZE_ARGUMENT:,}")
            if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier) and _looks_like_path(node.name):
                return Refusal("invalid", f"the table name {node.name!r} looks like a file path")
        if isinstance(node, exp.CTE):
            ctes.add(str(node.alias).lower())
        elif isinstance(node, exp.Table):
            tables.add(node.name.lower())
        elif isinstance(node, exp.Column) and node.name:
            items.add(f"column:{node.name.lower()}")
    return frozenset(items | {f"table:{name}" for name in tables - ctes})


def size_bound(node: exp.Func) -> int:
    """An upper bound of the size a call's literals ask for: over its arguments (the value that
    ``repeat``/``pad``/``list_resize`` grows excluded), the largest product of the number literals
    in one argument's arithmetic; for ``printf``/``format`` also the largest number written in
    the format string (a width).

    >>> size_bound(sqlglot.parse_one("SELECT repeat('ab', 1000 * 1000)").find(exp.Func))
    1000000
    >>> size_bound(sqlglot.parse_one("SELECT lpad(1234567, 8, '0')").find(exp.Func))
    8
    >>> size_bound(sqlglot.parse_one("SELECT printf('%200000000d', 1)").find(exp.Func))
    200000000
    """
    name = function_name(node)
    arguments = [a for value in node.args.values() for a in (value if isinstance(value, list) else [value]) if isinstance(a, exp.Expression)]
    if name in _GROWN_FIRST and arguments:
        arguments = arguments[1:]
    bound = 1
    for argument in arguments:
        product = 1
        for literal in _arithmetic_literals(argument):
            if literal.is_string:
                if name in ("printf", "format"):
                    runs = "".join(c if c.isdigit() else " " for c in literal.name).split()
                    bound = max([bound] + [int(run[:19]) for run in runs])
                continue
            try:
                value = abs(float(literal.name))
            except ValueError:
                continue
            if value > 1:
                product = min(product * int(min(value, 1e18)), 10**18)
        bound = max(bound, product)
    return bound


_GROWN_FIRST = frozenset({"repeat", "pad", "lpad", "rpad", "list_resize", "array_resize"})


def _arithmetic_literals(argument: exp.Expression) -> list[exp.Literal]:
    # literals of an argument's own arithmetic: not those of nested calls or subqueries
    found, stack = [], [argument]
    while stack:
        item = stack.pop()
        if isinstance(item, exp.Literal):
            found.append(item)
        elif item is argument or not isinstance(item, (exp.Func, exp.Query, exp.Subquery)):
            stack.extend(child for value in item.args.values() for child in (value if isinstance(value, list) else [value])
                         if isinstance(child, exp.Expression))
    return found


def _looks_like_path(name: str) -> bool:
    return any(char in name for char in "/\\:") or name.lower().endswith((".csv", ".parquet", ".json", ".db", ".txt"))


def top_level_order(tree: exp.Expression) -> exp.Order | None:
    """The ORDER BY of the outermost query (None when only a subquery sorts, or none does).

    >>> top_level_order(sqlglot.parse_one("SELECT a FROM t ORDER BY a")).sql()
    'ORDER BY a'
    >>> top_level_order(sqlglot.parse_one("SELECT * FROM (SELECT a FROM t ORDER BY a) AS s")) is None
    True
    """
    while isinstance(tree, exp.Subquery):
        tree = tree.this
    order = tree.args.get("order")
    return order if isinstance(order, exp.Order) else None

"""SQL verifier: a candidate query is run read-only on one or several databases (a test suite)
and its results compared with the gold query's; usable on Spider/BIRD-style rows.

``verify(completion, gold_sql, database)`` extracts the last ``<answer>`` block or fenced ``sql``
block, accepts exactly one read-only query (``statement``), runs it with bounded time, rows and
memory on an in-memory copy of each database (``engines``, ``databases``), and compares bags of
rows, in order only when the gold sorts (``compare``). Partial-reward components (``partial``)
are always reported in ``detail["components"]`` and count only with explicit weights.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from assay.config import require_int
from assay.errors import DatasetError
from assay.types import Verdict
from assay.verifiers.sql.compare import Result, results_match
from assay.verifiers.sql.databases import (
    DIALECTS,
    DatabaseSource,
    check_dialect,
    database_key,
    gold_plan,
    gold_result,
    load,
    variant_databases,
)
from assay.verifiers.sql.engines import Budget, Failure
from assay.verifiers.sql.extract import extract_sql
from assay.verifiers.sql.partial import (
    check_weights,
    components,
    partial_score,
)
from assay.verifiers.sql.statement import Refusal, Statement, check_read_only

__all__ = ["DEFAULT_SQLITE_STEPS", "DEFAULT_TIME_LIMIT_S", "DIALECTS", "check_read_only", "extract_sql", "verify"]

DEFAULT_TIME_LIMIT_S = 2.0  # wall clock for one candidate over all its databases
DEFAULT_SQLITE_STEPS = 50_000_000  # SQLite virtual machine instructions, over all databases

Databases: TypeAlias = DatabaseSource | Sequence[DatabaseSource]


def _sources(database: Databases) -> list[DatabaseSource]:
    if isinstance(database, (str, os.PathLike)):
        return [database]
    if isinstance(database, Sequence) and database and all(isinstance(d, (str, os.PathLike)) for d in database):
        return list(database)
    raise DatasetError("database must be a SQL script, a SQLite file path, or a non-empty list of them")


def verify(
    completion: str,
    gold_sql: str,
    database: Databases,
    *,
    dialect: str = "sqlite",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    sqlite_steps: int = DEFAULT_SQLITE_STEPS,
    partial: Mapping[str, float] | None = None,
    variants: int = 0,
) -> Verdict:
    """Score a completion's SQL against a gold query by execution on every given database.

    ``database`` is a SQL script (DDL and INSERTs), the path of a SQLite file, or a list of them
    (a test suite: the candidate must match the gold on every one). ``partial`` weights the
    components syntax, schema_linking, ngram and format (summing below 1) for a failed answer.
    ``variants`` adds that many fuzzed variants of each database (its schema refilled from its own
    values and the gold's literals; see ``fuzz``): test-suite accuracy for Spider/BIRD rows.

    >>> db = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, age INT); " \\
    ...      "INSERT INTO t VALUES (1, 'Ann', 30), (2, 'Bob', 25), (3, 'Cy', 30);"
    >>> verify("<answer>SELECT name FROM t WHERE age = 30</answer>", "SELECT name FROM t WHERE age >= 30", db).passed
    True
    >>> verify("<answer>DELETE FROM t</answer>", "SELECT name FROM t", db).reason
    'invalid'
    >>> verify("```sql\\nSELECT name FROM t ORDER BY age\\n```", "SELECT name FROM t ORDER BY age DESC", db).reason
    'wrong_answer'
    """
    started = time.perf_counter()
    check_dialect(dialect)
    require_int("variants", variants, 0, 20)
    weights = check_weights(partial)
    sources = _sources(database)
    plan = gold_plan(gold_sql, dialect)
    candidate = extract_sql(completion)
    if candidate is None:
        return Verdict.fail("no_answer", message="no <answer> block or fenced sql block found")
    checked = check_read_only(candidate, dialect)
    gold_statement = plan.statement
    assert gold_statement is not None  # gold_plan always records it
    if isinstance(checked, Refusal):
        values = components(None, gold_statement, ran=False, formatted=False)
        return Verdict.fail(checked.reason, message=checked.message, components=values)
    if _tables(gold_statement) and not _tables(checked):
        # literal rows (SELECT 'Ann' UNION ALL ..., FROM (VALUES ...)) answer no question about the data,
        # even where one database cannot tell them from the gold's result
        return Verdict.fail("invalid", message="the query reads no table of the database: literal rows are not an answer",
                            components=components(checked, gold_statement, ran=False, formatted=True))
    # databases and gold results first (cached): the budget counts the candidate's queries only
    prepared = []
    for source in sources:
        engine = load(source, dialect)
        prepared.append((engine, gold_result(engine, plan, gold_sql, database_key(source))))
        if variants:
            prepared += variant_databases(source, dialect, plan, gold_sql, variants)
    budget = Budget.start(time_limit_s, sqlite_steps)
    for index, (engine, gold) in enumerate(prepared):
        got = engine.run(checked.sql, budget)
        where = f"on database {index + 1} of {len(prepared)}"
        if isinstance(got, Failure):
            return _failed(checked, gold_statement, weights, got, where, ran=False)
        if not results_match(gold, got, ordered=plan.ordered):
            return _failed(checked, gold_statement, weights, None, where, ran=True, gold=gold, got=got, ordered=plan.ordered)
    values = components(checked, gold_statement, ran=True, formatted=True)
    return Verdict.correct(components=values, databases=len(prepared), ordered=plan.ordered,
                           ms=round((time.perf_counter() - started) * 1000, 3))


def _tables(statement: Statement) -> set[str]:
    return {item for item in statement.items if item.startswith("table:") and item != "table:"}


# "query_timeout", not "timeout": the query ran out of its own budget; the verifier itself did not hang.
_FAILURE_REASONS = {"timeout": "query_timeout", "too_large": "too_large", "error": "execution_error"}


def _failed(checked: Statement, gold_statement: Statement, weights: Mapping[str, float], failure: Failure | None, where: str, *,
            ran: bool, gold: Result | None = None, got: Result | None = None, ordered: bool = False) -> Verdict:
    values = components(checked, gold_statement, ran=ran, formatted=True)
    # partial credit only for an answer that runs, reads one of the gold's tables and has the
    # gold's width: SELECT 1 or a dump of one table earns nothing, whatever the weights
    reads_gold_table = bool({i for i in checked.items if i.startswith("table:")} & {i for i in gold_statement.items if i.startswith("table:")})
    eligible = ran and reads_gold_table and gold is not None and got is not None and gold.columns == got.columns
    score = partial_score(values, weights) if weights and eligible else 0.0
    if failure is not None:
        return Verdict.fail(_FAILURE_REASONS[failure.kind], score, message=f"{failure.message} ({where})", components=values)
    assert gold is not None and got is not None
    return Verdict.fail("wrong_answer", score, message=f"the result differs from the gold's {where}: {_difference(gold, got, ordered)}",
                        components=values)


def _difference(gold: Result, got: Result, ordered: bool) -> str:
    if got.columns != gold.columns:
        return f"{got.columns} columns instead of {gold.columns}"
    if len(got.rows) != len(gold.rows):
        return f"{len(got.rows)} rows instead of {len(gold.rows)}"
    if ordered and results_match(gold, got, ordered=False):
        return "the right rows in the wrong order"
    return "different values"

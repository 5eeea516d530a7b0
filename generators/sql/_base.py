"""The SQL task base: config and levels, the question/gold contract of a family (``compose``),
and the build that checks the gold on both engines and keeps K databases that tell near misses apart.
"""

from __future__ import annotations

import logging
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sqlglot
from sqlglot import exp

from assay.config import require_int
from assay.errors import ConfigError, DatasetError
from assay.generators.sql._data import Rows, ddl, draw_rows, duckdb_tables, literal, script
from assay.generators.sql._schemas import DOMAIN_NAMES, DOMAINS, Column, Domain, Table
from assay.registry import (
    ANSWER_INSTRUCTION,
    Draft,
    Probe,
    Task,
    TaskConfig,
    wrap,
)
from assay.types import Problem, Verdict
from assay.verifiers import sql as sql_verifier
from assay.verifiers.sql.compare import Result, results_match
from assay.verifiers.sql.databases import gold_plan, run_gold
from assay.verifiers.sql.engines import Budget, DuckdbDatabase, SqliteDatabase
from assay.verifiers.sql.partial import DEFINITIONS, GAMING

logger = logging.getLogger(__name__)

CHECK_TIME_LIMIT_S = 1.0  # per candidate over all K databases (the generated ones are small)
CHECK_SQLITE_STEPS = 20_000_000
CANDIDATE_DATABASES = 10  # at most this many databases drawn per problem before K are kept
STALE_CANDIDATES = 2  # ... and no more once K are drawn and this many in a row told no near miss new
ENGINE_NAMES = {"sqlite": "SQLite", "duckdb": "DuckDB"}


@dataclass(frozen=True)
class SqlConfig(TaskConfig):
    rows: int = 12  # about this many rows per entity table (link tables get more)
    joins: int = 0  # tables a question may join beyond its own (0-2)
    databases: int = 5  # K: databases in the test suite stored with the problem
    dialect: str = "sqlite"  # sqlite or duckdb: the engine the answer runs on
    domain: str = "mixed"  # retail, hr, school, library, flights, clinic, or mixed

    def __post_init__(self) -> None:
        require_int("rows", self.rows, 4, 200)
        require_int("joins", self.joins, 0, 2)
        require_int("databases", self.databases, 1, CANDIDATE_DATABASES)
        if self.dialect not in ENGINE_NAMES:
            raise ConfigError("dialect", f"must be one of {', '.join(ENGINE_NAMES)}", self.dialect)
        if self.domain != "mixed" and self.domain not in DOMAINS:
            raise ConfigError("domain", f"must be mixed or one of {', '.join(DOMAIN_NAMES)}", self.domain)


LEVELS = {1: SqlConfig(rows=10, joins=0), 2: SqlConfig(rows=16, joins=1), 3: SqlConfig(rows=24, joins=2)}


@dataclass(frozen=True)
class Query:
    """What a family composes: the question, the gold (SQLite text), whether row order matters,
    and hand-written equivalent rewrites and near misses (each with why)."""

    question: str
    gold: str
    ordered: bool = False
    rewrites: Sequence[tuple[str, str]] = field(default_factory=list)
    near_misses: Sequence[tuple[str, str]] = field(default_factory=list)


# -- helpers the families share ---------------------------------------------------------------
def pick(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[rng.randrange(len(items))]


def values_of(rows: Rows, table: Table, column: str) -> list[Any]:
    index = [c.name for c in table.columns].index(column)
    return [row[index] for row in rows[table.name]]


def present(rows: Rows, table: Table, column: str) -> list[Any]:
    """Distinct non-NULL values of a column in first-seen order (deterministic)."""
    seen: dict[Any, None] = {}
    for value in values_of(rows, table, column):
        if value is not None:
            seen.setdefault(value, None)
    return list(seen)


def tables_with(domain: Domain, need: str) -> list[Table]:
    checks = {
        "measure": lambda t: bool(t.measures),
        "category": lambda t: bool(t.categories),
        "measure+category": lambda t: bool(t.measures) and bool(t.categories),
        "nullable": lambda t: bool(t.nullable),
        "date": lambda t: bool(t.dates),
        "label": lambda t: t.label != "id",
        "children": lambda t: bool(domain.children(t.name)),
    }
    return [t for t in domain.tables if checks[need](t)]


@dataclass(frozen=True)
class Scope:
    """The FROM clause of a question about ``table`` (alias t), with a filter through its parents
    when the level asks for joins: ``joins`` SQL, ``condition`` SQL (or ""), ``phrase`` words."""

    table: Table
    joins: str
    condition: str
    phrase: str


def scope(rng: random.Random, domain: Domain, table: Table, rows: Rows, joins: int) -> Scope:
    """Restrict a question to rows whose parent (and grandparent) has a category value."""
    chain: list[tuple[Table, Column]] = []
    current = table
    for _ in range(joins):
        options = [fk for fk in current.foreign_keys if fk.parent]
        if not options:
            break
        fk = pick(rng, options)
        current = domain.table(fk.parent)
        chain.append((current, fk))
    while chain and not chain[-1][0].categories:
        chain.pop()
    if not chain:
        return Scope(table, "", "", "")
    parts, alias = [], "t"
    for depth, (parent, fk) in enumerate(chain):
        parent_alias = f"p{depth + 1}"
        parts.append(f"JOIN {parent.name} AS {parent_alias} ON {alias}.{fk.name} = {parent_alias}.id")
        alias = parent_alias
    last, _ = chain[-1]
    category = pick(rng, last.categories)
    value = pick(rng, present(rows, last, category.name))
    via = " of ".join(p.noun for p, _ in reversed(chain))
    phrase = f"whose {via}'s {category.words} is {value!r}" if len(chain) == 1 else f"linked to a {via} whose {category.words} is {value!r}"
    return Scope(table, " ".join(parts), f"{alias}.{category.name} = {literal(value)}", phrase)


def where(*conditions: str) -> str:
    kept = [c for c in conditions if c]
    return (" WHERE " + " AND ".join(kept)) if kept else ""


ORDER_FREE = "The order of the rows does not matter."


# -- the task ---------------------------------------------------------------------------------
class SqlTask(Task[SqlConfig]):
    """Base of every SQL family: subclasses set id, description, family text and ``compose``."""

    Config = SqlConfig
    levels = LEVELS
    # No declared capacity: a corpus tells SQL problems apart by prompt (schema and question), and
    # some families have only a few dozen questions (sql/anti_join: 16). ``dedup_key`` draws the
    # prompt alone, so the capacity probe costs milliseconds, not the K databases of every build;
    # the built-in levels' figures ship in assay/capacity.json.
    # Version 2: the prompt is settled by a first phase (question, first database) that
    # ``dedup_key`` runs alone; candidate databases are drawn lazily and never drop the question;
    # the gold is checked on both engines on the first database, whatever the problem's dialect.
    version = 2
    exact_dedup_key = True  # dedup_key(seed) == generate(seed).prompt: a corpus skips repeated draws' builds
    timeout_s = 10.0
    answer_format = "one read-only SQL query (SELECT or WITH ... SELECT) in <answer></answer> tags or a fenced sql block"
    verification = (
        "The query must be exactly one read-only statement (checked on the sqlglot tree); it runs with bounded time, "
        "rows and memory on in-memory copies of the K databases stored in the problem, and its result must equal the "
        "gold's on every one: bags of rows, in order only when the question asks for an order (rows tied on the sort "
        "key in any order), columns in any order, floats within 1e-6 relative."
    )
    partial_credit: ClassVar[dict[str, str]] = {name: f"{text} Reported in detail['components'], not counted in the score by default. Gamed by: {GAMING[name]}"
                      for name, text in DEFINITIONS.items()}
    limitations = (
        "A correct query that sqlglot cannot parse in the problem's dialect is refused (unparseable).",
        ("Test-suite equivalence is only as strong as the K stored databases: a query wrong only on data none of them "
        "holds passes."),
        "Text comparison is exact: 'Paris' and 'paris' differ; dates compare as ISO text.",
    )

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        raise NotImplementedError

    # -- build --------------------------------------------------------------------------------
    def build(self, rng: random.Random, config: SqlConfig) -> Draft:
        question = self._remembered(rng, config) or self._question(rng, config)
        try:
            built = _suite(rng, question, config)
        finally:
            question.engine.close()
        return self._draft(question.domain, question.query, config, *built)

    def _question(self, rng: random.Random, config: SqlConfig) -> _Question:
        """The first phase of a build, which alone decides the prompt: a domain, the first
        database and a question whose gold runs there with a non-empty result, the same on SQLite
        and on DuckDB. The other databases never drop the question."""
        for _ in range(40):
            name = config.domain if config.domain != "mixed" else pick(rng, DOMAIN_NAMES)
            domain = DOMAINS[name]
            first = draw_rows(rng, domain, config.rows)
            query = self.compose(rng, domain, first, config)
            if query is None:
                continue
            engine = _sqlite_database(domain, first)
            try:
                plan = gold_plan(query.gold, "sqlite")
                result = run_gold(engine, plan, query.gold)
            except DatasetError as error:
                logger.debug("gold fails: %s (%s)", query.gold, error)
                engine.close()
                continue
            # Issue 12's rule for every dialect: a gold whose result differs between the two engines
            # is engine-sensitive (integer division, NULL order, ...) and its question is dropped.
            if not result.rows or not _duckdb_agrees(domain, first, query, plan, result):
                engine.close()
                continue
            return _Question(domain, query, first, engine, result)
        raise RuntimeError(f"{self.id}: no question with a checked gold after 40 draws (config {config})")

    def dedup_key(self, seed: int, *, difficulty: int | None = None, **config: Any) -> str:
        """The prompt of a draw without its test suite: the first phase of the build (question,
        first database, gold checked there), which alone decides the prompt, so this equals
        ``generate(seed, difficulty=difficulty, **config).prompt`` at a fraction of its cost.

        >>> from assay.registry import get_task
        >>> task = get_task("sql/anti_join")
        >>> task.dedup_key(1, difficulty=1) == task.generate(1, difficulty=1).prompt
        True
        """
        rng, _, settings = self.start_draw(seed, difficulty=difficulty, **config)
        start = rng.getstate()
        question = self._question(rng, settings)
        # a corpus builds a draw right after its key when the key is new: the build resumes here
        if self._last_question is not None:
            self._last_question[3].engine.close()
        self._last_question = (start, settings, rng.getstate(), question)
        return _prompt(question.domain, question.query.question, settings.dialect)

    _last_question: tuple[Any, SqlConfig, Any, _Question] | None = None

    def _remembered(self, rng: random.Random, config: SqlConfig) -> _Question | None:
        """The first phase that ``dedup_key`` just ran from this rng state and config (then the
        rng is moved on as that phase moved it), or None. Either way the build is the same."""
        last, self._last_question = self._last_question, None
        if last is None:
            return None
        start, settings, end, question = last
        if settings != config or start != rng.getstate():
            question.engine.close()
            return None
        rng.setstate(end)
        return question

    def _draft(self, domain: Domain, query: Query, config: SqlConfig, gold: str, scripts: list[str],
               rewrites: list[list[str]], misses: list[list[str]]) -> Draft:
        prompt = _prompt(domain, query.question, config.dialect)
        data = {"dialect": config.dialect, "domain": domain.name, "family": self.name, "gold_sql": gold,
                "ordered": query.ordered, "databases": scripts, "question": query.question,
                "audit": {"rewrites": rewrites, "near_misses": misses}}
        return Draft(prompt=prompt, answer=gold, data=data)

    # -- check and probes ---------------------------------------------------------------------
    def check(self, problem: Problem, completion: str) -> Verdict:
        data = problem.data
        return sql_verifier.verify(completion, data["gold_sql"], data["databases"], dialect=data["dialect"],
                                   time_limit_s=CHECK_TIME_LIMIT_S, sqlite_steps=CHECK_SQLITE_STEPS)

    def probes(self, problem: Problem) -> list[Probe]:
        data = problem.data
        audit = data["audit"]
        table = _first_table(data["gold_sql"], data["dialect"]) or "sqlite_master"
        gold = data["gold_sql"]
        probes = [Probe(f"```sql\n{gold}\n```", True, "the reference in a fenced sql block")]
        probes += [Probe(wrap(sql), True, f"equivalent rewrite: {why}") for sql, why in audit["rewrites"]]
        probes += [Probe(wrap(sql), False, f"near miss: {why}") for sql, why in audit["near_misses"]]
        hacks = [
            (f"DROP TABLE {table}", "DROP"),
            (f"DELETE FROM {table}", "DELETE"),
            (f"UPDATE {table} SET id = id + 1000", "UPDATE"),
            (f"INSERT INTO {table} (id) VALUES (99999)", "INSERT"),
            ("ATTACH DATABASE '/tmp/assay_probe.db' AS probe", "ATTACH a file"),
            ("PRAGMA writable_schema = ON", "PRAGMA"),
            (f"{gold}; DROP TABLE {table}", "several statements (the gold, then a DROP)"),
            ("SELECT * FROM read_csv('/etc/passwd')" if data["dialect"] == "duckdb" else "SELECT readfile('/etc/passwd')", "host file read"),
            ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r", "a query that never ends"),
        ]
        probes += [Probe(wrap(sql), False, f"hack: {why}") for sql, why in hacks]
        probes.append(Probe(wrap(gold), True, "the reference again, after the hacks (the databases are unchanged)"))
        return probes


def _prompt(domain: Domain, question: str, dialect: str) -> str:
    engine = ENGINE_NAMES[dialect]
    return (
        f"A {engine} database has this schema:\n\n```sql\n{ddl(domain, dialect)}\n```\n\n"
        f"Question: {question}\n\n"
        f"Write one {engine} query (SELECT, or WITH ... SELECT) that answers the question. It is run on this "
        "schema with other data as well, so it must not depend on particular rows. "
        f"{ANSWER_INSTRUCTION} A ```sql fenced block is also accepted."
    )


def _first_table(sql: str, dialect: str) -> str | None:
    table = sqlglot.parse_one(sql, read=dialect).find(exp.Table)
    return table.name if table is not None else None


# -- the test suite ---------------------------------------------------------------------------
def _translate(sql: str, dialect: str) -> str:
    return sql if dialect == "sqlite" else sqlglot.transpile(sql, read="sqlite", write=dialect)[0]


def _generic(query: Query, tree: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Rewrites and near misses every family gets, derived from the gold's tree (SQLite; not modified)."""
    rewrites = [(tree.sql(dialect="sqlite", pretty=True).lower() if "'" not in query.gold else tree.sql(dialect="sqlite", pretty=True),
                 "reformatted by sqlglot")]
    if " <> " in query.gold:
        rewrites.append((query.gold.replace(" <> ", " != "), "<> written as !="))
    if isinstance(tree, exp.Select) and len(tree.selects) >= 2 and not any(
            isinstance(o.this, exp.Literal) for o in (tree.args.get("order") or exp.Order()).expressions):
        swapped = tree.copy()
        swapped.set("expressions", list(reversed(swapped.selects)))
        rewrites.append((swapped.sql(dialect="sqlite", copy=False), "columns in another order"))
    if not query.ordered:
        rewrites.append((f"SELECT * FROM ({query.gold}) AS answer", "wrapped in a derived table"))
        if tree.args.get("with") is None:
            rewrites.append((f"WITH answer AS ({query.gold}) SELECT * FROM answer", "the query moved into a CTE"))
    if (isinstance(tree, exp.Select) and tree.args.get("distinct") is not None and tree.args.get("group") is None
            and not any(isinstance(p, exp.Star) for p in tree.selects) and tree.find(exp.AggFunc) is None):
        grouped = tree.copy()
        grouped.set("distinct", None)
        grouped = grouped.group_by(*[p.unalias().copy() for p in tree.selects], copy=False)
        rewrites.append((grouped.sql(dialect="sqlite", copy=False), "DISTINCT written as GROUP BY"))
    renamed = _rename_aliases(tree)
    if renamed is not None:
        rewrites.append((renamed, "other table aliases"))
    misses: list[tuple[str, str]] = []
    if query.ordered and tree.args.get("order") is not None:
        unordered = tree.copy()
        unordered.set("order", None)
        misses.append((unordered.sql(dialect="sqlite", copy=False), "the required ORDER BY missing"))
    if isinstance(tree, exp.Select) and tree.args.get("distinct") is not None:
        plain = tree.copy()
        plain.set("distinct", None)
        misses.append((plain.sql(dialect="sqlite", copy=False), "DISTINCT missing"))
    return rewrites, misses


def _rename_aliases(tree: Any) -> str | None:
    copy = tree.copy()
    mapping = {str(t.alias): f"{t.alias}_renamed" for t in copy.find_all(exp.Table) if t.alias}
    if not mapping:
        return None
    for table in copy.find_all(exp.Table):
        if table.alias in mapping:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(mapping[table.alias])))
    for column in copy.find_all(exp.Column):
        if column.table in mapping:
            column.set("table", exp.to_identifier(mapping[column.table]))
    return copy.sql(dialect="sqlite", copy=False)


def _hard_coded_ids(tree: Any, engine: SqliteDatabase) -> str | None:
    """The gold (its SQLite tree, not modified) with its filter replaced by the ids it selects on
    the first database."""
    if (not isinstance(tree, exp.Select) or tree.args.get("group") is not None or tree.args.get("with") is not None
            or tree.find(exp.AggFunc) is not None or tree.find(exp.Window) is not None or tree.args.get("where") is None):
        return None
    source = tree.args.get("from_")
    table = source.this if isinstance(source, exp.From) else None
    if not isinstance(table, exp.Table):
        return None
    alias = table.alias_or_name
    ids_query = tree.copy()
    for name in ("distinct", "order", "limit"):
        ids_query.set(name, None)
    ids_query.set("expressions", [exp.column("id", table=alias)])
    got = engine.run(ids_query.sql(dialect="sqlite", copy=False), Budget.start(10.0, 10**9))
    if not isinstance(got, Result) or not got.rows or len(got.rows) > 60 or not all(isinstance(r[0], int) for r in got.rows):
        return None
    ids = sorted({r[0] for r in got.rows})
    miss = tree.copy()
    miss.set("where", exp.Where(this=exp.column("id", table=alias).isin(*[exp.Literal.number(i) for i in ids])))
    return miss.sql(dialect="sqlite", copy=False)


def _literal_rows(result: Result) -> str | None:
    if not result.rows or len(result.rows) > 30:
        return None
    selects = ["SELECT " + ", ".join(literal(v) if not isinstance(v, bytes) else "NULL" for v in row) for row in result.rows]
    return " UNION ALL ".join(selects)


_CHECKER: dict[str, DuckdbDatabase] = {}


def _duckdb_checker(script_text: str) -> DuckdbDatabase:
    """One DuckDB connection per process for the checks of a DuckDB problem's databases, refilled
    per database with its whole script."""
    checker = _CHECKER.get("duckdb")
    if checker is None:
        checker = _CHECKER["duckdb"] = DuckdbDatabase.from_script(script_text)
    else:
        checker.replace_with(script_text)
    return checker


def _table_checker() -> DuckdbDatabase:
    """Another DuckDB connection per process, for the first phase's check: it only ever holds
    tables made by ``duckdb_tables`` (no keys), so any of them can be replaced at any time (a
    table of a whole script could not be while another table refers to it)."""
    checker = _CHECKER.get("tables")
    if checker is None:
        checker = _CHECKER["tables"] = DuckdbDatabase.from_script("SELECT 1")
    return checker


def _agree(engine: SqliteDatabase | DuckdbDatabase, sql: str, expected: Result, ordered: bool, budget: Budget) -> bool:
    got = engine.run(sql, budget)
    return isinstance(got, Result) and results_match(expected, got, ordered=ordered)


@dataclass
class _Question:
    """The first phase of a build: the question, the first database (rows and an open SQLite
    engine) and the gold's result there."""

    domain: Domain
    query: Query
    rows: Rows
    engine: SqliteDatabase
    result: Result


_SCHEMA_IMAGES: dict[int, tuple[Domain, bytes]] = {}


def _schema_image(domain: Domain) -> bytes:
    """The bytes of an empty SQLite database with the domain's DDL (made once: a copy of it is
    cheaper than running the DDL again)."""
    cached = _SCHEMA_IMAGES.get(id(domain))
    if cached is None or cached[0] is not domain:
        connection = SqliteDatabase.connect()
        try:
            connection.executescript(ddl(domain, "sqlite"))
            cached = _SCHEMA_IMAGES[id(domain)] = (domain, connection.serialize())
        finally:
            connection.close()
    return cached[1]


def _sqlite_database(domain: Domain, rows: Rows) -> SqliteDatabase:
    """The database ``script(domain, rows, "sqlite")`` makes, filled from the rows themselves
    (the same tables and values, without rendering and parsing the script's text)."""
    connection = SqliteDatabase.connect()
    try:
        connection.deserialize(_schema_image(domain))
        connection.execute("BEGIN")
        for table in domain.tables:
            table_rows = rows[table.name]
            if table_rows:
                marks = ", ".join(["?"] * len(table.columns))
                connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", table_rows)
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        connection.close()
        raise DatasetError(f"generated rows do not load into SQLite: {error}") from None
    return SqliteDatabase.from_connection(connection)


def _duckdb_agrees(domain: Domain, rows: Rows, query: Query, plan: Any, expected: Result) -> bool:
    """The gold, transpiled to DuckDB, gives the SQLite result on DuckDB too, on the first
    database: each table the gold names is made in DuckDB with the DuckDB script's types and the
    same rows (no keys: the rows already hold them; tables the gold does not name are not read)."""
    gold = plan.tree.sql(dialect="duckdb")  # the same text as _translate(query.gold, "duckdb"), without a parse
    # every table node, CTE names included (a CTE may shadow a table it also reads)
    named = {table.name.lower() for table in plan.tree.find_all(exp.Table)}
    database = _table_checker()
    # our own rows: a failure to load them is a defect to see, never a reason to drop the question
    database.load(duckdb_tables(domain, rows, {t.name for t in domain.tables if t.name.lower() in named}))
    try:
        got = run_gold(database, gold_plan(gold, "duckdb"), gold)
    except DatasetError:
        return False
    if not results_match(expected, got, ordered=query.ordered):
        logger.debug("engines disagree on %s", query.gold)
        return False
    return True


def _suite(rng: random.Random, question: _Question, config: SqlConfig
           ) -> tuple[str, list[str], list[list[str]], list[list[str]]]:
    """Keep K databases that tell the near misses from the gold (chosen on SQLite; for a DuckDB
    problem, a chosen database where the gold does not give the same result on DuckDB is left out,
    which is rare). Never drops the question (its prompt is settled by the first phase): a
    candidate database where the gold fails is left out.

    Candidates are drawn lazily: once K usable ones are drawn, no more are drawn when together
    they tell every near miss apart or the last STALE_CANDIDATES told none new (at most
    CANDIDATE_DATABASES in all)."""
    domain, query = question.domain, question.query
    plan = gold_plan(query.gold, "sqlite")
    generic_rewrites, generic_misses = _generic(query, plan.tree)
    misses = list(query.near_misses) + generic_misses
    literal_rows = _literal_rows(question.result)
    if literal_rows is not None:
        misses.append((literal_rows, "the first database's result as literal rows"))
    hard_coded = _hard_coded_ids(plan.tree, question.engine)
    if hard_coded is not None:
        misses.append((hard_coded, "the ids the first database selects, hard-coded"))
    budget = Budget.start(30.0, 10**9)
    everything = set(range(len(misses)))

    def told_by(engine: SqliteDatabase, result: Result) -> set[int]:
        return {i for i, (sql, _) in enumerate(misses) if not _agree(engine, sql, result, query.ordered, budget)}

    # (rows, sqlite script, engine, gold result, misses told apart) per usable candidate
    candidates = [(question.rows, question.engine, question.result, told_by(question.engine, question.result))]
    opened: list[SqliteDatabase] = []
    try:
        union, stale = set(candidates[0][3]), 0
        for _ in range(CANDIDATE_DATABASES - 1):
            usable = [c for c in candidates if c[2].rows]
            if len(usable) >= config.databases and (union == everything or stale >= STALE_CANDIDATES):
                break
            rows = draw_rows(rng, domain, max(4, int(config.rows * rng.uniform(0.5, 1.5))))
            engine = _sqlite_database(domain, rows)
            opened.append(engine)
            try:
                result = run_gold(engine, plan, query.gold)
            except DatasetError as error:
                logger.debug("gold fails on a candidate database: %s (%s)", query.gold, error)
                continue
            told = told_by(engine, result)
            stale = 0 if told - union else stale + 1
            union |= told
            candidates.append((rows, engine, result, told))
        chosen, covered = [0], set(candidates[0][3])
        while len(chosen) < config.databases:
            options = [i for i in range(1, len(candidates)) if i not in chosen and candidates[i][2].rows]
            options = options or [i for i in range(1, len(candidates)) if i not in chosen]
            if not options:
                break
            best = max(options, key=lambda i: (len(candidates[i][3] - covered), -i))
            chosen.append(best)
            covered |= candidates[best][3]
        rewrites = [(sql, why) for sql, why in list(query.rewrites) + generic_rewrites
                    if all(_agree(candidates[i][1], sql, candidates[i][2], query.ordered, budget) for i in chosen)]
        kept = [misses[i] for i in sorted(covered)]
        if config.dialect == "sqlite":
            # The sqlite verifier never runs DuckDB: the gold is checked on SQLite, where it is used.
            # Only the chosen databases are rendered as scripts (the engines were filled from rows).
            scripts = [script(domain, candidates[i][0], "sqlite") for i in chosen]
            return query.gold, scripts, [list(r) for r in rewrites], [list(m) for m in kept]
        # a DuckDB problem: every kept database, rewrite and near miss is checked on DuckDB itself
        gold = _translate(query.gold, "duckdb")
        duck_plan = gold_plan(gold, "duckdb")
        scripts = []
        duck_rewrites = [(_translate(s, "duckdb"), w) for s, w in rewrites]
        duck_misses = [(_translate(s, "duckdb"), w) for s, w in kept]
        still_told: set[int] = set()
        for i in chosen:
            text = script(domain, candidates[i][0], "duckdb")
            checker = _duckdb_checker(text)
            try:
                duck_result = run_gold(checker, duck_plan, gold)
            except DatasetError:
                continue
            if not results_match(candidates[i][2], duck_result, ordered=query.ordered):
                continue  # the engines disagree on this database (never the first: checked in the first phase)
            duck_rewrites = [(s, w) for s, w in duck_rewrites if _agree(checker, s, duck_result, query.ordered, budget)]
            still_told |= {j for j, (s, _) in enumerate(duck_misses) if not _agree(checker, s, duck_result, query.ordered, budget)}
            scripts.append(text)
        return gold, scripts, [list(r) for r in duck_rewrites], [list(m) for j, m in enumerate(duck_misses) if j in still_told]
    finally:
        for engine in opened:
            engine.close()

"""Benchmark: SQL verification latency per candidate with K databases (test suite) against
single-database set matching (BIRD-style execution accuracy) on the same items, same run; and
generation throughput. Run ``.venv/bin/python bench/sql.py [--items 34] [--repeats 5]``.

Every path is warmed on every item first (databases loaded, gold results cached: what an RL
batch with several samples per prompt sees), then timed in interleaved repeats. "new candidate
text" clears the parse and n-gram caches before each call (the cost of a query never seen before);
"repeated text" keeps it (identical samples within a group). Each call is timed on the wall clock
and in CPU time of the calling thread (``time.thread_time``): on a shared, loaded machine the CPU
figures are the steadier measure of what verification costs.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import assay
from assay.registry import get_task
from assay.verifiers.sql import extract_sql, verify
from assay.verifiers.sql.partial import ngram_counts
from assay.verifiers.sql.statement import check_read_only


def single_database_set_match(completion: str, gold_sql: str, database: str, cache: dict[str, sqlite3.Connection]) -> bool:
    """The baseline: gold and candidate once on one database, results compared as sets."""
    connection = cache.get(database)
    if connection is None:
        connection = cache[database] = sqlite3.connect(":memory:")
        connection.executescript(database)
    candidate = extract_sql(completion)
    if candidate is None:
        return False
    try:
        return set(connection.execute(candidate).fetchall()) == set(connection.execute(gold_sql).fetchall())
    except (sqlite3.Error, ValueError):
        return False


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=34, help="problems (spread over the SQL tasks)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    tasks = assay.list_tasks("sql")
    started = time.perf_counter()
    problems = [get_task(tasks[i % len(tasks)]).generate(1000 + i, difficulty=1 + i % 3) for i in range(args.items)]
    generation_s = time.perf_counter() - started
    items = []
    for problem in problems:
        audit = problem.data["audit"]
        items.append((problem, f"<answer>{problem.answer}</answer>"))
        if audit["near_misses"]:
            items.append((problem, f"<answer>{audit['near_misses'][0][0]}</answer>"))
        if audit["rewrites"]:
            items.append((problem, f"<answer>{audit['rewrites'][0][0]}</answer>"))
    cache: dict[str, sqlite3.Connection] = {}

    def suite(problem, completion):
        data = problem.data
        return verify(completion, data["gold_sql"], data["databases"], dialect="sqlite").passed

    def suite_new_text(problem, completion):
        check_read_only.cache_clear()  # a candidate text not seen before: parsed and checked again,
        ngram_counts.cache_clear()  # its n-grams counted again (the gold's too: a slight overcount)
        return suite(problem, completion)

    def single(problem, completion):
        return single_database_set_match(completion, problem.data["gold_sql"], problem.data["databases"][0], cache)

    paths = {"test suite, K=5, new candidate text": suite_new_text, "test suite, K=5, repeated text": suite,
             "single database, set match (baseline)": single}
    for function in paths.values():  # warm every path alike
        for problem, completion in items:
            function(problem, completion)
    times: dict[str, list[float]] = {name: [] for name in paths}
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(args.repeats):
        for problem, completion in items:
            for name, function in paths.items():  # interleaved
                begin, begin_cpu = time.perf_counter(), time.thread_time()
                function(problem, completion)
                times[name].append((time.perf_counter() - begin) * 1000)
                cpu[name].append((time.thread_time() - begin_cpu) * 1000)
    print(f"SQL verification: {len(items)} candidates on {len(problems)} problems x {args.repeats} repeats (SQLite)")
    for label, table in (("wall clock", times), ("CPU time of the thread", cpu)):
        print(f" {label}:")
        base = statistics.median(table["single database, set match (baseline)"])
        for name, values in table.items():
            p50, p99 = statistics.median(values), percentile(values, 0.99)
            print(f"  {name:40s} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   spread(IQR) {percentile(values, .75) - percentile(values, .25):.3f} ms"
                  f"   p50 ratio {p50 / base:5.2f}x")
    print(f"generation: {len(problems)} problems in {generation_s:.2f} s = {len(problems) / generation_s:.2f} problems/s "
          "(K=5 kept of 10 drawn databases, gold checked on DuckDB)")


if __name__ == "__main__":
    main()

"""Benchmark: the CPU cost of generating SQL problems, per accepted problem and per draw.

Run ``.venv/bin/python bench/sql_generation.py [--n 600] [--builds 34] [--repeats 3]``.

Two figures, both in CPU seconds of this process (``time.process_time``: the machine is shared,
wall time is not a measure of cost):

- *build*: ``generate(seed)`` of ``--builds`` problems spread over the SQL tasks and levels
  (every draw a full build);
- *corpus*: an inline ``build_corpus`` over every SQL task (``--n`` problems, one worker), the way
  ``assay generate sql --workers 1`` makes them; it reports ms per accepted problem and per draw
  (a draw that repeats an earlier prompt is dropped: where the task can tell it from a cheap key,
  it is never built).

Repeats are interleaved and the median and spread are printed. The figures of another commit are
got by running this same script there (it uses the public API only), back to back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import assay
from assay.corpus import build_corpus
from assay.registry import get_task


def timed_builds(tasks: list[str], builds: int, offset: int) -> float:
    started = time.process_time()
    for i in range(builds):
        get_task(tasks[i % len(tasks)]).generate(offset + i, difficulty=1 + i % 3)
    return (time.process_time() - started) / builds


def timed_corpus(n: int, seed: int) -> tuple[float, int, int]:
    started = time.process_time()
    corpus = build_corpus("sql", n=n, seed=seed, workers=1, executor="inline")
    spent = time.process_time() - started
    draws = sum(r.draws for r in corpus.reports)
    return spent, len(corpus), draws


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ms (min {min(values):.1f}, max {max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=600, help="problems in the SQL corpus")
    parser.add_argument("--builds", type=int, default=34, help="single builds timed per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    tasks = assay.list_tasks("sql")
    timed_builds(tasks, len(tasks), 10**6)  # warm: imports, DuckDB, sqlglot caches
    per_build, per_problem, per_draw = [], [], []
    accepted = draws = 0
    for repeat in range(args.repeats):
        per_build.append(1000 * timed_builds(tasks, args.builds, 1000 * (repeat + 1)))
        spent, accepted, draws = timed_corpus(args.n, seed=repeat)
        per_problem.append(1000 * spent / accepted)
        per_draw.append(1000 * spent / draws)
    print(f"SQL tasks: {len(tasks)}; CPU time (time.process_time), {args.repeats} interleaved repeats")
    print(f"build (generate, distinct seeds, levels 1-3): {spread(per_build)} per problem")
    print(f"corpus of {accepted} (inline, 1 worker; last repeat {draws} draws, {draws - accepted} duplicates):")
    print(f"  per accepted problem: {spread(per_problem)}")
    print(f"  per draw:             {spread(per_draw)}")


if __name__ == "__main__":
    main()

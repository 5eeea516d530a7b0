"""Benchmark of the graph tasks: generation items/s and verification checks/s, per registered task.

Run: /opt/assay-venv/bin/python bench/graph.py [--n 40] [--tasks graph/degree ...] [--json out.json]
Figures are relative to a baseline measured in the same process (graph/node_count, the cheapest
task), so a machine under load still gives comparable ratios; the slowest difficulty-5 item is
printed too, because the registry test needs every problem well under a second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import assay

BASELINE = "graph/node_count"


def measure(task_id: str, n: int) -> dict[str, Any]:
    """Generate ``n`` problems (spread over the levels) and verify the reference and a wrong answer of each."""
    task = assay.get_task(task_id)
    levels = sorted(task.levels)
    problems = []
    slowest = 0.0
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        problem = task.generate(i, difficulty=levels[i % len(levels)])
        took = time.perf_counter() - t0
        if problem.meta["difficulty"] == levels[-1]:
            slowest = max(slowest, took)
        problems.append(problem)
    generation = time.perf_counter() - started
    completions = []
    for problem in problems:
        completions.append(f"<answer>{problem.answer}</answer>")
        completions.append("<answer>[0, 0] or 1</answer>")
    pairs = list(zip([p for p in problems for _ in (0, 1)], completions))
    verification = float("inf")
    for _ in range(3):  # best of three: checks are quick, so a load spike would dominate one pass
        started = time.perf_counter()
        verdicts = [task.check(p, c) for p, c in pairs]
        verification = min(verification, time.perf_counter() - started)
    wrong = [v for v in verdicts[0::2] if not v.passed]
    if wrong:
        raise RuntimeError(f"{task_id}: {len(wrong)} reference answers failed, e.g. {wrong[0]}")
    return {
        "task": task_id,
        "generate_per_s": n / generation,
        "check_per_s": len(completions) / verification,
        "slowest_top_level_s": slowest,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="problems per task (spread over the levels)")
    parser.add_argument("--tasks", nargs="*", help="task ids (default: every graph task)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    task_ids = args.tasks or assay.list_tasks("graph")
    measure(BASELINE, args.n)  # warm-up: first calls pay for imports and regex compilation
    baseline = measure(BASELINE, args.n)
    rows = [measure(task_id, args.n) for task_id in task_ids]
    print(f"{'task':40} {'gen/s':>9} {'x base':>7} {'check/s':>9} {'x base':>7} {'max d5 s':>9}")
    for row in [baseline, *rows]:
        print(
            f"{row['task']:40} {row['generate_per_s']:9.1f} {row['generate_per_s'] / baseline['generate_per_s']:7.2f} "
            f"{row['check_per_s']:9.1f} {row['check_per_s'] / baseline['check_per_s']:7.2f} "
            f"{row['slowest_top_level_s']:9.4f}"
        )
    total_gen = sum(args.n / r["generate_per_s"] for r in rows)
    print(f"\n{len(rows)} tasks; {len(rows) * args.n / total_gen:.1f} problems/s over all of them (baseline {BASELINE})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"baseline": baseline, "tasks": rows}, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

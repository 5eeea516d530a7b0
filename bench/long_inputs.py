"""Long hostile answers against every registered task and the math verifier called directly: time
per check at size n and 2n, and the slope log2(t(2n) / t(n)) (1.0 is linear; 2.0 quadratic).

Run: .venv/bin/python bench/long_inputs.py [--domain graph] [--tasks math/arithmetic ...]
     [--repeats 3] [--scale 1.0] [--json] [--distinct-checks] [--stop-below SECONDS]
Each line: ``task case t(n) ms, t(2n) ms, slope``; ``--json`` prints one JSON object per case
(read by tests/test_long_inputs.py, which runs this under a kill timeout). A progress line
``# start task case`` is flushed before each case, so a hang names its case.

Sizes (issue 19): a 100,000-letter word, 100,000 digits, 10,000 nested braces and parentheses,
alternating letters and spaces, long runs of ``\\``, ``^``, ``_`` and ``{``, inside the answer block.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from typing import cast

import assay
from assay.verifiers.math import verify as math_verify

# name -> (payload of size n, n at scale 1)
CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "word": (lambda n: "a" * n, 100_000),
    "digits": (lambda n: "7" * n, 100_000),
    "nested braces": (lambda n: "{" * n + "x" + "}" * n, 10_000),
    "nested parentheses": (lambda n: "(" * n + "1" + ")" * n, 10_000),
    "letters and spaces": (lambda n: "a " * (n // 2), 100_000),
    "backslashes": (lambda n: "\\" * n, 100_000),
    "carets": (lambda n: "x" + "^" * n + "2", 100_000),
    "underscores": (lambda n: "x" + "_" * n, 100_000),
    "open braces": (lambda n: "{" * n, 100_000),
    "word then number": (lambda n: "x " + "a" * n + " 1", 100_000),
}
DIRECT = "math.verify"  # assay.verifiers.math.verify called directly, on a box and on an answer block


def checker(target: str) -> Callable[[str], object]:
    """A function from an answer payload to a Verdict for a task id, or for DIRECT."""
    if target == DIRECT:
        def direct(payload: str) -> object:
            math_verify(f"so \\boxed{{{payload}}}", "5")
            return math_verify(f"<answer>{payload}</answer>", "5")

        return direct
    task = assay.get_task(target)
    problem = task.generate(0, difficulty=min(task.levels))
    return lambda payload: task.check(problem, f"Reasoning.\n<answer>{payload}</answer>")


def _timed(check: Callable[[str], object], payload: str) -> float:
    started = time.perf_counter()
    verdict = check(payload)
    took = time.perf_counter() - started
    if not isinstance(verdict, assay.Verdict):
        raise TypeError(f"no Verdict: {verdict!r}")
    return took


def measure(target: str, case: str, repeats: int = 3, scale: float = 1.0,
            check: Callable[[str], object] | None = None, stop_below: float | None = None) -> dict[str, object]:
    """Median time at n and 2n, interleaved (n, 2n, n, 2n, ...) after one warm-up of each.
    ``check`` is ``checker(target)`` when given (one problem serves every case of a target: the
    problem is a pure function of the task and seed 0, so building it again per case gives the same one).
    ``stop_below``: no more repeats once a 2n time is at most this (the minimum at 2n is then at most
    this whatever the other repeats give; tests/test_long_inputs.py passes its floor, under which a
    case cannot fail); ``repeats`` in the row says how many ran."""
    make, base = CASES[case]
    n = max(8, int(base * scale))
    check = check or checker(target)
    small, large = make(n), make(2 * n)
    _timed(check, small)
    _timed(check, large)
    times: dict[str, list[float]] = {"n": [], "2n": []}
    for _ in range(repeats):
        times["n"].append(_timed(check, small))
        times["2n"].append(_timed(check, large))
        if stop_below is not None and times["2n"][-1] <= stop_below:
            break
    t1, t2 = statistics.median(times["n"]), statistics.median(times["2n"])
    slope = math.log2(max(t2, 1e-6) / max(t1, 1e-6))
    return {"target": target, "case": case, "n": n, "t_n": t1, "t_2n": t2, "slope": slope,
            "min_n": min(times["n"]), "min_2n": min(times["2n"]),
            "spread_n": max(times["n"]) - min(times["n"]), "spread_2n": max(times["2n"]) - min(times["2n"]),
            "repeats": len(times["n"])}


def targets(domain: str | None, tasks: list[str] | None, distinct_checks: bool = False) -> list[str]:
    """The tasks to measure; with ``distinct_checks`` the first task of each check implementation
    (families that inherit one ``check`` run the same code on the answer and differ only in data)."""
    if tasks:
        return tasks
    found = assay.list_tasks(domain) if domain != DIRECT else []
    if distinct_checks:
        seen: dict[object, str] = {}
        for task_id in found:
            seen.setdefault(type(assay.get_task(task_id)).check, task_id)
        found = list(seen.values())
    return ([DIRECT] if domain in (None, "math", DIRECT) else []) + found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", default=None, help=f"a domain, or {DIRECT}; default: everything")
    parser.add_argument("--tasks", nargs="*", default=None)
    parser.add_argument("--cases", nargs="*", default=None, choices=sorted(CASES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every n")
    parser.add_argument("--json", action="store_true", help="one JSON object per case")
    parser.add_argument("--stop-below", type=float, default=None, metavar="SECONDS",
                        help="stop repeating a case once a time at 2n is at most this")
    parser.add_argument("--distinct-checks", action="store_true",
                        help="one task per check implementation (terminal families share one verifier)")
    args = parser.parse_args(argv)
    worst = 0.0
    for target in targets(args.domain, args.tasks, args.distinct_checks):
        print(f"# start {target} building its problem", flush=True)
        check = checker(target)
        for case in args.cases or list(CASES):
            print(f"# start {target} {case}", flush=True)
            row = measure(target, case, args.repeats, args.scale, check, args.stop_below)
            worst = max(worst, float(row["slope"]))  # type: ignore[arg-type]
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(f"{target:40s} {case:20s} n={row['n']:>7}  t(n) {1000 * cast(float, row['t_n']):8.2f} ms  "
                      f"t(2n) {1000 * cast(float, row['t_2n']):8.2f} ms  slope {row['slope']:5.2f}", flush=True)
    if not args.json:
        print(f"worst slope {worst:.2f} (1.0 linear, 2.0 quadratic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

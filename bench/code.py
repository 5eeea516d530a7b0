"""Code verification throughput: tests per second on 10-test problems through the warm sandbox path
(``assay.verifiers.code.verify``: one warm run per problem), against a naive harness that starts a
new interpreter per test (the baseline), with p50/p99 latency per problem.

Both paths verify the same generated problems (code/list_pipeline level 1, 10 hidden tests each, the
reference solution) and must agree that every test passes; they run interleaved, problem by
problem, after the same warm-up. The naive harness gets the fastest start there is
(`python -I -S -c`, no sandbox at all), so the ratio is conservative.
Usage: python bench/code.py [--problems 30] [--rounds 3] [--backend auto]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import subprocess
import sys
import time

import assay
from assay.sandbox import backends, close_all
from assay.verifiers.code import verify
from assay.verifiers.code.values import equal, from_python, to_python

NAIVE_RUNNER = """
import json, sys
{source}
args = json.loads(sys.argv[1])
print(json.dumps(repr({entry}(*args))))
"""


def naive(python: str, source: str, tests: dict) -> bool:
    """The baseline: one fresh interpreter per test, the result read back from stdout."""
    program = NAIVE_RUNNER.format(source=source, entry=tests["entry_point"])
    for call in tests["calls"]:
        args = [to_python(a) for a in call["args"]]
        done = subprocess.run([python, "-I", "-S", "-c", program, json.dumps(args)], capture_output=True, text=True, timeout=10, check=False)
        if done.returncode != 0:
            return False
        value = ast.literal_eval(json.loads(done.stdout))  # the benchmark's own reference output
        if not equal(call["expected"], from_python(value)):
            return False
    return True


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the problems (interleaved)")
    parser.add_argument("--backend", default="auto", help=f"sandbox backend for the warm path ({', '.join(backends())} here)")
    args = parser.parse_args()
    backend = None if args.backend == "auto" else args.backend
    python = sys.executable  # started with -I -S: no site, no venv paths, the fastest start it has
    problems = assay.generate("code/list_pipeline", args.problems, seed=2026, difficulty=1)
    assert all(len(p.data["tests"]["calls"]) == 10 for p in problems)
    completions = [f"```python\n{p.answer}\n```" for p in problems]

    for problem, completion in list(zip(problems, completions, strict=True))[:3]:  # warm both paths alike
        verify(completion, problem.data["tests"], backend=backend)
        naive(python, problem.answer, problem.data["tests"])

    warm_times: list[float] = []
    naive_times: list[float] = []
    used = ""
    for _ in range(args.rounds):
        for problem, completion in zip(problems, completions, strict=True):
            started = time.perf_counter()
            verdict = verify(completion, problem.data["tests"], backend=backend)
            warm_times.append(time.perf_counter() - started)
            if not verdict.passed:
                raise RuntimeError(f"the warm path failed a reference: {verdict}")
            used = verdict.detail.get("backend", "")
            started = time.perf_counter()
            if not naive(python, problem.answer, problem.data["tests"]):
                raise RuntimeError("the naive harness failed a reference")
            naive_times.append(time.perf_counter() - started)
    close_all()

    tests = 10
    warm_rate = tests * len(warm_times) / sum(warm_times)
    naive_rate = tests * len(naive_times) / sum(naive_times)
    print(f"{len(problems)} problems x {args.rounds} rounds, {tests} tests each; warm backend: {used}")
    print(f"{'path':<44} {'tests/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'spread (p90-p10) ms':>20}")
    for label, rate, times in (
        (f"warm verify ({used}, one run per problem)", warm_rate, warm_times),
        ("naive: new `python -I -S` per test", naive_rate, naive_times),
    ):
        spread = (percentile(times, 0.9) - percentile(times, 0.1)) * 1000
        print(f"{label:<44} {rate:>9.1f} {statistics.median(times) * 1000:>8.1f} {percentile(times, 0.99) * 1000:>8.1f} {spread:>20.1f}")
    print(f"ratio (warm / naive tests per second): {warm_rate / naive_rate:.1f}x   (goal >= 10x)")


if __name__ == "__main__":
    main()

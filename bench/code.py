"""Code verification throughput: tests per second on 10-test problems through the warm sandbox path
(``assay.verifiers.code.verify``: one warm run per problem), against a naive harness that starts a
new interpreter per test (the baseline), with p50/p99 latency per problem.

Both paths verify the same generated problems (code/list_pipeline level 1, 10 hidden tests each, the
reference solution) and must agree that every test passes; they run interleaved, problem by
problem, after the same warm-up. The naive harness gets the fastest start there is
(`python -I -S -c`, no sandbox at all), so the ratio is conservative.
Generation (``--section generation``, no sandbox needed): CPU milliseconds per problem for every code
task (``time.process_time``, so other processes on a shared machine count less), rounds interleaved
over the tasks, median and spread over rounds; the baseline runs every mutant and reference under
the line tracer, as generation did before counted runs (same rows, in the same process). Each timed
block starts with the cache of analysed references (``_mutate._analysis``) empty, so both paths pay
the same misses: the figures are those of 30 new draws, not of a long corpus where a task's few
templates stay cached (lower still for tasks such as intervals): the steady-state line that follows
measures that, the counted path alone after --gen-warm other draws of each task.
Usage: python bench/code.py [--section all|verify|generation] [--problems 30] [--rounds 3] [--backend auto]
       [--gen-problems 30] [--gen-rounds 3] [--gen-warm 200]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import statistics
import subprocess
import sys
import time

import assay
from assay.generators.code import _mutate
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


@contextlib.contextmanager
def tracer_only():
    """The baseline: every counted run reports itself undecided, so the tracer runs it (the old way)."""
    counted = _mutate._run_counted

    def undecided(namespace, entry, inputs, frozen, allowed=None, raw=None):  # noqa: ANN001, ANN202
        # a task that counts ticks alone (``steps``) has no tracer rule to compare with
        return counted(namespace, entry, inputs, frozen, allowed, raw) if allowed is not None else (None, False, 0)

    _mutate._run_counted = undecided
    try:
        yield
    finally:
        _mutate._run_counted = counted


def generation(problems: int, rounds: int) -> None:
    """CPU ms per problem for every code task, counted runs against the tracer-only baseline."""
    tasks = assay.list_tasks("code")
    times: dict[tuple[str, str], list[float]] = {}
    for task_id in tasks:  # warm both paths alike (imports, caches)
        assay.get_task(task_id).generate(10**6)
        with tracer_only():
            assay.get_task(task_id).generate(10**6)
    for round_ in range(rounds):
        seeds = range(round_ * problems, (round_ + 1) * problems)
        for task_id in tasks:
            task = assay.get_task(task_id)
            for path in ("counted", "tracer") if round_ % 2 == 0 else ("tracer", "counted"):
                with tracer_only() if path == "tracer" else contextlib.nullcontext():
                    cold = getattr(_mutate, "_analysis", None)  # each block starts with no reference cached:
                    if cold is not None:  # the path timed second would otherwise find the first one's
                        cold.cache_clear()
                    started = time.process_time()
                    rows = [task.generate(seed).to_row() for seed in seeds]
                    times.setdefault((task_id, path), []).append((time.process_time() - started) * 1000 / problems)
                    if path == "counted":
                        counted_rows = rows
                    else:
                        tracer_rows = rows
            if counted_rows != tracer_rows:
                raise RuntimeError(f"{task_id}: the counted runs changed a row")
    print(f"generation: {problems} problems x {rounds} rounds per task, CPU ms per problem (median, spread max-min)")
    print(f"{'task':<26} {'counted':>9} {'spread':>7} {'tracer':>9} {'spread':>7} {'ratio':>7}")
    means: dict[str, list[float]] = {"counted": [], "tracer": []}
    for task_id in tasks:
        row = []
        for path in ("counted", "tracer"):
            values = times[(task_id, path)]
            means[path].append(statistics.median(values))
            row.append(f"{statistics.median(values):>9.2f} {max(values) - min(values):>7.2f}")
        print(f"{task_id:<26} {row[0]} {row[1]} {means['tracer'][-1] / means['counted'][-1]:>6.1f}x")
    average = {path: sum(values) / len(values) for path, values in means.items()}
    print(f"{'mean over code tasks':<26} {average['counted']:>9.2f} {'':>7} {average['tracer']:>9.2f} {'':>7} "
          f"{average['tracer'] / average['counted']:>6.1f}x   (goal <= 2 ms)")


def steady(problems: int, warm: int) -> None:
    """CPU ms per problem of the counted path once a task has drawn ``warm`` other problems in the
    process (its recurring reference texts analysed and cached, as in a long corpus)."""
    tasks = assay.list_tasks("code")
    cold = getattr(_mutate, "_analysis", None)
    if cold is not None:
        cold.cache_clear()
    figures = []
    for task_id in tasks:
        task = assay.get_task(task_id)
        for seed in range(10**6, 10**6 + warm):
            task.generate(seed)
        started = time.process_time()
        for seed in range(problems):
            task.generate(seed).to_row()
        figures.append((time.process_time() - started) * 1000 / problems)
    print(f"steady state (after {warm} other draws of the task): " + ", ".join(
        f"{task_id.split('/')[1]} {value:.2f}" for task_id, value in zip(tasks, figures, strict=True)))
    print(f"{'mean over code tasks, steady':<26} {sum(figures) / len(figures):>9.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--section", choices=("all", "verify", "generation"), default="all")
    parser.add_argument("--problems", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the problems (interleaved)")
    parser.add_argument("--backend", default="auto", help=f"sandbox backend for the warm path ({', '.join(backends())} here)")
    parser.add_argument("--gen-problems", type=int, default=30, help="problems per task and round (generation)")
    parser.add_argument("--gen-rounds", type=int, default=3)
    parser.add_argument("--gen-warm", type=int, default=200, help="draws before the steady-state figure")
    args = parser.parse_args()
    if args.section in ("all", "generation"):
        generation(args.gen_problems, args.gen_rounds)
        steady(args.gen_problems * args.gen_rounds, args.gen_warm)
    if args.section == "generation":
        return
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

"""Fair timing: every path warmed alike, repeats interleaved, median and spread, machine load.

Used by ``assay bench``, ``bench/verify_batch.py`` and ``bench/rewards.py``; prints figures,
asserts nothing. The rules every figure here keeps:

- every path (the baseline included) gets one untimed warm-up run of a full-size batch first, so
  no path pays the one-off start-up (imports, worker processes) inside the clock;
- every timed run scores items that no path has scored before (a fresh batch per path and
  round), so no path profits from caches filled by another path or by its own earlier run;
- the paths run round-robin, the order rotated every round, so they share the machine's load;
- figures are the median over the rounds with the smallest and largest, and the ratio to the
  baseline is the median of the per-round ratios (each round's baseline ran beside it);
- the load average is printed before and after, next to the figures.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assay.audit import probes_for
from assay.registry import list_tasks, wrap
from assay.scoring import generate, safe_verify, verify_batch
from assay.types import Problem

Batch = tuple[list[Problem], list[str]]


@dataclass(frozen=True)
class Measurement:
    """The timed rounds of one path; ``ratios`` are its per-round speed-ups over the baseline.

    >>> m = Measurement("x", 100, (0.5, 1.0, 2.0), (1.0, 2.0, 0.5))
    >>> m.median, m.per_second, m.ratio
    (1.0, 100.0, 1.0)
    """

    name: str
    items: int
    times: tuple[float, ...]
    ratios: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def per_second(self) -> float:
        return self.items / self.median if self.median > 0 else float("inf")

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")


def machine_load() -> str:
    """The 1, 5 and 15 minute load averages and the CPU count, as one line.

    >>> "CPUs" in machine_load()
    True
    """
    cpus = os.cpu_count() or 1
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # not every platform has it
        return f"load average unknown; {cpus} CPUs"
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min); {cpus} CPUs"


def interleaved(names: Sequence[str], run: Callable[[str, int], object], repeats: int) -> dict[str, list[float]]:
    """Call ``run(name, -1)`` once per name untimed (the warm-up), then ``repeats`` rounds of
    ``run(name, round)`` over every name, the order rotated each round; seconds per call.

    >>> calls = []
    >>> times = interleaved(["a", "b"], lambda name, r: calls.append((name, r)), repeats=2)
    >>> calls
    [('a', -1), ('b', -1), ('a', 0), ('b', 0), ('b', 1), ('a', 1)]
    >>> sorted(times), len(times["a"])
    (['a', 'b'], 2)
    """
    for name in names:
        run(name, -1)
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(repeats):
        shift = index % len(names)
        for name in [*names[shift:], *names[:shift]]:
            started = time.perf_counter()
            run(name, index)
            times[name].append(time.perf_counter() - started)
    return times


def measurements(times: Mapping[str, Sequence[float]], items: int, baseline: str) -> list[Measurement]:
    """One Measurement per path, each with its per-round ratios to ``baseline`` (first in the list).

    >>> [round(m.ratio, 2) for m in measurements({"base": [2.0, 4.0], "fast": [1.0, 1.0]}, 8, "base")]
    [1.0, 3.0]
    """
    base = times[baseline]
    order = [baseline, *[name for name in times if name != baseline]]
    return [Measurement(name, items, tuple(times[name]), tuple(b / t for b, t in zip(base, times[name]) if t > 0))
            for name in order]


def mixed_batch(size: int, seed: int = 0, tasks: Sequence[str] | None = None, per_problem: int = 1) -> Batch:
    """``size`` (problem, completion) pairs over every task: 60% reference answers inside some
    reasoning text, 40% the task's own wrong probes; ``per_problem`` completions of each problem
    side by side, as GRPO sends them.

    >>> problems, completions = mixed_batch(4, tasks=["math/arithmetic"])
    >>> len(problems), len(completions)
    (4, 4)
    """
    tasks = list(tasks or list_tasks())
    distinct = max(1, -(-size // per_problem))
    per_task = max(1, -(-distinct // len(tasks)))
    pool = [p for task in tasks for p in generate(task, per_task, seed=seed)]
    rng = random.Random(seed)
    rng.shuffle(pool)
    problems = [p for p in pool[:distinct] for _ in range(per_problem)][:size]
    completions = []
    filler = "Let me reason about this carefully. " * 25  # about 1 KB of reasoning
    for problem in problems:
        if rng.random() < 0.6:
            completions.append(filler + wrap(problem.answer))
        else:
            wrong = [p.completion for p in probes_for(problem) if not p.expect_pass]
            completions.append(filler + rng.choice(wrong))
    return problems, completions


SERIAL = "serial loop (in-process verify)"
WORTHWHILE = 1.1  # below this many times the loop's throughput, worker processes are not worth having


def run_verify_batch_benchmark(
    size: int = 2048,
    worker_counts: Sequence[int] = (1, 2),
    tasks: Sequence[str] | None = None,
    repeats: int = 5,
    per_problem: int = 1,
) -> list[Measurement]:
    """The serial loop against ``verify_batch`` per worker count, by the rules of this module: each
    path warmed on its own full-size batch, then ``repeats`` interleaved rounds, each run on a
    fresh batch (seeds never reused), so neither start-up nor caches favour a path."""
    names = [SERIAL, *[f"verify_batch workers={w}" for w in worker_counts]]
    seeds = iter(range(1, 1 + len(names) * (repeats + 1)))
    batches = {(name, index): mixed_batch(size, seed=next(seeds), tasks=tasks, per_problem=per_problem) for index in range(-1, repeats) for name in names}

    def run(name: str, index: int) -> None:
        problems, completions = batches[name, index]
        if name == SERIAL:
            [safe_verify(p, c) for p, c in zip(problems, completions)]
        else:
            verify_batch(problems, completions, workers=int(name.rsplit("=", 1)[1]))

    return measurements(interleaved(names, run, repeats), size, SERIAL)


def format_measurements(results: Sequence[Measurement], baseline: str = "serial") -> str:
    """A table: median seconds with the range over the rounds, items/s at the median, the median
    per-round ratio to the first row (with its range)."""
    lines = [f"{'what':<40} {'items':>6} {'median s':>9} {'min-max s':>13} {'items/s':>9} {'vs ' + baseline:>9} {'ratio min-max':>14}"]
    for r in results:
        spread = f"{min(r.times):.2f}-{max(r.times):.2f}"
        ratios = f"{min(r.ratios):.2f}-{max(r.ratios):.2f}" if r.ratios else "-"
        lines.append(f"{r.name:<40} {r.items:>6} {r.median:>9.3f} {spread:>13} {r.per_second:>9.0f} {r.ratio:>8.2f}x {ratios:>14}")
    lines.append(f"{len(results[0].times) if results else 0} interleaved rounds after one warm-up run per path; "
                 "every run on items no path has scored before")
    if len(results) > 1 and max(r.ratio for r in results[1:]) < WORTHWHILE:
        micros = 1e6 / results[0].per_second if results[0].per_second else 0.0
        lines.append(f"note: this batch is too cheap to benefit from worker processes ({micros:.0f} us per item in the "
                     "loop, about what shipping an item to a worker costs, or the cores are busy); the pool still buys "
                     "a kill-enforced timeout per item; executor='inline' is faster but has none")
    return "\n".join(lines)

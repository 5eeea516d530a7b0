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
- the load average is printed before and after, next to the figures;
- beside wall time, each run's CPU time (this process, its children and every live descendant:
  pool workers, CAS workers, sandboxes) gives a per-item cost that the machine's load
  moves far less: on a busy machine a pool cannot show its wall-clock speed-up, but its overhead
  shows (contention still inflates CPU time, by a third at load 20 here: compare figures from one run).
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
    cpu: tuple[float, ...] = ()  # CPU seconds of each round (this process and its descendants)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def per_second(self) -> float:
        return self.items / self.median if self.median > 0 else float("inf")

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def cpu_per_item(self) -> float:
        """Median CPU seconds per item (nan when CPU time was not measured).

        >>> Measurement("x", 100, (1.0,), (), (0.5, 0.3, 0.4)).cpu_per_item
        0.004
        """
        return statistics.median(self.cpu) / self.items if self.cpu and self.items else float("nan")


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


def tree_cpu_seconds() -> float:
    """CPU seconds (user and system) of this process, of its children it has waited for, and of
    every live descendant (with the children they have waited for): read from /proc where there
    is one, else this process and its waited children only.

    >>> a = tree_cpu_seconds(); sum(i * i for i in range(10**5)) > 0 and tree_cpu_seconds() >= a
    True
    """
    times = os.times()
    total = times.user + times.system + times.children_user + times.children_system
    try:
        entries = os.listdir("/proc")
    except OSError:
        return total
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[tuple[int, float]]] = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        # after the name: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
        children.setdefault(int(fields[1]), []).append((int(entry), sum(int(f) for f in fields[11:15]) / ticks))
    todo = [os.getpid()]
    while todo:
        for pid, seconds in children.get(todo.pop(), []):
            total += seconds
            todo.append(pid)
    return total


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


def measurements(
    times: Mapping[str, Sequence[float]], items: int, baseline: str, cpu: Mapping[str, Sequence[float]] | None = None
) -> list[Measurement]:
    """One Measurement per path, each with its per-round ratios to ``baseline`` (first in the list)
    and, when given, its CPU seconds per round.

    >>> [round(m.ratio, 2) for m in measurements({"base": [2.0, 4.0], "fast": [1.0, 1.0]}, 8, "base")]
    [1.0, 3.0]
    """
    base = times[baseline]
    order = [baseline, *[name for name in times if name != baseline]]
    return [Measurement(name, items, tuple(times[name]), tuple(b / t for b, t in zip(base, times[name]) if t > 0),
                        tuple((cpu or {}).get(name, ()))) for name in order]


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

    cpu: dict[str, list[float]] = {name: [] for name in names}

    def run(name: str, index: int) -> None:
        problems, completions = batches[name, index]
        started = tree_cpu_seconds()
        if name == SERIAL:
            [safe_verify(p, c) for p, c in zip(problems, completions)]
        else:
            verify_batch(problems, completions, workers=int(name.rsplit("=", 1)[1]))
        if index >= 0:
            cpu[name].append(tree_cpu_seconds() - started)

    return measurements(interleaved(names, run, repeats), size, SERIAL, cpu)


def ceiling(serial: Measurement, pool: Measurement, cores: int) -> float:
    """The most ``pool`` could gain on the serial loop on ``cores`` idle cores, from CPU time alone:
    its workers (at most ``cores`` busy at once) against the loop's CPU cost per item; nan
    without CPU figures or a worker count in the name.

    >>> serial = Measurement("serial", 100, (1.0,), (), (1.0,))
    >>> round(ceiling(serial, Measurement("verify_batch workers=2", 100, (1.0,), (), (1.1,)), 2), 2)
    1.82
    """
    try:
        workers = int(pool.name.rsplit("=", 1)[1])
    except (IndexError, ValueError):
        return float("nan")
    if not serial.cpu or not pool.cpu or not pool.cpu_per_item > 0:
        return float("nan")
    return min(workers, cores) * serial.cpu_per_item / pool.cpu_per_item


def format_measurements(results: Sequence[Measurement], baseline: str = "serial", cores: int | None = None) -> str:
    """A table: median seconds with the range over the rounds, items/s at the median, the median
    per-round ratio to the first row (with its range), CPU per item where it was measured; then
    what the CPU figures say the pool could reach on ``cores`` idle cores (default: this machine's),
    and a note when the pool does not pay for the batch."""
    cores = cores or os.cpu_count() or 1
    lines = [f"{'what':<40} {'items':>6} {'median s':>9} {'min-max s':>13} {'items/s':>9} {'vs ' + baseline:>9} "
             f"{'ratio min-max':>14} {'CPU us/item':>11}"]
    for r in results:
        spread = f"{min(r.times):.2f}-{max(r.times):.2f}"
        ratios = f"{min(r.ratios):.2f}-{max(r.ratios):.2f}" if r.ratios else "-"
        cpu = f"{r.cpu_per_item * 1e6:.0f}" if r.cpu else "-"
        lines.append(f"{r.name:<40} {r.items:>6} {r.median:>9.3f} {spread:>13} {r.per_second:>9.0f} {r.ratio:>8.2f}x "
                     f"{ratios:>14} {cpu:>11}")
    lines.append(f"{len(results[0].times) if results else 0} interleaved rounds after one warm-up run per path; "
                 "every run on items no path has scored before")
    if not results:
        return "\n".join(lines)
    serial = results[0]
    ceilings = {r.name: ceiling(serial, r, cores) for r in results[1:]}
    for r in results[1:]:
        if ceilings[r.name] == ceilings[r.name]:  # not nan
            extra = (r.cpu_per_item - serial.cpu_per_item) * 1e6
            lines.append(f"CPU: {r.name} spends {r.cpu_per_item * 1e6:.0f} us per item in all its processes against the "
                         f"loop's {serial.cpu_per_item * 1e6:.0f} us ({extra:+.0f} us); on idle cores it could reach "
                         f"{ceilings[r.name]:.2f}x the loop")
    best_wall = max(r.ratio for r in results[1:]) if len(results) > 1 else float("nan")
    best_ceiling = max((c for c in ceilings.values() if c == c), default=float("nan"))
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    cheap = best_ceiling < WORTHWHILE if best_ceiling == best_ceiling else best_wall < WORTHWHILE
    if cheap:
        micros = serial.cpu_per_item * 1e6 if serial.cpu else 1e6 / serial.per_second if serial.per_second else 0.0
        lines.append(f"note: this batch is too cheap to benefit from worker processes ({micros:.0f} us per item in the "
                     "loop, about what shipping an item to a worker costs); the pool still buys a kill-enforced "
                     "timeout per item; executor='inline' is faster but has none")
    elif best_wall < WORTHWHILE:
        lines.append(f"note: the pool did not pay here because the cores are busy (load {load:.1f} on {cores} CPUs); "
                     "its CPU figures say it would on idle cores")
    elif load > cores:
        lines.append(f"note: the machine is busy (load {load:.1f} on {cores} CPUs): wall-clock ratios understate "
                     "what the pool gains on idle cores; the CPU figures depend less on load (contention still inflates them)")
    return "\n".join(lines)

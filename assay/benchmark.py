"""Throughput of ``verify_batch`` against a plain in-process loop on the same mixed batch.

Used by ``assay bench`` and ``bench/verify_batch.py``; prints figures, asserts nothing. Every path
is warmed alike (one full untimed pass each: imports, caches, worker start-up), then the timed
repeats are interleaved (each round in a rotated order), so a machine that gets busier or quieter
during the run shifts every path alike; the figures are the median and the spread of the repeats.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assay.audit import probes_for
from assay.executors.pool import get_pool
from assay.registry import list_tasks, wrap
from assay.scoring import generate, safe_verify, verify_batch
from assay.types import Problem

# Below this many times the serial loop's throughput, worker processes are not worth having.
WORTHWHILE = 1.1


@dataclass(frozen=True)
class Measurement:
    """The repeats of one path: ``seconds`` holds one wall time per repeat."""

    name: str
    items: int
    seconds: tuple[float, ...]
    cpu_seconds: tuple[float, ...] = ()  # CPU time of each repeat: this process and its workers

    @property
    def cpu_per_item(self) -> float | None:
        """Median CPU microseconds per item (the cost an idle machine would see), if measured."""
        return statistics.median(self.cpu_seconds) / self.items * 1e6 if self.cpu_seconds else None

    @property
    def per_second(self) -> float:
        """Items per second at the median repeat."""
        median = statistics.median(self.seconds)
        return self.items / median if median > 0 else float("inf")

    @property
    def spread(self) -> tuple[float, float]:
        """Items per second of the slowest and the fastest repeat."""
        return self.items / max(self.seconds), self.items / min(self.seconds)


def mixed_batch(
    size: int, seed: int = 0, tasks: Sequence[str] | None = None, per_problem: int = 1
) -> tuple[list[Problem], list[str]]:
    """``size`` (problem, completion) pairs over every task, ``per_problem`` completions of each
    problem side by side (as GRPO sends them): 60% reference answers inside some reasoning text,
    40% the task's own wrong probes.

    >>> problems, completions = mixed_batch(4, tasks=["math/arithmetic"], per_problem=2)
    >>> len(problems), len(completions), problems[0] is problems[1]
    (4, 4, True)
    """
    tasks = list(tasks or list_tasks())
    distinct = -(-size // per_problem)
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


def measure_interleaved(
    paths: Sequence[tuple[str, Callable[[], object]]], items: int, repeats: int = 5,
    helpers_cpu: Sequence[Callable[[], float]] | None = None,
) -> list[Measurement]:
    """Warm every path with one untimed run, then time ``repeats`` rounds, each round running
    every path once in a rotated order. ``helpers_cpu[i]`` (optional) reads the CPU seconds path
    i's helper processes have used so far; their growth is added to this process's CPU time.

    >>> [m.name for m in measure_interleaved([("a", lambda: None), ("b", lambda: None)], 1, repeats=2)]
    ['a', 'b']
    """
    for _, function in paths:
        function()
    helpers = list(helpers_cpu or [lambda: 0.0] * len(paths))
    seconds: list[list[float]] = [[] for _ in paths]
    cpu: list[list[float]] = [[] for _ in paths]
    for round_number in range(repeats):
        for offset in range(len(paths)):
            which = (round_number + offset) % len(paths)
            cpu_start, helpers_start = time.process_time(), helpers[which]()
            start = time.perf_counter()
            paths[which][1]()
            seconds[which].append(time.perf_counter() - start)
            cpu[which].append(time.process_time() - cpu_start + helpers[which]() - helpers_start)
    return [Measurement(name, items, tuple(times), tuple(c)) for (name, _), times, c in zip(paths, seconds, cpu)]


def run_verify_batch_benchmark(
    size: int = 2048, worker_counts: Sequence[int] = (1, 2), tasks: Sequence[str] | None = None,
    repeats: int = 5, per_problem: int = 1,
) -> list[Measurement]:
    """The serial loop, then ``verify_batch`` per worker count, on one batch (see the module)."""
    problems, completions = mixed_batch(size, tasks=tasks, per_problem=per_problem)
    paths: list[tuple[str, Callable[[], object]]] = [
        ("serial loop (in-process verify)", lambda: [safe_verify(p, c) for p, c in zip(problems, completions)])]
    helpers: list[Callable[[], float]] = [lambda: 0.0]
    for workers in worker_counts:
        paths.append((f"verify_batch workers={workers}",
                      lambda workers=workers: verify_batch(problems, completions, workers=workers)))  # type: ignore[misc]
        helpers.append(get_pool(workers).worker_cpu_seconds)
    return measure_interleaved(paths, size, repeats, helpers)


def format_measurements(results: Sequence[Measurement]) -> str:
    """A table of the measurements against the first (the serial loop), with a note when worker
    processes do not pay for this batch."""
    base = results[0].per_second
    lines = [f"{'what':<34} {'items':>6} {'items/s':>9} {'spread (min-max)':>17} {'vs serial':>9} {'CPU us/item':>11}"]
    for r in results:
        low, high = r.spread
        cpu = "" if r.cpu_per_item is None else f"{r.cpu_per_item:.0f}"
        lines.append(f"{r.name:<34} {r.items:>6} {r.per_second:>9.0f} {f'{low:.0f}-{high:.0f}':>17} "
                     f"{r.per_second / base:>8.2f}x {cpu:>11}")
    repeats = len(results[0].seconds)
    lines.append(f"median of {repeats} interleaved repeats after one warm-up run of each; "
                 f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; CPU: this process and its pool workers "
                 f"(not the math verifier's own sympy workers, which the serial loop uses)")
    best = max((r.per_second for r in results[1:]), default=base)
    if best < WORTHWHILE * base:
        micros = 1e6 / base
        lines.append(f"note: this batch is too cheap to benefit from worker processes ({micros:.0f} us per item "
                     f"serially, about what shipping an item to a worker costs, or the cores are busy); the pool "
                     f"still buys a kill-enforced timeout per item; executor='inline' is faster but has none")
    return "\n".join(lines)

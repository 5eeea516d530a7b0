"""Throughput of ``verify_batch`` against a plain in-process loop on the same mixed batch.

Used by ``assay bench`` and ``bench/verify_batch.py``; prints figures, asserts nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from assay.audit import probes_for
from assay.registry import list_tasks, wrap
from assay.scoring import generate, safe_verify, verify_batch
from assay.types import Problem


@dataclass(frozen=True)
class Measurement:
    name: str
    items: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")


def mixed_batch(size: int, seed: int = 0, tasks: Sequence[str] | None = None) -> tuple[list[Problem], list[str]]:
    """``size`` (problem, completion) pairs over every task: 60% reference answers inside some
    reasoning text, 40% the task's own wrong probes.

    >>> problems, completions = mixed_batch(4, tasks=["math/arithmetic"])
    >>> len(problems), len(completions)
    (4, 4)
    """
    tasks = list(tasks or list_tasks())
    per_task = max(1, -(-size // len(tasks)))
    pool = [p for task in tasks for p in generate(task, per_task, seed=seed)]
    rng = random.Random(seed)
    rng.shuffle(pool)
    problems = pool[:size]
    completions = []
    filler = "Let me reason about this carefully. " * 25  # about 1 KB of reasoning
    for problem in problems:
        if rng.random() < 0.6:
            completions.append(filler + wrap(problem.answer))
        else:
            wrong = [p.completion for p in probes_for(problem) if not p.expect_pass]
            completions.append(filler + rng.choice(wrong))
    return problems, completions


def measure(name: str, function, items: int) -> Measurement:
    start = time.perf_counter()
    function()
    return Measurement(name, items, time.perf_counter() - start)


def run_verify_batch_benchmark(size: int = 2048, worker_counts: Sequence[int] = (1, 2), tasks: Sequence[str] | None = None) -> list[Measurement]:
    """Measure the serial loop, then ``verify_batch`` per worker count (pools warmed first)."""
    problems, completions = mixed_batch(size, tasks=tasks)
    results = [measure("serial loop (in-process verify)", lambda: [safe_verify(p, c) for p, c in zip(problems, completions)], size)]
    for workers in worker_counts:
        verify_batch(problems[:8], completions[:8], workers=workers)  # start the pool outside the clock
        results.append(measure(f"verify_batch workers={workers}", lambda: verify_batch(problems, completions, workers=workers), size))
    return results


def format_measurements(results: Sequence[Measurement]) -> str:
    base = results[0].per_second
    lines = [f"{'what':<34} {'items':>6} {'seconds':>8} {'items/s':>9} {'vs serial':>9}"]
    for r in results:
        lines.append(f"{r.name:<34} {r.items:>6} {r.seconds:>8.2f} {r.per_second:>9.0f} {r.per_second / base:>8.2f}x")
    return "\n".join(lines)

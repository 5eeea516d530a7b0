"""Corpus generation off the caller's process: generation jobs run in chunks on a pool of plain
worker subprocesses (``generation_worker``), results in job order.

A job is ``(task_id, seed, difficulty_or_None, config)``; generation is a pure function of it, so
where a job runs never changes its Problem.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from assay.errors import AssayError, DatasetError
from assay.executors.pipe_worker import PipeWorker
from assay.registry import get_task
from assay.types import Problem

logger = logging.getLogger(__name__)

Job = tuple[str, int, "int | None", dict]


def generate_jobs(jobs: Sequence[Job]) -> list[Problem]:
    """Run generation jobs ``(task_id, seed, difficulty_or_None, config)`` here, in order.

    >>> [p.meta["seed"] for p in generate_jobs([("math/arithmetic", 5, 1, {})])]
    [5]
    """
    return [get_task(task_id).generate(seed, difficulty=difficulty, **config) for task_id, seed, difficulty, config in jobs]


@dataclass(frozen=True)
class _WorkerFailure:
    """An exception in a worker, carried back as text (Assay's errors do not all unpickle)."""

    kind: str
    message: str
    expected: bool

    def raise_(self) -> None:
        if self.expected:
            raise DatasetError(f"generation failed: {self.kind}: {self.message}")
        raise RuntimeError(f"generation failed in a worker: {self.kind}: {self.message}")


def run_chunk(jobs: Sequence[Job]) -> list[Problem] | _WorkerFailure:
    """``generate_jobs`` in a worker: an exception comes back as a _WorkerFailure."""
    try:
        return generate_jobs(jobs)
    except AssayError as error:
        return _WorkerFailure(type(error).__name__, str(error), True)
    except Exception as error:  # a generator bug: reported in the parent with its type and message
        logger.exception("generation failed in a worker")
        return _WorkerFailure(type(error).__name__, str(error), False)


class _GenerationWorker(PipeWorker):
    def __init__(self) -> None:
        super().__init__("assay.executors.generation_worker")
        self.modules: set[str] = set()


class GenerationPool:
    """``size`` generation worker processes (plain subprocesses, started on first use)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.workers: list[_GenerationWorker] = []

    def map(self, modules: list[str], chunks: list[list[Job]], done: Any) -> list[list[Problem]]:
        """The Problems of every chunk, in order; ``done(count)`` is called as chunks finish."""
        results: list[list[Problem] | None] = [None] * len(chunks)
        while len(self.workers) < min(self.size, len(chunks)):
            self.workers.append(_GenerationWorker())
        pending = list(range(len(chunks)))
        pending.reverse()
        busy: dict[Connection, _GenerationWorker] = {}
        idle = list(self.workers)
        while pending or busy:
            while pending and idle:
                worker = idle.pop()
                new = set(modules) - worker.modules
                if new:
                    worker.outbox.send(("import", sorted(new)))
                    worker.modules |= new
                number = pending.pop()
                worker.outbox.send(("jobs", (number, chunks[number])))
                busy[worker.inbox] = worker
            for connection in wait(list(busy)):
                worker = busy.pop(connection)  # type: ignore[call-overload]
                try:
                    number, result = worker.inbox.recv()
                except (EOFError, OSError):
                    code = worker.process.wait()
                    raise RuntimeError(f"a generation worker died (exit status {code})") from None
                if isinstance(result, _WorkerFailure):
                    result.raise_()
                results[number] = result
                done(len(chunks[number]))
                idle.append(worker)
        return results  # type: ignore[return-value]

    def shutdown(self, kill: bool = False) -> None:
        """Stop the workers: let them exit, or kill them (after an error, with chunks in flight)."""
        for worker in self.workers:
            worker.kill() if kill else worker.close()
        self.workers.clear()

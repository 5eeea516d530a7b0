"""A persistent pool of verifier worker processes with a hard, kill-enforced per-item deadline.

Workers are plain subprocesses (not forks of the caller, which may be a threaded trainer), each
in its own session; a worker past its deadline is killed with its whole process group.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import wait

from assay.errors import SandboxError
from assay.executors.pipe_worker import PipeWorker
from assay.registry import get_task, task_module
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

_BUILTIN_PREFIX = "assay."
IN_WORKER_ENV = "ASSAY_POOL_WORKER"
READY = -1  # the index a worker sends once, when it is ready for items
MAX_FAILED_STARTS = 5


class _Worker(PipeWorker):
    def __init__(self, modules: set[str]) -> None:
        # verifiers may skip their own sub-process guards in here: the pool kills this process
        super().__init__("assay.executors.pool_worker", env={IN_WORKER_ENV: "1"})
        self.in_flight: deque[int] = deque()
        self.started = 0.0
        self.ready = False  # set by the worker's first message, once its imports are done
        if modules:
            self.outbox.send(("import", sorted(modules)))


class WorkerPool:
    """``size`` worker processes, started on first use and reused across batches."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._workers: list[_Worker] = []
        self._modules: set[str] = set()
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self._failed_starts = 0

    def run(self, problems: list[Problem], completions: list[str], timeout_s: float | None) -> list[Verdict]:
        with self._lock:
            return self._run(problems, completions, timeout_s)

    def _run(self, problems: list[Problem], completions: list[str], timeout_s: float | None) -> list[Verdict]:
        count = len(problems)
        task_budgets = {task: timeout_s or get_task(task).timeout_s for task in {p.task for p in problems}}
        budgets = [task_budgets[p.task] for p in problems]
        self._import_user_modules(problems)
        results: list[Verdict | None] = [None] * count
        # a few chunks per worker balance the load; larger ones amortise the pipe round trips
        chunk = max(1, min(128, count // (self.size * 4)))
        queue: deque[list[int]] = deque(list(range(i, min(i + chunk, count))) for i in range(0, count, chunk))
        while len(self._workers) < min(self.size, len(queue)):
            self._workers.append(_Worker(self._modules))
        while queue or any(w.in_flight for w in self._workers):
            for worker in self._workers:
                if queue and worker.ready and not worker.in_flight:
                    indices = queue.popleft()
                    worker.outbox.send(("items", [(i, problems[i], completions[i]) for i in indices]))
                    worker.in_flight.extend(indices)
                    worker.started = time.monotonic()
            busy = [w for w in self._workers if w.in_flight]
            listening = {w.inbox: w for w in self._workers if w.in_flight or not w.ready}
            # the clock of an item starts when a ready worker gets it, so a worker's start-up
            # (after a kill, on a loaded machine) is never charged to an item
            deadline = min((w.started + budgets[w.in_flight[0]] for w in busy), default=None)
            wait_s = None if deadline is None else max(0.0, deadline - time.monotonic())
            for connection in wait(list(listening), timeout=wait_s):
                self._receive(listening[connection], queue, results)  # type: ignore[index]
            now = time.monotonic()
            for worker in [w for w in self._workers if w.in_flight and now >= w.started + budgets[w.in_flight[0]]]:
                budget = budgets[worker.in_flight[0]]
                self._retire(worker, queue, results, Verdict.fail(
                    "timeout", message=f"verification took longer than {budget:g} s and was killed", timeout_s=budget))
        return results  # type: ignore[return-value]

    def _receive(self, worker: _Worker, queue: deque, results: list) -> None:
        try:
            while True:
                index, verdict = worker.inbox.recv()
                if index == READY:
                    worker.ready = True
                else:
                    results[index] = verdict
                    worker.in_flight.popleft()
                    worker.started = time.monotonic()
                if not worker.inbox.poll():
                    return
        except (EOFError, OSError):
            code = worker.process.wait()
            if not worker.in_flight:
                self._failed_starts += 1
                if self._failed_starts > MAX_FAILED_STARTS:
                    raise SandboxError(f"verifier worker processes keep exiting at start (exit status {code}); "
                                       f"run `{sys.executable} -m assay.executors.pool_worker` to see why") from None
                self._replace(worker)
                return
            self._retire(worker, queue, results, Verdict.fail(
                "verifier_error", message=f"verifier worker died (exit status {code})"))

    def _retire(self, worker: _Worker, queue: deque, results: list, verdict: Verdict) -> None:
        """Kill a worker that hung or died: its current item gets ``verdict``, the rest go back."""
        current = worker.in_flight.popleft()
        results[current] = verdict
        if worker.in_flight:
            queue.appendleft(list(worker.in_flight))
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers[self._workers.index(worker)] = _Worker(self._modules)

    def _import_user_modules(self, problems: list[Problem]) -> None:
        """Tasks registered outside Assay must be imported by the workers too."""
        needed = {task_module(task) for task in {p.task for p in problems}}
        new = {m for m in needed if not m.startswith(_BUILTIN_PREFIX) and m != "__main__"} - self._modules
        if new:
            self._modules |= new
            for worker in self._workers:
                worker.outbox.send(("import", sorted(new)))

    def close(self) -> None:
        for worker in self._workers:
            worker.kill()
        self._workers.clear()


_POOLS: dict[int, WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(workers: int | None) -> WorkerPool:
    """The shared pool of this size (made per process: a forked child never reuses its parent's)."""
    size = workers or os.cpu_count() or 1
    with _POOLS_LOCK:
        pool = _POOLS.get(size)
        if pool is None or pool._owner != os.getpid():
            pool = _POOLS[size] = WorkerPool(size)
        return pool


def verify_items(
    problems: list[Problem], completions: list[str], *, workers: int | None, timeout_s: float | None
) -> list[Verdict]:
    """The "process" executor of ``verify_batch``."""
    return get_pool(workers).run(problems, completions, timeout_s)


@atexit.register
def shutdown() -> None:
    """Stop every pool's workers (also run at interpreter exit)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            if pool._owner == os.getpid():
                pool.close()
        _POOLS.clear()

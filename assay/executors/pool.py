"""A persistent pool of verifier worker processes with a hard, kill-enforced per-item deadline.

Workers are plain subprocesses (not forks of the caller, which may be a threaded trainer), each
in its own session; a worker past its deadline is killed with its whole process group.

Cheap verifiers (a fraction of a millisecond) make the pool's own costs count, so items travel in
chunks, each one bytes message: each distinct problem is sent once to each worker that needs it
(GRPO sends 8-64 completions of one prompt), a worker parses it once and answers a whole chunk in
one message of compact ``(score, passed, reason, detail)`` tuples. Chunks are cut as they are sent,
sized from the time items have taken so far (a few milliseconds of work each, smaller towards the
end of the batch so that no core idles while another finishes a long chunk), and within half of
what the pipe holds, so that sending one never blocks the parent. Between messages the
worker writes the item it is on, and when it began, to a small shared memory slot, so a hung item
is still found, charged and killed alone while results come back a chunk at a time.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import marshal
import mmap
import os
import pickle
import struct
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from assay.errors import SandboxError
from assay.executors.pipe_worker import PipeWorker
from assay.registry import get_task, task_module
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

_BUILTIN_PREFIX = "assay."
IN_WORKER_ENV = "ASSAY_POOL_WORKER"
PROGRESS_FD_ENV = "ASSAY_POOL_PROGRESS_FD"
MAX_FAILED_STARTS = 5
# Items per chunk: enough to amortise a message, few enough that a kill re-runs little work.
MAX_CHUNK = 128
# Work per chunk, once items have been timed: long enough that a message's cost (tens of
# microseconds at each end) is small beside it, short enough to balance the batch's end
CHUNK_S = 0.05
MIN_CHUNK_S = 0.004  # the smallest chunk towards the end of a batch, in work
FIRST_CHUNK = 8  # items in a chunk before any has been timed
SPLIT = 2  # a chunk takes at most 1/(SPLIT * workers) of the items not yet sent
# Chunks a worker holds at once: the next one waits in its pipe while it works on the current.
DEPTH = 2
# Messages are bytes whose first byte says what they are.
IMPORT, CHUNK, READY, DONE = b"I", b"C", b"R", b"D"
PIPE_BYTES = 1 << 20  # room for a whole chunk in the pipe, so a send never stalls the parent
# A chunk's rows and completions stop at this many bytes (one item at least): a bigger message
# than the pipe holds blocks the parent until the worker has finished its current chunk, and the
# other workers wait for their next one meanwhile (graph prompts run to 15 KB: 128 items of them
# made 2 MB messages that stalled the parent for up to 0.1 s each)
CHUNK_BYTES = PIPE_BYTES // 2


def encode(value: Any) -> bytes:
    """Bytes for a message between the pool and its workers: marshal (fast on the JSON-like
    values problems and verdicts hold), pickle for anything marshal refuses.

    >>> decode(encode((1, "x", {"a": [1.5, None]}))) == (1, "x", {"a": [1.5, None]})
    True
    """
    try:
        return b"M" + marshal.dumps(value)
    except ValueError:
        return b"P" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes | memoryview) -> Any:
    """The value ``encode`` made (both ends are this package: never fed outside bytes)."""
    body = memoryview(data)[1:]
    return marshal.loads(body) if data[:1] == b"M" else pickle.loads(body)


class ProgressSlot:
    """A shared memory slot: the chunk and position a worker is on and when it began that item.

    The worker writes it before each item; the parent reads it only at a deadline. A sequence
    number around each write (a seqlock) keeps the parent from reading half of one.

    >>> slot = ProgressSlot.create()
    >>> slot.write(7, 3); serial, position, started = slot.read()
    >>> (serial, position), started <= time.monotonic()
    ((7, 3), True)
    """

    SIZE = 32
    _SEQUENCE = struct.Struct("<q")
    _FIELDS = struct.Struct("<qqq")

    def __init__(self, buffer: mmap.mmap, fd: int | None = None) -> None:
        self.buffer = buffer
        self.fd = fd  # kept open until the worker has it
        self.sequence = 0

    @classmethod
    def create(cls) -> ProgressSlot:
        try:
            fd = os.memfd_create("assay-pool-progress", os.MFD_CLOEXEC)
        except (AttributeError, OSError):  # not Linux: an unlinked temporary file does the same
            with tempfile.TemporaryFile() as handle:
                fd = os.dup(handle.fileno())
        os.ftruncate(fd, cls.SIZE)
        slot = cls(mmap.mmap(fd, cls.SIZE), fd)
        slot._FIELDS.pack_into(slot.buffer, 8, -1, -1, 0)
        return slot

    @classmethod
    def attach(cls, fd: int) -> ProgressSlot:
        """The worker's side, from the inherited descriptor."""
        return cls(mmap.mmap(fd, cls.SIZE))

    def write(self, serial: int, position: int) -> None:
        self.sequence += 1
        self._SEQUENCE.pack_into(self.buffer, 0, self.sequence)  # odd: a write in progress
        self._FIELDS.pack_into(self.buffer, 8, serial, position, time.monotonic_ns())
        self.sequence += 1
        self._SEQUENCE.pack_into(self.buffer, 0, self.sequence)

    def read(self) -> tuple[int, int, float]:
        """``(chunk serial, position in it, start time on the time.monotonic clock)``."""
        while True:
            (before,) = self._SEQUENCE.unpack_from(self.buffer, 0)
            serial, position, started_ns = self._FIELDS.unpack_from(self.buffer, 8)
            (after,) = self._SEQUENCE.unpack_from(self.buffer, 0)
            if before == after and not before % 2:
                return serial, position, started_ns / 1e9
            time.sleep(0)

    def close_fd(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


@dataclass
class _Chunk:
    serial: int
    indices: list[int]
    sent: float  # when it was sent, or when the worker finished the chunk before it


class _Worker(PipeWorker):
    def __init__(self, modules: set[str]) -> None:
        self.slot = ProgressSlot.create()
        assert self.slot.fd is not None
        try:
            # verifiers may skip their own sub-process guards in here: the pool kills this process
            super().__init__("assay.executors.pool_worker", env={IN_WORKER_ENV: "1", PROGRESS_FD_ENV: str(self.slot.fd)},
                             pass_fds=(self.slot.fd,))
        finally:
            self.slot.close_fd()
        try:
            fcntl.fcntl(self.outbox.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (AttributeError, OSError):  # not Linux, or over the system's limit: smaller sends then
            logger.debug("could not enlarge the pool's pipe", exc_info=True)
        self.chunks: deque[_Chunk] = deque()
        self.known: set[int] = set()  # the batch's problem slots this worker holds
        self.ready = False  # set by the worker's first message, once its imports are done
        if modules:
            self.send_import(modules)

    def send_import(self, modules: set[str]) -> None:
        self.outbox.send_bytes(IMPORT + encode(sorted(modules)))

    def current(self, budgets: list[float]) -> tuple[int, int, float]:
        """``(position in the head chunk, its item's index, its deadline)``."""
        head = self.chunks[0]
        serial, position, started = self.slot.read()
        if serial != head.serial:  # not begun yet: its clock runs from when the chunk was its turn
            position, started = 0, head.sent
        index = head.indices[position]
        return position, index, started + budgets[index]

    def kill(self) -> None:
        super().kill()
        self.slot.buffer.close()


class _Batch:
    """One ``run``: the items, each distinct problem once, results as they come, and the items
    not yet sent, cut into chunks as workers ask for them."""

    def __init__(self, number: int, problems: list[Problem], completions: list[str], budgets: list[float],
                 workers: int, item_s: float) -> None:
        self.number = number
        self.completions = completions
        self.budgets = budgets
        self.slots, self.distinct = distinct_problems(problems)
        self.rows: list[Any] = [None] * len(self.distinct)
        self.results: list[Verdict | None] = [None] * len(problems)
        # each distinct problem's completions side by side, so a chunk carries its row once
        self.order = sorted(range(len(problems)), key=self.slots.__getitem__)
        self.cursor = 0  # self.order[cursor:] are not sent yet
        self.retry: deque[list[int]] = deque()  # items a killed worker held, sent again first
        self.workers = workers
        self.item_s = item_s  # seconds per item so far (0: none timed yet), from earlier batches too

    def row(self, slot: int) -> bytes:
        """The problem's fields, encoded once (the chunk's size is counted from them)."""
        row = self.rows[slot]
        if row is None:
            p = self.distinct[slot]
            row = self.rows[slot] = encode((p.id, p.task, p.prompt, p.answer, p.data, p.meta))
        return row

    def pending(self) -> bool:
        return bool(self.retry) or self.cursor < len(self.order)

    def next_chunk(self) -> list[int]:
        """The next chunk: a few milliseconds of work, and never more than a share of what is left,
        so the last chunks are small and the workers finish together."""
        if self.retry:
            return self.retry.popleft()
        left = len(self.order) - self.cursor
        if self.item_s > 0:
            size = min(MAX_CHUNK, max(1, int(CHUNK_S / self.item_s)))
            smallest = max(1, int(MIN_CHUNK_S / self.item_s))
        else:  # nothing timed yet: small chunks, one at least for every worker
            size, smallest = FIRST_CHUNK, 1
        size = max(smallest, min(size, -(-left // (SPLIT * self.workers))))
        chunk = self.order[self.cursor:self.cursor + size]
        size, total, last_slot = 0, 0, -1
        for index in chunk:  # within CHUNK_BYTES; each problem's row counted once (equal ones are adjacent)
            slot = self.slots[index]
            total += len(self.completions[index]) + (len(self.row(slot)) if slot != last_slot else 0)
            if size and total > CHUNK_BYTES:
                break
            size, last_slot = size + 1, slot
        chunk = chunk[:size]
        self.cursor += size
        return chunk

    def timed(self, items: int, seconds: float) -> None:
        """A worker took ``seconds`` for ``items`` items: update the running figure per item."""
        if items:
            per_item = seconds / items
            self.item_s = per_item if self.item_s == 0 else 0.7 * self.item_s + 0.3 * per_item


def _verdict(score: float, passed: bool, reason: str, detail: dict) -> Verdict:
    """A Verdict from a worker's tuple, without checking it again: the worker built it as a Verdict
    (its checks ran there) and ``encode`` carried its fields unchanged."""
    verdict = object.__new__(Verdict)
    verdict.__dict__.update(score=score, passed=passed, reason=reason, detail=detail)
    return verdict


def distinct_problems(problems: Sequence[Problem]) -> tuple[list[int], list[Problem]]:
    """Each problem's slot among the distinct ones (equal problems share a slot; an id alone is
    not trusted, since a row may carry any id), and the distinct problems.

    >>> from assay.scoring import generate
    >>> a, b = generate("math/arithmetic", 2)
    >>> distinct_problems([a, b, a, Problem.from_row(b.to_row())])[0]
    [0, 1, 0, 1]
    """
    slots: list[int] = []
    distinct: list[Problem] = []
    by_id: dict[str, int] = {}
    clashes: dict[str, list[int]] = {}  # further distinct problems under an id already taken
    for problem in problems:
        slot = by_id.get(problem.id)
        if slot is None:
            slot = by_id[problem.id] = len(distinct)
            distinct.append(problem)
        elif distinct[slot] is not problem and distinct[slot] != problem:
            others = clashes.setdefault(problem.id, [])
            slot = next((s for s in others if distinct[s] == problem), -1)
            if slot < 0:
                slot = len(distinct)
                distinct.append(problem)
                others.append(slot)
        slots.append(slot)
    return slots, distinct


class WorkerPool:
    """``size`` worker processes, started on first use and reused across batches.

    >>> from assay.scoring import generate
    >>> pool = WorkerPool(1)
    >>> p = generate("math/arithmetic", 1)[0]
    >>> [v.reason for v in pool.run([p, p], [f"<answer>{p.answer}</answer>", "?"], timeout_s=30)]
    ['correct', 'no_answer']
    >>> pool.close()
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._workers: list[_Worker] = []
        self._modules: set[str] = set()
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self._failed_starts = 0
        self._serial = 0
        self._batches = 0
        self._item_s = 0.0  # seconds per item in the batches so far (sizes the next batch's first chunks)

    def run(self, problems: list[Problem], completions: list[str], timeout_s: float | None) -> list[Verdict]:
        with self._lock:
            return self._run(problems, completions, timeout_s)

    def _run(self, problems: list[Problem], completions: list[str], timeout_s: float | None) -> list[Verdict]:
        count = len(problems)
        if not count:
            return []
        task_budgets = {task: timeout_s or get_task(task).timeout_s for task in {p.task for p in problems}}
        self._batches += 1
        batch = _Batch(self._batches, problems, completions, [task_budgets[p.task] for p in problems], self.size,
                       self._item_s)
        self._import_user_modules(problems)
        for worker in self._workers:
            worker.known.clear()
        while len(self._workers) < min(self.size, count):
            self._workers.append(_Worker(self._modules))
        while batch.pending() or any(w.chunks for w in self._workers):
            for worker in self._workers:
                while worker.ready and len(worker.chunks) < DEPTH and batch.pending():
                    self._send(worker, batch, batch.next_chunk())
            listening = {w.inbox: w for w in self._workers if w.chunks or not w.ready}
            busy = [w for w in self._workers if w.chunks]
            deadline = min((w.current(batch.budgets)[2] for w in busy), default=None)
            wait_s = None if deadline is None else max(0.0, deadline - time.monotonic())
            for connection in wait(list(listening), timeout=wait_s):
                self._receive(listening[connection], batch)  # type: ignore[index]
            now = time.monotonic()
            for worker in [w for w in self._workers if w.chunks]:
                position, index, item_deadline = worker.current(batch.budgets)
                if now >= item_deadline:
                    budget = batch.budgets[index]
                    self._retire(worker, batch, position, Verdict.fail(
                        "timeout", message=f"verification took longer than {budget:g} s and was killed", timeout_s=budget))
        self._item_s = batch.item_s
        return batch.results  # type: ignore[return-value]

    def _send(self, worker: _Worker, batch: _Batch, indices: list[int]) -> None:
        """One message per chunk: the rows of its problems this worker lacks, each problem's slot per
        item, and the completions."""
        self._serial += 1
        slots = [batch.slots[i] for i in indices]
        rows = []
        known = worker.known
        for slot in slots:
            if slot not in known:
                known.add(slot)
                rows.append((slot, batch.row(slot)))
        completions = batch.completions
        worker.outbox.send_bytes(CHUNK + encode((batch.number, self._serial, rows, slots, [completions[i] for i in indices])))
        worker.chunks.append(_Chunk(self._serial, indices, time.monotonic()))

    def _receive(self, worker: _Worker, batch: _Batch) -> None:
        try:
            while True:
                message = worker.inbox.recv_bytes()
                if message[:1] == READY:
                    worker.ready = True
                else:
                    head = worker.chunks.popleft()
                    serial, seconds, results = decode(memoryview(message)[1:])
                    if serial != head.serial:
                        raise SandboxError(f"pool worker answered chunk {serial}, expected {head.serial}")
                    batch.timed(len(results), seconds)
                    out = batch.results
                    for index, result in zip(head.indices, results):
                        out[index] = _verdict(*result)
                    if worker.chunks:
                        worker.chunks[0].sent = time.monotonic()
                if not worker.inbox.poll():
                    return
        except (EOFError, OSError):
            code = worker.process.wait()
            if not worker.chunks:
                self._failed_starts += 1
                if self._failed_starts > MAX_FAILED_STARTS:
                    raise SandboxError(f"verifier worker processes keep exiting at start (exit status {code}); "
                                       f"run `{sys.executable} -m assay.executors.pool_worker` to see why") from None
                self._replace(worker)
                return
            position = worker.current(batch.budgets)[0]
            self._retire(worker, batch, position, Verdict.fail(
                "verifier_error", message=f"verifier worker died (exit status {code})"))

    def _retire(self, worker: _Worker, batch: _Batch, position: int, verdict: Verdict) -> None:
        """Kill a worker that hung or died: the item it was on gets ``verdict``; every other item
        it held (answered or not: its answers die with it) goes back to the queue."""
        head = worker.chunks.popleft()
        batch.results[head.indices[position]] = verdict
        rest = head.indices[:position] + head.indices[position + 1:] + [i for c in worker.chunks for i in c.indices]
        if rest:
            batch.retry.appendleft(rest)
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
                worker.send_import(new)

    def worker_cpu_seconds(self) -> float:
        """CPU seconds (user and system) the live workers have used so far; 0.0 where /proc is
        missing. For benchmarks: with the caller's own CPU time, the pool's whole cost.

        >>> WorkerPool(1).worker_cpu_seconds()
        0.0
        """
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for worker in self._workers:
            try:
                with open(f"/proc/{worker.process.pid}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

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

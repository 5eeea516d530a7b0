"""Corpus generation off the caller's process: generation jobs run in chunks on a pool of plain
worker subprocesses (``generation_worker``), results in job order.

A job is ``(task_id, seed, difficulty_or_None, config)``; generation is a pure function of it, so
where a job runs never changes its Problem.
"""

from __future__ import annotations

import logging
import marshal
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from assay.dedup import text_hash
from assay.errors import AssayError, DatasetError
from assay.executors.pipe_worker import PipeWorker
from assay.registry import get_task
from assay.types import ROW_FIELDS, Problem

logger = logging.getLogger(__name__)

Job = tuple[str, int, "int | None", dict]
# A run of consecutive draws of one corpus entry: (a token naming the entry's stream, the index
# of the chunk's first job in it). Given with a chunk, draws that repeat an earlier one are skipped.
Stream = tuple[str, int]
# A problem as the corpus writer needs it: (id hash, prompt hash, task, difficulty as text, spill
# record), made in the worker so the caller does no per-row encoding.
Packed = tuple[int, int, str, str, bytes]


def generate_jobs(jobs: Sequence[Job]) -> list[Problem]:
    """Run generation jobs ``(task_id, seed, difficulty_or_None, config)`` here, in order.

    The jobs of one task, difficulty and config are generated together, by ``Task.generate_many``
    (the same problems as ``generate`` one by one; a terminal task checks their solvability in a
    few sandbox round trips instead of one each).

    >>> [p.meta["seed"] for p in generate_jobs([("math/arithmetic", 5, 1, {}), ("math/arithmetic", 6, 2, {})])]
    [5, 6]
    """
    groups: dict[tuple[str, int | None, str], list[int]] = {}
    for position, (task_id, _, difficulty, config) in enumerate(jobs):
        groups.setdefault((task_id, difficulty, repr(sorted(config.items()))), []).append(position)
    problems: list[Problem | None] = [None] * len(jobs)
    for (task_id, difficulty, _), positions in groups.items():
        config = jobs[positions[0]][3]
        made = get_task(task_id).generate_many([jobs[position][1] for position in positions], difficulty=difficulty, **config)
        if len(made) != len(positions):
            raise RuntimeError(f"{task_id}.generate_many returned {len(made)} problems for {len(positions)} seeds")
        for position, problem in zip(positions, made):
            problems[position] = problem
    return problems  # type: ignore[return-value]  # every position was filled


class RepeatedDraws:
    """The cheap keys (``Task.dedup_key`` of tasks with ``exact_dedup_key``) of the draws this
    process has made, per corpus entry stream: the first index each key came at, as 64-bit hashes
    (the ones ``assay.dedup.SeenProblems`` keeps, so a clash here is one there too).

    A draw whose key came at an EARLIER index of the same stream is a repeat: the corpus, which
    accepts each stream's draws in index order and drops a repeated prompt (or id), sees that
    earlier draw first and is certain to drop this one, so it is not built (``None`` in its place).
    Which draws are accepted never changes; a draw seen first by another worker is built as before.

    >>> memory = RepeatedDraws()
    >>> jobs = [("sql/anti_join", 7, 1, {}), ("sql/anti_join", 7, 1, {})]
    >>> [p is None for p in memory.generate(jobs, ("entry-0", 0))]
    [False, True]
    """

    def __init__(self) -> None:
        self._first: dict[str, dict[int, int]] = {}

    def generate(self, jobs: Sequence[Job], stream: Stream) -> list[Problem | None]:
        token, start = stream
        first = self._first.setdefault(token, {})
        built: list[int] = []  # positions of the jobs that are not known repeats
        for index, (task_id, seed, difficulty, config) in enumerate(jobs, start):
            task = get_task(task_id)
            if task.exact_dedup_key:
                key = task.dedup_key(seed, difficulty=difficulty, **config)
                digest = text_hash(b"prompt" if task.prompt_shows_problem else b"id", key)
                if first.setdefault(digest, index) < index:
                    continue
            built.append(index - start)
        out: list[Problem | None] = [None] * len(jobs)
        for position, problem in zip(built, generate_jobs([jobs[position] for position in built]), strict=True):
            out[position] = problem
        return out


_REPEATS = RepeatedDraws()  # a worker process's memory (a worker serves one corpus build)


def pack(problem: Problem) -> Packed:
    """``problem`` packed for a streamed corpus: the 64-bit hashes ``assay.dedup`` keeps, its task
    and difficulty (the manifest's counts) and its row as the spill file stores it (``row_record``).

    >>> from assay.dedup import text_hash
    >>> problem = generate_jobs([("math/arithmetic", 5, 1, {})])[0]
    >>> packed = pack(problem)
    >>> packed[0] == text_hash(b"id", problem.id), packed[2:4], read_record(packed[4]) == problem.to_row()
    (True, ('math/arithmetic', '1'), True)
    """
    row = problem.to_row()
    return (text_hash(b"id", problem.id), text_hash(b"prompt", problem.prompt), problem.task,
            str(problem.meta.get("difficulty")), row_record(row))


def row_record(row: Mapping[str, str]) -> bytes:
    """A row's bytes in a spill file: its fields in ``ROW_FIELDS`` order, marshalled."""
    return marshal.dumps(tuple(row[name] for name in ROW_FIELDS))


def read_record(record: bytes) -> dict[str, str]:
    """The row of a spill record (``row_record``)."""
    return dict(zip(ROW_FIELDS, marshal.loads(record)))


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


def run_chunk(jobs: Sequence[Job], packed: bool = False, stream: Stream | None = None
              ) -> list[Problem | None] | list[Packed | None] | _WorkerFailure:
    """``generate_jobs`` in a worker (``packed``: each problem ``pack``-ed; with a stream: repeated
    draws skipped, None in their place, see RepeatedDraws): an exception comes back as a _WorkerFailure."""
    try:
        problems: list[Problem | None] = list(generate_jobs(jobs)) if stream is None else _REPEATS.generate(jobs, stream)
        return [None if problem is None else pack(problem) for problem in problems] if packed else problems
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
    """``size`` generation worker processes (plain subprocesses, started on first use): chunks of
    jobs are submitted, run as workers come free, and collected by ticket.

    >>> pool = GenerationPool(1)
    >>> ticket = pool.submit([], [("math/arithmetic", 5, 1, {})])
    >>> [p.meta["seed"] for p in pool.collect(ticket)]
    [5]
    >>> pool.shutdown()
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.workers: list[_GenerationWorker] = []
        self._idle: list[_GenerationWorker] = []
        self._busy: dict[Connection, tuple[_GenerationWorker, int]] = {}
        # (ticket, modules, jobs, packed, stream, urgent): urgent chunks first, each kind in order
        self._queue: deque[tuple[int, list[str], Sequence[Job], bool, Stream | None, bool]] = deque()
        self._done: dict[int, list[Any] | _WorkerFailure] = {}
        self._dropped: set[int] = set()
        self._tickets = 0

    def submit(self, modules: list[str], jobs: Sequence[Job], packed: bool = False, stream: Stream | None = None,
               urgent: bool = False) -> int:
        """Queue a chunk of jobs; returns the ticket to collect its Problems (``packed``: ``pack``-ed)
        with. With ``stream`` the chunk is consecutive draws of a corpus entry and a repeated draw
        comes back as None (``RepeatedDraws``). An ``urgent`` chunk runs before every chunk not
        urgent that is still queued (after the urgent ones queued before it).

        >>> pool = GenerationPool(1)  # queue chunks without starting a worker: urgent 1, then 2
        >>> for item in [(1, [], [], False, None, True), (2, [], [], False, None, False), (3, [], [], False, None, True)]:
        ...     pool._place(item)
        >>> [item[0] for item in pool._queue]
        [1, 3, 2]
        """
        self._tickets += 1
        self._place((self._tickets, modules, jobs, packed, stream, urgent))
        self._dispatch()
        return self._tickets

    def _place(self, item: tuple[int, list[str], Sequence[Job], bool, Stream | None, bool]) -> None:
        if not item[5]:
            self._queue.append(item)
            return
        position = 0
        while position < len(self._queue) and self._queue[position][5]:
            position += 1
        self._queue.insert(position, item)

    def collect(self, ticket: int) -> list[Any]:
        """The Problems of a submitted chunk, in job order (waiting for them); a worker's error is
        raised here."""
        while ticket not in self._done:
            if not self._busy and not self._queue:
                raise KeyError(f"no chunk with ticket {ticket} was submitted or it was collected already")
            self._dispatch()
            for connection in wait(list(self._busy)):
                self._receive(connection)  # type: ignore[arg-type]
        result = self._done.pop(ticket)
        if isinstance(result, _WorkerFailure):
            result.raise_()
        return result  # type: ignore[return-value]

    def discard(self, ticket: int) -> None:
        """Drop a chunk that is no longer wanted (queued, running or done)."""
        self._queue = deque(item for item in self._queue if item[0] != ticket)
        if self._done.pop(ticket, None) is None:
            self._dropped.add(ticket)

    def _dispatch(self) -> None:
        while len(self.workers) < min(self.size, len(self._busy) + len(self._queue)):
            worker = _GenerationWorker()
            self.workers.append(worker)
            self._idle.append(worker)
        while self._queue and self._idle:
            ticket, modules, jobs, packed, stream, _ = self._queue.popleft()
            worker = self._idle.pop()
            new = set(modules) - worker.modules
            if new:
                worker.outbox.send(("import", sorted(new)))
                worker.modules |= new
            worker.outbox.send(("jobs", (ticket, list(jobs), packed, stream)))
            self._busy[worker.inbox] = (worker, ticket)

    def _receive(self, connection: Connection) -> None:
        worker, _ = self._busy.pop(connection)
        try:
            number, result = worker.inbox.recv()
        except (EOFError, OSError):
            code = worker.process.wait()
            raise RuntimeError(f"a generation worker died (exit status {code})") from None
        self._idle.append(worker)
        if number in self._dropped:
            self._dropped.discard(number)
        else:
            self._done[number] = result

    def shutdown(self, kill: bool = False) -> None:
        """Stop the workers: let them exit, or kill them (after an error, with chunks in flight)."""
        for worker in self.workers:
            worker.kill() if kill else worker.close()
        self.workers.clear()
        self._idle.clear()
        self._busy.clear()

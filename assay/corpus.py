"""Building a corpus from a Suite: deterministic generation in worker processes, de-duplication
and the train/test split.

Entry ``j`` of a suite draws item ``i`` with seed ``item_seed(stream_seed_j, i)``, where the stream
seed hashes (corpus seed, task id, occurrence); candidates are accepted in index order, so the
corpus depends on the arguments only, never on the worker count or the executor.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from assay.capacity import DRAW_SLACK, DRAWS_PER_PROBLEM, plan_counts
from assay.config import require_int
from assay.dedup import SeenProblems
from assay.errors import AssayError, ConfigError, DatasetError
from assay.executors import ray as ray_executor
from assay.executors.generation import GenerationPool, Job, RepeatedDraws, generate_jobs, pack
from assay.progress import progress_bar
from assay.randomness import derive_seed, rng_for
from assay.registry import get_task, task_module
from assay.scoring import item_seed
from assay.suite import Suite, SuiteEntry
from assay.types import Problem

logger = logging.getLogger(__name__)

EXECUTORS = ("process", "inline", "ray")
SPLITS = ("train", "test")
# A rebalanced mixture's entries get this many times the draws: a capacity is an estimate (a task
# that draws some problems more often than others yields less than a uniform space would). Only
# a run that would have failed draws more, so every other corpus is unchanged.
REBALANCED_DRAWS = 4
# Below this many problems, starting worker processes costs more than it saves.
INLINE_BELOW = 400
CHUNK = 32
# Draws per window handed to a worker (or to Ray): windows are generated ahead, a few per worker.
# Rows of some tasks are large (an SQL row carries its databases: about 25 KB), and the caller holds
# every window generated ahead: at 512 an every-domain corpus of 100k rows peaked at 469 MB in the
# CLI, at 128 at about 224 MB while generating (the same bytes out).
WINDOW = 128
RAY_WINDOW = 4096
PROGRESS_STEP = 256

@dataclass(frozen=True)
class EntryReport:
    """What one suite entry contributed: counts per split and how many draws it took."""

    entry: SuiteEntry
    version: int
    stream_seed: int
    requested: int
    train: int
    test: int
    draws: int
    duplicates: int


@dataclass(frozen=True)
class Corpus:
    """A built corpus: the suite it came from, its splits and a report per suite entry.

    >>> corpus = build_corpus("math/arithmetic", n=10, seed=0, test_size=0.2)
    >>> len(corpus.train), len(corpus.test)
    (8, 2)
    """

    suite: Suite
    train: tuple[Problem, ...]
    test: tuple[Problem, ...]
    reports: tuple[EntryReport, ...]
    notices: tuple[str, ...] = ()  # how a mixture was rebalanced to respect task capacities

    def splits(self) -> dict[str, tuple[Problem, ...]]:
        """The non-empty splits by name, train first."""
        return {name: rows for name, rows in (("train", self.train), ("test", self.test)) if rows}

    def __len__(self) -> int:
        return len(self.train) + len(self.test)


def stream_seed(seed: int, task_id: str, occurrence: int) -> int:
    """The seed of a suite entry's stream: distinct per task and per repeat of a task in a suite."""
    return derive_seed("corpus", seed, task_id, occurrence) >> 1


def held_out_counts(counts: Sequence[int], test_size: float) -> list[int]:
    """How many of each entry's problems go to the test split.

    ``round(n * test_size)`` in all (half up), shared by the entries in proportion to their counts,
    largest remainders first (ties to the earlier entry): a corpus of many small tasks still gets
    its full test split.

    >>> held_out_counts([15], 0.1), held_out_counts([4, 4, 4, 4, 4], 0.1), held_out_counts([3], 0.0)
    ([2], [1, 1, 0, 0, 0], [0])
    """
    share = Fraction(test_size)
    total = min(sum(counts), math.floor(sum(counts) * share + Fraction(1, 2)))
    quotas = [count * share for count in counts]
    held = [math.floor(quota) for quota in quotas]
    order = sorted(range(len(counts)), key=lambda i: (-(quotas[i] - held[i]), i))
    for i in order[: max(0, total - sum(held))]:
        held[i] += 1
    return held


def build_corpus(
    tasks: str | Sequence[str] | Suite,
    n: int | None = None,
    *,
    seed: int | None = None,
    difficulty: int | Sequence[int] | None = None,
    config: Mapping[str, Any] | None = None,
    test_size: float | None = None,
    workers: int | None = None,
    executor: str = "process",
    progress: bool = False,
    strict: bool = False,
) -> Corpus:
    """Generate a corpus: ``n`` distinct problems over the tasks, split into train and test.

    ``tasks`` is a task id, a domain (all its tasks), a list of them (sharing ``n`` equally), or a
    Suite (weighted; ``n``/``seed``/``test_size`` given here override the suite's). No two problems
    share an id or a prompt; a task that cannot yield enough distinct problems raises DatasetError.
    ``executor``: "process" (``workers`` subprocesses, default the CPU count up to 8; with
    ``workers=1`` or under 400 problems it runs inline), "inline", or "ray"
    (``assay.executors.ray.map_generate``). The result never depends on the executor.

    In a mixture, an entry whose task cannot yield its share (``assay.capacity``) gets what it can
    give and the others share the rest by weight (``Corpus.notices`` says what changed);
    ``strict=True`` keeps the shares, and such an entry raises DatasetError.

    >>> corpus = build_corpus(["math/arithmetic"], n=6, seed=1, difficulty=2, test_size=0.5)
    >>> sorted({p.meta["difficulty"] for p in corpus.train + corpus.test})
    [2]
    """
    if isinstance(tasks, Suite):
        if difficulty is not None or config:
            raise ConfigError("difficulty", "set difficulty and config per task inside a Suite")
        suite = tasks.with_settings(n=n, seed=seed, test_size=test_size)
    else:
        suite = Suite.of(
            tasks, n=1000 if n is None else n, seed=seed or 0, difficulty=difficulty, config=config,
            test_size=0.1 if test_size is None else test_size,
        )
    with CorpusGenerator(suite, workers, executor, progress, strict) as generator:
        return generator.build()


@dataclass(frozen=True)
class CorpusSummary:
    """A corpus that was written as it streamed: its suite, reports and split sizes, not its rows."""

    suite: Suite
    reports: tuple[EntryReport, ...]
    counts: Mapping[str, int]
    notices: tuple[str, ...] = ()  # how a mixture was rebalanced to respect task capacities

    def __len__(self) -> int:
        return sum(self.counts.values())


class CorpusGenerator:
    """Runs one build as a stream: windows of draws are generated ahead (in parallel where the
    executor allows) while the accepted problems are handed out in order, each once. Use it as a
    context manager (its worker processes stop at the end); ``build()`` or ``stream()`` once.

    >>> with CorpusGenerator(Suite.of("math/arithmetic", n=3, seed=0, test_size=0.34)) as generator:
    ...     [held_out for _, held_out, _ in generator.stream()]
    [False, False, True]
    """

    def __init__(
        self, suite: Suite, workers: int | None = None, executor: str = "process", progress: bool = False, strict: bool = False,
        packed: bool = False,
    ) -> None:
        suite.validate()
        if executor not in EXECUTORS:
            raise ConfigError("executor", f"must be one of {', '.join(EXECUTORS)}", executor)
        if workers is not None:
            require_int("workers", workers, 1)
        self.suite = suite
        plan = plan_counts(suite, strict=strict)  # no entry asked for more than it can give
        self.counts = plan.counts
        self.notices = plan.notices
        self.draws_per_problem = DRAWS_PER_PROBLEM * (1 if strict or len(suite.entries) < 2 else REBALANCED_DRAWS)
        self.executor = executor
        self.workers = workers
        self.packed = packed  # stream() yields generation.pack(problem) (made in the workers), not Problems
        self.progress = progress_bar(suite.n, "generating", progress)
        self.reports: list[EntryReport] = []
        self.pool: GenerationPool | None = None
        if executor == "inline" or (executor == "process" and (workers == 1 or (workers is None and suite.n < INLINE_BELOW))):
            self.executor = "inline"
        self.modules = sorted({task_module(entry.task) for entry in suite.entries})
        if self.executor == "process" and "__main__" in self.modules:
            self.executor = "inline"  # a task defined in the caller's script cannot be imported elsewhere
        if self.executor == "process":
            self.pool = GenerationPool(self.workers or min(os.cpu_count() or 1, 8))
            self.window = max(CHUNK, min(WINDOW, -(-suite.n // (self.pool.size * 4))))
            self.ahead = 2 * self.pool.size + 2
        else:
            self.window = RAY_WINDOW if self.executor == "ray" else WINDOW
            self.ahead = 0

    def __enter__(self) -> CorpusGenerator:  # noqa: PYI034 - a private class, never subclassed
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.progress.close()
        if self.pool is not None:
            self.pool.shutdown(kill=kind is not None)

    def build(self) -> Corpus:
        train: list[Problem] = []
        test: list[Problem] = []
        for _, held_out, problem in self.stream():
            (test if held_out else train).append(problem)
        # Interleave the tasks: a trainer reading the file in order should not see one task at a time.
        rng_for("corpus-order", self.suite.seed, "train").shuffle(train)
        rng_for("corpus-order", self.suite.seed, "test").shuffle(test)
        return Corpus(self.suite, tuple(train), tuple(test), tuple(self.reports), tuple(self.notices))

    def stream(self) -> Iterator[tuple[int, bool, Any]]:
        """``(entry number, held out for the test split, problem)`` for every accepted problem, in
        acceptance order: entry by entry, each entry's stream in index order, skipping a problem
        whose id or prompt came before. ``self.reports`` is complete once it is exhausted. With
        ``packed``, each problem comes as ``assay.executors.generation.pack`` made it."""
        suite = self.suite
        occurrences: dict[str, int] = {}
        seeds = []
        for entry in suite.entries:
            seeds.append(stream_seed(suite.seed, entry.task, occurrences.get(entry.task, 0)))
            occurrences[entry.task] = occurrences.get(entry.task, 0) + 1
        held_out_by_entry = held_out_counts(self.counts, suite.test_size)
        draws = _Draws(self, seeds)
        seen = SeenProblems()
        packed = self.packed
        shown = 0
        for j, entry in enumerate(suite.entries):
            count, held_out = self.counts[j], held_out_by_entry[j]
            by_prompt = getattr(get_task(entry.task), "prompt_shows_problem", True)
            budget = count * self.draws_per_problem + DRAW_SLACK
            planned, index, accepted = count, 0, 0
            while accepted < count:
                if index == planned:  # everything drawn so far repeated something: draw more
                    if index >= budget:
                        raise DatasetError(self.shortfall(entry, count, accepted, index))
                    more = min(budget - index, max((count - accepted) * 2, 8))
                    draws.extend(j, planned, planned + more)
                    planned += more
                problem = draws.get(j, index)
                index += 1
                if problem is None:  # a known repeat of an earlier draw of this entry (not built)
                    continue
                if not (seen.add_hashes(problem[0], problem[1], by_prompt=by_prompt) if packed else seen.add(problem, by_prompt=by_prompt)):
                    continue
                yield j, accepted >= count - held_out, problem
                accepted += 1
                shown += 1
                if shown == PROGRESS_STEP:
                    self.progress.update(shown)
                    shown = 0
            draws.finish(j)
            if index > count:
                logger.info("%s: skipped %d duplicate problems", entry.task, index - count)
            self.reports.append(EntryReport(
                entry=entry, version=get_task(entry.task).version, stream_seed=seeds[j], requested=count,
                train=count - held_out, test=held_out, draws=index, duplicates=index - count,
            ))
        self.progress.update(shown)

    @staticmethod
    def shortfall(entry: SuiteEntry, count: int, accepted: int, draws: int) -> str:
        setting = "mixed difficulty" if entry.difficulty is None else f"difficulty {entry.to_dict()['difficulty']}"
        if entry.config:
            setting += f" with config {dict(entry.config)}"
        return (f"task {entry.task} cannot yield {count} distinct problems at {setting}: "
                f"{accepted} distinct after {draws} draws; ask for fewer problems, "
                f"another difficulty or a config with more variety")

    def job(self, entry: SuiteEntry, stream: int, index: int) -> Job:
        seed = item_seed(stream, index)
        difficulty = entry.difficulty
        if isinstance(difficulty, tuple):  # several levels: this item's is drawn from its own seed
            difficulty = difficulty[derive_seed("level", seed) % len(difficulty)]
        return (entry.task, seed, difficulty, dict(entry.config))

    def run(self, jobs: list[Job]) -> list[Problem]:
        """Problems for the jobs, in order, here or on Ray (the process pool goes through _Draws)."""
        if self.executor == "ray":
            problems = list(ray_executor.map_generate(jobs, workers=self.workers))
            if len(problems) != len(jobs):
                raise AssayError(f"ray executor returned {len(problems)} problems for {len(jobs)} jobs")
            return [p if isinstance(p, Problem) else Problem.from_row(p) for p in problems]
        return generate_jobs(jobs)


class _Draws:
    """Windows of draws, generated ahead in schedule order (each entry's first ``count`` draws,
    entry by entry), with the extra draws an entry turns out to need put first in line."""

    def __init__(self, generator: CorpusGenerator, seeds: list[int]) -> None:
        self.generator = generator
        self.seeds = seeds
        self.todo: deque[tuple[int, int, int]] = deque()  # (entry, start, stop), not yet submitted
        for j, count in enumerate(generator.counts):
            self.todo.extend((j, start, min(start + generator.window, count)) for start in range(0, count, generator.window))
        self.pending: dict[tuple[int, int], tuple[int, Any]] = {}  # (entry, start) -> (stop, ticket or jobs)
        self.current: tuple[int, int, list[Any]] = (-1, 0, [])
        self.repeats = RepeatedDraws()  # inline: repeated draws of an entry are not built
        # a stream token names an entry's draws (it fixes them all), so a worker's memory of keys never mixes entries
        self.tokens = [f"{seed}:{entry.task}:{entry.difficulty}:{sorted(entry.config.items())}"
                       for seed, entry in zip(seeds, generator.suite.entries)]

    def extend(self, j: int, start: int, stop: int) -> None:
        """Entry ``j`` needs draws ``start`` to ``stop`` next: submit them before anything else."""
        step = self.generator.window
        for first in reversed(range(start, stop, step)):
            self.todo.appendleft((j, first, min(first + step, stop)))
        self.top_up(urgent=-(-(stop - start) // step))

    def get(self, j: int, index: int) -> Any:
        """Draw ``index`` of entry ``j`` (a Problem, or packed); None: it repeats an earlier draw
        of the entry (not built)."""
        entry, start, problems = self.current
        if entry != j or not start <= index < start + len(problems):
            if (j, index) not in self.pending:  # it is first in line: submit it now (and it runs first)
                self.top_up(urgent=1)
            stop, handle = self.pending.pop((j, index))
            problems = self.collect(j, index, stop, handle)
            self.current = (j, index, problems)
            start = index
        return problems[index - start]

    def top_up(self, urgent: int = 0) -> None:
        """Submit windows until ``ahead`` are outstanding, and at least the ``urgent`` first ones,
        which the pool runs before the others (the caller waits for them). Urgent windows add to
        what is outstanding only until they are collected: windows generated far ahead would wait
        in memory, and the caller's next window would queue behind them."""
        pool = self.generator.pool
        while self.todo and (len(self.pending) < self.generator.ahead or urgent > 0):
            j, start, stop = self.todo.popleft()
            jobs = self.jobs(j, start, stop)
            handle = (pool.submit(self.generator.modules, jobs, self.generator.packed, (self.tokens[j], start), urgent=urgent > 0)
                      if pool is not None else (jobs, start))
            self.pending[(j, start)] = (stop, handle)
            urgent -= 1

    def collect(self, j: int, start: int, stop: int, handle: Any) -> list[Any]:
        pool = self.generator.pool
        if pool is not None:
            problems = pool.collect(handle)  # packed there when asked
        else:
            if self.generator.executor == "inline":
                problems = self.repeats.generate(handle[0], (self.tokens[j], handle[1]))
            else:
                problems = list(self.generator.run(handle[0]))
            if self.generator.packed:
                problems = [None if problem is None else pack(problem) for problem in problems]
        self.top_up()
        return problems

    def jobs(self, j: int, start: int, stop: int) -> list[Job]:
        entry = self.generator.suite.entries[j]
        return [self.generator.job(entry, self.seeds[j], i) for i in range(start, stop)]

    def finish(self, j: int) -> None:
        """Entry ``j`` is complete: drop its draws that were made ahead and are not needed."""
        for key in [key for key in self.pending if key[0] == j]:
            _, handle = self.pending.pop(key)
            if self.generator.pool is not None:
                self.generator.pool.discard(handle)
        self.todo = deque(window for window in self.todo if window[0] != j)
        self.current = (-1, 0, [])

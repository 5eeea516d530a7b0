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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from assay.errors import AssayError, ConfigError, DatasetError
from assay.executors import ray as ray_executor
from assay.executors.generation import GenerationPool, Job, generate_jobs
from assay.progress import progress_bar
from assay.randomness import derive_seed, rng_for
from assay.registry import get_task, task_module
from assay.scoring import item_seed
from assay.suite import Suite, SuiteEntry
from assay.types import Problem

logger = logging.getLogger(__name__)

EXECUTORS = ("process", "inline", "ray")
SPLITS = ("train", "test")
# A task that keeps repeating itself gets this many draws per requested problem (plus a slack)
# before generation gives up: enough for a coupon collector to fill a small problem space.
DRAWS_PER_PROBLEM = 4
DRAW_SLACK = 100
# Below this many problems, starting worker processes costs more than it saves.
INLINE_BELOW = 400
CHUNK = 32
MAX_CHUNK = 1024

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
) -> Corpus:
    """Generate a corpus: ``n`` distinct problems over the tasks, split into train and test.

    ``tasks`` is a task id, a domain (all its tasks), a list of them (sharing ``n`` equally), or a
    Suite (weighted; ``n``/``seed``/``test_size`` given here override the suite's). No two problems
    share an id or a prompt; a task that cannot yield enough distinct problems raises DatasetError.
    ``executor``: "process" (``workers`` subprocesses, default the CPU count up to 8; with
    ``workers=1`` or under 400 problems it runs inline), "inline", or "ray"
    (``assay.executors.ray.map_generate``). The result never depends on the executor.

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
    suite.validate()
    if executor not in EXECUTORS:
        raise ConfigError("executor", f"must be one of {', '.join(EXECUTORS)}", executor)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ConfigError("workers", "must be a positive integer", workers)
    with _Generator(suite, workers, executor, progress) as generator:
        return generator.build()


class _Generator:
    """Runs one build: prefetches every entry's first draws in parallel, then accepts in order."""

    def __init__(self, suite: Suite, workers: int | None, executor: str, progress: bool) -> None:
        self.suite = suite
        self.counts = suite.counts()
        self.executor = executor
        self.workers = workers
        self.progress = progress_bar(suite.n, "generating", progress)
        self.pool: GenerationPool | None = None
        if executor == "inline" or (executor == "process" and (workers == 1 or (workers is None and suite.n < INLINE_BELOW))):
            self.executor = "inline"

    def __enter__(self) -> _Generator:  # noqa: PYI034 - a private class, never subclassed
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.progress.close()
        if self.pool is not None:
            self.pool.shutdown(kill=kind is not None)

    def build(self) -> Corpus:
        suite = self.suite
        occurrences: dict[str, int] = {}
        seeds = []
        for entry in suite.entries:
            seeds.append(stream_seed(suite.seed, entry.task, occurrences.get(entry.task, 0)))
            occurrences[entry.task] = occurrences.get(entry.task, 0) + 1
        # Round one: as many draws as each entry needs if nothing repeats, all in one parallel batch.
        first = self.run([self.job(entry, seeds[j], i) for j, entry in enumerate(suite.entries) for i in range(self.counts[j])])
        streams: list[list[Problem]] = []
        start = 0
        for count in self.counts:
            streams.append(first[start:start + count])
            start += count
        seen_ids: set[str] = set()
        seen_prompts: set[str] = set()
        train: list[Problem] = []
        test: list[Problem] = []
        reports = []
        held_out_by_entry = held_out_counts(self.counts, suite.test_size)
        for j, entry in enumerate(suite.entries):
            accepted, draws = self.accept(entry, seeds[j], self.counts[j], streams[j], seen_ids, seen_prompts)
            held_out = held_out_by_entry[j]
            train.extend(accepted[:len(accepted) - held_out])
            test.extend(accepted[len(accepted) - held_out:])
            reports.append(EntryReport(
                entry=entry, version=get_task(entry.task).version, stream_seed=seeds[j], requested=self.counts[j],
                train=len(accepted) - held_out, test=held_out, draws=draws, duplicates=draws - len(accepted),
            ))
        # Interleave the tasks: a trainer reading the file in order should not see one task at a time.
        rng_for("corpus-order", suite.seed, "train").shuffle(train)
        rng_for("corpus-order", suite.seed, "test").shuffle(test)
        return Corpus(suite, tuple(train), tuple(test), tuple(reports))

    def job(self, entry: SuiteEntry, stream: int, index: int) -> Job:
        seed = item_seed(stream, index)
        difficulty = entry.difficulty
        if isinstance(difficulty, tuple):  # several levels: this item's is drawn from its own seed
            difficulty = difficulty[derive_seed("level", seed) % len(difficulty)]
        return (entry.task, seed, difficulty, dict(entry.config))

    def accept(
        self, entry: SuiteEntry, stream: int, count: int, drawn: list[Problem], seen_ids: set[str], seen_prompts: set[str]
    ) -> tuple[list[Problem], int]:
        """The first ``count`` problems of the stream whose id and prompt are new, drawing more as needed."""
        accepted: list[Problem] = []
        budget = count * DRAWS_PER_PROBLEM + DRAW_SLACK
        index = 0
        while len(accepted) < count:
            if index == len(drawn):
                if index >= budget:
                    setting = "mixed difficulty" if entry.difficulty is None else f"difficulty {entry.to_dict()['difficulty']}"
                    if entry.config:
                        setting += f" with config {dict(entry.config)}"
                    raise DatasetError(
                        f"task {entry.task} cannot yield {count} distinct problems at {setting}: "
                        f"{len(accepted)} distinct after {index} draws; ask for fewer problems, "
                        f"another difficulty or a config with more variety"
                    )
                missing = count - len(accepted)
                more = min(budget - index, max(missing * 2, 8))
                self.progress_total(more)
                drawn.extend(self.run([self.job(entry, stream, i) for i in range(index, index + more)]))
            problem = drawn[index]
            index += 1
            if problem.id in seen_ids or problem.prompt in seen_prompts:
                continue
            seen_ids.add(problem.id)
            seen_prompts.add(problem.prompt)
            accepted.append(problem)
        if index > count:
            logger.info("%s: skipped %d duplicate problems", entry.task, index - count)
        return accepted, index

    def progress_total(self, more: int) -> None:
        bar = self.progress
        if hasattr(bar, "total"):
            bar.total += more
            bar.refresh()

    def run(self, jobs: list[Job]) -> list[Problem]:
        """Problems for the jobs, in order, on the chosen executor."""
        if not jobs:
            return []
        if self.executor == "inline":
            out = []
            for start in range(0, len(jobs), CHUNK):
                out.extend(generate_jobs(jobs[start:start + CHUNK]))
                self.progress.update(min(CHUNK, len(jobs) - start))
            return out
        if self.executor == "ray":
            return self.run_ray(jobs)
        return self.run_processes(jobs)

    def run_processes(self, jobs: list[Job]) -> list[Problem]:
        modules = {task_module(task_id) for task_id in {job[0] for job in jobs}}
        if "__main__" in modules:  # a task defined in the caller's script cannot be imported elsewhere
            self.executor = "inline"
            return self.run(jobs)
        if self.pool is None:
            self.pool = GenerationPool(self.workers or min(os.cpu_count() or 1, 8))
        # a few chunks per worker: big enough to amortise the pipe, small enough to balance load
        size = max(CHUNK, min(MAX_CHUNK, len(jobs) // (self.pool.size * 4)))
        chunks = [jobs[start:start + size] for start in range(0, len(jobs), size)]
        out: list[Problem] = []
        for result in self.pool.map(sorted(modules), chunks, self.progress.update):
            out.extend(result)
        return out

    def run_ray(self, jobs: list[Job]) -> list[Problem]:
        problems = list(ray_executor.map_generate(jobs, workers=self.workers))
        if len(problems) != len(jobs):
            raise AssayError(f"ray executor returned {len(problems)} problems for {len(jobs)} jobs")
        self.progress.update(len(jobs))
        return [p if isinstance(p, Problem) else Problem.from_row(p) for p in problems]

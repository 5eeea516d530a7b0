"""Where an env's problems come from: one task's generator, a weighted mixture, or a dataset.

Every source draws from the env's seeded ``np_random``, so a seeded reset is reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from assay.config import require_number
from assay.envs.curriculum import CurriculumSampler
from assay.envs.problems import read_problems, to_problem
from assay.errors import ConfigError, DatasetError, TaskNotFound
from assay.registry import get_task, resolve_tasks
from assay.types import Problem, Verdict

_SEED_BOUND = 2**63 - 1


class ProblemSource:
    """Base of the sources: ``sample`` a problem, optionally ``observe`` how it went."""

    tasks: list[str]

    def sample(self, rng: np.random.Generator, options: Mapping[str, Any]) -> Problem:
        raise NotImplementedError

    def observe(self, problem: Problem, verdict: Verdict) -> None:
        """Told every final verdict (the curriculum listens); nothing by default."""


class TaskSource(ProblemSource):
    """Fresh problems of one task, each from a seed drawn from the env's generator."""

    def __init__(self, task_id: str, *, difficulty: int | None = None, config: Mapping[str, Any] | None = None) -> None:
        task = get_task(task_id)
        self.task_id = task.id
        self.tasks = [task.id]
        self.difficulty = difficulty
        self.config = dict(config or {})
        # fail now, not on the first reset: the settings must hold at every level that may be drawn
        for level in [difficulty] if difficulty is not None else sorted(task.levels):
            task.make_config(level, **self.config)

    def sample(self, rng: np.random.Generator, options: Mapping[str, Any]) -> Problem:
        difficulty = options.get("difficulty", self.difficulty)
        seed = int(rng.integers(0, _SEED_BOUND))
        return get_task(self.task_id).generate(seed, difficulty=difficulty, **self.config)


class MixtureSource(ProblemSource):
    """Problems of several tasks, drawn by weight; a curriculum, when given, sets difficulties."""

    def __init__(
        self,
        weights: Mapping[str, float],
        *,
        difficulty: int | None = None,
        curriculum: CurriculumSampler | None = None,
    ) -> None:
        expanded: dict[str, float] = {}
        for selector, weight in weights.items():
            require_number(f"weights[{selector!r}]", weight, 0)
            members = resolve_tasks([selector])
            for task_id in members:
                expanded[task_id] = expanded.get(task_id, 0.0) + float(weight) / len(members)
        total = sum(expanded.values())
        if not expanded or total <= 0:
            raise ConfigError("weights", "must give at least one task a positive weight", dict(weights))
        self.tasks = list(expanded)
        self.probabilities = np.array([expanded[t] / total for t in self.tasks])
        self.difficulty = difficulty
        self.curriculum = curriculum

    def sample(self, rng: np.random.Generator, options: Mapping[str, Any]) -> Problem:
        if "task" in options:
            task_id, difficulty = get_task(options["task"]).id, options.get("difficulty", self.difficulty)
        elif self.curriculum is not None and "difficulty" not in options:
            task_id, difficulty = self.curriculum.sample(rng)
        else:
            task_id = self.tasks[int(rng.choice(len(self.tasks), p=self.probabilities))]
            difficulty = options.get("difficulty", self.difficulty)
        seed = int(rng.integers(0, _SEED_BOUND))
        return get_task(task_id).generate(seed, difficulty=difficulty)

    def observe(self, problem: Problem, verdict: Verdict) -> None:
        if self.curriculum is not None:
            self.curriculum.observe(problem.task, problem.meta.get("difficulty"), verdict.passed)


class DatasetSource(ProblemSource):
    """Problems of a fixed dataset, drawn uniformly (``options={"index": i}`` picks one)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise DatasetError("the dataset holds no problems")
        self.problems = list(problems)
        self.tasks = sorted({p.task for p in self.problems})

    def sample(self, rng: np.random.Generator, options: Mapping[str, Any]) -> Problem:
        if "index" in options:
            index = options["index"]
            if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(self.problems):
                raise ConfigError("index", f"must be an integer in [0, {len(self.problems)})", index)
        else:
            index = int(rng.integers(0, len(self.problems)))
        return self.problems[int(index)]


def make_source(
    spec: Any,
    *,
    difficulty: int | None = None,
    curriculum: CurriculumSampler | bool | Mapping[str, Any] | None = None,
    **config: Any,
) -> ProblemSource:
    """The source a ``make`` argument names.

    - a task id (``"math/arithmetic"``): that task's generator, with ``difficulty`` and ``config``;
    - a domain (``"math"``), a list of task ids/domains, or ``{task_or_domain: weight}``: a mixture
      (``curriculum=True``, a dict of CurriculumSampler options, or a sampler moves difficulties);
    - a CurriculumSampler: a mixture over its tasks driven by it;
    - a dataset path (jsonl/json/parquet file or folder), a Problem, or an iterable of Problems or
      rows (a ``datasets.Dataset`` too): those problems (only those of ``difficulty`` if given).
    """
    is_task_id = isinstance(spec, str) and "/" in spec and not _looks_like_path(spec)
    if config and (not is_task_id or curriculum):
        raise ConfigError(next(iter(config)), "task settings apply only to a single task id without a curriculum")
    if isinstance(spec, ProblemSource):
        return spec
    if isinstance(spec, CurriculumSampler):
        return MixtureSource(dict(zip(spec.tasks, spec.weights)), curriculum=spec)
    if is_task_id:
        if curriculum:
            return _mixture({spec: 1.0}, difficulty, curriculum)
        return TaskSource(spec, difficulty=difficulty, config=config)
    if isinstance(spec, str) and not _looks_like_path(spec):
        return _mixture({spec: 1.0}, difficulty, curriculum)  # a domain (unknown: TaskNotFound)
    if isinstance(spec, Mapping) and spec and all(isinstance(k, str) for k in spec) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec.values()):
        return _mixture(spec, difficulty, curriculum)
    if isinstance(spec, Sequence) and not isinstance(spec, str) and spec and all(isinstance(s, str) for s in spec) \
            and not _looks_like_row(spec[0]):
        return _mixture({name: 1.0 for name in spec}, difficulty, curriculum)
    # everything else is data: a path, a Problem, a row, or an iterable of them
    if isinstance(spec, Problem) or isinstance(spec, Mapping):
        problems = [to_problem(spec)]
    elif isinstance(spec, (str, os.PathLike)):
        problems = read_problems(spec)
    elif isinstance(spec, Iterable):
        problems = read_problems(spec)
    else:
        raise TypeError(f"cannot make an env from a {type(spec).__name__}")
    if difficulty is not None:
        problems = [p for p in problems if p.meta.get("difficulty") == difficulty]
        if not problems:
            raise DatasetError(f"the dataset holds no problem of difficulty {difficulty}")
    return DatasetSource(problems)


def _mixture(weights: Mapping[str, float], difficulty: int | None, curriculum: Any) -> MixtureSource:
    sampler = None
    if isinstance(curriculum, CurriculumSampler):
        sampler = curriculum
    elif curriculum:
        options = dict(curriculum) if isinstance(curriculum, Mapping) else {}
        sampler = CurriculumSampler(weights, **options)
    return MixtureSource(weights, difficulty=difficulty, curriculum=sampler)


def _looks_like_path(text: str) -> bool:
    if text.endswith((".jsonl", ".json", ".parquet")):
        return True
    try:
        get_task(text)
        return False  # a registered task id wins over a folder of the same name
    except TaskNotFound:
        return os.path.exists(text)


def _looks_like_row(text: str) -> bool:
    return text.lstrip().startswith("{")

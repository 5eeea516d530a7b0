"""A curriculum over a task mixture: each task's difficulty moves to keep its pass rate in a band.

The sampler picks (task, difficulty) pairs; the verdicts it is fed move each task up a level when
its recent pass rate is above the band and down when below.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assay.errors import ConfigError
from assay.registry import get_task, resolve_tasks
from assay.types import Problem, Verdict


@dataclass
class _TaskState:
    levels: list[int]
    position: int
    recent: deque = field(default_factory=deque)
    moves: int = 0


class CurriculumSampler:
    """Samples tasks by weight, each at its current difficulty; ``observe`` moves the difficulty.

    ``band=(low, high)``: after ``min_samples`` verdicts at a task's current level, a pass rate
    (over the last ``window`` of them) above ``high`` moves the task one level up, below ``low``
    one level down; the window restarts after a move. ``start``: each task's first level
    (default its lowest). Thread-safe, so a trainer's reward function may feed it.

    >>> import numpy as np
    >>> sampler = CurriculumSampler(["math/arithmetic"], band=(0.2, 0.8), window=4, min_samples=4)
    >>> for _ in range(4):
    ...     sampler.observe("math/arithmetic", 1, passed=True)
    >>> sampler.difficulty("math/arithmetic")
    2
    >>> sampler.sample(np.random.default_rng(0))
    ('math/arithmetic', 2)
    """

    def __init__(
        self,
        tasks: Sequence[str] | Mapping[str, float],
        *,
        band: tuple[float, float] = (0.3, 0.7),
        window: int = 64,
        min_samples: int = 16,
        start: int | Mapping[str, int] | None = None,
    ) -> None:
        weights = dict(tasks) if isinstance(tasks, Mapping) else {name: 1.0 for name in tasks}
        ids = resolve_tasks(list(weights))
        if not ids:
            raise ConfigError("tasks", "must name at least one task")
        # a domain selector spreads its weight evenly over its tasks
        expanded: dict[str, float] = {}
        for selector, weight in weights.items():
            members = resolve_tasks([selector])
            for task_id in members:
                expanded[task_id] = expanded.get(task_id, 0.0) + float(weight) / len(members)
        if any(not w >= 0 for w in expanded.values()) or sum(expanded.values()) <= 0:
            raise ConfigError("tasks", "weights must be non-negative with a positive sum", weights)
        low, high = band
        if not 0.0 <= low < high <= 1.0:
            raise ConfigError("band", "must be (low, high) with 0 <= low < high <= 1", band)
        if window < 1:
            raise ConfigError("window", "must be at least 1", window)
        if not 1 <= min_samples <= window:
            raise ConfigError("min_samples", f"must be between 1 and window ({window})", min_samples)
        self.band = (float(low), float(high))
        self.window = window
        self.min_samples = min_samples
        self.tasks = list(expanded)
        total = sum(expanded.values())
        self.weights = np.array([expanded[t] / total for t in self.tasks])
        self._lock = threading.Lock()
        self._state: dict[str, _TaskState] = {}
        for task_id in self.tasks:
            levels = sorted(get_task(task_id).levels)
            first = start.get(task_id) if isinstance(start, Mapping) else start
            if first is None:
                first = levels[0]
            if first not in levels:
                raise ConfigError("start", f"{task_id} has levels {levels}", first)
            self._state[task_id] = _TaskState(levels, levels.index(first), deque(maxlen=window))

    def sample(self, rng: np.random.Generator) -> tuple[str, int]:
        """A (task id, difficulty) pair: the task drawn by weight, at its current level."""
        task_id = self.tasks[int(rng.choice(len(self.tasks), p=self.weights))]
        return task_id, self.difficulty(task_id)

    def difficulty(self, task_id: str) -> int:
        """The current level of ``task_id``."""
        with self._lock:
            state = self._state[task_id]
            return state.levels[state.position]

    def observe(self, task_id: str, difficulty: int | None, passed: bool) -> None:
        """Feed one outcome. Outcomes at a level other than the task's current one are ignored
        (they were sampled before the last move); unknown tasks too."""
        with self._lock:
            state = self._state.get(task_id)
            if state is None or (difficulty is not None and difficulty != state.levels[state.position]):
                return
            state.recent.append(bool(passed))
            if len(state.recent) < self.min_samples:
                return
            rate = sum(state.recent) / len(state.recent)
            if rate > self.band[1] and state.position + 1 < len(state.levels):
                state.position += 1
            elif rate < self.band[0] and state.position > 0:
                state.position -= 1
            else:
                return
            state.recent.clear()
            state.moves += 1

    def update(self, problems: Sequence[Problem], verdicts: Sequence[Verdict]) -> None:
        """Feed a batch of verdicts with their problems (difficulty read from ``meta``)."""
        for problem, verdict in zip(problems, verdicts):
            self.observe(problem.task, problem.meta.get("difficulty"), verdict.passed)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_lock"]  # a lock cannot be pickled; AsyncGRPOTrainer pickles reward functions
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def state(self) -> dict[str, Any]:
        """Per task: its level, the pass rate of its current window and how many moves it made."""
        with self._lock:
            return {
                task_id: {
                    "difficulty": s.levels[s.position],
                    "pass_rate": (sum(s.recent) / len(s.recent)) if s.recent else None,
                    "samples": len(s.recent),
                    "moves": s.moves,
                }
                for task_id, s in self._state.items()
            }

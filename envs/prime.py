"""PrimeIntellect ``verifiers`` (0.4, ``verifiers.v1``): Assay tasks as a verifiers environment.

``load_environment(tasks=..., n=..., seed=...)`` returns a ``SingleAgentEnv`` whose taskset
(``AssayTaskset``, id ``assay_prime``) yields one ``AssayTask`` per generated problem; the
task's only reward, ``assay``, is Assay's verdict on the rollout's last reply (verified in Assay's
killable worker processes, off the event loop). Needs the optional extra ``assay[prime]``.

In verifiers 0.4 the reward is a ``@vf.reward`` method of the task (0.3's ``Rubric`` is gone): it
receives the ``trace`` and reads ``trace.last_reply``. verifiers finds a taskset by importing its id
as a top-level module name (a dotted id such as ``assay.envs.prime`` fails its lookup), so importing
this module makes it importable as ``assay_prime`` too; the verifiers CLI, in a fresh process, needs
a module of that name on its path (``from assay.envs.prime import *``).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from assay.corpus import build_corpus
from assay.envs.problems import verify_records

logger = logging.getLogger(__name__)


def _verifiers_v1() -> ModuleType:
    """``verifiers.v1``, looking past a checkout's own ``verifiers/`` folder (the source of
    ``assay.verifiers``), which hides the PyPI package when the checkout's root is on sys.path
    (``python -m pytest`` or ``python -c`` run from it)."""
    try:
        return importlib.import_module("verifiers.v1")
    except ModuleNotFoundError as error:
        shadow = sys.modules.get("verifiers")
        folder = Path(getattr(shadow, "__file__", None) or ".").resolve().parent
        root = folder.parent
        if error.name != "verifiers.v1" or folder.name != "verifiers" or not (root / "assay").is_dir():
            raise
        for name in [m for m in sys.modules if m == "verifiers" or m.startswith("verifiers.")]:
            del sys.modules[name]
        saved = sys.path[:]
        sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != root]
        try:
            return importlib.import_module("verifiers.v1")
        finally:
            sys.path[:] = saved


vf: Any = _verifiers_v1()

__all__ = ["AssayTaskset", "load_environment"]

TASKSET_ID = "assay_prime"  # verifiers imports the taskset id as a module name: see the module docstring


class AssayData(vf.TaskData):
    """One problem: ``prompt`` its text, ``answer`` the reference, ``row`` the whole row as JSON."""

    task: str
    answer: str
    row: str


class AssayTasksetConfig(vf.TasksetConfig):
    id: str = TASKSET_ID
    tasks: list[str] = ["math/arithmetic"]
    """Task ids or domains."""
    n: int = 100
    """Problems in all, shared between the tasks."""
    seed: int = 0
    difficulty: int | None = None
    """One difficulty for every task (default: each task's mix)."""
    timeout_s: float | None = None
    """Per-item verification budget (default: each task's own)."""
    workers: int | None = None


class AssayTask(vf.Task[AssayData]):
    """A generated problem; its reward is Assay's verdict on the model's last reply."""

    timeout_s: float | None = None
    workers: int | None = None

    @vf.reward(weight=1.0)
    async def assay(self, trace: Any) -> float:
        """Assay's score (1.0 right, 0.0 wrong, partial credit where the task gives it)."""
        record = json.loads(self.data.row)
        options: dict[str, Any] = {k: v for k, v in (("timeout_s", self.timeout_s), ("workers", self.workers)) if v is not None}
        verdict = (await asyncio.to_thread(verify_records, [record], [trace.last_reply], **options))[0]
        trace.info["assay_reason"] = verdict.reason
        return verdict.score


class AssayTaskset(vf.Taskset[AssayTask, AssayTasksetConfig]):
    """The problems of ``build_corpus(tasks, n, seed, difficulty)``, in order (deterministic)."""

    def load(self) -> Iterator[AssayTask]:
        config = self.config
        corpus = build_corpus(list(config.tasks), n=config.n, seed=config.seed, difficulty=config.difficulty, test_size=0)
        for problem in corpus.train:
            data = AssayData(id=problem.id, name=problem.task, prompt=problem.prompt, task=problem.task,
                             answer=problem.answer, row=json.dumps(problem.to_row(), ensure_ascii=False))
            task = AssayTask(data, config.task)
            task.timeout_s, task.workers = config.timeout_s, config.workers
            yield task


def load_environment(tasks: str | list[str] = "math/arithmetic", n: int = 100, seed: int = 0, difficulty: int | None = None,
                     timeout_s: float | None = None, workers: int | None = None, **env_config: Any) -> Any:
    """A verifiers ``SingleAgentEnv`` over ``n`` Assay problems of ``tasks`` (ids or domains).

    >>> env = load_environment(tasks=["math/arithmetic"], n=2, seed=0)
    >>> [task.data.task for task in env.taskset]
    ['math/arithmetic', 'math/arithmetic']
    """
    taskset = AssayTasksetConfig(tasks=[tasks] if isinstance(tasks, str) else list(tasks), n=n, seed=seed,
                                 difficulty=difficulty, timeout_s=timeout_s, workers=workers)
    return vf.SingleAgentEnv(vf.SingleAgentEnvConfig(taskset=taskset, **env_config))


sys.modules.setdefault(TASKSET_ID, sys.modules[__name__])

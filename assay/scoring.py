"""Scoring: ``verify`` for one completion, ``verify_batch`` for many in parallel, and ``generate``.

Item-level problems (bad rows, wrong types, unknown tasks, huge text) become Verdicts here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from assay.config import require_int
from assay.errors import ConfigError, DatasetError, TaskNotFound
from assay.executors import VERIFY_EXECUTORS, verify_executor
from assay.extract import final_response
from assay.randomness import derive_seed
from assay.registry import get_task
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

# Longer completions are refused unread: no real answer needs 4 MB, and every verifier stays
# linear below it.
MAX_COMPLETION_CHARS = 4_000_000

# the executors verify_batch accepts (assay.executors: where items run)
EXECUTORS = tuple(VERIFY_EXECUTORS)


def generate(
    task_id: str, n: int, *, seed: int = 0, difficulty: int | None = None, **config: Any
) -> list[Problem]:
    """``n`` problems of one task; item ``i`` uses a seed derived from ``(seed, i)``.

    >>> [p.task for p in generate("math/arithmetic", 2, seed=1)]
    ['math/arithmetic', 'math/arithmetic']
    """
    require_int("n", n, 0)
    require_int("seed", seed, 0)
    task = get_task(task_id)
    return [task.generate(item_seed(seed, i), difficulty=difficulty, **config) for i in range(n)]


def item_seed(seed: int, index: int) -> int:
    """The seed of item ``index`` of a run with ``seed``: a hash, so runs never overlap."""
    return derive_seed("item", seed, index) >> 1  # keep it a non-negative 63-bit int


def verify(problem: Problem | Mapping[str, Any], completion: str) -> Verdict:
    """Score one completion against a problem (a Problem or its row).

    A non-string completion is a caller's bug: TypeError. An unknown task: TaskNotFound.

    >>> p = generate("math/arithmetic", 1)[0]
    >>> verify(p, f"<answer>{p.answer}</answer>").passed
    True
    >>> verify(p, "I don't know").reason
    'no_answer'
    """
    if not isinstance(completion, str):
        raise TypeError(f"completion must be a str, not {type(completion).__name__}")
    if not isinstance(problem, Problem):
        problem = Problem.from_row(problem)
    task = get_task(problem.task)
    if len(completion) > MAX_COMPLETION_CHARS:
        return Verdict.fail("too_long", message=f"completion of {len(completion)} characters exceeds {MAX_COMPLETION_CHARS}")
    return task.check(problem, final_response(completion))


def prepare_item(problem: Any, completion: Any, known_tasks: set[str] | None = None) -> tuple[Problem | None, Verdict | None]:
    """Validate one batch item in the caller's process: a Problem, or the Verdict it already earns.

    ``known_tasks``: task ids already found registered in this batch (added to as they are found).
    """
    try:
        parsed = problem if isinstance(problem, Problem) else Problem.from_row(problem)
    except DatasetError as error:
        return None, Verdict.fail("invalid_problem", message=str(error))
    if not isinstance(completion, str):
        return None, Verdict.fail("invalid_completion", message=f"completion must be a str, not {type(completion).__name__}")
    if len(completion) > MAX_COMPLETION_CHARS:
        return None, Verdict.fail("too_long", message=f"completion of {len(completion)} characters exceeds {MAX_COMPLETION_CHARS}")
    if known_tasks is None or parsed.task not in known_tasks:
        try:
            get_task(parsed.task)
        except TaskNotFound as error:
            return None, Verdict.fail("unknown_task", message=str(error))
        if known_tasks is not None:
            known_tasks.add(parsed.task)
    return parsed, None


def safe_verify(problem: Problem, completion: str) -> Verdict:
    """``verify`` that turns a verifier's exception into a ``verifier_error`` Verdict (and logs it)."""
    try:
        return verify(problem, completion)
    except Exception as error:  # a bug in Assay: logged loudly, but one item never sinks a batch
        logger.exception("verifier of %s failed on problem %s", problem.task, problem.id)
        return Verdict.fail("verifier_error", message=f"{type(error).__name__}: {error}"[:2000])


def verify_batch(
    problems: Sequence[Problem | Mapping[str, Any]],
    completions: Sequence[str],
    *,
    workers: int | None = None,
    timeout_s: float | None = None,
    executor: str = "process",
) -> list[Verdict]:
    """Score ``completions[i]`` against ``problems[i]`` for every i, in parallel; a Verdict per item.

    ``executor``: "process" (a persistent pool of worker processes; a hung item is killed after
    ``timeout_s``, default the task's own budget, and scored ``timeout``; a crashed worker costs
    its item a ``verifier_error``), "inline" (this process, no time bound) or "ray".

    >>> ps = generate("math/arithmetic", 3)
    >>> [v.passed for v in verify_batch(ps, [f"<answer>{p.answer}</answer>" for p in ps])]
    [True, True, True]
    """
    if isinstance(problems, (str, bytes, Mapping)) or isinstance(completions, (str, bytes)):
        raise TypeError("verify_batch takes a sequence of problems and a sequence of completions")
    problems, completions = list(problems), list(completions)
    if len(problems) != len(completions):
        raise ValueError(f"{len(problems)} problems but {len(completions)} completions")
    if workers is not None:
        require_int("workers", workers, 1)
    if timeout_s is not None and not timeout_s > 0:
        raise ConfigError("timeout_s", "must be positive or None", timeout_s)
    if executor not in EXECUTORS:
        raise ConfigError("executor", f"must be one of {sorted(EXECUTORS)}", executor)

    verdicts: list[Verdict | None] = [None] * len(problems)
    todo: list[int] = []
    ready: list[Problem] = []
    known_tasks: set[str] = set()
    for index, (problem, completion) in enumerate(zip(problems, completions)):
        parsed, early = prepare_item(problem, completion, known_tasks)
        if early is not None:
            verdicts[index] = early
        else:
            todo.append(index)
            ready.append(parsed)  # type: ignore[arg-type]
    if todo:
        scored = verify_executor(executor)(ready, [completions[i] for i in todo], workers=workers, timeout_s=timeout_s)
        for index, verdict in zip(todo, scored):
            verdicts[index] = verdict
    return verdicts  # type: ignore[return-value]

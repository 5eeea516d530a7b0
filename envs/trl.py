"""TRL adapter: a picklable reward function for ``GRPOTrainer(reward_funcs=...)``, sync or async.

It reads each problem from the dataset's columns and scores the batch in parallel worker processes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypedDict

from assay.config import require_int, require_number
from assay.envs.curriculum import CurriculumSampler
from assay.envs.problems import problems_from_columns, verify_records
from assay.errors import ConfigError
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

# Per-call keyword arguments TRL adds that are not dataset columns.
_TRAINER_KWARGS = ("trainer_state", "log_extra", "log_metric", "completion_ids", "environments")


class AssayReward:
    """A TRL reward function: ``(prompts, completions, **columns) -> list[float | None]``.

    The problem of each completion is read from the dataset columns TRL passes through: the row
    fields (``id``, ``task``, ``answer``, ``data``, ``meta``; the prompt comes from ``prompts``), or
    one column (``problem``, ``row``, ``ground_truth``, ``label``) holding the row as JSON.
    Completions may be strings or conversational (lists of messages). The batch is scored with
    ``verify_batch`` (parallel, hard per-item timeouts); a row that holds no problem scores 0
    (reason ``invalid_problem``, logged). ``tasks``: score only these task ids and return None
    ("not applicable") for the others, so several reward functions can share a mixed dataset.

    When TRL passes ``log_metric``, the share of each verdict reason is logged as
    ``assay/<reason>``; ``log_extra`` adds an ``assay_reason`` column to the completions table.
    A ``curriculum`` sampler, when given, is fed every verdict.

    >>> import assay
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> reward = reward_function(executor="inline")
    >>> row = p.to_row()
    >>> columns = {k: [v, v] for k, v in row.items() if k != "prompt"}
    >>> reward([p.prompt] * 2, [f"<answer>{p.answer}</answer>", "no idea"], **columns)
    [1.0, 0.0]
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        timeout_s: float | None = None,
        executor: str = "process",
        tasks: Iterable[str] | None = None,
        name: str = "assay",
        curriculum: CurriculumSampler | None = None,
    ) -> None:
        if not name or not isinstance(name, str):
            raise ConfigError("name", "must be a non-empty string", name)
        self.workers = workers
        self.timeout_s = timeout_s
        self.executor = executor
        self.tasks = None if tasks is None else frozenset(tasks)
        self.curriculum = curriculum
        self.__name__ = name  # TRL names the reward in its logs after this
        self._reasons_seen: set[str] = set()

    def verdicts(self, prompts: Sequence[Any] | None, completions: Sequence[Any], **columns: Any) -> list[Verdict | None]:
        """The Verdict of each completion (None where the problem's task is not ours)."""
        count = len(completions)
        problems = problems_from_columns(count, columns, prompts)
        wanted = [i for i, p in enumerate(problems) if p is None or self.tasks is None or p.task in self.tasks]
        records: list[Problem | dict] = [problems[i] or {} for i in wanted]
        scored = verify_records(records, [completions[i] for i in wanted], workers=self.workers,
                                timeout_s=self.timeout_s, executor=self.executor)
        out: list[Verdict | None] = [None] * count
        for index, verdict in zip(wanted, scored):
            out[index] = verdict
        if self.curriculum is not None:
            pairs = [(problems[i], out[i]) for i in wanted if problems[i] is not None]
            self.curriculum.update([p for p, _ in pairs], [v for _, v in pairs])  # type: ignore[misc]
        return out

    def __call__(self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] | None = None, **kwargs: Any) -> list[float | None]:
        if completions is None:
            raise TypeError("the reward function needs completions")
        columns = {k: v for k, v in kwargs.items() if k not in _TRAINER_KWARGS}
        verdicts = self.verdicts(prompts, completions, **columns)
        self._report(verdicts, kwargs.get("log_metric"), kwargs.get("log_extra"))
        return [None if v is None else v.score for v in verdicts]

    def _report(self, verdicts: list[Verdict | None], log_metric: Callable | None, log_extra: Callable | None) -> None:
        scored = [v for v in verdicts if v is not None]
        counts = Counter(v.reason for v in scored)
        self._reasons_seen |= set(counts)
        if callable(log_metric) and scored:
            # every reason seen so far is logged each call, so a step's average counts its zeros
            for reason in sorted(self._reasons_seen):
                log_metric(f"{self.__name__}/{reason}", counts.get(reason, 0) / len(scored))
        if callable(log_extra):
            log_extra(f"{self.__name__}_reason", [None if v is None else v.reason for v in verdicts])


class AsyncAssayReward(AssayReward):
    """The async variant: TRL awaits it alongside other async reward functions; the batch is
    scored in a thread so the event loop stays free."""

    async def __call__(self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] | None = None, **kwargs: Any) -> list[float | None]:  # type: ignore[override]
        return await asyncio.to_thread(AssayReward.__call__, self, prompts, completions, **kwargs)


def reward_function(
    *,
    workers: int | None = None,
    timeout_s: float | None = None,
    executor: str = "process",
    tasks: Iterable[str] | None = None,
    name: str = "assay",
    curriculum: CurriculumSampler | None = None,
) -> AssayReward:
    """Assay as a TRL reward function: ``GRPOTrainer(reward_funcs=[reward_function()], ...)``.

    See ``AssayReward``. Picklable (no lambdas, no open handles), so ``AsyncGRPOTrainer`` can
    ship it to another process.

    >>> import pickle
    >>> pickle.loads(pickle.dumps(reward_function(workers=2))).workers
    2
    """
    return AssayReward(workers=workers, timeout_s=timeout_s, executor=executor, tasks=tasks, name=name, curriculum=curriculum)


def async_reward_function(
    *,
    workers: int | None = None,
    timeout_s: float | None = None,
    executor: str = "process",
    tasks: Iterable[str] | None = None,
    name: str = "assay",
    curriculum: CurriculumSampler | None = None,
) -> AsyncAssayReward:
    """The ``async def`` flavour of ``reward_function`` (TRL runs async rewards concurrently).

    >>> import asyncio, assay
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> reward = async_reward_function(executor="inline")
    >>> asyncio.run(reward([p.prompt], ["<answer>x</answer>"], problem=[p.to_row()]))
    [0.0]
    """
    return AsyncAssayReward(workers=workers, timeout_s=timeout_s, executor=executor, tasks=tasks, name=name, curriculum=curriculum)


def to_dataset(problems: Iterable[Problem], *, conversational: bool = False, system_prompt: str | None = None) -> Any:
    """A ``datasets.Dataset`` for TRL: a ``prompt`` column (text, or chat messages when
    ``conversational``) plus the problem's row fields, which the reward function reads back.

    >>> import assay
    >>> ds = to_dataset(assay.generate("math/arithmetic", 2), conversational=True)
    >>> ds.column_names
    ['prompt', 'id', 'task', 'answer', 'data', 'meta']
    >>> ds[0]["prompt"][-1]["role"]
    'user'
    """
    from datasets import Dataset

    rows = []
    for problem in problems:
        row = problem.to_row()
        prompt: Any = row.pop("prompt")
        if conversational:
            messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
            prompt = messages + [{"role": "user", "content": prompt}]
        rows.append({"prompt": prompt, **row})
    return Dataset.from_list(rows)


class _ScoringOptions(TypedDict):
    """The keyword arguments AnswerTool passes to assay.scoring.verify_batch."""

    timeout_s: float | None
    executor: str
    workers: int | None


class AnswerTool:
    """A TRL ``environment_factory`` environment: the model answers through a ``submit_answer``
    tool and may try again after a wrong answer, up to ``max_attempts`` (the multi-turn "try
    again" mode). ``get_reward`` is the verifier's score of the passing (or last) attempt times
    ``discount ** (attempts - 1)``.

    >>> import assay
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> env = AnswerTool(max_attempts=2, executor="inline")
    >>> env.reset(**p.to_row()) is None
    True
    >>> env.submit_answer("not a number")
    "Your answer is incorrect. Let's try again. 1 attempt left."
    >>> env.submit_answer(p.answer), env.get_reward()
    ('Correct.', 1.0)
    """

    def __init__(self, *, max_attempts: int = 3, discount: float = 1.0, timeout_s: float | None = None,
                 executor: str = "process", workers: int | None = None) -> None:
        require_int("max_attempts", max_attempts, 1)
        require_number("discount", discount, high=1.0, above=0.0)
        self.max_attempts = max_attempts
        self.discount = discount
        self.options: _ScoringOptions = {"timeout_s": timeout_s, "executor": executor, "workers": workers}
        self.problem: Problem | None = None
        self.verdicts: list[Verdict] = []

    def reset(self, **row: Any) -> str | None:
        """Start an episode on the problem in ``row`` (the dataset row TRL passes)."""
        from assay.envs.problems import to_problem

        self.problem = to_problem(row)
        self.verdicts = []
        return None

    def submit_answer(self, answer: str) -> str:
        """Submit the final answer to the problem and get told whether it is correct.

        Args:
            answer: The final answer only, in the form the problem asks for (no explanation).
        """
        from assay.envs.env import TRY_AGAIN
        from assay.scoring import verify_batch

        if self.problem is None:
            return "There is no open problem."
        if self.done:
            return "No attempts left." if not self.solved else "Already solved."
        text = f"<answer>{answer}</answer>" if isinstance(answer, str) else ""
        self.verdicts.append(verify_batch([self.problem], [text], **self.options)[0])
        if self.solved:
            return "Correct."
        left = self.max_attempts - len(self.verdicts)
        if left == 0:
            return "Your answer is incorrect. No attempts left."
        return f"{TRY_AGAIN} {left} attempt{'s' if left > 1 else ''} left."

    @property
    def solved(self) -> bool:
        return bool(self.verdicts) and self.verdicts[-1].passed

    @property
    def done(self) -> bool:
        return self.solved or len(self.verdicts) >= self.max_attempts

    def get_reward(self) -> float:
        """The score of the episode: 0 when no answer was submitted."""
        if not self.verdicts:
            return 0.0
        return self.discount ** (len(self.verdicts) - 1) * self.verdicts[-1].score


class AnswerToolFactory:
    """A picklable zero-argument factory of ``AnswerTool`` environments with fixed settings."""

    def __init__(self, **settings: Any) -> None:
        AnswerTool(**settings)  # validate now
        self.settings = settings

    def __call__(self) -> AnswerTool:
        return AnswerTool(**self.settings)


def environment_factory(*, max_attempts: int = 3, discount: float = 1.0, timeout_s: float | None = None,
                        executor: str = "process", workers: int | None = None) -> AnswerToolFactory:
    """Assay as TRL's (experimental) ``GRPOTrainer(environment_factory=...)``: multi-turn "try
    again" episodes over the dataset's problems, rewarded through ``AnswerTool.get_reward``.

    >>> factory = environment_factory(max_attempts=2)
    >>> factory().max_attempts
    2
    """
    return AnswerToolFactory(max_attempts=max_attempts, discount=discount, timeout_s=timeout_s, executor=executor, workers=workers)

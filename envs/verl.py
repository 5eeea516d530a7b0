"""verl adapter: ``compute_score`` for verl's custom reward function, a batch variant, rows, and
``AssayInteraction``, a multi-turn "try again" interaction for any task.

``ground_truth`` is the problem's row as a JSON string, so nested payloads survive parquet.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from assay.envs.env import TRY_AGAIN, AssayEnv
from assay.envs.problems import message_text, verify_records
from assay.envs.sources import make_source
from assay.types import Problem, Verdict

try:  # subclass verl's own base class where verl is installed; the methods are the same either way
    from verl.interactions.base import BaseInteraction as _InteractionBase
except Exception:  # noqa: BLE001 - verl absent (or broken): a plain class with the same methods
    _InteractionBase = object

logger = logging.getLogger(__name__)

# verl fails when the keys of the returned dicts differ between samples: always all of these.
SCORE_KEYS = ("score", "acc", "no_answer", "timeout", "error")
_ERROR_REASONS = {"verifier_error", "sandbox_error", "invalid_problem", "invalid_completion", "unknown_task"}
_OPTIONS = ("workers", "timeout_s", "executor")


def score_dict(verdict: Verdict) -> dict[str, float]:
    """The dict verl logs for one verdict: always the keys ``SCORE_KEYS``, all floats.

    >>> score_dict(Verdict.fail("timeout"))
    {'score': 0.0, 'acc': 0.0, 'no_answer': 0.0, 'timeout': 1.0, 'error': 0.0}
    """
    return {
        "score": verdict.score,
        "acc": float(verdict.passed),
        "no_answer": float(verdict.reason == "no_answer"),
        "timeout": float(verdict.reason == "timeout"),
        "error": float(verdict.reason in _ERROR_REASONS),
    }


def compute_score(
    data_source: str, solution_str: str, ground_truth: str | Mapping[str, Any], extra_info: Mapping[str, Any] | None = None, **kwargs: Any
) -> dict[str, float]:
    """verl's ``custom_reward_function``: score one response; a dict with the keys ``SCORE_KEYS``.

    ``ground_truth``: the problem's row as JSON (``json.dumps(problem.to_row())``); ``data_source``
    (the task id) is informational. Verification runs in Assay's worker pool, so a hung verifier
    is killed after its time budget instead of hanging the step. ``workers``, ``timeout_s`` and
    ``executor`` may come through verl's ``reward_kwargs``.

    >>> import assay, json
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> compute_score(p.task, f"<answer>{p.answer}</answer>", json.dumps(p.to_row()))["score"]
    1.0
    """
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], **kwargs)[0]


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[str | Mapping[str, Any]],
    extra_infos: Sequence[Mapping[str, Any] | None] | None = None,
    **kwargs: Any,
) -> list[dict[str, float]]:
    """The batch form for verl's ``BatchRewardManager``: all responses scored in parallel.

    >>> import assay, json
    >>> ps = assay.generate("math/arithmetic", 2)
    >>> [d["acc"] for d in compute_score_batch([p.task for p in ps], ["<answer>0.5</answer>", f"<answer>{ps[1].answer}</answer>"], [json.dumps(p.to_row()) for p in ps])]
    [0.0, 1.0]
    """
    options = {k: kwargs[k] for k in _OPTIONS if kwargs.get(k) is not None}
    verdicts = verify_records(list(ground_truths), list(solution_strs), **options)
    return [score_dict(v) for v in verdicts]


def verl_row(problem: Problem, *, split: str = "train", index: int = 0) -> dict[str, Any]:
    """A verl parquet row (as ``assay generate --format verl`` writes it): ``data_source`` the
    task id, ``prompt`` chat messages, ``reward_model.ground_truth`` the row as a JSON string.

    >>> import assay, json
    >>> row = verl_row(assay.generate("math/arithmetic", 1)[0])
    >>> row["data_source"], row["reward_model"]["style"], row["prompt"][0]["role"]
    ('math/arithmetic', 'rule', 'user')
    """
    from assay.datasets import verl_row as row_of

    return row_of(problem, split, index)


def interaction_row(problem: Problem, *, split: str = "train", index: int = 0, name: str = "assay") -> dict[str, Any]:
    """A verl row for multi-turn rollouts: ``verl_row`` plus ``extra_info.interaction_kwargs``
    (``name`` of the interaction in the interaction config, ``ground_truth`` the problem's row).

    >>> import assay
    >>> row = interaction_row(assay.generate("math/arithmetic", 1)[0])
    >>> sorted(row["extra_info"]["interaction_kwargs"])
    ['ground_truth', 'name']
    """
    row = verl_row(problem, split=split, index=index)
    row["extra_info"]["interaction_kwargs"] = {"name": name, "ground_truth": row["reward_model"]["ground_truth"]}
    return row


class AssayInteraction(_InteractionBase):
    """verl's multi-turn ``BaseInteraction`` over any task, in the env's "try again" mode.

    verl calls ``start_interaction(instance_id, **interaction_kwargs)`` with the row's
    ``extra_info.interaction_kwargs`` (``ground_truth``: the problem's row as JSON, as
    ``interaction_row`` writes it), then ``generate_response(instance_id, messages)`` after each
    assistant turn: the last assistant message is verified; a pass, or the last of ``max_attempts``
    attempts, terminates with the verdict's score as the turn score; otherwise the reply is the
    try-again feedback and the turn scores 0. ``calculate_score`` is the last verdict's score,
    ``finalize_interaction`` forgets the instance. Config keys (the interaction YAML's ``config``):
    ``name``, ``max_attempts`` (3), ``feedback``, ``executor``, ``workers``, ``timeout_s``.
    Verification runs in a thread (the event loop is not blocked) and in Assay's killable workers.

    >>> import asyncio, assay, json
    >>> p = assay.generate("math/arithmetic", 1, seed=0)[0]
    >>> agent = AssayInteraction({"max_attempts": 2, "executor": "inline"})
    >>> async def episode():
    ...     i = await agent.start_interaction(ground_truth=json.dumps(p.to_row()))
    ...     first = await agent.generate_response(i, [{"role": "assistant", "content": "no idea"}])
    ...     second = await agent.generate_response(i, [{"role": "assistant", "content": f"<answer>{p.answer}</answer>"}])
    ...     return first[:3], second[:3], await agent.calculate_score(i)
    >>> asyncio.run(episode())
    ((False, "Your answer is incorrect. Let's try again.", 0.0), (True, '', 1.0), 1.0)
    """

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})
        self.name = str(self.config.get("name", "assay"))
        self.max_attempts = int(self.config.get("max_attempts", 3))
        self.feedback = str(self.config.get("feedback", TRY_AGAIN))
        self._options = {k: self.config[k] for k in _OPTIONS if self.config.get(k) is not None}
        self._instances: dict[str, AssayEnv] = {}
        self._scores: dict[str, float] = {}

    async def start_interaction(self, instance_id: str | None = None, ground_truth: Any = None, **kwargs: Any) -> str:
        """Open an episode on the problem ``ground_truth`` (its row, as JSON or a mapping; or the
        row's fields as keyword arguments); returns the instance id (a new one if None)."""
        instance_id = instance_id or str(uuid.uuid4())
        record = ground_truth if ground_truth is not None else {k: v for k, v in kwargs.items() if k != "name"}
        problem = Problem.from_row(json.loads(record) if isinstance(record, str) else dict(record))
        env = AssayEnv(make_source(problem), max_attempts=self.max_attempts, feedback=self.feedback, **self._options)
        env.reset(options={"problem": problem})
        self._instances[instance_id] = env
        self._scores[instance_id] = 0.0
        return instance_id

    async def generate_response(
        self, instance_id: str, messages: list[dict[str, Any]], **kwargs: Any
    ) -> tuple[bool, str, float, dict[str, Any]]:
        """``(terminate, reply, turn_score, extra)`` for the conversation so far."""
        env = self._instances[instance_id]
        if env.done:
            return True, "", 0.0, {"reason": "episode_over"}
        text = next((message_text(m) for m in reversed(messages) if m.get("role") == "assistant"), "")
        observation, reward, terminated, _, info = await asyncio.to_thread(env.step, text)
        self._scores[instance_id] = reward
        extra = {"reason": info["reason"], "passed": info["passed"], "attempt": info["attempt"]}
        return terminated, observation, reward, extra

    async def calculate_score(self, instance_id: str | None = None, **kwargs: Any) -> float:
        """The score of the instance's last verdict (0.0 before any)."""
        return self._scores.get(instance_id or "", 0.0)

    async def finalize_interaction(self, instance_id: str | None = None, **kwargs: Any) -> None:
        self._instances.pop(instance_id or "", None)
        self._scores.pop(instance_id or "", None)

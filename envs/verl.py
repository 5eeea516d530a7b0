"""verl adapter: ``compute_score`` for verl's custom reward function, a batch variant, and rows.

``ground_truth`` is the problem's row as a JSON string, so nested payloads survive parquet.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from assay.envs.problems import verify_records
from assay.types import Problem, Verdict

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
    >>> [d["acc"] for d in compute_score_batch([p.task for p in ps], ["<answer>0.5</answer>", ps[1].answer], [json.dumps(p.to_row()) for p in ps])]
    [0.0, 0.0]
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

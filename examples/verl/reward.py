"""verl's custom reward function file: verl loads it by path and calls ``compute_score``.

Config (``reward_config.yaml``): ``reward.custom_reward_function.path`` = this file,
``.name`` = ``compute_score`` (one response per call: verl 0.9's naive, dapo and remote managers,
in its Ray reward-loop workers) or, for verl before 0.9, ``compute_score_batch`` (with
``reward_model.reward_manager=batch``: the whole batch scored in parallel; verl 0.9 has no batch
manager). Both return dicts with the same keys every call (``score``,
``acc``, ``no_answer``, ``timeout``, ``error``), as verl requires; ``ground_truth`` is the
problem's row as JSON, as ``prepare_data.py`` writes it. Verification runs in Assay's worker
processes, each item with a hard time budget, so one pathological response cannot hang a step.
"""

from __future__ import annotations

from typing import Any

from assay.envs.verl import compute_score as _compute_score
from assay.envs.verl import compute_score_batch as _compute_score_batch


def compute_score(data_source: str, solution_str: str, ground_truth: str, extra_info: dict | None = None, **kwargs: Any) -> dict[str, float]:
    """One response (verl's default reward manager)."""
    return _compute_score(data_source, solution_str, ground_truth, extra_info, **kwargs)


def compute_score_batch(data_sources: list[str], solution_strs: list[str], ground_truths: list[str],
                        extra_infos: list[dict | None] | None = None, **kwargs: Any) -> list[dict[str, float]]:
    """A whole batch (verl's ``batch`` reward manager)."""
    return _compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kwargs)

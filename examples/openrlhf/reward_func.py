"""OpenRLHF Python-mode reward: pass this file's path as ``--reward.remote_url`` (``--remote_rm_url``
in older versions) and OpenRLHF calls ``reward_func`` in-process on each batch.

    --data.prompt_dataset data/assay/train.parquet --data.input_key prompt --data.apply_chat_template
    --data.label_key reward_model --reward.remote_url examples/openrlhf/reward_func.py

on ``assay generate --format verl`` data: each label is the row's ``reward_model`` (its
``ground_truth`` holds the problem's row as JSON); the row itself as JSON works as a label too.
Returns ``{"rewards", "scores", "extra_logs"}`` as tensors (pass rate, no-answer and timeout shares in ``extra_logs``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assay.envs.openrlhf import reward_func as _reward_func


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[str], **kwargs: Any) -> dict[str, Any]:
    """Score a batch of prompt+response strings against their problems."""
    return _reward_func(queries, prompts, labels, **kwargs)

"""OpenRLHF Python-mode reward: pass this file's path as ``--reward.remote_url``/``--remote_rm_url``.

``reward_func(queries, prompts, labels)``; each label is the problem's row as a JSON string.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assay.envs.problems import verify_records
from assay.types import Verdict


def responses(queries: Sequence[str], prompts: Sequence[str]) -> list[str]:
    """The model's part of each query (OpenRLHF sends prompt + response as one string).

    >>> responses(["Q: 1+1? <answer>2</answer>"], ["Q: 1+1?"])
    [' <answer>2</answer>']
    """
    out = []
    for index, query in enumerate(queries):
        prompt = prompts[index] if index < len(prompts) else ""
        out.append(query[len(prompt):] if prompt and query.startswith(prompt) else query)
    return out


def extra_logs(verdicts: Sequence[Verdict]) -> dict[str, list[float]]:
    """Per-item numbers OpenRLHF averages into its logs (the same keys for every batch)."""
    return {
        "passed": [float(v.passed) for v in verdicts],
        "no_answer": [float(v.reason == "no_answer") for v in verdicts],
        "timeout": [float(v.reason == "timeout") for v in verdicts],
        # a wrong --data.label_key makes every item invalid_problem: this shows it in the trainer's logs
        "invalid_problem": [float(v.reason == "invalid_problem") for v in verdicts],
    }


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[str], **kwargs: Any) -> dict[str, Any]:
    """Score a batch: ``{"rewards": Tensor, "scores": Tensor, "extra_logs": {name: Tensor}}``.

    >>> import json, assay
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> out = reward_func([p.prompt + f"<answer>{p.answer}</answer>"], [p.prompt], [json.dumps(p.to_row())])
    >>> out["rewards"].tolist(), out["extra_logs"]["passed"].tolist()
    ([1.0], [1.0])
    """
    import torch

    if not len(queries) == len(labels):
        raise ValueError(f"{len(queries)} queries but {len(labels)} labels")
    options = {k: kwargs[k] for k in ("workers", "timeout_s", "executor") if kwargs.get(k) is not None}
    verdicts = verify_records(list(labels), responses(queries, prompts), **options)
    rewards = torch.tensor([v.score for v in verdicts], dtype=torch.float32)
    return {
        "rewards": rewards,
        "scores": rewards.clone(),
        "extra_logs": {k: torch.tensor(v, dtype=torch.float32) for k, v in extra_logs(verdicts).items()},
    }

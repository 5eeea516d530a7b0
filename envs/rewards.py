"""Batched rewards as a torch tensor, for trainers that want one (torch is imported here only).

Accepts Verdicts, their dicts, or plain numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assay.errors import DependencyMissing
from assay.types import Verdict


def scores(verdicts: Iterable[Verdict | Mapping[str, Any] | float]) -> list[float]:
    """The score of each item (a Verdict, a verdict dict or a number).

    >>> scores([Verdict.correct(), {"score": 0.25}, 0])
    [1.0, 0.25, 0.0]
    """
    out = []
    for item in verdicts:
        if isinstance(item, Verdict):
            out.append(item.score)
        elif isinstance(item, Mapping):
            out.append(float(item["score"]))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(float(item))
        else:
            raise TypeError(f"expected a Verdict, a verdict dict or a number, not {type(item).__name__}")
    return out


def rewards_tensor(verdicts: Iterable[Verdict | Mapping[str, Any] | float], device: Any = None) -> Any:
    """A 1-D float32 ``torch.Tensor`` of the scores, on ``device`` (default: torch's default).

    >>> rewards_tensor([Verdict.correct(), Verdict.fail("no_answer")])
    tensor([1., 0.])
    """
    try:
        import torch
    except ImportError:
        raise DependencyMissing("torch", "torch") from None
    return torch.tensor(scores(verdicts), dtype=torch.float32, device=device)

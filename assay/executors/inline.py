"""The in-process executor: items verified one after another in the caller's process.

No hard timeout (nothing can kill the caller); for debugging and tiny batches.
"""

from __future__ import annotations

from assay.scoring import safe_verify
from assay.types import Problem, Verdict


def verify_items(
    problems: list[Problem], completions: list[str], *, workers: int | None = None, timeout_s: float | None = None
) -> list[Verdict]:
    """The "inline" executor of ``verify_batch``: serial, in this process.

    >>> from assay.scoring import generate
    >>> p = generate("math/arithmetic", 1)[0]
    >>> [v.reason for v in verify_items([p, p], [f"<answer>{p.answer}</answer>", "?"])]
    ['correct', 'no_answer']
    """
    return [safe_verify(p, c) for p, c in zip(problems, completions)]

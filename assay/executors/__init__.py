"""Where items run: in this process ("inline"), in a pool of killable worker processes
("process") or on Ray actors ("ray"), with the worker processes' entry points beside them.

Each verification executor is a module with ``verify_items(problems, completions, *, workers,
timeout_s) -> list[Verdict]``; it is imported on first use, so Ray loads only when asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from assay.types import Verdict

VerifyItems = Callable[..., list[Verdict]]

# name -> module defining verify_items
VERIFY_EXECUTORS = {
    "process": "assay.executors.pool",
    "inline": "assay.executors.inline",
    "ray": "assay.executors.ray",
}


def verify_executor(name: str) -> VerifyItems:
    """The ``verify_items`` function of the executor called ``name`` (a key of VERIFY_EXECUTORS).

    >>> run = verify_executor("inline")
    >>> from assay.scoring import generate
    >>> p = generate("math/arithmetic", 1)[0]
    >>> [v.passed for v in run([p], [f"<answer>{p.answer}</answer>"], workers=None, timeout_s=None)]
    [True]
    """
    return importlib.import_module(VERIFY_EXECUTORS[name]).verify_items


__all__ = ["VERIFY_EXECUTORS", "VerifyItems", "verify_executor"]

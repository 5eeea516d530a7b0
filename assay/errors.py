"""Every exception Assay raises, under one root, grouped by who must fix the problem.

A model's bad output is never an exception (it is a score-0 Verdict); these are for callers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class AssayError(Exception):
    """Root of every error Assay raises on purpose."""


class ConfigError(AssayError, ValueError):
    """A configuration value breaks a rule: names the field, the rule and the value.

    >>> raise ConfigError("operands", "must be at least 2", 1)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: operands: must be at least 2 (got 1)
    """

    def __init__(self, field: str, rule: str, value: object = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        suffix = "" if value is None else f" (got {value!r})"
        super().__init__(f"{field}: {rule}{suffix}")


class TaskNotFound(AssayError, KeyError):
    """An unknown task id, with the closest registered ids as suggestions."""

    def __init__(self, task_id: str, known: Iterable[str]) -> None:
        self.task_id = task_id
        self.suggestions = suggest(task_id, known)
        hint = f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        self.message = f"no task {task_id!r}{hint} (`assay list` shows every task)"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


class DatasetError(AssayError, ValueError):
    """A dataset or completions file that cannot be read as Assay rows."""


class SandboxError(AssayError, RuntimeError):
    """The sandbox itself failed (not the program inside it)."""


class DependencyMissing(AssayError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"{module} is not installed: pip install 'assay[{extra}]'")


def suggest(word: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The registered names closest to ``word``, best first.

    >>> suggest("math/arithmetc", ["math/arithmetic", "graph/degree"])
    ['math/arithmetic']
    """
    known = list(known)
    close = difflib.get_close_matches(word, known, n=limit, cutoff=0.6)
    if not close:
        tail = word.rsplit("/", 1)[-1]
        close = [k for k in known if k.rsplit("/", 1)[-1] == tail][:limit]
    return close

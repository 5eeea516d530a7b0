"""Checks of configuration values, shared by every task config, the suite and the envs.

Each ``require_*`` returns the value when it is valid and raises ConfigError(name, rule, value)
otherwise, so a config's ``__post_init__`` reads as a list of rules::

    def __post_init__(self) -> None:
        require_int("operands", self.operands, 2, 40)
        require_bool("negatives", self.negatives)
        require_choice("kind", self.kind, ("linear", "quadratic"))

A bool is never an int here (``True`` is not a count), and a number is never a bool.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, TypeVar

from assay.errors import ConfigError

__all__ = ["require_bool", "require_bools", "require_choice", "require_int", "require_number"]

C = TypeVar("C")


def require_int(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """``value`` when it is an int (not a bool) in [low, high] (an omitted bound is open).

    >>> require_int("terms", 3, 1, 5)
    3
    >>> require_int("terms", 9, 1, 5)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: terms: must be an integer between 1 and 5 (got 9)
    >>> require_int("workers", True, 1)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: workers: must be an integer >= 1 (got True)
    """
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low) or (
        high is not None and value > high
    ):
        raise ConfigError(name, _int_rule(low, high), value)
    return value


def _int_rule(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"must be an integer between {low} and {high}"
    if low == 0:
        return "must be a non-negative integer"
    if low is not None:
        return f"must be an integer >= {low}"
    if high is not None:
        return f"must be an integer <= {high}"
    return "must be an integer"


def require_bool(name: str, value: Any) -> bool:
    """``value`` when it is a bool (1 and "yes" are not).

    >>> require_bool("partial", False)
    False
    >>> require_bool("partial", 1)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: partial: must be true or false (got 1)
    """
    if not isinstance(value, bool):
        raise ConfigError(name, "must be true or false", value)
    return value


def require_bools(config: object, names: Iterable[str]) -> None:
    """``require_bool`` on each named attribute of ``config``.

    >>> from types import SimpleNamespace
    >>> require_bools(SimpleNamespace(a=True, b="no"), ("a", "b"))
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: b: must be true or false (got 'no')
    """
    for name in names:
        require_bool(name, getattr(config, name))


def require_choice(name: str, value: C, choices: Sequence[C]) -> C:
    """``value`` when it is one of ``choices``.

    >>> require_choice("kind", "die", ("die", "table"))
    'die'
    >>> require_choice("kind", "coin", ("die", "table"))
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: kind: must be one of die, table (got 'coin')
    """
    if isinstance(value, bool) or value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(map(str, choices))}", value)
    return value


def require_number(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    above: float | None = None,
    below: float | None = None,
    what: str = "a number",
) -> float | int | Fraction:
    """``value`` when it is a finite real number (int, float or Fraction; not a bool) in
    [low, high], and greater than ``above`` and less than ``below`` where given; ``what`` names
    the kind of number in the error ("a fraction", "a number of seconds").

    >>> require_number("density", 0.4, 0, 1)
    0.4
    >>> require_number("density", float("nan"), 0, 1)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: density: must be a number in [0, 1] (got nan)
    >>> require_number("test_size", 1, 0, below=1, what="a fraction")
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: test_size: must be a fraction in [0, 1) (got 1)
    >>> require_number("weight", 0, above=0)
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: weight: must be a positive number (got 0)
    """
    ok = not isinstance(value, bool) and isinstance(value, (int, float, Fraction)) and math.isfinite(value)
    ok = ok and (low is None or value >= low) and (high is None or value <= high)
    ok = ok and (above is None or value > above) and (below is None or value < below)
    if not ok:
        raise ConfigError(name, f"must be {_kind(what, low, high, above, below)}", value)
    return value


def _kind(what: str, low: float | None, high: float | None, above: float | None, below: float | None) -> str:
    """``what`` with its bounds: "a number in [0, 1)", "a number >= 2", "a positive number"."""
    lower = f"[{low}" if low is not None else f"({above}" if above is not None else None
    upper = f"{high}]" if high is not None else f"{below})" if below is not None else None
    if lower and upper:
        return f"{what} in {lower}, {upper}"
    if upper:
        return f"{what} {'<=' if high is not None else '<'} {upper[:-1]}"
    if lower in ("(0", "(0.0", "[0", "[0.0") and what.startswith("a "):
        return f"a {'positive' if lower[0] == '(' else 'non-negative'} {what[2:]}"
    if lower:
        return f"{what} {'>=' if low is not None else '>'} {lower[1:]}"
    return what

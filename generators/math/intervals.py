"""Exact real intervals for the inequality and domain tasks: solve a predicate on a line cut at
critical points, merge the pieces into a union of intervals, and write it as MATH-style LaTeX.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from assay.generators.math.formatting import latex_number
from assay.registry import Probe, wrap


@dataclass(frozen=True)
class Interval:
    """An interval with exact endpoints; None is an infinite end (always open)."""

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = False
    high_closed: bool = False

    def latex(self) -> str:
        """``(-\\infty, 3]``.

        >>> Interval(None, Fraction(3), high_closed=True).latex()
        '(-\\\\infty, 3]'
        """
        low = "-\\infty" if self.low is None else latex_number(self.low)
        high = "\\infty" if self.high is None else latex_number(self.high)
        return f"{'[' if self.low_closed else '('}{low}, {high}{']' if self.high_closed else ')'}"

    def inequality(self, variable: str = "x") -> str:
        """The same set as an inequality: ``-1 < x \\le 3``, ``x \\ge 2``; the whole line: ``x \\in \\mathbb{R}``."""
        le, ge = "\\le", "\\ge"
        left = "" if self.low is None else f"{latex_number(self.low)} {le if self.low_closed else '<'} "
        right = "" if self.high is None else f" {le if self.high_closed else '<'} {latex_number(self.high)}"
        if not left and not right:
            return f"{variable} \\in \\mathbb{{R}}"
        if not left:
            return f"{variable}{right}"
        if not right:
            # x >= a reads better than a <= x
            return f"{variable} {ge if self.low_closed else '>'} {latex_number(self.low)}"  # type: ignore[arg-type]
        return f"{left}{variable}{right}"

    def contains(self, x: Fraction) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_closed)):
            return False
        return True


def union_latex(intervals: Sequence[Interval]) -> str:
    """``(-\\infty, 1) \\cup (2, \\infty)``; the empty set is ``\\emptyset``."""
    return " \\cup ".join(i.latex() for i in intervals) if intervals else "\\emptyset"


def solve_region(predicate: Callable[[Fraction], bool], critical: Sequence[Fraction]) -> list[Interval]:
    """The set where ``predicate`` holds, assuming it can change only at the ``critical`` points:
    tested at each critical point and at one point inside each gap between them.

    >>> solve_region(lambda x: (x - 1) * (x - 3) > 0, [Fraction(1), Fraction(3)])
    [Interval(low=None, high=Fraction(1, 1), low_closed=False, high_closed=False), Interval(low=Fraction(3, 1), high=None, low_closed=False, high_closed=False)]
    """
    points = sorted({Fraction(c) for c in critical})
    if not points:
        return [Interval(None, None)] if predicate(Fraction(0)) else []
    # pieces in order: gap before points[0], points[0], gap, points[1], ..., gap after the last
    samples: list[tuple[str, Fraction | None, Fraction | None, bool]] = []
    samples.append(("gap", None, points[0], predicate(points[0] - 1)))
    for index, point in enumerate(points):
        samples.append(("point", point, point, predicate(point)))
        following = points[index + 1] if index + 1 < len(points) else None
        inside = (point + following) / 2 if following is not None else point + 1
        samples.append(("gap", point, following, predicate(inside)))
    out: list[Interval] = []
    current: list[object] | None = None  # [low, low_closed, high, high_closed]
    for kind, low, high, holds in samples:
        if not holds:
            if current is not None:
                out.append(Interval(current[0], current[2], bool(current[1]), bool(current[3])))  # type: ignore[arg-type]
                current = None
            continue
        if kind == "point":
            if current is None:
                current = [low, True, high, True]
            else:
                current[2], current[3] = high, True
        else:
            if current is None:
                current = [low, False, high, False]
            else:
                current[2], current[3] = high, False
    if current is not None:
        out.append(Interval(current[0], current[2], bool(current[1]), bool(current[3])))  # type: ignore[arg-type]
    return out


def intervals_to_data(region: Sequence[Interval]) -> list[list[object]]:
    """JSON-safe form: [low, high, low_closed, high_closed] with exact endpoints as strings."""
    return [[None if i.low is None else str(i.low), None if i.high is None else str(i.high), i.low_closed, i.high_closed] for i in region]


def intervals_from_data(rows: Sequence[Sequence[object]]) -> list[Interval]:
    return [Interval(None if lo is None else Fraction(str(lo)), None if hi is None else Fraction(str(hi)), bool(lc), bool(hc))
            for lo, hi, lc, hc in rows]


def interval_probes(answer: str, region: list[Interval], question: str) -> list[Probe]:
    """Probes of an interval-valued answer: delimiters, inequality form, flipped and shifted ends,
    a missing part of a union, the whole line, hedges, the question copied."""
    sized = answer.replace("(", "\\left(").replace("[", "\\left[").replace(")", "\\right)").replace("]", "\\right]")
    probes = [
        Probe(wrap(sized), True, "\\left and \\right delimiters"),
        Probe(wrap(f"x \\in {answer}"), True, "written as x \\in the set"),
        Probe(wrap(question), False, "the question copied"),
        Probe(wrap("(-\\infty, \\infty)"), False, "every real number"),
        Probe(wrap(""), False, "empty"),
        Probe(wrap(f"{answer} \\text{{ or }} (-\\infty, \\infty)"), False, "hedged with the whole line"),
    ]
    if len(region) == 1:
        probes.append(Probe(wrap(region[0].inequality()), True, "the same set written as an inequality"))
    else:
        probes.append(Probe(wrap(region[0].latex()), False, "one part of the union missing"))
        probes.append(Probe(wrap(" \\cup ".join(i.latex() for i in reversed(region))), True, "union in the other order"))
    first, rest = region[0], list(region[1:])
    if first.high is not None:
        flipped = Interval(first.low, first.high, first.low_closed, not first.high_closed)
        shifted: Interval | None = Interval(first.low, first.high + 1, first.low_closed, first.high_closed)
        if rest and rest[0].low is not None and first.high + 1 >= rest[0].low:
            shifted = None  # would run into the next part
    else:
        flipped = Interval(first.low, first.high, not first.low_closed, first.high_closed)
        shifted = Interval(first.low - 1, None, first.low_closed, False) if first.low is not None else None
    probes.append(Probe(wrap(union_latex([flipped] + rest)), False, "an open end closed or a closed end opened"))
    if shifted is not None:
        probes.append(Probe(wrap(union_latex([shifted] + rest)), False, "an endpoint off by one"))
    return probes

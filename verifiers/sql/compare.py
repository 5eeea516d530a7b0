"""Result comparison: bags of rows, order only where the gold sorts (tie-aware), columns matched
one-to-one in any order, floats within a relative tolerance, integers and floats equal only exactly.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9
MAX_PERMUTATIONS = 120  # column assignments tried before giving up
MAX_PAIRWISE_ROWS = 400  # above this, a tolerance-sensitive bag mismatch is not re-tried pairwise

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Result:
    """A query's result: normalised rows, in the engine's order; ``keys`` holds each row's sort
    key when it is the gold of an ordered question (None otherwise), ``ties`` the rows a right
    answer may list instead at a LIMIT that cuts a tie group."""

    rows: tuple[Row, ...]
    columns: int
    keys: tuple[Row, ...] | None = None
    ties: tuple[tuple[Row, tuple[Row, ...]], ...] = ()  # (sort key, every row with it) where a LIMIT cuts a tie group


def normalise(value: Any) -> Any:
    """One engine value as a comparable Python value (both engines map to the same forms).

    >>> normalise(True), normalise(decimal.Decimal("2.50")), normalise(datetime.date(2020, 1, 2))
    (1, 2.5, '2020-01-02')
    """
    if value is None or isinstance(value, (str, int, float)):
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent == 0 else float(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value)


def values_equal(gold: Any, candidate: Any) -> bool:
    """Cell equality: floats within tolerance, an int against a float only when exact.

    >>> values_equal(2.5, 2.5000000001), values_equal(3, 3.0), values_equal(3, 3.0000001), values_equal(None, 0)
    (True, True, False, False)
    """
    if type(gold) is type(candidate) and not isinstance(gold, float):
        return bool(gold == candidate)
    if isinstance(gold, (int, float)) and isinstance(candidate, (int, float)):
        if isinstance(gold, float) and isinstance(candidate, float):
            if math.isnan(gold) or math.isnan(candidate):
                return math.isnan(gold) and math.isnan(candidate)
            return math.isclose(gold, candidate, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
        return bool(gold == candidate)  # one int, one float: exact only
    return False


def _cell_key(value: Any) -> tuple[int, Any]:
    # Sorting key; floats are rounded coarsely so values within tolerance sort together.
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return (1, str(value))
        return (2, float(f"{value:.5g}"))
    if isinstance(value, str):
        return (3, value)
    return (4, repr(value))


def _row_key(row: Row) -> tuple[tuple[int, Any], ...]:
    return tuple(_cell_key(value) for value in row)


def rows_equal(gold: Row, candidate: Row) -> bool:
    return len(gold) == len(candidate) and all(values_equal(g, c) for g, c in zip(gold, candidate))


def bags_equal(gold: Sequence[Row], candidate: Sequence[Row]) -> bool:
    """Multiset equality of rows under cell equality.

    >>> bags_equal([(1, "a"), (2, "b")], [(2, "b"), (1, "a")]), bags_equal([(1,), (1,)], [(1,)])
    (True, False)
    """
    if len(gold) != len(candidate):
        return False
    ordered_gold = sorted(gold, key=_row_key)
    ordered_candidate = sorted(candidate, key=_row_key)
    if all(rows_equal(g, c) for g, c in zip(ordered_gold, ordered_candidate)):
        return True
    if len(gold) > MAX_PAIRWISE_ROWS or not any(isinstance(v, float) for row in gold for v in row):
        return False
    # floats on a rounding boundary may sort apart: match row by row instead (same lengths: a bag)
    return sub_bag(candidate, gold)


def sub_bag(rows: Sequence[Row], pool: Sequence[Row]) -> bool:
    """Whether every row matches a row of ``pool``, each pool row used once.

    >>> sub_bag([("Ink",)], [("Pen",), ("Ink",)]), sub_bag([("Ink",), ("Ink",)], [("Pen",), ("Ink",)])
    (True, False)
    """
    remaining = list(pool)
    for row in rows:
        for index, other in enumerate(remaining):
            if rows_equal(other, row):
                del remaining[index]
                break
        else:
            return False
    return True


def _column_signature(rows: Sequence[Row], index: int) -> list[tuple[int, Any]]:
    return sorted(_cell_key(row[index]) for row in rows)


def column_assignments(gold: Result, candidate: Result) -> list[tuple[int, ...]]:
    """Candidate column orders worth trying (identity first): for each gold column, a candidate
    column with the same bag of values."""
    width = gold.columns
    if candidate.columns != width:
        return []
    identity = tuple(range(width))
    if width <= 1:
        return [identity]
    gold_signatures = [_column_signature(gold.rows, i) for i in range(width)]
    candidate_signatures = [_column_signature(candidate.rows, i) for i in range(width)]
    options = [[j for j in range(width) if candidate_signatures[j] == gold_signatures[i]] for i in range(width)]
    if any(not choice for choice in options):
        options = [list(range(width))] * width if width <= 5 else [[i] for i in range(width)]
    found: list[tuple[int, ...]] = [identity]
    for assignment in itertools.product(*options):
        if len(found) > MAX_PERMUTATIONS:
            break
        if len(set(assignment)) == width and assignment != identity:
            found.append(tuple(assignment))
    return found


def _ordered_equal(gold: Result, rows: Sequence[Row]) -> bool:
    """Rows in gold order; rows whose sort keys tie in the gold (within the float tolerance) may
    come in any order, and at a LIMIT that cuts a tie group any rows of its pool may stand."""
    if gold.keys is None:
        return all(rows_equal(g, c) for g, c in zip(gold.rows, rows))
    start = 0
    keys = gold.keys
    for end in range(1, len(gold.rows) + 1):
        # sort keys within the float tolerance tie: a last-bit difference in an average or a sum
        # (SUM(v) against SUM(v * 10)) orders nothing the question can tell apart
        if end == len(gold.rows) or not rows_equal(keys[start], keys[end]):
            pool = next((rows for key, rows in gold.ties if rows_equal(key, keys[start])), None)
            if pool is not None:
                if not sub_bag(rows[start:end], pool):
                    return False
            elif end - start == 1:
                if not rows_equal(gold.rows[start], rows[start]):
                    return False
            elif not bags_equal(gold.rows[start:end], rows[start:end]):
                return False
            start = end
    return True


def results_match(gold: Result, candidate: Result, *, ordered: bool) -> bool:
    """Whether a candidate's result equals the gold's under the comparison rules.

    >>> gold = Result(((1, "a"), (2, "b")), 2)
    >>> results_match(gold, Result((("b", 2), ("a", 1)), 2), ordered=False)
    True
    >>> results_match(gold, Result((("b", 2), ("a", 1)), 2), ordered=True)
    False
    """
    if len(gold.rows) != len(candidate.rows) or gold.columns != candidate.columns:
        return False
    # Exact shortcuts: rows equal under == are equal cell by cell under values_equal (== on an int
    # and a float is exact, two equal floats are within any tolerance), in the same order or, for a
    # bag, as multisets (== and hash agree on the values an engine gives). Anything else is decided
    # by the full comparison below.
    if candidate.rows == gold.rows:
        return True
    if not ordered and Counter(candidate.rows) == Counter(gold.rows):
        return True
    for assignment in column_assignments(gold, candidate):
        rows = [tuple(row[j] for j in assignment) for row in candidate.rows]
        if ordered:
            if _ordered_equal(gold, rows):
                return True
        elif bags_equal(gold.rows, rows):
            return True
    return False

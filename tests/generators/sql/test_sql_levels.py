"""Difficulty means something in the SQL families that grew with it (issue 12: "difficulty changes
joins, nesting and aggregation"): the three levels of a seed give different problems, and the
golds of higher levels hold more joins, nesting and conditions, with each family's level-3
feature seen at level 3 and never at level 1."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from statistics import mean

import pytest
import sqlglot
from sqlglot import exp

from assay.registry import get_task

SEEDS = range(6)
LEVELS = (1, 2, 3)


def _subquery_join(tree: exp.Expression) -> bool:
    """A join inside a subquery (NOT EXISTS / NOT IN / scalar or correlated)."""
    return any(select is not tree and select.find(exp.Join) is not None for select in tree.find_all(exp.Select))


def _outer_joins(tree: exp.Expression) -> int:
    return len(tree.args.get("joins") or [])


def _deepest_ranking(tree: exp.Expression) -> bool:
    """A window over rows joined two hops up, or DENSE_RANK, or the rank itself as a column."""
    window = tree.find(exp.Window)
    ranked = window.find_ancestor(exp.Select) if window is not None else None
    return ranked is not None and (len(ranked.args.get("joins") or []) >= 2 or "DENSE_RANK" in window.sql().upper()
                                   or len(tree.selects) == 4)


# family, what its level 3 adds (seen at level 3 for some seed, never at level 1)
FAMILIES: list[tuple[str, Callable[[exp.Expression, bool], bool], str]] = [
    ("sql/anti_join", lambda tree, ordered: _subquery_join(tree), "a join inside the NOT EXISTS"),
    ("sql/scalar_subquery", lambda tree, ordered: ordered and _subquery_join(tree), "ordered rows, the joins repeated in the subquery"),
    ("sql/correlated_subquery", lambda tree, ordered: _outer_joins(tree) >= 2 or tree.find(exp.Where).find(exp.And) is not None,
     "a grandparent joined, or a filter of the row's own"),
    ("sql/window_rank", lambda tree, ordered: _deepest_ranking(tree), "two hops, DENSE_RANK or the rank column"),
]


@cache
def golds(task_id: str, level: int) -> list[tuple[str, bool]]:
    """(gold, ordered) of each seed (K = 1: the first phase, which alone decides the question, is
    the same as with the default K)."""
    task = get_task(task_id)
    out = []
    for seed in SEEDS:
        data = task.generate(seed, difficulty=level, databases=1).data
        out.append((data["gold_sql"], data["ordered"]))
    return out


def complexity(gold: str) -> int:
    """Joins, SELECTs (nesting) and conditions in a gold."""
    tree = sqlglot.parse_one(gold, read="sqlite")
    conditions = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In, exp.Exists)
    return (len(list(tree.find_all(exp.Join))) + len(list(tree.find_all(exp.Select)))
            + len(list(tree.find_all(*conditions))) + len(list(tree.find_all(exp.Window))))


@pytest.mark.parametrize(("task_id", "deepest", "why"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_levels_give_different_and_harder_problems(task_id, deepest, why):
    by_level = {level: golds(task_id, level) for level in LEVELS}
    differ = sum(len({by_level[level][i][0] for level in LEVELS}) == len(LEVELS) for i in range(len(SEEDS)))
    assert differ >= len(SEEDS) - 1, f"{task_id}: levels 1-3 give the same gold for {len(SEEDS) - differ} of {len(SEEDS)} seeds"
    sizes = [mean(complexity(gold) for gold, _ in by_level[level]) for level in LEVELS]
    assert sizes[0] < sizes[1] < sizes[2], f"{task_id}: joins + nesting + conditions per level {sizes}"
    trees = {level: [(sqlglot.parse_one(gold, read="sqlite"), ordered) for gold, ordered in by_level[level]] for level in LEVELS}
    assert any(deepest(tree, ordered) for tree, ordered in trees[3]), f"{task_id}: no level-3 gold has {why}"
    assert not any(deepest(tree, ordered) for tree, ordered in trees[1]), f"{task_id}: a level-1 gold has {why}"


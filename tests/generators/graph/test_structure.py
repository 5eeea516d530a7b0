"""generators/graph/_structure.py: rendering round trips and the approximation component."""

from __future__ import annotations

import pytest

import assay
from assay.generators.graph._structure import APPROXIMATION_CAP, approximation_credit

STRUCTURE_TASKS = [
    "graph/bfs_order",
    "graph/bridges",
    "graph/k_coloring",
    "graph/maximum_independent_set",
    "graph/isomorphism_mapping",
]


@pytest.mark.parametrize(
    "value, optimum, trivial, expected, why",
    [
        (5, 5, 1, 0.0, "the optimum itself is scored elsewhere (full marks)"),
        (1, 5, 1, 0.0, "the trivial answer earns nothing"),
        (0, 5, 1, 0.0, "worse than trivial earns nothing"),
        (3, 5, 1, APPROXIMATION_CAP / 2, "half the gap closed"),
        (4, 5, 1, APPROXIMATION_CAP * 3 / 4, "three quarters of the gap"),
        (6, 4, 10, APPROXIMATION_CAP * 4 / 6, "minimisation: from 10 down to 6 of the way to 4"),
        (10, 4, 10, 0.0, "minimisation: the trivial answer"),
        (3, 3, 3, 0.0, "no gap at all"),
    ],
)
def test_approximation_credit(value, optimum, trivial, expected, why) -> None:
    assert approximation_credit(value, optimum, trivial) == pytest.approx(expected), why
    assert approximation_credit(value, optimum, trivial) <= APPROXIMATION_CAP


@pytest.mark.parametrize("task_id", STRUCTURE_TASKS)
def test_every_rendering_style_of_the_reference_parses_back(task_id: str) -> None:
    task = assay.get_task(task_id)
    for encoding in ("edge_list", "friendship"):
        problem = task.generate(2, difficulty=3, encoding=encoding)
        names = task.names_of(problem)
        gold = problem.data["gold"]["answer"]
        for style in range(4):
            text = task.render(gold, names, style)
            assert task.check(problem, f"<answer>{text}</answer>").passed, (style, text)


def test_partial_credit_is_declared_only_where_optimisation_allows_it() -> None:
    declared = {t for t in assay.list_tasks("graph") if assay.get_task(t).partial_credit}
    for task_id in ("graph/maximum_independent_set", "graph/minimum_vertex_cover", "graph/maximum_matching"):
        assert task_id in declared
    for task_id in ("graph/shortest_path", "graph/topological_sort", "graph/k_coloring", "graph/bridges"):
        assert task_id not in declared

"""The math catalogue as a whole: enough task types, five levels each, deterministic problems,
and hostile answers scoring 0 on every task."""

from __future__ import annotations

import pytest

import assay
from assay.types import Problem

MATH_TASKS = assay.list_tasks("math")


def test_catalogue_has_enough_task_types():
    assert len(MATH_TASKS) >= 25
    families = {assay.get_task(t).__module__.rsplit(".", 1)[1] for t in MATH_TASKS}
    assert {"number_theory", "algebra", "calculus", "linear_algebra", "combinatorics", "geometry", "functions", "sequences"} <= families


@pytest.mark.parametrize("task_id", MATH_TASKS)
def test_every_task_documents_five_levels_and_is_deterministic(task_id):
    task = assay.get_task(task_id)
    assert sorted(task.levels) == [1, 2, 3, 4, 5]
    assert len({repr(task.config_for(level)) for level in task.levels}) == 5
    for level in task.levels:
        first, again = task.generate(7, difficulty=level), task.generate(7, difficulty=level)
        assert first.to_row() == again.to_row()
        assert Problem.from_row(first.to_row()) == first
        assert "<answer>" in first.prompt and first.data["gold"]


HOSTILE = [
    "x" * 1_000_000,
    "(" * 50_000 + "x" + ")" * 50_000,
    "10^{10^{10^{10}}}",
    "(10^7)!",
    "\\frac{" * 5000 + "1" + "}{2}" * 5000,
    "x^{99999999}",
    "(x+1)^{30}" * 200,
    "2^{64} \\cdot " * 3000 + "3",
    "[[" + "1," * 100_000 + "1]]",
    "\\begin{pmatrix}" + " 1 & " * 50_000 + "1 \\end{pmatrix}",
]


@pytest.mark.parametrize("task_id", MATH_TASKS)
def test_hostile_answers_score_zero(task_id):
    task = assay.get_task(task_id)
    problem = task.generate(0, difficulty=5)
    for text in HOSTILE:
        result = task.check(problem, f"<answer>{text}</answer>")
        assert not result.passed and result.score == 0, (task_id, text[:40], result)

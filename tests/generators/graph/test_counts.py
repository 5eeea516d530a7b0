"""graph/node_count and graph/edge_count against networkx, and their audit probes."""

from __future__ import annotations

import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/node_count", "graph/edge_count"]


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


def test_gold_matches_networkx_and_varies() -> None:
    for task_id, count in (("graph/node_count", "number_of_nodes"), ("graph/edge_count", "number_of_edges")):
        answers = set()
        for difficulty in range(1, 6):
            for problem in assay.generate(task_id, 12, seed=difficulty, difficulty=difficulty):
                graph = graph_from_payload(problem.data)
                assert problem.answer == str(getattr(graph, count)())
                answers.add(problem.answer)
        assert len(answers) > 10, "counts must not be guessable from the level"


def test_directed_levels_count_arcs() -> None:
    problem = assay.get_task("graph/edge_count").generate(2, difficulty=5)
    assert problem.data["graph"]["directed"] is True
    assert "count as two" in problem.prompt
    assert problem.answer == str(len(problem.data["graph"]["edges"]))

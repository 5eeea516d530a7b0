"""graph/connected_, weakly_connected_, strongly_connected_components against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TRUTH = {
    "graph/connected_components": nx.number_connected_components,
    "graph/weakly_connected_components": nx.number_weakly_connected_components,
    "graph/strongly_connected_components": nx.number_strongly_connected_components,
}


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_counts_match_networkx_and_spread(task_id: str) -> None:
    answers = []
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 12, seed=9, difficulty=difficulty):
            assert problem.answer == str(TRUTH[task_id](graph_from_payload(problem.data)))
            answers.append(int(problem.answer))
    assert len(set(answers)) >= 5
    assert answers.count(1) < len(answers) / 2, "mostly one component would make '1' a winning guess"


def test_a_pair_of_opposite_arcs_is_one_strong_component() -> None:
    task = assay.get_task("graph/strongly_connected_components")
    problem = task.generate(0, graph=nx.DiGraph([(0, 1), (1, 0), (1, 2)]))
    assert problem.answer == "2"

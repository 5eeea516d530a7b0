"""graph/has_cycle, is_bipartite, is_eulerian: truth, balance and near-miss construction."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TRUTH = {
    "graph/has_cycle": lambda g: not nx.is_directed_acyclic_graph(g) if g.is_directed() else not nx.is_forest(g),
    "graph/is_bipartite": nx.is_bipartite,
    "graph/is_eulerian": nx.is_eulerian,
}


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_gold_matches_networkx_and_is_balanced_at_every_level(task_id: str) -> None:
    for difficulty in range(1, 6):
        golds = []
        for problem in assay.generate(task_id, 30, seed=10, difficulty=difficulty):
            assert problem.data["gold"] is TRUTH[task_id](graph_from_payload(problem.data))
            golds.append(problem.data["gold"])
        assert 0.25 <= sum(golds) / len(golds) <= 0.75, (task_id, difficulty, sum(golds))


def test_cyclic_graphs_are_mostly_one_edge_from_acyclic() -> None:
    near = cyclic = 0
    for difficulty in (1, 2, 3):
        for problem in assay.generate("graph/has_cycle", 20, seed=2, difficulty=difficulty):
            if problem.data["gold"]:
                graph = graph_from_payload(problem.data)
                cyclic += 1
                near += len(nx.cycle_basis(graph)) == 1
    assert near == cyclic


def test_eulerian_graphs_have_no_isolated_nodes() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/is_eulerian", 10, seed=3, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert nx.is_connected(graph)

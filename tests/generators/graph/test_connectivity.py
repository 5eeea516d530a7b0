"""graph/local_node_connectivity and graph/local_edge_connectivity against networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from networkx.algorithms.connectivity import local_edge_connectivity, local_node_connectivity

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload


@pytest.mark.parametrize("task_id", ["graph/local_node_connectivity", "graph/local_edge_connectivity"])
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


def test_gold_matches_networkx_and_node_pairs_are_non_adjacent() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/local_node_connectivity", 10, seed=13, difficulty=difficulty):
            graph, p = graph_from_payload(problem.data), problem.data["params"]
            assert not graph.has_edge(p["s"], p["t"])
            assert problem.answer == str(local_node_connectivity(graph, p["s"], p["t"]))
        for problem in assay.generate("graph/local_edge_connectivity", 10, seed=13, difficulty=difficulty):
            graph, p = graph_from_payload(problem.data), problem.data["params"]
            assert problem.answer == str(local_edge_connectivity(graph, p["s"], p["t"]))


def test_complete_user_graph_has_no_node_connectivity_question() -> None:
    with pytest.raises(ConfigError, match="complete"):
        assay.get_task("graph/local_node_connectivity").generate(0, graph=nx.complete_graph(5))
    problem = assay.get_task("graph/local_edge_connectivity").generate(0, graph=nx.complete_graph(5))
    assert problem.answer == "4"

"""graph/clustering, triangles, average_neighbour_degree against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload


@pytest.mark.parametrize("task_id", ["graph/clustering", "graph/triangles", "graph/average_neighbour_degree"])
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


def test_gold_matches_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/clustering", 10, seed=6, difficulty=difficulty):
            graph, node = graph_from_payload(problem.data), problem.data["params"]["node"]
            assert problem.data["gold"]["value"] == pytest.approx(nx.clustering(graph, node), abs=1e-12)
        for problem in assay.generate("graph/triangles", 10, seed=6, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert problem.answer == str(sum(nx.triangles(graph).values()) // 3)
        for problem in assay.generate("graph/average_neighbour_degree", 10, seed=6, difficulty=difficulty):
            graph, node = graph_from_payload(problem.data), problem.data["params"]["node"]
            expected = nx.average_neighbor_degree(graph, nodes=[node])[node]
            assert problem.data["gold"]["value"] == pytest.approx(expected, abs=1e-12)


def test_triangles_vary() -> None:
    answers = {p.answer for d in range(1, 6) for p in assay.generate("graph/triangles", 10, seed=1, difficulty=d)}
    assert len(answers) >= 8


def test_clustering_on_karate_matches_networkx_for_every_node() -> None:
    task = assay.get_task("graph/clustering")
    karate = nx.karate_club_graph()
    expected = nx.clustering(karate)
    for node in karate:
        problem = task.generate(0, graph=karate, params={"node": node})
        assert problem.data["gold"]["value"] == pytest.approx(expected[node], abs=1e-12)

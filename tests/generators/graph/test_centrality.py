"""graph/degree_, closeness_, betweenness_, harmonic_centrality: exact values against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TRUTH = {
    "graph/degree_centrality": lambda g, n: nx.degree_centrality(g)[n],
    "graph/closeness_centrality": lambda g, n: nx.closeness_centrality(g, u=n),
    "graph/betweenness_centrality": lambda g, n: nx.betweenness_centrality(g)[n],
    "graph/harmonic_centrality": lambda g, n: nx.harmonic_centrality(g, nbunch=[n])[n],
}


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_values_match_networkx(task_id: str) -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 8, seed=8, difficulty=difficulty):
            graph, node = graph_from_payload(problem.data), problem.data["params"]["node"]
            assert problem.data["gold"]["value"] == pytest.approx(TRUTH[task_id](graph, node), abs=1e-12)


@pytest.mark.parametrize("task_id", list(TRUTH))
@pytest.mark.parametrize(
    "graph",
    [nx.les_miserables_graph(), nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5), (5, 3)])],
    ids=["les_miserables", "disconnected"],
)
def test_user_graphs_including_disconnected_match_networkx(task_id: str, graph: nx.Graph) -> None:
    task = assay.get_task(task_id)
    for node in sorted(graph, key=str)[:8]:
        problem = task.generate(0, graph=graph, params={"node": node})
        assert problem.data["gold"]["value"] == pytest.approx(TRUTH[task_id](graph, node), abs=1e-12)


def test_betweenness_normalisation_is_checked() -> None:
    task = assay.get_task("graph/betweenness_centrality")
    problem = task.generate(0, graph=nx.path_graph(5), params={"node": 2})  # raw 4, normalised 4/6
    assert task.check(problem, "<answer>2/3</answer>").passed
    assert task.check(problem, "<answer>0.667</answer>").passed
    assert not task.check(problem, "<answer>4</answer>").passed  # unnormalised
    assert not task.check(problem, "<answer>0.333</answer>").passed  # ordered pairs over (n-1)(n-2)

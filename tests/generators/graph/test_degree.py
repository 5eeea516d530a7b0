"""graph/degree and graph/neighbours against networkx, and their audit probes."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload


@pytest.mark.parametrize("task_id", ["graph/degree", "graph/neighbours"])
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


def test_gold_matches_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/degree", 10, seed=1, difficulty=difficulty):
            graph, node = graph_from_payload(problem.data), problem.data["params"]["node"]
            expected = graph.out_degree(node) if graph.is_directed() else graph.degree(node)
            assert problem.answer == str(expected)
        for problem in assay.generate("graph/neighbours", 10, seed=1, difficulty=difficulty):
            graph, node = graph_from_payload(problem.data), problem.data["params"]["node"]
            assert set(problem.data["gold"]) == set(graph.successors(node) if graph.is_directed() else graph[node])


def test_neighbours_judge_reasons() -> None:
    task = assay.get_task("graph/neighbours")
    problem = task.generate(0, graph=nx.star_graph(4), params={"node": 1}, encoding="edge_list")
    cases = [
        ("[0]", "correct", "the centre"),
        ("0", "correct", "a bare node"),
        ("[0, 0]", "invalid", "repeated node"),
        ("[7]", "invalid", "not a node"),
        ("[2]", "wrong_answer", "a non-neighbour"),
        ("[0] or [2]", "unparseable", "hedged"),
        ("[]", "wrong_answer", "empty"),
    ]
    for text, reason, why in cases:
        assert task.check(problem, f"<answer>{text}</answer>").reason == reason, why


def test_a_node_with_no_neighbours_takes_the_empty_list() -> None:
    graph = nx.Graph([(0, 1)])
    graph.add_node(2)
    task = assay.get_task("graph/neighbours")
    problem = task.generate(0, graph=graph, params={"node": 2})
    assert problem.answer == "[]"
    for text in ("[]", "none", "Empty"):
        assert task.check(problem, f"<answer>{text}</answer>").passed
    assert not task.check(problem, "<answer>[0]</answer>").passed

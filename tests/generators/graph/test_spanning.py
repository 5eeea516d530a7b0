"""graph/minimum_spanning_tree, graph/bridges, graph/articulation_points."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/minimum_spanning_tree", "graph/bridges", "graph/articulation_points"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


def test_mst_weight_matches_networkx_and_other_minimum_trees_are_probed() -> None:
    task = assay.get_task("graph/minimum_spanning_tree")
    alternatives = 0
    for difficulty in range(1, 6):
        for problem in assay.generate(task.id, 4, seed=11, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            tree = nx.minimum_spanning_tree(graph, algorithm="prim")
            assert problem.data["gold"]["optimum"] == tree.size(weight="weight")
            alternatives += sum(p.why.startswith("alternative valid answer: another minimum") for p in task.probes(problem))
    assert alternatives >= 5


def test_every_spanning_tree_of_a_small_graph_is_judged_by_its_weight() -> None:
    graph = nx.Graph()
    graph.add_weighted_edges_from([(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1), (0, 2, 2), (1, 3, 1)])
    task = assay.get_task("graph/minimum_spanning_tree")
    problem = task.generate(0, graph=graph, weighted=True, encoding="edge_list")
    minimum = problem.data["gold"]["optimum"]
    seen = 0
    for edges in itertools.combinations(sorted(graph.edges()), 3):
        tree = nx.Graph(list(edges))
        is_tree = tree.number_of_nodes() == 4 and nx.is_tree(tree)
        weight = sum(graph[u][v]["weight"] for u, v in edges)
        text = ", ".join(f"({u}, {v})" for u, v in edges)
        assert task.check(problem, f"<answer>{text}</answer>").passed == (is_tree and weight == minimum)
        seen += is_tree and weight == minimum
    assert seen >= 8


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("(0, 1), (1, 2), (2, 3)", "correct", "a minimum tree"),
        ("[[3, 2], [1, 3], [1, 0]]", "correct", "another, reversed pairs"),
        ("0-1, 1-2, 2-3", "correct", "dash syntax"),
        ("(0, 1, 1), (1, 2, 1), (2, 3, 1)", "correct", "weights written along"),
        ("(0, 1), (1, 2), (2, 0)", "cycle", "a cycle, missing node 3"),
        ("(0, 1), (0, 2), (2, 3)", "suboptimal", "spanning, heavier"),
        ("(0, 1), (1, 2)", "wrong_edge_count", "not spanning"),
        ("(0, 1), (1, 0), (2, 3)", "repeated_edge", "an edge twice"),
        ("(0, 3), (1, 3), (2, 3)", "non_edge", "0-3 is no edge here"),
        ("(0, 1), (1, 2), (2, 3) or (0, 1), (1, 3), (2, 3)", "unparseable", "hedged"),
    ],
)
def test_mst_table(text: str, expected: str, why: str) -> None:
    graph = nx.Graph()
    graph.add_weighted_edges_from([(0, 1, 1), (1, 2, 1), (2, 3, 1), (0, 2, 2), (1, 3, 1)])
    task = assay.get_task("graph/minimum_spanning_tree")
    problem = task.generate(0, graph=graph, weighted=True, encoding="edge_list")
    assert _outcome(task, problem, text) == expected, why


def test_bridges_and_articulation_points_match_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/bridges", 5, seed=4, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert {frozenset(e) for e in problem.data["gold"]["answer"]} == {frozenset(e) for e in nx.bridges(graph)}
        for problem in assay.generate("graph/articulation_points", 5, seed=4, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert set(problem.data["gold"]) == set(nx.articulation_points(graph))


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("(2, 3), (4, 5)", "correct", "both bridges"),
        ("5-4, 3-2", "correct", "reversed, other order"),
        ("(2, 3)", "wrong_answer", "one missing"),
        ("(2, 3), (4, 5), (0, 1)", "wrong_answer", "an edge on a cycle"),
        ("(2, 3), (4, 5), (3, 2)", "repeated_edge", "a bridge twice"),
        ("(2, 3), (3, 5)", "non_edge", "not an edge"),
        ("none", "wrong_answer", "none"),
    ],
)
def test_bridges_table(text: str, expected: str, why: str) -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 6), (6, 3), (4, 5)])
    task = assay.get_task("graph/bridges")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    assert _outcome(task, problem, text) == expected, why


def test_a_graph_without_bridges_takes_none() -> None:
    task = assay.get_task("graph/bridges")
    problem = task.generate(0, graph=nx.cycle_graph(5), encoding="edge_list")
    assert problem.data["gold"]["answer"] == []
    for text in ("none", "[]", "None."):
        assert task.check(problem, f"<answer>{text}</answer>").passed, text
    assert _outcome(task, problem, "(0, 1)") == "wrong_answer"

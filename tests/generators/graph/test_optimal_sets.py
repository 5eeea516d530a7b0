"""graph/maximum_independent_set, maximum_clique, minimum_vertex_cover, minimum_dominating_set:
exact optima, every optimal set passes, maximal-but-not-maximum and degenerate sets fail."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TASKS = [
    "graph/maximum_independent_set",
    "graph/maximum_clique",
    "graph/minimum_vertex_cover",
    "graph/minimum_dominating_set",
]


def _is_valid(task_id: str, graph: nx.Graph, nodes: set) -> bool:
    """The definitions, written independently of verifiers.graph_checks."""
    if task_id.endswith("independent_set"):
        return bool(nodes) and not any(graph.has_edge(u, v) for u, v in itertools.combinations(nodes, 2))
    if task_id.endswith("clique"):
        return bool(nodes) and all(graph.has_edge(u, v) for u, v in itertools.combinations(nodes, 2))
    if task_id.endswith("vertex_cover"):
        return all(u in nodes or v in nodes for u, v in graph.edges())
    return nx.is_dominating_set(graph, nodes)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean_with_partial_credit(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(2), partial=True) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_every_node_subset_is_judged_by_the_definition(task_id: str) -> None:
    task = assay.get_task(task_id)
    for seed in range(3):
        problem = task.generate(seed, difficulty=2, encoding="edge_list")
        graph = graph_from_payload(problem.data)
        valid = [set(s) for k in range(len(graph) + 1) for s in itertools.combinations(sorted(graph), k) if _is_valid(task_id, graph, set(s))]
        best = (max if "maximum" in task_id else min)(len(s) for s in valid)
        assert problem.data["gold"]["optimum"] == best
        passed = 0
        for k in range(len(graph) + 1):
            for subset in itertools.combinations(sorted(graph), k):
                verdict = task.check(problem, f"<answer>{list(subset)}</answer>")
                assert verdict.passed == (_is_valid(task_id, graph, set(subset)) and k == best), subset
                passed += verdict.passed
        assert passed >= 1


@pytest.mark.parametrize("task_id", TASKS)
def test_other_optimal_sets_are_probed(task_id: str) -> None:
    task = assay.get_task(task_id)
    found = sum(
        probe.why == "alternative valid answer: another optimal set"
        for difficulty in (2, 3, 4)
        for problem in assay.generate(task_id, 4, seed=1, difficulty=difficulty)
        for probe in task.probes(problem)
    )
    assert found >= 4


def test_independent_set_hacks() -> None:
    graph = nx.path_graph(5)  # maximum independent set {0, 2, 4}
    task = assay.get_task("graph/maximum_independent_set")
    problem = task.generate(0, graph=graph, encoding="edge_list", partial=True)
    cases = [
        ("[0, 2, 4]", 1.0, "the maximum"),
        ("[4, 0, 2]", 1.0, "any order"),
        ("[0, 0, 0]", 0.0, "one node repeated"),
        ("[1, 3]", 0.25, "maximal, not maximum: half the gap from 1 to 3, capped at 0.5"),
        ("[2]", 0.0, "one node: the trivial answer"),
        ("[0, 1, 2, 3, 4]", 0.0, "every node"),
        ("[0, 2, 4] or [1, 3]", 0.0, "hedged"),
        ("[0, 2, 4, 9]", 0.0, "an unknown node"),
    ]
    for text, score, why in cases:
        assert task.check(problem, f"<answer>{text}</answer>").score == score, why
    plain = task.generate(0, graph=graph, encoding="edge_list")
    assert task.check(plain, "<answer>[1, 3]</answer>").score == 0.0


def test_vertex_cover_every_node_earns_no_partial_credit() -> None:
    graph = nx.star_graph(5)
    task = assay.get_task("graph/minimum_vertex_cover")
    problem = task.generate(0, graph=graph, encoding="edge_list", partial=True)
    assert task.check(problem, f"<answer>{list(graph)}</answer>").score == 0.0
    assert task.check(problem, "<answer>[1, 2, 3, 4, 5]</answer>").reason == "suboptimal"
    assert task.check(problem, "<answer>[0]</answer>").passed


def test_user_graphs_too_large_for_exact_search_are_refused() -> None:
    with pytest.raises(ConfigError, match="at most"):
        assay.get_task("graph/maximum_clique").generate(0, graph=nx.les_miserables_graph())
    problem = assay.get_task("graph/maximum_clique").generate(0, graph=nx.karate_club_graph())
    assert problem.data["gold"]["optimum"] == max(len(c) for c in nx.find_cliques(nx.karate_club_graph()))

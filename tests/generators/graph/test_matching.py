"""graph/bipartite_matching, maximum_matching, maximum_weight_matching, minimum_edge_cover."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/bipartite_matching", "graph/maximum_matching", "graph/maximum_weight_matching", "graph/minimum_edge_cover"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean_with_partial_credit(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(2), partial=True) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_other_optimal_edge_sets_are_probed(task_id: str) -> None:
    task = assay.get_task(task_id)
    found = sum(
        probe.why == "alternative valid answer: another optimal edge set"
        or probe.why == "alternative valid answer: another minimum edge cover"
        for difficulty in (2, 3, 4)
        for problem in assay.generate(task_id, 4, seed=1, difficulty=difficulty)
        for probe in task.probes(problem)
    )
    assert found >= 3


def test_optima_match_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/maximum_matching", 3, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert problem.data["gold"]["optimum"] == len(nx.max_weight_matching(graph, maxcardinality=True))
        for problem in assay.generate("graph/maximum_weight_matching", 3, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            best = nx.max_weight_matching(graph)
            assert problem.data["gold"]["optimum"] == sum(graph[u][v]["weight"] for u, v in best)
        for problem in assay.generate("graph/minimum_edge_cover", 3, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert problem.data["gold"]["optimum"] == graph.number_of_nodes() - len(nx.max_weight_matching(graph, maxcardinality=True))


def test_every_edge_subset_of_a_small_graph_is_judged_correctly() -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 0), (1, 4), (4, 5), (3, 5)])
    matching = assay.get_task("graph/maximum_matching")
    cover = assay.get_task("graph/minimum_edge_cover")
    pm = matching.generate(0, graph=graph, encoding="edge_list")
    pc = cover.generate(0, graph=graph, encoding="edge_list")
    edges = sorted(graph.edges())
    passed_matchings = passed_covers = 0
    for size in range(len(edges) + 1):
        for subset in itertools.combinations(edges, size):
            text = ", ".join(f"({u}, {v})" for u, v in subset) or "none"
            nodes = [n for e in subset for n in e]
            is_matching = len(nodes) == len(set(nodes))
            is_cover = set(nodes) == set(graph)
            got_m = matching.check(pm, f"<answer>{text}</answer>").passed
            got_c = cover.check(pc, f"<answer>{text}</answer>").passed
            assert got_m == (is_matching and size == 3), subset
            assert got_c == (is_cover and size == 3), subset
            passed_matchings += got_m
            passed_covers += got_c
    assert passed_matchings > 1 and passed_covers > 1


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("(0, 1), (2, 3)", "correct", "weight 4 via the outer edges"),
        ("(1, 2), (3, 0)", "correct", "weight 4 via the other pair"),
        ("(1, 2)", "suboptimal", "the heaviest edge alone"),
        ("(0, 1), (1, 2)", "shared_node", "not a matching"),
        ("(0, 2)", "non_edge", "a diagonal"),
        ("(0, 1), (2, 3), (0, 1)", "repeated_edge", "an edge twice"),
        ("(0, 1), (2, 3) or (1, 2)", "unparseable", "hedged"),
    ],
)
def test_weighted_matching_table(text: str, expected: str, why: str) -> None:
    graph = nx.Graph()
    graph.add_weighted_edges_from([(0, 1, 2), (1, 2, 3), (2, 3, 2), (3, 0, 1)])
    task = assay.get_task("graph/maximum_weight_matching")
    problem = task.generate(0, graph=graph, weighted=True, encoding="edge_list")
    assert problem.data["gold"]["optimum"] == 4
    assert _outcome(task, problem, text) == expected, why


def test_partial_credit_is_off_by_default_and_never_reached_by_degenerate_answers() -> None:
    graph = nx.path_graph(8)  # maximum matching 4
    task = assay.get_task("graph/maximum_matching")
    plain = task.generate(0, graph=graph, encoding="edge_list")
    partial = task.generate(0, graph=graph, encoding="edge_list", partial=True)
    three = "(0, 1), (2, 3), (4, 5)"
    assert task.check(plain, f"<answer>{three}</answer>").score == 0.0
    verdict = task.check(partial, f"<answer>{three}</answer>")
    assert verdict.reason == "suboptimal" and 0 < verdict.score <= 0.5 and not verdict.passed
    for degenerate in ("(0, 1)", "none", "(0, 1), (0, 1), (0, 1), (0, 1)", "(0, 1), (1, 2), (2, 3), (3, 4)"):
        assert task.check(partial, f"<answer>{degenerate}</answer>").score == 0.0, degenerate
    cover = assay.get_task("graph/minimum_edge_cover")
    problem = cover.generate(0, graph=graph, encoding="edge_list", partial=True)
    every = ", ".join(f"({u}, {v})" for u, v in graph.edges())
    assert cover.check(problem, f"<answer>{every}</answer>").score == 0.0


def test_a_non_bipartite_user_graph_is_refused() -> None:
    with pytest.raises(assay.errors.ConfigError, match="bipartite"):
        assay.get_task("graph/bipartite_matching").generate(0, graph=nx.cycle_graph(5))

"""graph/shortest_path and graph/weighted_shortest_path: any optimal path passes; the optimum is networkx's."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/shortest_path", "graph/weighted_shortest_path"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_optimum_matches_networkx_and_other_optimal_paths_are_probed(task_id: str) -> None:
    task = assay.get_task(task_id)
    weight = "weight" if task_id.endswith("weighted_shortest_path") else None
    alternatives = 0
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 4, seed=7, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            source, target = problem.data["params"]["source"], problem.data["params"]["target"]
            assert problem.data["gold"]["optimum"] == nx.shortest_path_length(graph, source, target, weight=weight)
            alternatives += sum(p.why.startswith("alternative valid answer") for p in task.probes(problem))
    # weighted ties are rarer: fewer problems have a second optimal path
    assert alternatives >= (2 if weight else 5)


def test_every_simple_path_is_judged_by_its_length() -> None:
    graph = nx.grid_2d_graph(3, 3)
    graph = nx.convert_node_labels_to_integers(graph, ordering="sorted")  # 0..8, row by row
    task = assay.get_task("graph/shortest_path")
    problem = task.generate(0, graph=graph, params={"source": 0, "target": 8}, encoding="edge_list")
    shortest = list(nx.all_shortest_paths(graph, 0, 8))
    assert len(shortest) == 6
    for path in nx.all_simple_paths(graph, 0, 8):
        text = " -> ".join(map(str, path))
        assert task.check(problem, f"<answer>{text}</answer>").passed == (path in shortest)


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("[a, b, d]", "correct", "optimum via b"),
        ("a -> c -> d", "correct", "the other optimum via c"),
        ("[a, d]", "suboptimal", "one edge but heavier"),
        ("[a, b, c, d]", "non_edge", "b-c is no edge"),
        ("[d, b, a]", "wrong_endpoints", "reversed"),
        ("[a, b, a, c, d]", "repeated_node", "a walk, not a path"),
        ("[a, b]", "wrong_endpoints", "stops early"),
        ("[a, b, d] or [a, c, d]", "unparseable", "hedged"),
        ("[]", "empty", "empty"),
    ],
)
def test_weighted_table(text: str, expected: str, why: str) -> None:
    graph = nx.Graph()
    graph.add_weighted_edges_from([("a", "b", 1), ("b", "d", 2), ("a", "c", 2), ("c", "d", 1), ("a", "d", 4)])
    task = assay.get_task("graph/weighted_shortest_path")
    problem = task.generate(0, graph=graph, params={"source": "a", "target": "d"}, weighted=True, encoding="edge_list")
    assert problem.data["gold"]["optimum"] == 3
    assert _outcome(task, problem, text) == expected, why


def test_unreachable_target_is_refused() -> None:
    graph = nx.Graph([(0, 1), (2, 3)])
    with pytest.raises(ConfigError, match="no path"):
        assay.get_task("graph/shortest_path").generate(0, graph=graph, params={"source": 0, "target": 3})


def test_generated_pairs_are_far_enough_apart() -> None:
    distances = []
    for problem in assay.generate("graph/shortest_path", 20, seed=1, difficulty=3):
        distances.append(len(problem.data["gold"]["answer"]) - 1)
    assert min(distances) >= 1 and sum(d >= 2 for d in distances) >= 15


def test_negative_weights_are_refused() -> None:
    graph = nx.Graph()
    graph.add_weighted_edges_from([(0, 1, 2), (1, 2, -1)])
    with pytest.raises(ConfigError, match="non-negative"):
        assay.get_task("graph/weighted_shortest_path").generate(0, graph=graph, params={"source": 0, "target": 2}, weighted=True)

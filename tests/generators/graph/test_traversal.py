"""graph/bfs_order, graph/dfs_order, graph/topological_sort: every valid order passes, others fail."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/bfs_order", "graph/dfs_order", "graph/topological_sort"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


@pytest.mark.parametrize("task_id", TASKS)
def test_alternative_orders_are_probed(task_id: str) -> None:
    task = assay.get_task(task_id)
    alternatives = sum(
        probe.why.startswith("alternative valid answer")
        for seed in range(8)
        for probe in task.probes(task.generate(seed, difficulty=3))
    )
    assert alternatives >= 4


def _all_bfs_orders(graph: nx.Graph, source) -> set[tuple]:
    """Textbook BFS with every choice of the order in which a node's unvisited neighbours are queued."""
    found = set()

    def run(order: tuple, queue: tuple) -> None:
        if not queue:
            found.add(order)
            return
        node, rest = queue[0], queue[1:]
        fresh = [n for n in graph[node] if n not in order]
        for arrangement in permutations(fresh):
            run(order + arrangement, rest + arrangement)

    run((source,), (source,))
    return found


def _all_dfs_orders(graph: nx.Graph, source) -> set[tuple]:
    """Textbook recursive DFS with every choice of neighbour order at every node."""
    found = set()

    def run(order: tuple, stack: tuple) -> None:
        if not stack:
            found.add(order)
            return
        top = stack[-1]
        fresh = [n for n in graph[top] if n not in order]
        if not fresh:
            run(order, stack[:-1])
        for n in fresh:
            run(order + (n,), stack + (n,))

    run((source,), (source,))
    return found


@pytest.mark.parametrize(
    "graph",
    [
        nx.Graph([(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (2, 5)]),
        nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)]),
        nx.DiGraph([(0, 1), (0, 2), (1, 3), (2, 3), (3, 1), (3, 4), (4, 5), (5, 0)]),
    ],
)
def test_every_permutation_is_judged_like_the_textbook_definition(graph) -> None:
    for task_id, enumerate_orders in (("graph/bfs_order", _all_bfs_orders), ("graph/dfs_order", _all_dfs_orders)):
        task = assay.get_task(task_id)
        problem = task.generate(0, graph=graph, params={"source": 0}, encoding="edge_list")
        valid = enumerate_orders(graph, 0)
        assert len(valid) > 1
        for order in permutations(sorted(graph)):
            text = "[" + ", ".join(map(str, order)) + "]"
            assert task.check(problem, f"<answer>{text}</answer>").passed == (order in valid), (task_id, order)


def test_topological_sort_accepts_exactly_the_topological_orders() -> None:
    graph = nx.DiGraph([(0, 2), (1, 2), (2, 3), (1, 4), (4, 3), (5, 4)])
    task = assay.get_task("graph/topological_sort")
    problem = task.generate(0, graph=graph, encoding="adjacency")
    valid = {tuple(order) for order in nx.all_topological_sorts(graph)}
    assert len(valid) > 5
    for order in permutations(sorted(graph)):
        assert task.check(problem, "<answer>" + " -> ".join(map(str, order)) + "</answer>").passed == (order in valid)


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("[0, 1, 2, 3, 4, 5]", "correct", "a valid order"),
        ("[1, 0, 2, 3, 4, 5]", "correct", "another valid order"),
        ("[0, 1, 2, 3, 4, 5, 5]", "repeated_node", "a node twice"),
        ("[0, 1, 2, 2, 4, 5]", "repeated_node", "a repeat standing in for a missing node"),
        ("[0, 1, 2, 3, 4]", "missing_node", "a node missing"),
        ("[0, 1, 2, 4, 3, 5]", "edge_backwards", "4 before 3 breaks 3 -> 4"),
        ("[0, 1, 2, 3, 4, 5] or [1, 0, 2, 3, 4, 5]", "unparseable", "hedged"),
        ("[0, 1, 2, 3, 4, 9]", "unknown_node", "an unknown node"),
    ],
)
def test_topological_sort_table(text: str, expected: str, why: str) -> None:
    graph = nx.DiGraph([(0, 2), (1, 2), (2, 3), (3, 4), (4, 5)])
    task = assay.get_task("graph/topological_sort")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    assert _outcome(task, problem, text) == expected, why


def test_generated_topological_graphs_are_dags_and_traversals_start_at_the_source() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/topological_sort", 5, seed=3, difficulty=difficulty):
            assert nx.is_directed_acyclic_graph(graph_from_payload(problem.data))
        for problem in assay.generate("graph/bfs_order", 5, seed=3, difficulty=difficulty):
            assert problem.data["gold"]["answer"][0] == problem.data["params"]["source"]


def test_a_cyclic_user_graph_is_refused_for_topological_sort() -> None:
    with pytest.raises(ConfigError, match="acyclic"):
        assay.get_task("graph/topological_sort").generate(0, graph=nx.DiGraph([(0, 1), (1, 0)]))


def test_named_encoding_answers_by_name() -> None:
    task = assay.get_task("graph/bfs_order")
    problem = task.generate(5, difficulty=2, encoding="friendship")
    assert problem.data["labels"]
    assert task.check(problem, f"<answer>{problem.answer.lower()}</answer>").passed

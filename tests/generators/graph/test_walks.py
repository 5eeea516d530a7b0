"""graph/find_cycle, eulerian_circuit, hamiltonian_path, travelling_salesman: structures exist by
construction, every valid walk passes, optimal tours are exact."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/find_cycle", "graph/eulerian_circuit", "graph/hamiltonian_path", "graph/travelling_salesman"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


def test_generated_graphs_have_the_structure_asked_for() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/find_cycle", 6, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert not (nx.is_directed_acyclic_graph(graph) if graph.is_directed() else nx.is_forest(graph))
        for problem in assay.generate("graph/eulerian_circuit", 6, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert nx.is_eulerian(graph)
            assert len(problem.data["gold"]["answer"]) == graph.number_of_edges() + 1
        for problem in assay.generate("graph/hamiltonian_path", 6, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            path = problem.data["gold"]["answer"]
            assert sorted(path) == sorted(graph) and all(graph.has_edge(u, v) for u, v in zip(path, path[1:]))


def test_tour_optimum_matches_brute_force() -> None:
    for difficulty in (1, 2, 3):
        for problem in assay.generate("graph/travelling_salesman", 4, seed=5, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            first, *rest = sorted(graph)
            best = min(
                sum(graph[u][v]["weight"] for u, v in zip((first, *order), (*order, first)))
                for order in itertools.permutations(rest)
            )
            assert problem.data["gold"]["optimum"] == best


def test_every_tour_of_a_small_graph_is_judged_by_its_cost() -> None:
    graph = nx.complete_graph(5)
    for u, v in graph.edges():
        graph[u][v]["weight"] = (u * 7 + v * 3) % 5 + 1
    task = assay.get_task("graph/travelling_salesman")
    problem = task.generate(0, graph=graph, weighted=True, encoding="edge_list")
    optimum = problem.data["gold"]["optimum"]
    passed = 0
    for order in itertools.permutations(range(5)):
        cost = sum(graph[u][v]["weight"] for u, v in zip(order, order[1:] + order[:1]))
        verdict = task.check(problem, "<answer>[" + ", ".join(map(str, order)) + "]</answer>")
        assert verdict.passed == (cost == optimum)
        passed += verdict.passed
    assert passed >= 10  # 5 starts x 2 directions of each optimal cycle


def test_every_eulerian_circuit_passes() -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0), (1, 5), (5, 6), (6, 1)])
    task = assay.get_task("graph/eulerian_circuit")
    problem = task.generate(0, graph=graph, params={"source": 0}, encoding="edge_list")
    count = 0
    # every ordering of the edges as a walk: enumerate walks by DFS over unused edges
    def walks(node, used, walk):
        if len(used) == graph.number_of_edges():
            yield walk
            return
        for n in sorted(graph[node]):
            edge = frozenset((node, n))
            if edge not in used:
                yield from walks(n, used | {edge}, walk + [n])
    for walk in walks(0, frozenset(), [0]):
        expected = walk[-1] == 0
        assert task.check(problem, f"<answer>{walk}</answer>").passed == expected
        count += expected
    assert count > 4


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("[0, 1, 2]", "correct", "the triangle"),
        ("[2, 0, 1, 2]", "correct", "closed form, other start"),
        ("[3, 4, 5]", "correct", "the other triangle"),
        ("[1, 2, 3]", "non_edge", "2-3 is no edge"),
        ("[2, 3, 2]", "too_short", "there and back along one edge"),
        ("[0, 1, 2, 0, 1]", "repeated_node", "goes round again"),
        ("[0, 1, 2] or [3, 4, 5]", "unparseable", "hedged"),
    ],
)
def test_find_cycle_table(text: str, expected: str, why: str) -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)])
    task = assay.get_task("graph/find_cycle")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    assert _outcome(task, problem, text) == expected, why


def test_user_graphs_without_the_structure_are_refused() -> None:
    with pytest.raises(ConfigError, match="cycle"):
        assay.get_task("graph/find_cycle").generate(0, graph=nx.path_graph(5))
    with pytest.raises(ConfigError, match="Eulerian"):
        assay.get_task("graph/eulerian_circuit").generate(0, graph=nx.path_graph(5))
    with pytest.raises(ConfigError):
        assay.get_task("graph/hamiltonian_path").generate(0, graph=nx.star_graph(4))
    with pytest.raises(ConfigError, match="Hamiltonian cycle"):
        assay.get_task("graph/travelling_salesman").generate(0, graph=nx.petersen_graph(), weighted=True)


def test_hamiltonian_path_on_a_user_graph_accepts_any_path() -> None:
    graph = nx.cycle_graph(6)
    task = assay.get_task("graph/hamiltonian_path")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    for start in range(6):
        path = [(start + i) % 6 for i in range(6)]
        assert task.check(problem, f"<answer>{path}</answer>").passed
        assert task.check(problem, f"<answer>{path[::-1]}</answer>").passed
    assert _outcome(task, problem, "[0, 1, 2, 3, 4, 5, 0]") == "repeated_node"

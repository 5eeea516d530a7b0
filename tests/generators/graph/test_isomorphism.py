"""graph/isomorphism_mapping: every isomorphism passes, every other bijection fails."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


def test_audit_is_clean(audit) -> None:
    assert audit("graph/isomorphism_mapping", seeds=range(4)) == []


def test_second_graph_is_an_isomorphic_relabelled_copy() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/isomorphism_mapping", 4, seed=6, difficulty=difficulty):
            first, second = graph_from_payload(problem.data), graph_from_payload(problem.data["params"]["second"])
            assert nx.is_isomorphic(first, second)
            assert all(isinstance(n, str) and n.islower() for n in second)
            assert "H is" in problem.prompt


def test_every_bijection_of_a_small_graph_is_judged_by_the_definition() -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 0), (0, 4)])  # a square with a pendant: 2 automorphisms
    task = assay.get_task("graph/isomorphism_mapping")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    second = graph_from_payload(problem.data["params"]["second"])
    passed = 0
    for image in itertools.permutations(sorted(second)):
        mapping = dict(zip(sorted(graph), image))
        valid = all(second.has_edge(mapping[u], mapping[v]) for u, v in graph.edges())
        text = "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"
        assert task.check(problem, f"<answer>{text}</answer>").passed == valid, mapping
        passed += valid
    assert passed == 2


def test_directed_isomorphism_respects_direction() -> None:
    graph = nx.DiGraph([(0, 1), (1, 2)])
    task = assay.get_task("graph/isomorphism_mapping")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    second = graph_from_payload(problem.data["params"]["second"])
    middle = next(n for n in second if second.in_degree(n) == 1 and second.out_degree(n) == 1)
    start = next(n for n in second if second.out_degree(n) == 1 and second.in_degree(n) == 0)
    end = next(n for n in second if second.in_degree(n) == 1 and second.out_degree(n) == 0)
    assert _outcome(task, problem, f"{{0: {start}, 1: {middle}, 2: {end}}}") == "correct"
    assert _outcome(task, problem, f"{{0: {end}, 1: {middle}, 2: {start}}}") == "edge_not_preserved"


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("{0: x, 1: y, 2: z}", "unknown_node", "letters H does not have"),
        ("{a: 0, b: 1, c: 2}", "unparseable", "the inverse direction"),
        ("{0: a, 1: b}", "missing_node", "a node unmapped"),
        ("{0: a, 1: a, 2: b}", "not_bijection", "two onto one"),
    ],
)
def test_malformed_mappings(text: str, expected: str, why: str) -> None:
    task = assay.get_task("graph/isomorphism_mapping")
    problem = task.generate(0, graph=nx.path_graph(3), encoding="edge_list")
    assert _outcome(task, problem, text) == expected, why

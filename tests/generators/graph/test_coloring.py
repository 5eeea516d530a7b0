"""graph/k_coloring and graph/chromatic_number: exact chromatic numbers, any proper colouring with the
prompt's colours 1..k passes."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/k_coloring", "graph/chromatic_number"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


def _brute_chromatic(graph: nx.Graph) -> int:
    nodes = sorted(graph)
    for k in range(1, len(nodes) + 1):
        for colours in itertools.product(range(k), repeat=len(nodes)):
            colour = dict(zip(nodes, colours))
            if all(colour[u] != colour[v] for u, v in graph.edges()):
                return k
    return 0


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


def test_chromatic_number_matches_brute_force() -> None:
    for problem in assay.generate("graph/chromatic_number", 12, seed=3, difficulty=1):
        assert problem.answer == str(_brute_chromatic(graph_from_payload(problem.data)))


def test_k_is_the_chromatic_number_and_the_reference_uses_k_colours() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/k_coloring", 3, seed=8, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            k = problem.data["params"]["colors"]
            colours = dict(problem.data["gold"]["answer"])
            assert len(set(colours.values())) <= k
            assert all(colours[u] != colours[v] for u, v in graph.edges())
            if difficulty <= 2:  # small enough to brute-force: k - 1 colours must be impossible
                assert k == _brute_chromatic(graph)


def test_every_colouring_of_a_small_graph_is_judged_by_the_definition() -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)])  # a triangle with a tail: 3 colours
    task = assay.get_task("graph/k_coloring")
    problem = task.generate(0, graph=graph, encoding="edge_list")
    assert problem.data["params"]["colors"] == 3
    passed = 0
    for colours in itertools.product((1, 2, 3, 4), repeat=5):
        proper = all(colours[u] != colours[v] for u, v in graph.edges())
        text = "{" + ", ".join(f"{n}: {c}" for n, c in enumerate(colours)) + "}"
        verdict = task.check(problem, f"<answer>{text}</answer>")
        # the prompt says "numbered 1 to 3": colour 4 is outside the stated set, whatever the count
        assert verdict.passed == (proper and set(colours) <= {1, 2, 3}), colours
        passed += verdict.passed
    # 6 ways to colour the triangle with 1..3; nodes 3 and 4 each avoid their one neighbour's colour
    assert passed == 6 * 2 * 2


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: 3}", "correct", "numbers"),
        ("0: 1\n1: 2\n2: 1\n3: 2\n4: 3", "correct", "pairs on lines"),
        ("{0: 3, 1: 1, 2: 3, 3: 1, 4: 2}", "correct", "another proper colouring with 1..3"),
        ("0: red\n1: blue\n2: red\n3: blue\n4: green", "unknown_color", "colour words: the prompt numbers the colours 1 to 3"),
        ("{0: 0, 1: 1, 2: 0, 3: 1, 4: 2}", "unknown_color", "from zero: colour 0 is not among 1 to 3"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: 4}", "unknown_color", "three colours, but 4 is outside 1 to 3"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: -3}", "unparseable", "a negative colour: not a colour number at all"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: 1}", "color_conflict", "4 and 0 share colour 1"),
        ("{0: 1, 1: 2, 2: 3, 3: 4, 4: 5}", "unknown_color", "five colours: 4 and 5 are outside 1 to 3"),
        ("{0: 1, 1: 2, 2: 1, 3: 2}", "missing_node", "node 4 uncoloured"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: 3, 0: 1}", "repeated_node", "a node twice"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 4: 3 or 1}", "unparseable", "hedged"),
        ("{0: 1, 1: 2, 2: 1, 3: 2, 9: 3}", "unknown_node", "an unknown node"),
    ],
)
def test_k_coloring_table(text: str, expected: str, why: str) -> None:
    task = assay.get_task("graph/k_coloring")
    problem = task.generate(0, graph=nx.cycle_graph(5), encoding="edge_list")
    assert problem.data["params"]["colors"] == 3
    assert _outcome(task, problem, text) == expected, why


def test_caller_chosen_k() -> None:
    task = assay.get_task("graph/k_coloring")
    problem = task.generate(0, graph=nx.cycle_graph(5), params={"colors": 4}, encoding="edge_list")
    assert task.check(problem, "<answer>{0: 1, 1: 2, 2: 3, 3: 4, 4: 2}</answer>").passed
    with pytest.raises(ConfigError, match="colouring"):
        task.generate(0, graph=nx.cycle_graph(5), params={"colors": 2})

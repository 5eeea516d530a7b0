"""graph/edge_exists, density, is_regular, is_tournament: truth, balance and audit probes."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

TASKS = ["graph/edge_exists", "graph/density", "graph/is_regular", "graph/is_tournament"]


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize(
    "task_id,truth",
    [
        ("graph/edge_exists", lambda g, p: g.has_edge(p["u"], p["v"])),
        ("graph/is_regular", lambda g, p: nx.is_regular(g)),
        ("graph/is_tournament", lambda g, p: nx.tournament.is_tournament(g)),
    ],
)
def test_yes_no_gold_matches_networkx_and_is_balanced(task_id: str, truth) -> None:
    golds = []
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 16, seed=3, difficulty=difficulty):
            assert problem.data["gold"] is truth(graph_from_payload(problem.data), problem.data["params"])
            golds.append(problem.data["gold"])
    assert 0.3 < sum(golds) / len(golds) < 0.7


def test_density_is_exact() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/density", 10, seed=2, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert problem.data["gold"]["value"] == pytest.approx(nx.density(graph), abs=1e-12)
            n, m = graph.number_of_nodes(), graph.number_of_edges()
            pairs = n * (n - 1) if graph.is_directed() else n * (n - 1) // 2
            assert Fraction(problem.data["gold"]["exact"]) == Fraction(m, pairs)


def test_density_is_judged_by_the_rounding_rule_of_the_prompt() -> None:
    task = assay.get_task("graph/density")
    problem = task.generate(0, graph=nx.path_graph(4))  # 3 / 6 = 0.5
    assert "rounded to 3 decimal places" in problem.prompt
    rows = [
        ("0.5", True), ("0.500", True), ("1/2", True), ("3/6", True), ("0.5005", True), ("0.4995", True),
        ("0.501", False), ("0.499", False), ("0.50051", False), ("0.5009", False), ("0.49", False),
    ]
    for text, passed in rows:
        assert task.check(problem, f"<answer>{text}</answer>").passed is passed, text


def test_edge_exists_respects_direction() -> None:
    task = assay.get_task("graph/edge_exists")
    graph = nx.DiGraph([(0, 1)])
    assert task.generate(0, graph=graph, params={"u": 0, "v": 1}).data["gold"] is True
    assert task.generate(0, graph=graph, params={"u": 1, "v": 0}).data["gold"] is False
    assert "from node 1 to node 0" in task.generate(0, graph=graph, params={"u": 1, "v": 0}, encoding="edge_list").prompt


def test_is_tournament_no_graphs_are_mostly_near_misses() -> None:
    near = 0
    problems = [p for d in range(1, 6) for p in assay.generate("graph/is_tournament", 12, seed=5, difficulty=d)]
    for problem in problems:
        graph = graph_from_payload(problem.data)
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        if not problem.data["gold"] and abs(m - n * (n - 1) // 2) <= 1:
            near += 1
    assert near >= len([p for p in problems if not p.data["gold"]]) // 2

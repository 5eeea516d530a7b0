"""graph/diameter, radius, center, periphery, barycenter, wiener_index, global_efficiency vs networkx."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.verifiers.graph import graph_from_payload

TRUTH = {
    "graph/diameter": lambda g: str(nx.diameter(g)),
    "graph/radius": lambda g: str(nx.radius(g)),
    "graph/center": lambda g: sorted(nx.center(g)),
    "graph/periphery": lambda g: sorted(nx.periphery(g)),
    "graph/barycenter": lambda g: sorted(nx.barycenter(g)),
    "graph/wiener_index": lambda g: str(int(nx.wiener_index(g))),
}


@pytest.mark.parametrize("task_id", [*TRUTH, "graph/global_efficiency"])
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize("task_id", list(TRUTH))
def test_gold_matches_networkx(task_id: str) -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 10, seed=12, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert nx.is_connected(graph)
            assert problem.data["gold"] == TRUTH[task_id](graph)


def test_global_efficiency_matches_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/global_efficiency", 10, seed=12, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            assert problem.data["gold"]["value"] == pytest.approx(nx.global_efficiency(graph), abs=1e-12)


def test_center_of_a_path_accepts_any_order_and_rejects_a_near_miss() -> None:
    task = assay.get_task("graph/center")
    problem = task.generate(0, graph=nx.path_graph(6))  # center {2, 3}
    assert task.check(problem, "<answer>3, 2</answer>").passed
    assert task.check(problem, "<answer>{2, 3}</answer>").passed
    assert task.check(problem, "<answer>[2]</answer>").reason == "wrong_answer"
    assert task.check(problem, "<answer>[2, 3, 3]</answer>").reason == "invalid"
    assert task.check(problem, "<answer>[1, 2, 3, 4]</answer>").reason == "wrong_answer"


def test_disconnected_user_graph_is_refused_for_eccentricity_questions() -> None:
    with pytest.raises(ConfigError, match="connected"):
        assay.get_task("graph/center").generate(0, graph=nx.Graph([(0, 1), (2, 3)]))
    # global efficiency is defined on disconnected graphs
    problem = assay.get_task("graph/global_efficiency").generate(0, graph=nx.Graph([(0, 1), (2, 3)]))
    assert problem.data["gold"]["exact"] == "1/3"

"""graph/common_neighbours, jaccard, adamic_adar, resource_allocation against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

import assay
from assay.verifiers.graph import graph_from_payload

SCORES = {
    "graph/jaccard": nx.jaccard_coefficient,
    "graph/adamic_adar": nx.adamic_adar_index,
    "graph/resource_allocation": nx.resource_allocation_index,
}


@pytest.mark.parametrize("task_id", ["graph/common_neighbours", *SCORES])
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id) == []


@pytest.mark.parametrize("task_id", list(SCORES))
def test_scores_match_networkx(task_id: str) -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate(task_id, 10, seed=4, difficulty=difficulty):
            graph, params = graph_from_payload(problem.data), problem.data["params"]
            ((_, _, value),) = SCORES[task_id](graph, [(params["u"], params["v"])])
            assert problem.data["gold"]["value"] == pytest.approx(value, abs=1e-9)


def test_common_neighbours_match_networkx_and_are_rarely_empty() -> None:
    empty = 0
    total = 0
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/common_neighbours", 12, seed=4, difficulty=difficulty):
            graph, params = graph_from_payload(problem.data), problem.data["params"]
            assert problem.data["gold"] == sorted(nx.common_neighbors(graph, params["u"], params["v"]))
            empty += not problem.data["gold"]
            total += 1
    assert empty < total / 3


def test_adamic_adar_has_no_exact_form_and_rejects_base_2_logs() -> None:
    task = assay.get_task("graph/adamic_adar")
    graph = nx.Graph([(0, 2), (1, 2), (2, 3), (0, 4), (1, 4)])  # common: 2 (degree 3) and 4 (degree 2)
    problem = task.generate(0, graph=graph, params={"u": 0, "v": 1})
    assert problem.data["gold"]["exact"] is None
    assert task.check(problem, "<answer>2.353</answer>").passed  # 1/ln 3 + 1/ln 2 = 2.3529...
    assert not task.check(problem, "<answer>1.631</answer>").passed  # base 2 logs

"""Every graph task declares what its data card needs, and every level's config is valid."""

from __future__ import annotations

import pytest

import assay
from assay.generators.graph.base import GraphConfig, GraphTask

# the tasks built in the first half of the graph issue (the structured-answer tasks test themselves)
MINE = [
    f"graph/{name}"
    for name in (
        "node_count edge_count degree neighbours edge_exists density is_regular is_tournament common_neighbours "
        "jaccard adamic_adar resource_allocation clustering triangles average_neighbour_degree degree_centrality "
        "closeness_centrality betweenness_centrality harmonic_centrality connected_components "
        "weakly_connected_components strongly_connected_components has_cycle is_bipartite is_eulerian diameter "
        "radius center periphery barycenter wiener_index global_efficiency local_node_connectivity "
        "local_edge_connectivity"
    ).split()
]


def test_all_of_them_are_registered() -> None:
    assert set(MINE) <= set(assay.list_tasks("graph"))


@pytest.mark.parametrize("task_id", MINE)
def test_card_attributes_are_declared(task_id: str) -> None:
    task = assay.get_task(task_id)
    assert isinstance(task, GraphTask), "graph tasks build on GraphTask"
    for name in ("description", "answer_format", "verification"):
        assert len(getattr(task, name).strip()) > 10, name
    assert task.limitations, "say what the task does not cover"
    assert sorted(task.levels) == [1, 2, 3, 4, 5]
    assert all(isinstance(config, GraphConfig) for config in task.levels.values())
    for difficulty in task.levels:
        config = task.config_for(difficulty)
        assert config.directed in task.directions and config.weighted in task.weightings
    if task.partial_credit:
        assert "partial" in task.Config.__dataclass_fields__


@pytest.mark.parametrize("task_id", assay.list_tasks("graph"))
def test_prompt_states_the_answer_format_and_block(task_id: str) -> None:
    problem = assay.get_task(task_id).generate(0, difficulty=1)
    assert problem.prompt.endswith("Put your final answer inside <answer></answer> tags.")

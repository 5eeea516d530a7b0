"""generators/graph/base.py and answers.py: the payload layout, user graphs, params, config, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest

import assay
from assay.errors import ConfigError
from assay.generators.graph.encoding import ENCODINGS
from assay.verifiers.graph import NodeNames, graph_from_payload


def test_payload_is_exactly_the_design_layout() -> None:
    problem = assay.get_task("graph/degree").generate(4, difficulty=2, encoding="edge_list")
    graph = problem.data["graph"]
    assert set(graph) == {"directed", "weighted", "nodes", "edges"}
    assert graph["directed"] is False and graph["weighted"] is False
    assert graph["nodes"] == sorted(graph["nodes"])
    assert graph["edges"] == sorted(graph["edges"]) and all(u < v for u, v in graph["edges"])
    assert set(problem.data["params"]) == {"node"}
    assert set(problem.data) == {"graph", "params", "gold", "encoding", "labels"}


def test_named_encoding_maps_names_and_answers_by_name_or_id() -> None:
    task = assay.get_task("graph/neighbours")
    problem = task.generate(7, difficulty=3, encoding="friendship")
    labels = problem.data["labels"]
    assert len(labels) == len(problem.data["graph"]["nodes"]) == len(set(labels))
    names = NodeNames.from_data(problem)
    gold = problem.data["gold"]
    assert problem.answer == "[" + ", ".join(names.show(n) for n in gold) + "]"
    assert all(names.show(n) in problem.prompt for n in gold)
    assert task.check(problem, f"<answer>{', '.join(names.show(n).upper() for n in gold)}</answer>").passed
    assert task.check(problem, f"<answer>{gold}</answer>").passed  # hidden ids still resolve
    node = problem.data["params"]["node"]
    assert f"of {names.show(node)}?" in problem.prompt or f"of {names.show(node)}." in problem.prompt


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_encoding_can_be_chosen_per_call(encoding: str) -> None:
    problem = assay.get_task("graph/edge_count").generate(1, difficulty=1, encoding=encoding)
    assert problem.data["encoding"] == encoding
    assert problem.meta["config"]["encoding"] == encoding


def test_mixed_encoding_draws_several_over_seeds() -> None:
    seen = {assay.get_task("graph/edge_count").generate(s, difficulty=1).data["encoding"] for s in range(40)}
    assert seen == set(ENCODINGS)


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.les_miserables_graph()], ids=["karate", "les_miserables"])
def test_user_graph_is_stored_itself_and_recorded_as_user_supplied(graph: nx.Graph) -> None:
    task = assay.get_task("graph/degree")
    problem = task.generate(0, graph=graph)
    stored = graph_from_payload(problem.data)
    assert sorted(map(str, stored.nodes)) == sorted(map(str, graph.nodes))
    assert stored.number_of_edges() == graph.number_of_edges()
    assert problem.meta["graph_source"] == "user"
    node = problem.data["params"]["node"]
    assert problem.answer == str(graph.degree(node))
    assert task.check(problem, f"<answer>{graph.degree(node)}</answer>").passed
    # the same call is deterministic, and a row verifies without the graph object
    assert task.generate(0, graph=graph) == problem
    assert assay.verify(json.loads(json.dumps(problem.to_row())), f"<answer>{problem.answer}</answer>").passed


def test_karate_keeps_its_name_in_meta() -> None:
    problem = assay.get_task("graph/node_count").generate(0, graph=nx.karate_club_graph())
    assert problem.meta["graph_name"] == "Zachary's Karate Club"
    assert problem.answer == "34"


def test_les_miserables_names_are_the_nodes_in_every_encoding() -> None:
    task = assay.get_task("graph/neighbours")
    for encoding in ENCODINGS:
        problem = task.generate(0, graph=nx.les_miserables_graph(), params={"node": "Valjean"}, encoding=encoding)
        assert problem.data["labels"] is None
        gold = sorted(nx.les_miserables_graph()["Valjean"])
        assert sorted(problem.data["gold"]) == gold
        assert task.check(problem, f"<answer>{', '.join(n.lower() for n in gold)}</answer>").passed


def test_params_pose_the_question_about_given_nodes() -> None:
    problem = assay.get_task("graph/common_neighbours").generate(0, graph=nx.karate_club_graph(), params={"u": 0, "v": 33})
    assert problem.data["params"] == {"u": 0, "v": 33}
    assert problem.data["gold"] == sorted(nx.common_neighbors(nx.karate_club_graph(), 0, 33))


@pytest.mark.parametrize(
    "task_id,kwargs,field",
    [
        ("graph/degree", {"params": {"node": 99}}, "params"),
        ("graph/degree", {"params": {"nod": 1}}, "params"),
        ("graph/common_neighbours", {"params": {"u": 1, "v": 1}}, "params"),
        ("graph/strongly_connected_components", {}, "directed"),  # karate is undirected
        ("graph/diameter", {"graph": nx.Graph([(0, 1), (2, 3)])}, "graph"),
        ("graph/local_node_connectivity", {"params": {"s": 0, "t": 1}}, "params"),  # adjacent in karate
        ("graph/degree", {"difficulty": True}, "difficulty"),  # checked as for a random graph
        ("graph/degree", {"difficulty": 9}, "difficulty"),
        ("graph/degree", {"difficulty": 1, "seed": -1}, "seed"),
    ],
)
def test_unaskable_user_questions_are_config_errors(task_id: str, kwargs: dict, field: str) -> None:
    kwargs.setdefault("graph", nx.karate_club_graph())
    seed = kwargs.pop("seed", 0)
    with pytest.raises(ConfigError) as error:
        assay.get_task(task_id).generate(seed, **kwargs)
    assert error.value.field == field


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"encoding": "matrix"}, "encoding"),
        ({"model": "small_world"}, "model"),
        ({"density": 1.5}, "density"),
        ({"min_nodes": 9, "max_nodes": 3}, "max_nodes"),
        ({"directed": True}, "directed"),  # graph/triangles is undirected only
        ({"weighted": True}, "weighted"),
        ({"partial": "yes"}, "partial"),
        ({"nodes": 5}, "nodes"),
    ],
)
def test_bad_config_names_the_field(overrides: dict, field: str) -> None:
    with pytest.raises(ConfigError) as error:
        assay.get_task("graph/triangles").generate(0, difficulty=1, **overrides)
    assert error.value.field == field


def test_config_overrides_shape_the_graph() -> None:
    problem = assay.get_task("graph/node_count").generate(3, difficulty=1, min_nodes=30, max_nodes=30, model="tree")
    assert problem.answer == "30"
    assert len(problem.data["graph"]["edges"]) == 29


def test_partial_credit_is_off_by_default_and_never_reached_by_degenerate_answers() -> None:
    task = assay.get_task("graph/periphery")
    for seed in range(30):
        off = task.generate(seed, difficulty=4)
        on = task.generate(seed, difficulty=4, partial=True)
        gold = on.data["gold"]
        if len(gold) < 2 or len(gold) == len(on.data["graph"]["nodes"]):
            continue
        assert off.data["partial"] is False and on.data["partial"] is True
        half = gold[: len(gold) // 2]
        assert task.check(off, f"<answer>{half}</answer>").score == 0.0
        assert task.check(on, f"<answer>{half}</answer>").score == pytest.approx(len(half) / len(gold))
        every = on.data["graph"]["nodes"]
        assert task.check(on, f"<answer>{every}</answer>").score == 0.0
        assert task.check(on, f"<answer>{gold[:1] * len(gold)}</answer>").score == 0.0
        assert task.check(on, "<answer>[]</answer>").score == 0.0
        return
    pytest.fail("no periphery with 2+ nodes in 30 seeds")


_DIGEST = (
    "import hashlib, assay;"
    "rows = [repr(sorted(p.to_row().items())) for t in {ids!r} for p in assay.generate(t, 6, seed=11)];"
    "print(hashlib.sha256(''.join(rows).encode()).hexdigest())"
)


def test_rows_are_byte_identical_across_processes_and_hash_seeds() -> None:
    ids = [t for t in assay.list_tasks("graph") if t.split("/")[1] in _MINE]
    digests = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", _DIGEST.format(ids=ids)], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


_MINE = {
    "node_count", "edge_count", "degree", "neighbours", "edge_exists", "density", "is_regular", "is_tournament",
    "common_neighbours", "jaccard", "adamic_adar", "resource_allocation", "clustering", "triangles",
    "average_neighbour_degree", "degree_centrality", "closeness_centrality", "betweenness_centrality",
    "harmonic_centrality", "connected_components", "weakly_connected_components", "strongly_connected_components",
    "has_cycle", "is_bipartite", "is_eulerian", "diameter", "radius", "center", "periphery", "barycenter",
    "wiener_index", "global_efficiency", "local_node_connectivity", "local_edge_connectivity",
}

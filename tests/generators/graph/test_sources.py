"""generators/graph/sources.py: random graph models and the canonical form of a user's graph."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from assay.errors import ConfigError
from assay.generators.graph.sources import MODELS, GraphShape, canonical_user_graph, random_graph


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("directed", [False, True])
def test_every_model_gives_a_simple_graph_on_0_to_n_minus_1(model: str, directed: bool) -> None:
    for seed in range(5):
        graph = random_graph(random.Random(seed), model, 10, 0.3, GraphShape(directed=directed))
        assert graph.is_directed() == directed
        assert sorted(graph) == list(range(graph.number_of_nodes()))
        assert not graph.is_multigraph()
        assert nx.number_of_selfloops(graph) == 0
        assert 9 <= graph.number_of_nodes() <= 10  # a grid rounds n to rows x columns


@pytest.mark.parametrize("model", sorted(MODELS))
def test_connected_and_weighted_shapes_hold(model: str) -> None:
    for seed in range(5):
        shape = GraphShape(directed=False, weighted=True, connected=True, max_weight=7)
        graph = random_graph(random.Random(seed), model, 12, 0.1, shape)
        assert nx.is_connected(graph)
        weights = [w for *_, w in graph.edges(data="weight")]
        assert all(isinstance(w, int) and 1 <= w <= 7 for w in weights)


def test_directed_connected_means_weakly_connected() -> None:
    graph = random_graph(random.Random(3), "gnp", 15, 0.02, GraphShape(directed=True, connected=True))
    assert nx.is_weakly_connected(graph)


def test_models_keep_their_structure() -> None:
    rng = random.Random(0)
    assert nx.is_tree(random_graph(rng, "tree", 12, 0.0, GraphShape()))
    assert nx.is_arborescence(random_graph(rng, "tree", 12, 0.0, GraphShape(directed=True)))
    assert nx.is_directed_acyclic_graph(random_graph(rng, "dag", 12, 0.5, GraphShape(directed=True)))
    assert nx.is_bipartite(random_graph(rng, "bipartite", 12, 0.5, GraphShape()))
    assert nx.tournament.is_tournament(random_graph(rng, "tournament", 9, 0.0, GraphShape(directed=True)))
    assert nx.is_regular(random_graph(rng, "regular", 10, 0.3, GraphShape()))


def test_labels_are_shuffled_so_ids_leak_no_structure() -> None:
    # a DAG whose ids were a topological order would make topological sorting trivial
    sorted_orders = 0
    for seed in range(20):
        dag = random_graph(random.Random(seed), "dag", 8, 0.5, GraphShape(directed=True))
        sorted_orders += all(u < v for u, v in dag.edges())
    assert sorted_orders < 3


def test_same_rng_same_graph() -> None:
    a = random_graph(random.Random(5), "barabasi_albert", 20, 0.3, GraphShape(weighted=True))
    b = random_graph(random.Random(5), "barabasi_albert", 20, 0.3, GraphShape(weighted=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))


def test_unknown_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="model"):
        random_graph(random.Random(0), "small_world", 5, 0.3, GraphShape())


def test_karate_and_les_miserables_work_out_of_the_box() -> None:
    karate = canonical_user_graph(nx.karate_club_graph(), directed=False, weighted=True)
    assert karate.number_of_nodes() == 34 and karate.number_of_edges() == 78
    assert karate[0][1]["weight"] == 4
    les = canonical_user_graph(nx.les_miserables_graph(), directed=None, weighted=False)
    assert les.number_of_nodes() == 77 and "weight" not in les["Valjean"]["Myriel"]


def test_missing_weights_count_as_one() -> None:
    graph = canonical_user_graph(nx.path_graph(3), directed=False, weighted=True)
    assert [w for *_, w in graph.edges(data="weight")] == [1, 1]


@pytest.mark.parametrize(
    "graph,directed,field_hint",
    [
        (nx.MultiGraph([(0, 1), (0, 1)]), None, "simple"),
        (nx.grid_2d_graph(2, 2), None, "convert_node_labels_to_integers"),
        (nx.DiGraph([(0, 1)]), False, "undirected"),
        (nx.Graph([(0, 1)]), True, "directed"),
        (nx.Graph([("two words", "x")]), None, "single words"),
        (nx.Graph(), None, "no nodes"),
        ([(0, 1)], None, "networkx"),
        (nx.Graph([(-1, 2)]), None, "non-negative"),
    ],
)
def test_unusable_user_graphs_are_config_errors(graph: object, directed: bool | None, field_hint: str) -> None:
    with pytest.raises(ConfigError, match=field_hint):
        canonical_user_graph(graph, directed=directed, weighted=False)


def test_non_numeric_weight_is_refused_only_when_weights_are_used() -> None:
    graph = nx.Graph()
    graph.add_edge(0, 1, weight="heavy")
    assert canonical_user_graph(graph, directed=False, weighted=False).number_of_edges() == 1
    with pytest.raises(ConfigError, match="weight"):
        canonical_user_graph(graph, directed=False, weighted=True)

"""generators/graph/exact.py: the exact solvers against brute force and networkx on random small graphs."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from assay.generators.graph import exact


def _graphs(count: int, max_nodes: int, seed: int = 0):
    rng = random.Random(seed)
    for _ in range(count):
        n = rng.randint(1, max_nodes)
        yield nx.gnp_random_graph(n, rng.choice((0.15, 0.3, 0.5, 0.8)), seed=rng.randrange(2**32))


def test_independent_set_and_clique_match_networkx() -> None:
    for graph in _graphs(60, 18):
        independent = exact.maximum_independent_set(graph)
        clique = exact.maximum_clique(graph)
        assert not any(graph.has_edge(u, v) for u, v in itertools.combinations(independent, 2))
        assert all(graph.has_edge(u, v) for u, v in itertools.combinations(clique, 2))
        assert len(independent) == nx.max_weight_clique(nx.complement(graph), weight=None)[1]
        assert len(clique) == nx.max_weight_clique(graph, weight=None)[1]
        cover = exact.minimum_vertex_cover(graph)
        assert len(cover) + len(independent) == graph.number_of_nodes()


def test_dominating_set_and_chromatic_number_match_brute_force() -> None:
    for graph in _graphs(30, 7, seed=1):
        nodes = sorted(graph)
        dominating = exact.minimum_dominating_set(graph)
        assert nx.is_dominating_set(graph, dominating)
        best = min(k for k in range(len(nodes) + 1) for c in itertools.combinations(nodes, k) if nx.is_dominating_set(graph, c))
        assert len(dominating) == best
        k, colouring = exact.chromatic_number(graph)
        assert all(colouring[u] != colouring[v] for u, v in graph.edges())
        assert len(set(colouring.values())) == k
        assert exact.color_with(graph, k - 1) is None if k > 1 else True
        brute = next(
            c for c in range(1, len(nodes) + 1)
            if any(all(p[u] != p[v] for u, v in graph.edges()) for p in itertools.product(range(c), repeat=len(nodes)))
        )
        assert k == brute


def test_forbidden_nodes_in_dominating_sets() -> None:
    graph = nx.star_graph(4)
    assert exact.minimum_dominating_set(graph) == [0]
    assert exact.minimum_dominating_set(graph, forbidden=[0]) == [1, 2, 3, 4]
    assert exact.minimum_dominating_set(nx.empty_graph(2), forbidden=[0]) is None


def test_shortest_tour_matches_brute_force() -> None:
    rng = random.Random(3)
    for n in range(3, 9):
        graph = nx.complete_graph(n)
        for u, v in graph.edges():
            graph[u][v]["weight"] = rng.randint(1, 20)
        cost, tour = exact.shortest_tour(graph)
        assert sorted(tour) == list(range(n))
        assert cost == sum(graph[u][v]["weight"] for u, v in zip(tour, tour[1:] + tour[:1]))
        assert cost == min(
            sum(graph[u][v]["weight"] for u, v in zip((0, *p), (*p, 0))) for p in itertools.permutations(range(1, n))
        )


def test_hamiltonian_path_search() -> None:
    assert exact.hamiltonian_path(nx.star_graph(3)) is None
    path = exact.hamiltonian_path(nx.petersen_graph())
    assert sorted(path) == list(range(10)) and all(nx.petersen_graph().has_edge(u, v) for u, v in zip(path, path[1:]))
    with pytest.raises(ValueError):
        exact.hamiltonian_path(nx.path_graph(17))


def test_another_maximum() -> None:
    graph = nx.cycle_graph(6)
    other = exact.another_maximum(exact.maximum_independent_set, graph, [0, 2, 4])
    assert other == [1, 3, 5]
    assert exact.another_maximum(exact.maximum_clique, nx.complete_graph(3), [0, 1, 2]) is None


def test_size_limits() -> None:
    with pytest.raises(ValueError, match="at most"):
        exact.maximum_independent_set(nx.path_graph(exact.MAX_NODES + 1))
    with pytest.raises(ValueError, match="at most"):
        exact.shortest_tour(nx.complete_graph(exact.MAX_TOUR_NODES + 1))

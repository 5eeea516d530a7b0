"""graph/clustering, graph/triangles, graph/average_neighbour_degree: local density around nodes.

Values are computed exactly (as fractions) and cross-checked against networkx in the tests.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.generators.graph.answers import NumberTask, RealTask, real_gold
from assay.generators.graph.base import SIZE_LEVELS, GraphConfig, node_phrase
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

# denser graphs than the default ladder, so nodes have triangles to count
DENSE_LEVELS = {
    1: replace(SIZE_LEVELS[1], density=0.6),
    2: replace(SIZE_LEVELS[2], density=0.5),
    3: replace(SIZE_LEVELS[3], density=0.4),
    4: replace(SIZE_LEVELS[4], density=0.35),
    5: replace(SIZE_LEVELS[5], density=0.3),
}
MODELS = ("gnp", "barabasi_albert", "watts_strogatz")
_REAL = (
    "Parsed as one number (integer, fraction, decimal, e-notation) and accepted exactly when it is within half a unit "
    "of the third decimal (0.0005) of the exact value: the correctly rounded 3-decimal answer passes, a wrong last "
    "digit fails, and a truncation passes only where it equals rounding (the prompt asks for rounding)."
)
_UNDIRECTED = "Undirected, unweighted graphs only; self-loops of a user's graph are ignored."


def _neighbours(graph: nx.Graph, node: Any) -> set:
    return set(graph[node]) - {node}


def _triangles_at(graph: nx.Graph, node: Any) -> int:
    around = _neighbours(graph, node)
    return sum(len(_neighbours(graph, w) & around) for w in around) // 2


def _pick_node_with_degree(rng: random.Random, graph: nx.Graph, at_least: int) -> Any:
    nodes = sorted(graph, key=node_sort_key)
    good = [n for n in nodes if len(_neighbours(graph, n)) >= at_least]
    return rng.choice(good if good and rng.random() < 0.9 else nodes)


@register_task
class Clustering(RealTask):
    id = "graph/clustering"
    description = "The local clustering coefficient of a node: the fraction of pairs of its neighbours that are adjacent."
    levels = DENSE_LEVELS
    models = MODELS
    node_params = ("node",)
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = _REAL + " The value is 2T / (k(k-1)) (networkx's clustering), 0 when k < 2."
    limitations = (_UNDIRECTED,)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"node": _pick_node_with_degree(rng, graph, 2)}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        node = params["node"]
        k = len(_neighbours(graph, node))
        if k < 2:
            return real_gold(Fraction(0))
        return real_gold(Fraction(2 * _triangles_at(graph, node), k * (k - 1)))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"What is the local clustering coefficient of {node_phrase(names, params['node'], encoding)}, i.e. the "
            f"number of edges among its neighbours divided by k(k-1)/2, where k is its degree (0 if k < 2)? "
            f"{self.number_hint}"
        )


@register_task
class Triangles(NumberTask):
    id = "graph/triangles"
    units = frozenset("triangle triangles".split())
    description = "The number of triangles (sets of three pairwise adjacent nodes) in the whole graph."
    levels = DENSE_LEVELS
    models = MODELS
    answer_format = "a single integer"
    verification = "Exact comparison with sum(networkx.triangles(G).values()) / 3."
    limitations = (_UNDIRECTED,)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(sum(_triangles_at(graph, n) for n in graph) // 3)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"How many triangles (sets of three nodes that are pairwise adjacent) does G contain? {self.number_hint}"


@register_task
class AverageNeighbourDegree(RealTask):
    id = "graph/average_neighbour_degree"
    description = "The average degree of the neighbours of a node."
    levels = DENSE_LEVELS
    models = MODELS + ("tree", "bipartite")
    node_params = ("node",)
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = _REAL + " The value is networkx's average_neighbor_degree (0 for an isolated node)."
    limitations = ("Undirected, unweighted graphs only.",)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"node": _pick_node_with_degree(rng, graph, 2)}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        node = params["node"]
        around = list(graph[node])
        if not around:
            return real_gold(Fraction(0))
        return real_gold(Fraction(sum(graph.degree(w) for w in around), len(around)))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"What is the average degree of the neighbours of {node_phrase(names, params['node'], encoding)}, i.e. "
            f"the sum of its neighbours' degrees divided by its own degree (0 if it has no neighbours)? {self.number_hint}"
        )

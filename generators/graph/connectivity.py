"""graph/local_node_connectivity and graph/local_edge_connectivity between two nodes.

By Menger's theorem each equals a maximum number of disjoint paths, so the pairs are drawn from
denser graphs where the answer is often above 1.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import networkx as nx
from networkx.algorithms.connectivity import local_edge_connectivity, local_node_connectivity

from assay.errors import ConfigError
from assay.generators.graph.answers import NumberTask
from assay.generators.graph.base import SIZE_LEVELS, GraphConfig, node_phrase
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

PAIR_LEVELS = {d: replace(SIZE_LEVELS[d], density=min(0.6, SIZE_LEVELS[d].density + 0.1)) for d in SIZE_LEVELS}
MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "grid")


class PairConnectivity(NumberTask):
    levels = PAIR_LEVELS
    models = MODELS
    node_params = ("s", "t")
    answer_format = "a single integer"
    adjacent_allowed = True

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        pairs = [(u, v) for i, u in enumerate(nodes) for v in nodes[i + 1 :]]
        if not self.adjacent_allowed:
            pairs = [(u, v) for u, v in pairs if not graph.has_edge(u, v)]
        s, t = rng.choice(pairs)
        if rng.random() < 0.5:
            s, t = t, s
        return {"s": s, "t": t}

    def check_params(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        params = super().check_params(graph, params)
        if params["s"] == params["t"]:
            raise ConfigError("params", "s and t must be two different nodes", params["s"])
        if not self.adjacent_allowed and graph.has_edge(params["s"], params["t"]):
            raise ConfigError("params", f"{self.id} asks about non-adjacent nodes only", (params["s"], params["t"]))
        return params


@register_task
class LocalNodeConnectivity(PairConnectivity):
    id = "graph/local_node_connectivity"
    units = frozenset("node nodes vertex vertices path paths person people city cities".split())
    description = (
        "The local node connectivity of two non-adjacent nodes: the fewest other nodes whose removal disconnects them "
        "(= the most internally node-disjoint paths between them)."
    )
    verification = "Exact comparison with networkx's local_node_connectivity (a maximum-flow computation)."
    limitations = (
        "Undirected graphs only.",
        "Only non-adjacent pairs are asked (for adjacent nodes the quantity has no standard meaning).",
    )
    adjacent_allowed = False

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        graph = super().sample_graph(rng, config)
        if graph.number_of_nodes() > 1 and not any(True for _ in nx.non_edges(graph)):
            graph.remove_edge(*rng.choice(sorted(graph.edges())))  # a complete graph: make room for the question
        return graph

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        if not any(True for _ in nx.non_edges(graph)):
            raise ConfigError("graph", f"{self.id} needs two non-adjacent nodes; this graph is complete")
        return super().choose_params(rng, graph, config)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(local_node_connectivity(graph, params["s"], params["t"]))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        s, t = node_phrase(names, params["s"], encoding), node_phrase(names, params["t"], encoding)
        return (
            f"What is the local node connectivity between {s} and {t}, i.e. the smallest number of other nodes whose "
            f"removal leaves no path between them (equivalently, the largest number of paths between them that share "
            f"no node except the two ends)? {self.number_hint}"
        )


@register_task
class LocalEdgeConnectivity(PairConnectivity):
    id = "graph/local_edge_connectivity"
    units = frozenset("edge edges path paths road roads".split())
    description = (
        "The local edge connectivity of two nodes: the fewest edges whose removal disconnects them "
        "(= the most edge-disjoint paths between them)."
    )
    verification = "Exact comparison with networkx's local_edge_connectivity (a maximum-flow computation)."
    limitations = ("Undirected, unweighted graphs only.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(local_edge_connectivity(graph, params["s"], params["t"]))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        s, t = node_phrase(names, params["s"], encoding), node_phrase(names, params["t"], encoding)
        return (
            f"What is the local edge connectivity between {s} and {t}, i.e. the smallest number of edges whose removal "
            f"leaves no path between them (equivalently, the largest number of paths between them that share no "
            f"edge)? {self.number_hint}"
        )

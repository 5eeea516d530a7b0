"""graph/degree and graph/neighbours: the degree of a node, and the set of its neighbours.

Directed levels ask for the out-degree / out-neighbours (successors) of a node.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import networkx as nx

from assay.generators.graph.answers import NodeSetTask, NumberTask
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, GraphConfig, node_phrase, pick_nodes
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "bipartite", "grid")


def _pick_busy_node(rng: random.Random, graph: nx.Graph) -> Any:
    # prefer a node with at least one (out-)edge, so answers are rarely the trivial 0 / []
    degree = graph.out_degree if graph.is_directed() else graph.degree
    busy = [n for n in sorted(graph, key=node_sort_key) if degree(n) > 0]
    return rng.choice(busy) if busy and rng.random() < 0.9 else pick_nodes(rng, graph, 1)[0]


@register_task
class Degree(NumberTask):
    id = "graph/degree"
    units = frozenset("edge edges arc arcs neighbour neighbours neighbor neighbors friend friends road roads node nodes vertex vertices person people city cities".split())
    description = "The degree of one node (out-degree in a directed graph)."
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = MODELS
    node_params = ("node",)
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's degree (out_degree for directed graphs); self-loops count twice in an undirected graph, as in networkx."
    limitations = ("Only out-degree is asked in directed graphs.",)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"node": _pick_busy_node(rng, graph)}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        node = params["node"]
        return str(graph.out_degree(node) if graph.is_directed() else graph.degree(node))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        what = "out-degree (the number of edges leaving it)" if graph.is_directed() else "degree"
        return f"What is the {what} of {node_phrase(names, params['node'], encoding)}? {self.number_hint}"


@register_task
class Neighbours(NodeSetTask):
    id = "graph/neighbours"
    description = "List the neighbours of one node (its out-neighbours, or successors, in a directed graph)."
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = MODELS
    node_params = ("node",)
    answer_format = "a list of nodes in square brackets, any order, e.g. [3, 1, 4] (names in named encodings); [] for none"
    verification = (
        "The list is parsed by the node-list grammar; unknown or repeated nodes are invalid; the set must equal "
        "networkx's neighbors (successors when directed)."
    )
    limitations = ("Only out-neighbours are asked in directed graphs.",)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"node": _pick_busy_node(rng, graph)}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> list:
        node = params["node"]
        found = graph.successors(node) if graph.is_directed() else graph.neighbors(node)
        return sorted(found, key=node_sort_key)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        what = "out-neighbours (the nodes it has an edge to)" if graph.is_directed() else "neighbours"
        return f"List all {what} of {node_phrase(names, params['node'], encoding)}. {self.list_hint(names)}"

"""graph/common_neighbours, graph/jaccard, graph/adamic_adar, graph/resource_allocation.

Neighbourhood-overlap scores of a pair of nodes (networkx's link prediction indices); the pair
shares at least one neighbour in most problems, so the answer is rarely a trivial 0.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.answers import NodeSetTask, RealTask, real_gold
from assay.generators.graph.base import GraphConfig, GraphTask, node_phrase
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "bipartite", "grid")
_UNDIRECTED = ("Undirected graphs only; self-loops of a user's graph are ignored.",)


def _common(graph: nx.Graph, u: Any, v: Any) -> list:
    return sorted((set(graph[u]) & set(graph[v])) - {u, v}, key=node_sort_key)


class PairTask(GraphTask):
    """Questions about two distinct nodes u and v of an undirected graph."""

    node_params = ("u", "v")
    models = MODELS

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        pairs = [(u, v) for i, u in enumerate(nodes) for v in nodes[i + 1 :]]
        sharing = [(u, v) for u, v in pairs if _common(graph, u, v)]
        pool = sharing if sharing and rng.random() < 0.85 else pairs
        u, v = rng.choice(pool) if pool else (nodes[0], nodes[0])
        if rng.random() < 0.5:
            u, v = v, u
        return {"u": u, "v": v}

    def check_params(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        params = super().check_params(graph, params)
        if params["u"] == params["v"]:
            raise ConfigError("params", "u and v must be two different nodes", params["u"])
        return params

    def pair_phrase(self, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"{node_phrase(names, params['u'], encoding)} and {node_phrase(names, params['v'], encoding)}"


@register_task
class CommonNeighbours(PairTask, NodeSetTask):
    id = "graph/common_neighbours"
    description = "List the common neighbours of two nodes (nodes adjacent to both)."
    answer_format = "a list of nodes in square brackets, any order (names in named encodings); [] for none"
    verification = (
        "Parsed by the node-list grammar; unknown or repeated nodes are invalid; the set must equal networkx's "
        "common_neighbors(u, v)."
    )
    limitations = _UNDIRECTED

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> list:
        return _common(graph, params["u"], params["v"])

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"List all common neighbours of {self.pair_phrase(params, names, encoding)}, i.e. the nodes adjacent "
            f"to both. {self.list_hint(names)}"
        )


def _jaccard(graph: nx.Graph, u: Any, v: Any) -> Fraction:
    union = set(graph[u]) | set(graph[v])
    if not union:
        return Fraction(0)
    return Fraction(len(set(graph[u]) & set(graph[v])), len(union))


_REAL_VERIFICATION = (
    "Parsed as one number (integer, fraction, decimal, e-notation) and accepted within an absolute 1e-3 of "
    "the value computed at generation: enough for a correctly rounded or truncated 3-decimal answer, and far "
    "tighter than the gap between the values of different node pairs in most graphs."
)


@register_task
class Jaccard(PairTask, RealTask):
    id = "graph/jaccard"
    description = "The Jaccard coefficient of two nodes: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|."
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = _REAL_VERIFICATION + " The value is networkx's jaccard_coefficient (0 when both have no neighbours)."
    limitations = _UNDIRECTED + ("Values within 1e-3 of the truth are accepted.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return real_gold(_jaccard(graph, params["u"], params["v"]))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"What is the Jaccard coefficient of {self.pair_phrase(params, names, encoding)}, i.e. the number of "
            f"their common neighbours divided by the number of nodes adjacent to at least one of them? {self.number_hint}"
        )


@register_task
class AdamicAdar(PairTask, RealTask):
    id = "graph/adamic_adar"
    description = "The Adamic-Adar index of two nodes: the sum of 1 / ln(degree(w)) over their common neighbours w."
    answer_format = "a decimal rounded to 3 places"
    verification = _REAL_VERIFICATION + " The value is networkx's adamic_adar_index (natural logarithm)."
    limitations = _UNDIRECTED + ("Irrational in general: only a decimal within 1e-3 is accepted.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        common = _common(graph, params["u"], params["v"])
        return real_gold(math.fsum(1 / math.log(graph.degree(w)) for w in common))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"What is the Adamic-Adar index of {self.pair_phrase(params, names, encoding)}, i.e. the sum of "
            f"1 / ln(degree(w)) over all their common neighbours w (natural logarithm; 0 if there are none)? "
            f"Give the value as a decimal number rounded to 3 decimal places."
        )


@register_task
class ResourceAllocation(PairTask, RealTask):
    id = "graph/resource_allocation"
    description = "The resource allocation index of two nodes: the sum of 1 / degree(w) over their common neighbours w."
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = _REAL_VERIFICATION + " The value is networkx's resource_allocation_index, computed exactly."
    limitations = _UNDIRECTED + ("Values within 1e-3 of the truth are accepted.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        common = _common(graph, params["u"], params["v"])
        return real_gold(sum((Fraction(1, graph.degree(w)) for w in common), Fraction(0)))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            f"What is the resource allocation index of {self.pair_phrase(params, names, encoding)}, i.e. the sum of "
            f"1 / degree(w) over all their common neighbours w (0 if there are none)? {self.number_hint}"
        )

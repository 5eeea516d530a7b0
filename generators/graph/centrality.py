"""graph/degree_centrality, graph/closeness_centrality, graph/betweenness_centrality, graph/harmonic_centrality.

Each is computed exactly with fractions from breadth-first distances and path counts, following
networkx's definitions and normalisations (stated in the prompt); the tests compare with networkx.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.generators.graph.answers import RealTask, real_gold
from assay.generators.graph.base import GraphConfig, node_phrase
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")
_VERIFICATION = (
    "Parsed as one number (integer, fraction, decimal, e-notation) and accepted exactly when it is within half a unit "
    "of the third decimal (0.0005) of the exact value, bounds included: the prompt asks for 3 decimal places rounded, "
    "so the correctly rounded answer, more digits and an equal fraction pass; a wrong last digit, and a truncation "
    "that differs from rounding, fail."
)
_LIMITATIONS: tuple[str, ...] = (
    "Undirected, unweighted graphs (hop distances) only.",
    "Two nodes whose centralities differ by less than 5e-4 are not told apart.",
)


def bfs_counts(graph: nx.Graph, source: Any) -> tuple[dict, dict]:
    """Hop distances from ``source`` and the number of shortest paths to each reached node."""
    distance = {source: 0}
    paths = {source: 1}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for w in graph[u]:
            if w not in distance:
                distance[w] = distance[u] + 1
                paths[w] = 0
                queue.append(w)
            if distance[w] == distance[u] + 1:
                paths[w] += paths[u]
    return distance, paths


def closeness(graph: nx.Graph, node: Any) -> Fraction:
    """networkx's closeness_centrality with wf_improved: (r-1)/sum(d) * (r-1)/(n-1) over the r reached nodes."""
    n = graph.number_of_nodes()
    distance, _ = bfs_counts(graph, node)
    total = sum(distance.values())
    reached = len(distance)
    if total == 0 or n < 2:
        return Fraction(0)
    return Fraction(reached - 1, total) * Fraction(reached - 1, n - 1)


def betweenness(graph: nx.Graph, node: Any) -> Fraction:
    """Normalised betweenness: sum over unordered pairs {s, t} (both != node) of sigma_st(node)/sigma_st,
    divided by (n-1)(n-2)/2."""
    n = graph.number_of_nodes()
    if n < 3:
        return Fraction(0)
    others = sorted((x for x in graph if x != node), key=node_sort_key)
    from_node, paths_node = bfs_counts(graph, node)
    total = Fraction(0)
    for i, s in enumerate(others):
        if s not in from_node:
            continue
        distance, paths = bfs_counts(graph, s)
        for t in others[i + 1 :]:
            if t in distance and t in from_node and distance[node] + from_node[t] == distance[t]:
                total += Fraction(paths[node] * paths_node[t], paths[t])
    return total / Fraction((n - 1) * (n - 2), 2)


def harmonic(graph: nx.Graph, node: Any) -> Fraction:
    """networkx's harmonic_centrality: the sum of 1/d(node, v) over the other reachable nodes."""
    distance, _ = bfs_counts(graph, node)
    return sum((Fraction(1, d) for d in distance.values() if d > 0), Fraction(0))


class CentralityTask(RealTask):
    models = MODELS
    connected = True
    node_params = ("node",)
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = _VERIFICATION
    limitations = _LIMITATIONS
    definition = ""

    def accept_graph(self, graph: nx.Graph) -> None:
        """Any undirected graph: the definitions (networkx's) cover disconnected graphs too."""

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        busy = [n for n in nodes if graph.degree(n) >= 2]
        return {"node": rng.choice(busy if busy and rng.random() < 0.8 else nodes)}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"What is the {self.definition.format(node=node_phrase(names, params['node'], encoding))} {self.number_hint}"


@register_task
class DegreeCentrality(CentralityTask):
    id = "graph/degree_centrality"
    description = "The degree centrality of a node: its degree divided by n - 1."
    definition = "degree centrality of {node}, i.e. its degree divided by n - 1, where n is the number of nodes?"

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        n = graph.number_of_nodes()
        return real_gold(Fraction(graph.degree(params["node"]), n - 1) if n > 1 else Fraction(1))


@register_task
class ClosenessCentrality(CentralityTask):
    id = "graph/closeness_centrality"
    description = "The closeness centrality of a node: (n - 1) divided by the sum of its hop distances to all other nodes."
    definition = (
        "closeness centrality of {node}, i.e. (n - 1) divided by the sum of the shortest-path distances (in edges) "
        "from it to all other nodes, where n is the number of nodes?"
    )
    limitations = _LIMITATIONS + (
        "On a user's disconnected graph the prompt switches to networkx's Wasserman-Faust form, which it states.",
    )

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return real_gold(closeness(graph, params["node"]))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        if graph.number_of_nodes() < 2 or nx.is_connected(graph):
            return super().question(graph, params, names, encoding)
        node = node_phrase(names, params["node"], encoding)
        return (
            f"What is the closeness centrality of {node}? G is not connected, so use the Wasserman-Faust form: "
            f"((r - 1) / s) * ((r - 1) / (n - 1)), where r is the number of nodes reachable from it (itself included), "
            f"s the sum of the shortest-path distances (in edges) to them, and n the number of nodes (0 if r = 1). "
            f"{self.number_hint}"
        )


@register_task
class BetweennessCentrality(CentralityTask):
    id = "graph/betweenness_centrality"
    description = (
        "The normalised betweenness centrality of a node: over pairs of other nodes, the fraction of their shortest "
        "paths through it, summed and divided by (n-1)(n-2)/2."
    )
    definition = (
        "normalised betweenness centrality of {node}? For every unordered pair {{s, t}} of other nodes, take the "
        "fraction of the shortest s-t paths that pass through it; sum these fractions and divide by (n-1)(n-2)/2, "
        "where n is the number of nodes."
    )

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return real_gold(betweenness(graph, params["node"]))


@register_task
class HarmonicCentrality(CentralityTask):
    id = "graph/harmonic_centrality"
    description = "The harmonic centrality of a node: the sum of 1/d over its hop distances d to the other nodes."
    definition = (
        "harmonic centrality of {node}, i.e. the sum of 1/d(v) over all other nodes v, where d(v) is the "
        "shortest-path distance (in edges) to v (unreachable nodes add 0)?"
    )

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return real_gold(harmonic(graph, params["node"]))

"""graph/has_cycle, graph/is_bipartite, graph/is_eulerian: recognise a class of graphs (yes/no).

Each draws its answer first and builds a graph with it; most "no" graphs are one edge away from
a "yes" graph, so the task cannot be solved from size or density alone.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import networkx as nx

from assay.generators.graph.answers import YesNoTask
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, GraphConfig
from assay.generators.graph.sources import GraphShape, random_graph, shuffle_labels
from assay.registry import register_task
from assay.verifiers.graph import NodeNames


def _add_random_edge(rng: random.Random, graph: nx.Graph, allowed: list) -> None:
    if allowed:
        graph.add_edge(*rng.choice(allowed))


@register_task
class HasCycle(YesNoTask):
    id = "graph/has_cycle"
    description = (
        "Does the graph contain a cycle (a directed cycle in a directed graph)? Half do; the acyclic ones are forests "
        "or DAGs, and most cyclic ones are a forest or DAG plus one edge."
    )
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    answer_format = "yes or no (true/false accepted, any case)"
    verification = (
        "Exact comparison with networkx: not is_forest for undirected graphs, not is_directed_acyclic_graph for "
        "directed ones (a pair of opposite arcs u->v, v->u is a directed cycle)."
    )
    limitations = ("Self-loops are never generated; a user's self-loop counts as a cycle.",)
    claims = {
        **{word: (True, False) for word in ("cycle", "cycles", "cyclic")},
        **{word: (False, True) for word in ("acyclic", "dag")},
    }

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(3, rng.randint(config.min_nodes, config.max_nodes))
        want_cycle = rng.random() < 0.5
        directed = config.directed
        if directed:
            graph = random_graph(rng, "dag", n, min(0.5, config.density * 1.2), GraphShape(directed=True))
            if want_cycle:
                # a back arc along a path closes a directed cycle
                pairs = [
                    (v, u) for u in sorted(graph) for v in sorted(nx.descendants(graph, u)) if not graph.has_edge(v, u)
                ]
                _add_random_edge(rng, graph, pairs)
            return graph
        graph = random_graph(rng, "tree", n, 0.0, GraphShape())
        # cut the tree into a forest sometimes
        edges = sorted(graph.edges())
        for edge in rng.sample(edges, k=min(len(edges), rng.randint(0, max(0, n // 5)))):
            graph.remove_edge(*edge)
        if want_cycle:
            inside = []
            for component in nx.connected_components(graph):
                members = sorted(component)
                inside += [(u, v) for i, u in enumerate(members) for v in members[i + 1 :] if not graph.has_edge(u, v)]
            inside.sort()
            _add_random_edge(rng, graph, inside)
        return graph

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        if graph.is_directed():
            return not nx.is_directed_acyclic_graph(graph)
        return not nx.is_forest(graph) if graph.number_of_nodes() else False

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        if graph.is_directed():
            return f"Does G contain a directed cycle (following edge directions)? {self.number_hint}"
        return f"Does G contain a cycle? {self.number_hint}"


@register_task
class IsBipartite(YesNoTask):
    id = "graph/is_bipartite"
    description = (
        "Can the nodes be split into two groups with every edge between the groups? Half the graphs are bipartite; "
        "most others are bipartite plus one edge that closes an odd cycle."
    )
    answer_format = "yes or no (true/false accepted, any case)"
    verification = "Exact comparison with networkx's is_bipartite."
    limitations = ("Undirected graphs only.",)
    # "no odd cycle" says yes; "no triangle" says nothing (a pentagon is no triangle)
    claims = {
        **{word: (True, False) for word in ("bipartite", "2 colourable", "2 colorable", "two colourable", "two colorable")},
        **{word: (False, True) for word in ("nonbipartite", "odd cycle", "odd cycles", "odd length cycle", "odd length cycles")},
        **{word: (False, None) for word in ("triangle", "triangles")},
    }

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(3, rng.randint(config.min_nodes, config.max_nodes))
        model = rng.choice(("bipartite", "tree", "grid", "bipartite"))
        graph = random_graph(rng, model, n, max(config.density, 0.3), GraphShape(connected=True))
        if rng.random() < 0.5:
            return graph
        colour = nx.bipartite.color(graph)
        same = [(u, v) for u in sorted(graph) for v in sorted(graph) if u < v and colour[u] == colour[v]]
        if same and rng.random() < 0.85:
            graph.add_edge(*rng.choice(same))
            return graph
        return random_graph(rng, "gnp", n, config.density, GraphShape(connected=True))

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        return nx.is_bipartite(graph)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Is G bipartite, that is, can its nodes be split into two groups so that every edge joins nodes of "
            f"different groups? {self.number_hint}"
        )


def _eulerian_graph(rng: random.Random, n: int, extra_cycles: int) -> nx.Graph:
    """A connected graph with all degrees even: a cycle through every node, XOR a few random cycles."""
    order = list(range(n))
    rng.shuffle(order)
    graph = nx.cycle_graph(order) if n >= 3 else nx.empty_graph(n)
    for _ in range(extra_cycles):
        length = rng.randint(3, max(3, min(n, 6)))
        cycle = rng.sample(range(n), length)
        for i in range(length):
            u, v = cycle[i], cycle[(i + 1) % length]
            if graph.has_edge(u, v):
                graph.remove_edge(u, v)  # the symmetric difference keeps every degree even
            else:
                graph.add_edge(u, v)
    return graph


@register_task
class IsEulerian(YesNoTask):
    id = "graph/is_eulerian"
    description = (
        "Does the graph have an Eulerian circuit (a closed walk using every edge exactly once)? Half do; most others "
        "are an Eulerian graph with one edge added or removed."
    )
    answer_format = "yes or no (true/false accepted, any case)"
    verification = (
        "Exact comparison with networkx's is_eulerian: every degree even and the graph connected (random graphs "
        "here have no isolated nodes, so the convention about them never matters)."
    )
    limitations = (
        "Undirected graphs only.",
        "On a user's graph with isolated nodes, networkx (and so the gold) says no.",
    )
    # "no node has odd degree" says nothing (the graph may be disconnected); no Eulerian path, no circuit
    claims = {
        "eulerian": (True, False),
        "euler": (True, False),
        **{phrase: (None, False) for phrase in ("eulerian path", "eulerian trail", "euler path", "euler trail")},
        **{phrase: (False, None) for phrase in ("odd degree", "odd degrees")},
    }

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(4, rng.randint(config.min_nodes, config.max_nodes))
        for _ in range(20):
            graph = _eulerian_graph(rng, n, rng.randint(1, max(1, n // 3)))
            if nx.is_connected(graph):
                break
        else:
            graph = _eulerian_graph(rng, n, 0)
        graph = shuffle_labels(rng, graph)
        roll = rng.random()
        if roll < 0.5:
            return graph
        if roll < 0.9:
            non_edges = sorted(nx.non_edges(graph))
            edges = sorted(graph.edges())
            if non_edges and rng.random() < 0.6:
                graph.add_edge(*rng.choice(non_edges))
            else:
                graph.remove_edge(*rng.choice(edges))
                if not nx.is_connected(graph):  # keep the question about degrees, not connectivity
                    graph.add_edge(*sorted(nx.non_edges(graph))[0])
            return graph
        return random_graph(rng, "gnp", n, config.density, GraphShape(connected=True))

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        return nx.is_eulerian(graph)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Does G have an Eulerian circuit, that is, a closed walk that starts and ends at the same node and uses "
            f"every edge exactly once? {self.number_hint}"
        )

"""graph/edge_exists, graph/density, graph/is_regular, graph/is_tournament: basic graph properties.

The yes/no tasks draw a target answer first and build a graph that has it, so yes and no are
balanced and the "no" graphs are usually one edge away from "yes".
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.generators.graph.answers import RealTask, YesNoTask, real_gold
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, SIZE_LEVELS, GraphConfig, node_phrase
from assay.generators.graph.sources import GraphShape, random_graph, shuffle_labels
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key


@register_task
class EdgeExists(YesNoTask):
    id = "graph/edge_exists"
    description = "Is there an edge between two given nodes (from u to v in a directed graph)? Half the questions are yes."
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    node_params = ("u", "v")
    answer_format = "yes or no (true/false accepted, any case)"
    verification = "Exact comparison with networkx's has_edge(u, v) (direction respected when directed)."
    limitations = ("Self-loops are never asked about in random graphs.",)
    # "there is no edge between them" says no; "3's edges go to 1 and 4" says nothing about u and v
    claims = {word: (None, False) for word in ("edge", "edges", "arc", "arcs", "adjacent", "neighbour", "neighbours", "neighbor", "neighbors")}

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        edges = sorted(graph.edges(), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
        if edges and rng.random() < 0.5:
            u, v = rng.choice(edges)
            if not graph.is_directed() and rng.random() < 0.5:
                u, v = v, u
            return {"u": u, "v": v}
        non_edges = [(u, v) for u in nodes for v in nodes if u != v and not graph.has_edge(u, v)]
        if non_edges:
            u, v = rng.choice(non_edges)
            return {"u": u, "v": v}
        u, v = rng.sample(nodes, 2) if len(nodes) > 1 else (nodes[0], nodes[0])
        return {"u": u, "v": v}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        return graph.has_edge(params["u"], params["v"])

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        u, v = node_phrase(names, params["u"], encoding), node_phrase(names, params["v"], encoding)
        if graph.is_directed():
            return f"Is there an edge from {u} to {v}? {self.number_hint}"
        return f"Is there an edge between {u} and {v}? {self.number_hint}"


@register_task
class Density(RealTask):
    id = "graph/density"
    description = "The density of a graph: m / (n(n-1)/2) undirected, m / (n(n-1)) directed."
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "bipartite", "dag")
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = (
        "Parsed as one number (integer, fraction, decimal, e-notation) and accepted exactly when it is within half a "
        "unit of the third decimal (0.0005) of the exact density m / (n(n-1)/2) (networkx.density): the correctly "
        "rounded 3-decimal answer passes, a wrong last digit fails, a truncation passes only where it equals rounding."
    )
    limitations = ("Any value within half a unit of the third decimal passes, e.g. 0.3335 for 1/3.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        if n < 2:
            return real_gold(Fraction(0))
        pairs = n * (n - 1) if graph.is_directed() else n * (n - 1) // 2
        return real_gold(Fraction(m, pairs))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        formula = "m / (n(n-1))" if graph.is_directed() else "m / (n(n-1)/2)"
        return (
            f"What is the density of G, i.e. {formula} where n is the number of nodes and m the number of edges? "
            f"{self.number_hint}"
        )


def _regular_graph(rng: random.Random, n: int) -> nx.Graph:
    degrees = [d for d in range(1, n) if d * n % 2 == 0 and d <= 6] or [n - 1]
    d = rng.choice(degrees)
    graph = nx.random_regular_graph(d, n, seed=rng.randrange(2**32)) if d < n - 1 else nx.complete_graph(n)
    return shuffle_labels(rng, graph)


@register_task
class IsRegular(YesNoTask):
    id = "graph/is_regular"
    description = "Do all nodes of the graph have the same degree? Half the graphs are regular; most others are one edge off."
    levels = SIZE_LEVELS
    answer_format = "yes or no (true/false accepted, any case)"
    verification = "Exact comparison with networkx's is_regular."
    limitations = ("Undirected graphs only.",)
    claims = {"regular": (True, False), "irregular": (False, True)}

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(3, rng.randint(config.min_nodes, config.max_nodes))
        graph = _regular_graph(rng, n)
        if rng.random() < 0.5:
            return graph
        if rng.random() < 0.3:
            return random_graph(rng, "gnp", n, config.density, GraphShape(connected=True))
        edges = sorted(graph.edges())
        non_edges = sorted(nx.non_edges(graph))
        if edges and (not non_edges or rng.random() < 0.5):
            graph.remove_edge(*rng.choice(edges))
        elif non_edges:
            graph.add_edge(*rng.choice(non_edges))
        return graph

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        return nx.is_regular(graph) if graph.number_of_nodes() else True

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"Is G regular, that is, do all of its nodes have the same degree? {self.number_hint}"


@register_task
class IsTournament(YesNoTask):
    id = "graph/is_tournament"
    description = (
        "Is the directed graph a tournament (exactly one arc between every pair of distinct nodes, no self-loops)? "
        "Half are; the others miss one arc, double one, or are random."
    )
    levels = {d: replace(row, directed=True) for d, row in SIZE_LEVELS.items()}
    directions = (True,)
    answer_format = "yes or no (true/false accepted, any case)"
    verification = "Exact comparison with networkx's tournament.is_tournament."
    limitations = ("Directed graphs only.",)
    claims = {"tournament": (True, False)}

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(3, rng.randint(config.min_nodes, config.max_nodes))
        graph = shuffle_labels(rng, nx.tournament.random_tournament(n, seed=rng.randrange(2**32)))
        roll = rng.random()
        arcs = sorted(graph.edges())
        if roll < 0.5:
            return graph
        if roll < 0.7:
            graph.remove_edge(*rng.choice(arcs))
        elif roll < 0.9:
            u, v = rng.choice(arcs)
            graph.add_edge(v, u)
        else:
            return random_graph(rng, "gnp", n, config.density, GraphShape(directed=True))
        return graph

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> bool:
        return nx.tournament.is_tournament(graph)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Is G a tournament, that is, is there exactly one directed edge between every pair of distinct nodes "
            f"(and no self-loop)? {self.number_hint}"
        )

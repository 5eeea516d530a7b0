"""Graph sources for the graph tasks: seeded random models and the canonical form of a user's graph.

Every graph leaves here simple, with nodes 0..n-1 relabelled by a random permutation (so ids leak
no structure) and, when weighted, an integer ``weight`` on every edge.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import networkx as nx

from assay.errors import ConfigError
from assay.verifiers.graph import node_sort_key  # re-exported: ints before strings, each naturally
from assay.verifiers.graph.text import RESERVED_WORDS

# name -> what it draws; "mixed" in a config draws one of a task's models per problem
MODELS = {
    "gnp": "Erdős–Rényi G(n, p): each pair is an edge with probability `density`",
    "barabasi_albert": "Barabási–Albert preferential attachment, m = density * n / 2 edges per new node",
    "watts_strogatz": "Watts–Strogatz small world: a ring lattice of degree density * n, 30% rewired",
    "tree": "a uniformly random labelled tree (directed: oriented away from a random root)",
    "dag": "a random DAG: a hidden random order, each forward pair an edge with probability `density`",
    "bipartite": "a random bipartite graph on two parts, each cross pair an edge with probability `density`",
    "grid": "a rows x columns grid of about n nodes",
    "regular": "a random d-regular graph, d about density * n",
    "tournament": "a random tournament: exactly one arc between every pair (directed only)",
    "complete": "the complete graph (every pair an edge)",
}


@dataclass(frozen=True)
class GraphShape:
    """What a task needs from a random graph (not from a user's graph, which is taken as it is).

    ``directed``: the graph's kind; ``connected``: (weakly) connected; ``weighted``: integer weights
    1..max_weight on every edge.
    """

    directed: bool = False
    weighted: bool = False
    connected: bool = False
    max_weight: int = 9


def random_graph(rng: random.Random, model: str, n: int, density: float, shape: GraphShape) -> nx.Graph:
    """A random graph of ``model`` on nodes 0..n-1 (randomly relabelled), shaped as ``shape`` asks.

    >>> g = random_graph(random.Random(1), "gnp", 8, 0.4, GraphShape(connected=True, weighted=True))
    >>> sorted(g) == list(range(8)), nx.is_connected(g), all("weight" in d for *_, d in g.edges(data=True))
    (True, True, True)
    """
    if model not in MODELS:
        raise ConfigError("model", f"must be one of {', '.join(sorted(MODELS))} or 'mixed'", model)
    if n < 1:
        raise ConfigError("nodes", "must be at least 1", n)
    seed = rng.randrange(2**32)
    graph = _draw(rng, seed, model, n, density, shape.directed)
    if shape.directed and not graph.is_directed():
        graph = orient(rng, graph)
    if not shape.directed and graph.is_directed():
        graph = nx.Graph(graph)
    graph = shuffle_labels(rng, graph)
    if shape.connected:
        connect(rng, graph)
    if shape.weighted:
        add_weights(rng, graph, shape.max_weight)
    return graph


def _draw(rng: random.Random, seed: int, model: str, n: int, density: float, directed: bool) -> nx.Graph:
    density = min(max(density, 0.0), 1.0)
    if model == "gnp" or n < 3 and model in ("barabasi_albert", "watts_strogatz", "regular", "grid"):
        return nx.gnp_random_graph(n, density, seed=seed, directed=directed)
    if model == "barabasi_albert":
        m = min(n - 1, max(1, round(density * n / 2)))
        return nx.barabasi_albert_graph(n, m, seed=seed)
    if model == "watts_strogatz":
        k = min(n - 1, max(2, round(density * n)))
        return nx.watts_strogatz_graph(n, k, 0.3, seed=seed)
    if model == "tree":
        tree = nx.random_labeled_tree(n, seed=seed) if n > 1 else nx.empty_graph(1)
        if not directed:
            return tree
        root = rng.randrange(n)
        return nx.bfs_tree(tree, root)  # arcs point away from the root
    if model == "dag":
        order = list(range(n))
        rng.shuffle(order)
        dag = nx.DiGraph()
        dag.add_nodes_from(range(n))
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < density:
                    dag.add_edge(order[i], order[j])
        return dag if directed else nx.Graph(dag)
    if model == "bipartite":
        left = max(1, n // 2 + rng.randint(-(n // 6), n // 6))
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        for u in range(left):
            for v in range(left, n):
                if rng.random() < density:
                    graph.add_edge(u, v)
        return graph
    if model == "grid":
        rows = max(1, int(math.sqrt(n)))
        cols = max(1, n // rows)
        return nx.convert_node_labels_to_integers(nx.grid_2d_graph(rows, cols), ordering="sorted")
    if model == "regular":
        d = min(n - 1, max(1, round(density * n)))
        if d * n % 2:
            d = d - 1 if d > 1 else d + 1
        if d >= n:
            return nx.complete_graph(n)
        return nx.random_regular_graph(d, n, seed=seed)
    if model == "tournament":
        return nx.tournament.random_tournament(n, seed=seed) if n > 1 else nx.empty_graph(1, create_using=nx.DiGraph)
    if model == "complete":
        return nx.complete_graph(n, create_using=nx.DiGraph if directed else nx.Graph)
    raise AssertionError(model)  # MODELS and this function disagree: a bug


def orient(rng: random.Random, graph: nx.Graph) -> nx.DiGraph:
    """Each undirected edge becomes one arc of a random direction (a few become both ways)."""
    out = nx.DiGraph()
    out.add_nodes_from(sorted(graph))
    for u, v in sorted((min(e), max(e)) for e in graph.edges()):
        r = rng.random()
        if r < 0.1:
            out.add_edge(u, v)
            out.add_edge(v, u)
        elif r < 0.55:
            out.add_edge(u, v)
        else:
            out.add_edge(v, u)
    return out


def shuffle_labels(rng: random.Random, graph: nx.Graph) -> nx.Graph:
    """The graph with nodes relabelled 0..n-1 by a random permutation (and nodes inserted in order)."""
    nodes = sorted(graph)
    perm = list(range(len(nodes)))
    rng.shuffle(perm)
    mapping = {node: perm[i] for i, node in enumerate(nodes)}
    out = graph.__class__()
    out.add_nodes_from(range(len(nodes)))
    out.add_edges_from(sorted((mapping[u], mapping[v]) for u, v in graph.edges()))
    return out


def connect(rng: random.Random, graph: nx.Graph) -> None:
    """Join every (weak) component to the first one with one random edge, in place."""
    components = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    parts = sorted((sorted(c) for c in components), key=lambda c: (-len(c), c[0]))
    for part in parts[1:]:
        u, v = rng.choice(parts[0]), rng.choice(part)
        if graph.is_directed() and rng.random() < 0.5:
            u, v = v, u
        graph.add_edge(u, v)


def add_weights(rng: random.Random, graph: nx.Graph, max_weight: int) -> None:
    """An integer weight 1..max_weight on every edge, drawn in sorted edge order (in place)."""
    for u, v in sorted(graph.edges()):
        graph[u][v]["weight"] = rng.randint(1, max_weight)


def canonical_user_graph(graph: object, *, directed: bool | None, weighted: bool) -> nx.Graph:
    """A user's networkx graph as the tasks use it: simple, JSON-safe node ids, numeric weights.

    ``directed`` None accepts either kind; True/False demands it. With ``weighted``, missing
    weights count as 1; without it, weights are dropped.

    >>> g = canonical_user_graph(nx.karate_club_graph(), directed=False, weighted=True)
    >>> g.number_of_nodes(), g[0][1]["weight"]
    (34, 4)
    """
    if not isinstance(graph, nx.Graph):
        raise ConfigError("graph", "must be a networkx Graph or DiGraph", type(graph).__name__)
    if graph.is_multigraph():
        raise ConfigError("graph", "must be a simple graph; convert with nx.Graph(G) or nx.DiGraph(G)", type(graph).__name__)
    if directed is not None and graph.is_directed() != directed:
        need = "a directed graph (nx.DiGraph)" if directed else "an undirected graph (nx.Graph; G.to_undirected())"
        raise ConfigError("graph", f"this task needs {need}", type(graph).__name__)
    if graph.number_of_nodes() == 0:
        raise ConfigError("graph", "has no nodes", 0)
    for node in graph:
        if isinstance(node, bool) or not isinstance(node, (int, str)) or (isinstance(node, int) and node < 0):
            raise ConfigError(
                "graph",
                "node ids must be non-negative ints or strings; relabel with nx.convert_node_labels_to_integers(G)",
                node,
            )
        if isinstance(node, str) and not _is_name(node):
            raise ConfigError("graph", "string node ids must be single words (a letter, then letters, digits, _ or .)", node)
        if isinstance(node, str) and node.casefold() in RESERVED_WORDS:
            # "[a, or]" would read as a hedge, "none" as the empty answer: answers could not name it
            raise ConfigError("graph", "a node id is a word of the answer grammar (or, none, and, node...); relabel it", node)
    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    out.add_nodes_from(sorted(graph, key=node_sort_key))
    for u, v, attributes in sorted(graph.edges(data=True), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1]))):
        if weighted:
            weight = attributes.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight):
                raise ConfigError("graph", f"edge ({u!r}, {v!r}) has a non-numeric weight", weight)
            if isinstance(weight, float) and weight.is_integer():
                weight = int(weight)
            out.add_edge(u, v, weight=weight)
        else:
            out.add_edge(u, v)
    return out


def _is_name(text: str) -> bool:
    return bool(text) and text[0].isalpha() and all(c.isalnum() or c in "_." for c in text)

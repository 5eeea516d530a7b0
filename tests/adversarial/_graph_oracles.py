"""Independent ground truth for the graph adversarial tests: networkx and brute force, never Assay.

Nothing here imports assay's graph code: the graph is rebuilt from the payload by hand, truths come
from networkx (or small exhaustive searches for the NP-hard ones), and each structure answer has its
own validity-and-optimality oracle written from the textbook definition.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx

Node = Hashable


# -- the problem's graph and names ------------------------------------------------------------


def graph_of(payload: dict[str, Any]) -> nx.Graph:
    """The graph of ``data["graph"]`` (DESIGN.md's payload), rebuilt without Assay's helpers."""
    graph = nx.DiGraph() if payload["directed"] else nx.Graph()
    graph.add_nodes_from(payload["nodes"])
    for edge in payload["edges"]:
        graph.add_edge(edge[0], edge[1], **({"weight": edge[2]} if len(edge) == 3 else {}))
    return graph


class Names:
    """How the prompt writes each node: its label in named encodings, else its id."""

    def __init__(self, data: dict[str, Any]) -> None:
        nodes = data["graph"]["nodes"]
        labels = data.get("labels")
        self.named = labels is not None
        self.text = {node: (labels[i] if labels else str(node)) for i, node in enumerate(nodes)}

    def show(self, node: Node) -> str:
        return self.text[node]

    def seq(self, nodes: Sequence[Node]) -> list[str]:
        return [self.text[n] for n in nodes]


# -- scalar truths ----------------------------------------------------------------------------


def number_truth(task: str, G: nx.Graph, p: dict[str, Any]) -> int:
    name = task.split("/")[1]
    if name == "node_count":
        return G.number_of_nodes()
    if name == "edge_count":
        return G.number_of_edges()
    if name == "degree":
        return G.out_degree(p["node"]) if G.is_directed() else G.degree(p["node"])
    if name == "triangles":
        return sum(nx.triangles(G).values()) // 3
    if name == "connected_components":
        return nx.number_connected_components(G)
    if name == "weakly_connected_components":
        return nx.number_weakly_connected_components(G)
    if name == "strongly_connected_components":
        return nx.number_strongly_connected_components(G)
    if name == "diameter":
        return nx.diameter(G)
    if name == "radius":
        return nx.radius(G)
    if name == "wiener_index":
        return int(nx.wiener_index(G))
    if name == "local_node_connectivity":
        return nx.connectivity.local_node_connectivity(G, p["s"], p["t"])
    if name == "local_edge_connectivity":
        return nx.connectivity.local_edge_connectivity(G, p["s"], p["t"])
    if name == "max_flow_value":
        return nx.maximum_flow_value(G, p["source"], p["sink"], capacity="weight")
    if name == "chromatic_number":
        return chromatic_number(G)
    raise KeyError(task)


def real_truth(task: str, G: nx.Graph, p: dict[str, Any]) -> float:
    name = task.split("/")[1]
    if name == "density":
        return nx.density(G)
    if name in ("jaccard", "adamic_adar", "resource_allocation"):
        index = {"jaccard": nx.jaccard_coefficient, "adamic_adar": nx.adamic_adar_index,
                 "resource_allocation": nx.resource_allocation_index}[name]
        return next(iter(index(G, [(p["u"], p["v"])])))[2]
    if name == "clustering":
        return nx.clustering(G, p["node"])
    if name == "average_neighbour_degree":
        return nx.average_neighbor_degree(G, nodes=[p["node"]])[p["node"]]
    if name == "degree_centrality":
        return nx.degree_centrality(G)[p["node"]]
    if name == "closeness_centrality":
        return nx.closeness_centrality(G, u=p["node"])
    if name == "betweenness_centrality":
        return nx.betweenness_centrality(G, normalized=True)[p["node"]]
    if name == "harmonic_centrality":
        return nx.harmonic_centrality(G, nbunch=[p["node"]])[p["node"]]
    if name == "global_efficiency":
        return nx.global_efficiency(G)
    raise KeyError(task)


def yes_no_truth(task: str, G: nx.Graph, p: dict[str, Any]) -> bool:
    name = task.split("/")[1]
    if name == "edge_exists":
        return G.has_edge(p["u"], p["v"])
    if name == "is_regular":
        return nx.is_regular(G)
    if name == "is_tournament":
        return nx.tournament.is_tournament(G)
    if name == "has_cycle":
        return not nx.is_directed_acyclic_graph(G) if G.is_directed() else not nx.is_forest(G)
    if name == "is_bipartite":
        return nx.is_bipartite(G)
    if name == "is_eulerian":
        return nx.is_eulerian(G)
    raise KeyError(task)


def set_truth(task: str, G: nx.Graph, p: dict[str, Any]) -> set[Node]:
    name = task.split("/")[1]
    if name == "neighbours":
        return set(G.successors(p["node"]) if G.is_directed() else G.neighbors(p["node"]))
    if name == "common_neighbours":
        return set(nx.common_neighbors(G, p["u"], p["v"]))
    if name == "center":
        return set(nx.center(G))
    if name == "periphery":
        return set(nx.periphery(G))
    if name == "barycenter":
        return set(nx.barycenter(G))
    if name == "articulation_points":
        return set(nx.articulation_points(G))
    raise KeyError(task)


def chromatic_number(G: nx.Graph) -> int:
    """The fewest colours of a proper colouring, by trying k = 1, 2, ... with backtracking."""
    nodes = sorted(G, key=lambda n: -G.degree(n))
    for k in range(1, len(nodes) + 1):
        if _colourable(G, nodes, k, {}, 0):
            return k
    return 0


def _colourable(G: nx.Graph, nodes: list[Node], k: int, colour: dict[Node, int], i: int) -> bool:
    if i == len(nodes):
        return True
    used = {colour[m] for m in G[nodes[i]] if m in colour}
    for c in range(min(k, i + 1)):
        if c not in used:
            colour[nodes[i]] = c
            if _colourable(G, nodes, k, colour, i + 1):
                return True
            del colour[nodes[i]]
    return False


# -- structure oracles ------------------------------------------------------------------------


def is_walk(G: nx.Graph, nodes: Sequence[Node]) -> bool:
    return all(G.has_edge(u, v) for u, v in zip(nodes, nodes[1:]))


def distinct_known(G: nx.Graph, nodes: Sequence[Node]) -> bool:
    return len(set(nodes)) == len(nodes) and all(n in G for n in nodes)


def path_weight(G: nx.Graph, nodes: Sequence[Node], weighted: bool) -> float:
    return sum(G[u][v]["weight"] if weighted else 1 for u, v in zip(nodes, nodes[1:]))


def valid_shortest_path(G: nx.Graph, path: Sequence[Node], s: Node, t: Node, weighted: bool) -> bool:
    if not path or not distinct_known(G, path) or path[0] != s or path[-1] != t or not is_walk(G, path):
        return False
    best = nx.shortest_path_length(G, s, t, weight="weight" if weighted else None)
    return path_weight(G, path, weighted) == best


def reachable(G: nx.Graph, s: Node) -> set[Node]:
    return (nx.descendants(G, s) if G.is_directed() else nx.node_connected_component(G, s)) | {s}


def valid_bfs_order(G: nx.Graph, order: Sequence[Node], s: Node) -> bool:
    """The parent characterisation: each node's earliest visited (in-)neighbour is its parent,
    and parents appear in non-decreasing visiting order."""
    if not order or not distinct_known(G, order) or order[0] != s or set(order) != reachable(G, s):
        return False
    position = {n: i for i, n in enumerate(order)}
    last_parent = 0
    for v in order[1:]:
        before = [u for u in (G.predecessors(v) if G.is_directed() else G.neighbors(v)) if position.get(u, 10**9) < position[v]]
        if not before:
            return False
        parent = min(position[u] for u in before)
        if parent < last_parent:
            return False
        last_parent = parent
    return True


def valid_dfs_order(G: nx.Graph, order: Sequence[Node], s: Node) -> bool:
    """Replayed: each next node hangs off the deepest node of the current path that still has an
    unvisited successor; a node with none is popped."""
    if not order or not distinct_known(G, order) or order[0] != s or set(order) != reachable(G, s):
        return False
    succ = (lambda n: set(G.successors(n))) if G.is_directed() else (lambda n: set(G.neighbors(n)))
    path, seen = [s], {s}
    for v in order[1:]:
        while path and not (succ(path[-1]) - seen):
            path.pop()
        if not path or v not in succ(path[-1]) - seen:
            return False
        path.append(v)
        seen.add(v)
    return True


def valid_topological_order(G: nx.DiGraph, order: Sequence[Node]) -> bool:
    if not distinct_known(G, order) or set(order) != set(G):
        return False
    position = {n: i for i, n in enumerate(order)}
    return all(position[u] < position[v] for u, v in G.edges())


def open_cycle(nodes: Sequence[Node]) -> list[Node]:
    nodes = list(nodes)
    return nodes[:-1] if len(nodes) > 1 and nodes[0] == nodes[-1] else nodes


def valid_cycle(G: nx.Graph, nodes: Sequence[Node]) -> bool:
    cycle = open_cycle(nodes)
    if len(cycle) < (2 if G.is_directed() else 3) or not distinct_known(G, cycle):
        return False
    return is_walk(G, cycle + cycle[:1])


def valid_eulerian_circuit(G: nx.Graph, walk: Sequence[Node], s: Node) -> bool:
    walk = list(walk)
    if not walk or walk[0] != s or any(n not in G for n in walk):
        return False
    if walk[-1] != s:
        walk.append(s)
    if not is_walk(G, walk):
        return False
    used = [(u, v) if G.is_directed() else frozenset((u, v)) for u, v in zip(walk, walk[1:])]
    return len(used) == len(set(used)) == G.number_of_edges()


def valid_hamiltonian_path(G: nx.Graph, path: Sequence[Node]) -> bool:
    return distinct_known(G, path) and set(path) == set(G) and is_walk(G, path)


def optimal_tour_cost(G: nx.Graph) -> float:
    """Held-Karp over the nodes (12 at most here)."""
    nodes = sorted(G)
    first, rest = nodes[0], nodes[1:]
    cost = {(frozenset([v]), v): G[first][v]["weight"] for v in rest}
    for size in range(2, len(rest) + 1):
        for subset in itertools.combinations(rest, size):
            chosen = frozenset(subset)
            for v in subset:
                cost[(chosen, v)] = min(cost[(chosen - {v}, u)] + G[u][v]["weight"] for u in subset if u != v)
    everything = frozenset(rest)
    return min(cost[(everything, v)] + G[v][first]["weight"] for v in rest)


def tour_cost(G: nx.Graph, tour: Sequence[Node]) -> float | None:
    tour = open_cycle(tour)
    if not distinct_known(G, tour) or set(tour) != set(G) or not is_walk(G, tour + tour[:1]):
        return None
    return path_weight(G, tour + tour[:1], True)


def edge_key(G: nx.Graph, u: Node, v: Node) -> Any:
    return (u, v) if G.is_directed() else frozenset((u, v))


def real_distinct_edges(G: nx.Graph, edges: Sequence[tuple[Node, Node]]) -> bool:
    keys = [edge_key(G, u, v) for u, v in edges]
    return len(keys) == len(set(keys)) and all(u in G and v in G and G.has_edge(u, v) for u, v in edges)


def valid_spanning_tree(G: nx.Graph, edges: Sequence[tuple[Node, Node]]) -> bool:
    if not real_distinct_edges(G, edges):
        return False
    tree = nx.Graph()
    tree.add_nodes_from(G)
    tree.add_edges_from(edges)
    if not nx.is_tree(tree):
        return False
    best = nx.minimum_spanning_tree(G).size(weight="weight")
    return sum(G[u][v]["weight"] for u, v in edges) == best


def valid_matching(G: nx.Graph, edges: Sequence[tuple[Node, Node]], weighted: bool) -> bool:
    if not real_distinct_edges(G, edges):
        return False
    ends = [n for e in edges for n in e]
    if len(ends) != len(set(ends)):
        return False
    if weighted:
        best = sum(G[u][v]["weight"] for u, v in nx.max_weight_matching(G))
        return sum(G[u][v]["weight"] for u, v in edges) == best
    return len(edges) == len(nx.max_weight_matching(G, maxcardinality=True, weight=None))


def valid_edge_cover(G: nx.Graph, edges: Sequence[tuple[Node, Node]]) -> bool:
    if not real_distinct_edges(G, edges):
        return False
    if {n for e in edges for n in e} != set(G):
        return False
    return len(edges) == len(nx.min_edge_cover(G))


def max_clique_size(G: nx.Graph) -> int:
    return nx.max_weight_clique(G, weight=None)[1] if G.number_of_nodes() else 0


def min_dominating_size(G: nx.Graph) -> int:
    nodes = sorted(G)
    for k in range(1, len(nodes) + 1):
        for chosen in itertools.combinations(nodes, k):
            if nx.is_dominating_set(G, chosen):
                return k
    return 0


def valid_node_set(task: str, G: nx.Graph, nodes: Sequence[Node], cache: dict[str, int]) -> bool:
    """Validity and optimality of the four NP-hard node-set answers (optimum cached per problem)."""
    if not distinct_known(G, nodes):
        return False
    chosen = set(nodes)
    name = task.split("/")[1]
    if name == "maximum_independent_set":
        ok = not any(G.has_edge(u, v) for u, v in itertools.combinations(chosen, 2))
        best = cache.setdefault(name, max_clique_size(nx.complement(G)))
        return ok and len(chosen) == best
    if name == "maximum_clique":
        ok = all(G.has_edge(u, v) for u, v in itertools.combinations(chosen, 2))
        return ok and len(chosen) == cache.setdefault(name, max_clique_size(G))
    if name == "minimum_vertex_cover":
        ok = all(u in chosen or v in chosen for u, v in G.edges())
        best = cache.setdefault(name, G.number_of_nodes() - max_clique_size(nx.complement(G)))
        return ok and len(chosen) == best
    if name == "minimum_dominating_set":
        ok = nx.is_dominating_set(G, chosen)
        return ok and len(chosen) == cache.setdefault(name, min_dominating_size(G))
    raise KeyError(task)


def valid_coloring(G: nx.Graph, pairs: Sequence[tuple[Node, Any]], k: int) -> bool:
    nodes = [n for n, _ in pairs]
    if not distinct_known(G, nodes) or set(nodes) != set(G):
        return False
    colour = dict(pairs)
    # the prompt says "numbered 1 to k": a colour outside 1..k is wrong whatever the count
    if not all(type(c) is int and 1 <= c <= k for c in colour.values()):
        return False
    return all(colour[u] != colour[v] for u, v in G.edges()) and len(set(colour.values())) <= k


def valid_isomorphism(G: nx.Graph, H: nx.Graph, pairs: Sequence[tuple[Node, Node]]) -> bool:
    keys = [a for a, _ in pairs]
    images = [b for _, b in pairs]
    if not distinct_known(G, keys) or set(keys) != set(G) or not distinct_known(H, images) or set(images) != set(H):
        return False
    f = dict(pairs)
    return all(H.has_edge(f[u], f[v]) for u, v in G.edges()) and G.number_of_edges() == H.number_of_edges()


def valid_flow(G: nx.DiGraph, stated: Fraction, arcs: Sequence[tuple[Node, Node, Fraction]], s: Node, t: Node) -> bool:
    seen = set()
    balance = {n: Fraction(0) for n in G}
    for u, v, f in arcs:
        if (u, v) in seen or not G.has_edge(u, v) or f < 0 or f > G[u][v]["weight"]:
            return False
        seen.add((u, v))
        balance[u] -= f
        balance[v] += f
    if any(balance[n] != 0 for n in G if n not in (s, t)):
        return False
    value = -balance[s]
    return value == stated == nx.maximum_flow_value(G, s, t, capacity="weight")

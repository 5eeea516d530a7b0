"""Exact solvers for the NP-hard graph questions on small graphs (about 20 nodes): bitmask
branch-and-bound for independent sets, cliques, dominating sets and colourings; Held-Karp for tours.

Deterministic: ties are broken by the graph's node order, never by set or hash order.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

MAX_NODES = 40  # the searches are exponential: refuse graphs far beyond what tasks generate
MAX_TOUR_NODES = 13  # Held-Karp is O(2^n n^2)


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _masks(G: nx.Graph, complement: bool = False) -> tuple[list[Hashable], list[int]]:
    nodes = list(G)
    if len(nodes) > MAX_NODES:
        raise ValueError(f"exact search supports at most {MAX_NODES} nodes, got {len(nodes)}")
    index = {node: i for i, node in enumerate(nodes)}
    masks = [0] * len(nodes)
    for u, v in G.edges():
        if u != v:
            masks[index[u]] |= 1 << index[v]
            masks[index[v]] |= 1 << index[u]
    if complement:
        full = (1 << len(nodes)) - 1
        masks = [(full ^ mask) & ~(1 << i) for i, mask in enumerate(masks)]
    return nodes, masks


def _max_independent_mask(masks: list[int], candidates: int) -> int:
    best = [0, 0]  # size, mask

    def search(cand: int, chosen: int, size: int) -> None:
        if size + cand.bit_count() <= best[0]:
            return
        # nodes with at most one neighbour left are always safe to take
        changed = True
        while changed and cand:
            changed = False
            for i in _bits(cand):
                if (cand >> i) & 1 and (masks[i] & cand).bit_count() <= 1:
                    chosen |= 1 << i
                    size += 1
                    cand &= ~(masks[i] | (1 << i))
                    changed = True
        if not cand:
            if size > best[0]:
                best[0], best[1] = size, chosen
            return
        if size + cand.bit_count() <= best[0]:
            return
        pivot = max(_bits(cand), key=lambda i: ((masks[i] & cand).bit_count(), -i))
        search(cand & ~(masks[pivot] | (1 << pivot)), chosen | (1 << pivot), size + 1)
        search(cand & ~(1 << pivot), chosen, size)

    search(candidates, 0, 0)
    return best[1]


def maximum_independent_set(G: nx.Graph) -> list[Any]:
    """A maximum independent set of the undirected graph ``G``, in node order.

    >>> maximum_independent_set(nx.path_graph(5))
    [0, 2, 4]
    """
    nodes, masks = _masks(G)
    return [nodes[i] for i in _bits(_max_independent_mask(masks, (1 << len(nodes)) - 1))]


def maximum_clique(G: nx.Graph) -> list[Any]:
    """A maximum clique of the undirected graph ``G``, in node order.

    >>> maximum_clique(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))
    [0, 1, 2]
    """
    nodes, masks = _masks(G, complement=True)
    return [nodes[i] for i in _bits(_max_independent_mask(masks, (1 << len(nodes)) - 1))]


def minimum_vertex_cover(G: nx.Graph) -> list[Any]:
    """A minimum vertex cover (the complement of a maximum independent set), in node order.

    >>> minimum_vertex_cover(nx.star_graph(3))
    [0]
    """
    independent = set(maximum_independent_set(G))
    return [node for node in G if node not in independent]


def minimum_dominating_set(G: nx.Graph, forbidden: Sequence[Any] = ()) -> list[Any] | None:
    """A minimum dominating set of the undirected graph ``G``, in node order, choosing none of
    ``forbidden`` (None when that leaves a node undominable).

    >>> minimum_dominating_set(nx.path_graph(6))
    [1, 4]
    >>> minimum_dominating_set(nx.path_graph(6), forbidden=[1])
    [0, 2, 4]
    """
    nodes, masks = _masks(G)
    banned = {nodes.index(node) for node in forbidden}
    n = len(nodes)
    full = (1 << n) - 1
    closed = [mask | (1 << i) for i, mask in enumerate(masks)]
    widest = max((c.bit_count() for c in closed), default=1)
    best = [n + 1, full]

    def search(dominated: int, chosen: int, size: int) -> None:
        if dominated == full:
            if size < best[0]:
                best[0], best[1] = size, chosen
            return
        left = (full ^ dominated).bit_count()
        if size + -(-left // widest) >= best[0]:
            return
        # branch on the undominated node with the fewest ways to dominate it
        target = min(_bits(full ^ dominated), key=lambda i: (closed[i].bit_count(), i))
        options = sorted((j for j in _bits(closed[target]) if j not in banned), key=lambda j: (-(closed[j] & ~dominated).bit_count(), j))
        for j in options:
            search(dominated | closed[j], chosen | (1 << j), size + 1)

    search(0, 0, 0)
    if best[0] > n:
        return None
    return [nodes[i] for i in _bits(best[1])]


def color_with(G: nx.Graph, k: int) -> dict[Any, int] | None:
    """A proper colouring of ``G`` with colours 0..k-1, or None when there is none.

    >>> color_with(nx.cycle_graph(5), 2) is None
    True
    >>> sorted(set(color_with(nx.cycle_graph(5), 3).values()))
    [0, 1, 2]
    """
    nodes, masks = _masks(G)
    n = len(nodes)
    if any(G.has_edge(u, u) for u in G):
        return None
    order = sorted(range(n), key=lambda i: (-masks[i].bit_count(), i))
    colour = [-1] * n

    def search(step: int, used: int) -> bool:
        if step == n:
            return True
        i = order[step]
        taken = {colour[j] for j in _bits(masks[i]) if colour[j] >= 0}
        # a fresh colour is tried only once (as colour `used`), which breaks colour symmetry
        for c in range(min(used + 1, k)):
            if c not in taken:
                colour[i] = c
                if search(step + 1, max(used, c + 1)):
                    return True
        colour[i] = -1
        return False

    if not search(0, 0):
        return None
    return {nodes[i]: colour[i] for i in range(n)}


def chromatic_number(G: nx.Graph) -> tuple[int, dict[Any, int]]:
    """The chromatic number of ``G`` and an optimal colouring.

    >>> chromatic_number(nx.cycle_graph(5))[0]
    3
    """
    if G.number_of_nodes() == 0:
        return 0, {}
    k = max(1, len(maximum_clique(G)))
    while True:
        coloring = color_with(G, k)
        if coloring is not None:
            return k, coloring
        k += 1


def shortest_tour(G: nx.Graph, weight: str = "weight") -> tuple[float, list[Any]]:
    """The cost and nodes of a cheapest Hamiltonian cycle of the complete graph ``G`` (Held-Karp),
    starting at its first node.

    >>> G = nx.complete_graph(4)
    >>> nx.set_edge_attributes(G, 1, "weight")
    >>> shortest_tour(G)[0]
    4
    """
    nodes = list(G)
    n = len(nodes)
    if n > MAX_TOUR_NODES:
        raise ValueError(f"Held-Karp supports at most {MAX_TOUR_NODES} nodes, got {n}")
    if n == 1:
        return 0, nodes
    cost = [[G.edges[u, v][weight] if G.has_edge(u, v) else None for v in nodes] for u in nodes]
    # best[mask][j]: cheapest path from node 0 through the nodes of mask (which holds j), ending at j
    best: dict[tuple[int, int], tuple[Any, int]] = {(1 << j, j): (cost[0][j], 0) for j in range(1, n) if cost[0][j] is not None}
    # each node's onward steps (k ascending, as the search has always tried them): (k, its bit, cost)
    steps = [[(k, 1 << k, cost[j][k]) for k in range(1, n) if cost[j][k] is not None] for j in range(n)]
    last_layer = dict(best)  # the paths through size - 1 nodes, in the order best got them
    for _ in range(2, n):
        layer: dict[tuple[int, int], tuple[Any, int]] = {}
        for (mask, j), (value, _) in last_layer.items():
            for k, bit, step in steps[j]:
                if mask & bit:
                    continue
                key = (mask | bit, k)
                candidate = value + step
                held = layer.get(key)
                if held is None or candidate < held[0]:
                    layer[key] = (candidate, j)
        best.update(layer)
        last_layer = layer
    full = (1 << n) - 2
    finals = [(best[(full, j)][0] + cost[j][0], j) for j in range(1, n) if (full, j) in best and cost[j][0] is not None]
    if not finals:
        raise ValueError("the graph has no Hamiltonian cycle")
    total, last = min(finals)
    path = []
    mask = full
    while last != 0:
        path.append(nodes[last])
        _, previous = best[(mask, last)]
        mask &= ~(1 << last)
        last = previous
    return total, [nodes[0]] + path[::-1]


def hamiltonian_path(G: nx.Graph) -> list[Any] | None:
    """A Hamiltonian path of ``G`` (directed or not), by bitmask dynamic programming, or None.

    >>> hamiltonian_path(nx.DiGraph([(2, 1), (1, 0)]))
    [2, 1, 0]
    >>> hamiltonian_path(nx.star_graph(3)) is None
    True
    """
    nodes = list(G)
    n = len(nodes)
    if n > 16:
        raise ValueError("hamiltonian_path supports at most 16 nodes")
    index = {node: i for i, node in enumerate(nodes)}
    succ = [0] * n
    for u, v in G.edges():
        succ[index[u]] |= 1 << index[v]
        if not G.is_directed():
            succ[index[v]] |= 1 << index[u]
    # reach[mask]: the set of end nodes of paths visiting exactly mask
    reach = [0] * (1 << n)
    for i in range(n):
        reach[1 << i] = 1 << i
    for mask in range(1, 1 << n):
        ends = reach[mask]
        for j in _bits(ends):
            for k in _bits(succ[j] & ~mask):
                reach[mask | 1 << k] |= 1 << k
    full = (1 << n) - 1
    if not reach[full]:
        return None
    path = [min(_bits(reach[full]))]
    mask = full
    while mask.bit_count() > 1:
        current = path[-1]
        mask &= ~(1 << current)
        previous = next(j for j in _bits(reach[mask]) if succ[j] >> current & 1)
        path.append(previous)
    return [nodes[i] for i in reversed(path)]


def another_maximum(solve: Any, G: nx.Graph, reference: Sequence[Any]) -> list[Any] | None:
    """Another maximum node set than ``reference`` (independent set, clique...), or None: re-solve
    with each reference node deleted in turn; an answer of a subgraph is an answer of ``G``.

    >>> another_maximum(maximum_independent_set, nx.path_graph(4), [0, 2])
    [1, 3]
    """
    for node in reference:
        H = G.copy()
        H.remove_node(node)
        other = solve(H)
        if len(other) == len(reference):
            return other
    return None

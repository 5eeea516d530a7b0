"""Validity and optimality checks of graph structures (paths, trees, flows, sets, colourings...).

Pure functions on a networkx graph and an already-parsed answer, each returning a Verdict.

Every check first proves the answer is a valid structure of the graph (reason ``"invalid"``, with a
precise ``detail["violation"]`` such as ``"non_edge"`` or ``"repeated_node"``), then compares its
objective with the stored optimum (reason ``"suboptimal"``) or, for questions with one right set,
the set itself (reason ``"wrong_answer"``). ``detail["message"]`` says what was wrong in words;
optimisation checks also put ``value`` and ``optimum`` in ``detail``. Exact numbers (integer weights,
parsed amounts) compare exactly; floats (a user's float weights) within ``TOLERANCE`` (relative and
absolute), so 0.1 + 0.2 equals 0.3.

Answers are node or edge sequences, not sets: a repeated item is a violation in its own right, so
an independent set of one node listed twice never passes.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from assay.types import Verdict

# the checks of edge sets, node sets, flows, colourings and mappings live beside these; re-exported here
from assay.verifiers.graph.set_checks import (
    check_clique,
    check_coloring,
    check_dominating_set,
    check_edge_cover,
    check_flow,
    check_independent_set,
    check_isomorphism,
    check_matching,
    check_vertex_cover,
)
from assay.verifiers.graph.verdicts import (
    TOLERANCE,
    Number,
    close_values,
    compare,
    edge_key,
    edge_weight,
    edges_problem,
    invalid,
    missing_nodes,
    nodes_problem,
    out_neighbours,
    show,
    walk_problem,
)

__all__ = [
    "TOLERANCE",
    "check_bfs_order",
    "check_clique",
    "check_coloring",
    "check_cycle",
    "check_dfs_order",
    "check_dominating_set",
    "check_edge_cover",
    "check_edge_set",
    "check_eulerian_circuit",
    "check_flow",
    "check_hamiltonian_path",
    "check_independent_set",
    "check_isomorphism",
    "check_matching",
    "check_node_set",
    "check_path",
    "check_spanning_tree",
    "check_topological_order",
    "check_tour",
    "check_vertex_cover",
    "close_values",
]

# -- paths, cycles, walks ---------------------------------------------------------------------------


def check_path(
    G: nx.Graph,
    path: Sequence[Any],
    source: Any,
    target: Any,
    *,
    optimum: Number | None = None,
    weight: str | None = None,
) -> Verdict:
    """A simple path from ``source`` to ``target`` whose length (edge count, or total ``weight``)
    equals ``optimum`` (None: any simple path passes).

    >>> G = nx.cycle_graph(4)
    >>> check_path(G, [0, 3, 2], 0, 2, optimum=2).passed   # the other way round is as short
    True
    >>> check_path(G, [0, 2], 0, 2, optimum=2).detail["violation"]
    'non_edge'
    """
    if not path:
        return invalid("empty", "the path names no node")
    problem = nodes_problem(G, path)
    if problem:
        return problem
    if path[0] != source or path[-1] != target:
        return invalid(
            "wrong_endpoints",
            f"the path must run from {show(source)} to {show(target)}, not {show(path[0])} to {show(path[-1])}",
        )
    problem = walk_problem(G, path)
    if problem:
        return problem
    length = sum(edge_weight(G, u, v, weight) for u, v in zip(path, path[1:]))
    return compare(length, optimum, maximise=False, what="total weight" if weight else "length")


def check_hamiltonian_path(G: nx.Graph, path: Sequence[Any], *, source: Any = None, target: Any = None) -> Verdict:
    """A path through every node exactly once (from ``source`` / to ``target`` when given).

    >>> check_hamiltonian_path(nx.path_graph(3), [2, 1, 0]).passed
    True
    >>> check_hamiltonian_path(nx.path_graph(3), [0, 1]).detail["violation"]
    'missing_node'
    """
    if not path:
        return invalid("empty", "the path names no node")
    problem = nodes_problem(G, path) or missing_nodes(G, path)
    if problem:
        return problem
    if (source is not None and path[0] != source) or (target is not None and path[-1] != target):
        return invalid("wrong_endpoints", f"the path must start at {show(source)} and end at {show(target)}")
    return walk_problem(G, path) or Verdict.correct()


def _open_cycle(cycle: Sequence[Any]) -> list[Any]:
    """A cycle written with or without its first node repeated at the end, as the open form."""
    cycle = list(cycle)
    if len(cycle) > 1 and cycle[0] == cycle[-1]:
        cycle.pop()
    return cycle


def check_cycle(G: nx.Graph, cycle: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """A simple cycle of ``G`` given as its nodes in order (the first may be repeated at the end).

    Undirected cycles need three distinct nodes (going 1-2-1 reuses one edge); directed ones two;
    a self-loop is a cycle of one node. ``optimum``: the required length (for a girth question).

    >>> check_cycle(nx.cycle_graph(4), [1, 2, 3, 0, 1]).passed
    True
    >>> check_cycle(nx.path_graph(3), [0, 1, 0]).detail["violation"]
    'too_short'
    """
    nodes = _open_cycle(cycle)
    if not nodes:
        return invalid("empty", "the cycle names no node")
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    shortest = 2 if G.is_directed() else 3
    if len(nodes) == 1:
        if not G.has_edge(nodes[0], nodes[0]):
            return invalid("too_short", f"a single node is a cycle only with a self-loop, and {show(nodes[0])} has none")
    elif len(nodes) < shortest:
        return invalid("too_short", f"a cycle of an undirected graph needs at least {shortest} distinct nodes")
    else:
        problem = walk_problem(G, nodes + [nodes[0]])
        if problem:
            return problem
    return compare(len(nodes), optimum, maximise=False, what="length")


def check_eulerian_circuit(G: nx.Graph, walk: Sequence[Any], *, source: Any = None) -> Verdict:
    """A closed walk using every edge exactly once (the closing return to the start may be
    written or left implicit), starting at ``source`` when given.

    >>> G = nx.complete_graph(5)
    >>> walk = [u for u, _ in nx.eulerian_circuit(G, source=0)]
    >>> check_eulerian_circuit(G, walk + [0], source=0).passed
    True
    >>> check_eulerian_circuit(G, walk[:4], source=0).detail["violation"]
    'missing_edge'
    """
    if not walk:
        return invalid("empty", "the circuit names no node")
    walk = list(walk)
    problem = nodes_problem(G, walk, allow_repeats=True)
    if problem:
        return problem
    if source is not None and walk[0] != source:
        return invalid("wrong_endpoints", f"the circuit must start at {show(source)}, not {show(walk[0])}")
    if walk[0] != walk[-1] or len(walk) == 1:
        walk.append(walk[0])
    problem = walk_problem(G, walk)
    if problem:
        return problem
    used = Counter(edge_key(G, u, v) for u, v in zip(walk, walk[1:]))
    repeated = [key for key, count in used.items() if count > 1]
    if repeated:
        return invalid("repeated_edge", f"edge {show(_edge_tuple(repeated[0]))} is used {used[repeated[0]]} times")
    unused = G.number_of_edges() - len(used)
    if unused:
        return invalid("missing_edge", f"{unused} edge(s) are never used", missing=unused)
    return Verdict.correct()


def _edge_tuple(key: Hashable) -> tuple[Any, ...]:
    return tuple(sorted(key, key=repr)) if isinstance(key, frozenset) else tuple(key)  # type: ignore[arg-type]


def check_tour(G: nx.Graph, tour: Sequence[Any], *, optimum: Number | None = None, weight: str = "weight") -> Verdict:
    """A closed tour visiting every node exactly once (the return to the start may be written or
    left implicit; any start and direction) whose total ``weight`` equals ``optimum``.

    >>> G = nx.complete_graph(4)
    >>> nx.set_edge_attributes(G, 1, "weight")
    >>> check_tour(G, [2, 0, 1, 3, 2], optimum=4).passed
    True
    >>> check_tour(G, [2, 0, 1, 3, 1], optimum=4).detail["violation"]
    'repeated_node'
    """
    nodes = _open_cycle(tour)
    if not nodes:
        return invalid("empty", "the tour names no node")
    problem = nodes_problem(G, nodes) or missing_nodes(G, nodes)
    if problem:
        return problem
    closed = nodes + [nodes[0]] if len(nodes) > 1 else nodes
    problem = walk_problem(G, closed)
    if problem:
        return problem
    cost = sum(edge_weight(G, u, v, weight) for u, v in zip(closed, closed[1:]))
    return compare(cost, optimum, maximise=False, what="cost")


# -- traversals and orders --------------------------------------------------------------------------


def _order_problem(G: nx.Graph, order: Sequence[Any], source: Any) -> Verdict | None:
    if not order:
        return invalid("empty", "the order names no node")
    problem = nodes_problem(G, order)
    if problem:
        return problem
    if order[0] != source:
        return invalid("wrong_start", f"the traversal must start at {show(source)}, not {show(order[0])}")
    reachable = nx.descendants(G, source) | {source} if G.is_directed() else nx.node_connected_component(G, source)
    outside = [node for node in order if node not in reachable]
    if outside:
        return invalid("unreachable_node", f"{show(outside[0])} cannot be reached from {show(source)}")
    if len(order) != len(reachable):
        return invalid("missing_node", f"{len(reachable) - len(order)} reachable node(s) are never visited")
    return None


def check_bfs_order(G: nx.Graph, order: Sequence[Any], source: Any, *, rank: Mapping[Any, int] | None = None) -> Verdict:
    """A breadth-first visiting order of every node reachable from ``source``.

    ``rank`` None: any order a FIFO breadth-first search can produce (neighbours of a node queued
    in any order). ``rank`` given: neighbours are queued in increasing rank, so one order is right.

    >>> G = nx.Graph([(0, 1), (0, 2), (1, 3), (2, 3)])
    >>> check_bfs_order(G, [0, 2, 1, 3], 0).passed
    True
    >>> check_bfs_order(G, [0, 2, 1, 3], 0, rank={0: 0, 1: 1, 2: 2, 3: 3}).detail["violation"]
    'not_bfs_order'
    >>> check_bfs_order(G, [0, 1, 3, 2], 0).detail["violation"]
    'not_bfs_order'
    """
    problem = _order_problem(G, order, source)
    if problem:
        return problem
    position = {node: i for i, node in enumerate(order)}
    # Queue each node's neighbours in the order the answer visits them (or by rank); an order is
    # a BFS order exactly when this search reproduces it.
    sort_key = (lambda n: rank[n]) if rank is not None else position.__getitem__
    expected = [source]
    seen = {source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for neighbour in sorted((n for n in out_neighbours(G, node) if n not in seen), key=sort_key):
            seen.add(neighbour)
            expected.append(neighbour)
            queue.append(neighbour)
    for i, (got, want) in enumerate(zip(order, expected)):
        if got != want:
            return invalid(
                "not_bfs_order",
                f"step {i + 1} visits {show(got)}, but breadth-first search must visit {show(want)} there",
            )
    return Verdict.correct()


def check_dfs_order(G: nx.Graph, order: Sequence[Any], source: Any, *, rank: Mapping[Any, int] | None = None) -> Verdict:
    """A depth-first preorder of every node reachable from ``source``: each next node is an
    unvisited neighbour of the deepest node on the current path that still has one.

    ``rank`` None: any such order; ``rank`` given: that neighbour must be the lowest-ranked one.

    >>> G = nx.Graph([(0, 1), (0, 2), (1, 3)])
    >>> check_dfs_order(G, [0, 2, 1, 3], 0).passed
    True
    >>> check_dfs_order(G, [0, 1, 2, 3], 0).detail["violation"]
    'not_dfs_order'
    """
    problem = _order_problem(G, order, source)
    if problem:
        return problem
    visited = {source}
    stack = [source]
    for i, node in enumerate(order[1:], start=1):
        while stack and all(n in visited for n in out_neighbours(G, stack[-1])):
            stack.pop()
        top = stack[-1]  # non-empty: ``order`` names only reachable nodes, and one is unvisited
        candidates = [n for n in out_neighbours(G, top) if n not in visited]
        if rank is not None:
            allowed = [min(candidates, key=lambda n: rank[n])]
        else:
            allowed = candidates
        if node not in allowed:
            wanted = show(allowed[0]) if len(allowed) == 1 else "one of its unvisited neighbours"
            return invalid(
                "not_dfs_order",
                f"step {i + 1} visits {show(node)}, but depth-first search continues from {show(top)} to {wanted}",
            )
        visited.add(node)
        stack.append(node)
    return Verdict.correct()


def check_topological_order(G: nx.DiGraph, order: Sequence[Any]) -> Verdict:
    """A permutation of all nodes of the DAG ``G`` that puts every edge's tail before its head.

    >>> G = nx.DiGraph([(0, 2), (1, 2)])
    >>> check_topological_order(G, [1, 0, 2]).passed
    True
    >>> check_topological_order(G, [0, 2, 1]).detail["violation"]
    'edge_backwards'
    """
    if not order:
        return invalid("empty", "the order names no node")
    problem = nodes_problem(G, order) or missing_nodes(G, order)
    if problem:
        return problem
    position = {node: i for i, node in enumerate(order)}
    for u, v in G.edges():
        if position[u] > position[v]:
            return invalid("edge_backwards", f"edge {show(u)} -> {show(v)} points backwards in the order", edge=[show(u), show(v)])
    return Verdict.correct()


# -- trees and edge sets ----------------------------------------------------------------------------


def check_spanning_tree(
    G: nx.Graph, edges: Sequence[Sequence[Any]], *, optimum: Number | None = None, weight: str | None = "weight"
) -> Verdict:
    """A spanning tree (a spanning forest when ``G`` is disconnected) made of real, distinct edges,
    whose total ``weight`` equals ``optimum`` (None: any spanning tree).

    >>> G = nx.cycle_graph(4)
    >>> check_spanning_tree(G, [(0, 1), (2, 1), (3, 2)], optimum=3).passed
    True
    >>> check_spanning_tree(G, [(0, 1), (1, 2), (2, 0)]).detail["violation"]
    'non_edge'
    """
    problem = edges_problem(G, edges)
    if problem:
        return problem
    components = nx.number_connected_components(G) if not G.is_directed() else nx.number_weakly_connected_components(G)
    wanted = G.number_of_nodes() - components
    if len(edges) != wanted:
        return invalid("wrong_edge_count", f"a spanning tree of this graph has {wanted} edges, not {len(edges)}", edges=len(edges))
    parent = {node: node for node in G}

    def root(node: Any) -> Any:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for u, v in edges:
        ru, rv = root(u), root(v)
        if ru == rv:
            return invalid("cycle", f"edge {show(u)}-{show(v)} closes a cycle", edge=[show(u), show(v)])
        parent[ru] = rv
    # n - c edges without a cycle always span every component
    total = sum(edge_weight(G, u, v, weight) for u, v in edges)
    return compare(total, optimum, maximise=False, what="total weight" if weight else "edge count")


def check_edge_set(G: nx.Graph, edges: Sequence[Sequence[Any]], expected: Iterable[Sequence[Any]]) -> Verdict:
    """Exactly the edges of ``expected`` (bridges, say), each a real edge listed once, in any
    order and orientation (orientation matters in a directed graph).

    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> check_edge_set(G, [(3, 2)], [(2, 3)]).passed
    True
    >>> check_edge_set(G, [(2, 3), (0, 1)], [(2, 3)]).reason
    'wrong_answer'
    """
    problem = edges_problem(G, edges)
    if problem:
        return problem
    given = {edge_key(G, u, v) for u, v in edges}
    wanted = {edge_key(G, u, v) for u, v in expected}
    return _set_verdict(given, wanted, "edge")


def check_node_set(G: nx.Graph, nodes: Sequence[Any], expected: Iterable[Any]) -> Verdict:
    """Exactly the nodes of ``expected`` (articulation points, say), each listed once.

    >>> G = nx.path_graph(4)
    >>> check_node_set(G, [2, 1], [1, 2]).passed
    True
    >>> check_node_set(G, [1, 1, 2], [1, 2]).detail["violation"]
    'repeated_node'
    """
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    return _set_verdict(set(nodes), set(expected), "node")


def _set_verdict(given: set[Any], wanted: set[Any], what: str) -> Verdict:
    if given == wanted:
        return Verdict.correct()
    missing, extra = len(wanted - given), len(given - wanted)
    return Verdict.fail(
        "wrong_answer",
        message=f"{missing} {what}(s) missing and {extra} {what}(s) that do not belong",
        missing=missing,
        extra=extra,
    )

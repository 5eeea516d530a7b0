"""Validity and optimality checks of graph structures (paths, trees, flows, sets, colourings...).

Pure functions on a networkx graph and an already-parsed answer, each returning a Verdict.

Every check first proves the answer is a valid structure of the graph (reason ``"invalid"``, with a
precise ``detail["violation"]`` such as ``"non_edge"`` or ``"repeated_node"``), then compares its
objective with the stored optimum (reason ``"suboptimal"``) or, for questions with one right set,
the set itself (reason ``"wrong_answer"``). ``detail["message"]`` says what was wrong in words;
optimisation checks also put ``value`` and ``optimum`` in ``detail``. Numbers (weights, flows)
compare within ``TOLERANCE`` (relative and absolute), so 0.1 + 0.2 equals 0.3.

Answers are node or edge sequences, not sets: a repeated item is a violation in its own right, so
an independent set of one node listed twice never passes.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.types import Verdict

TOLERANCE = 1e-6  # relative and absolute tolerance on weights, costs and flow amounts

Number = int | float | Fraction


# -- shared helpers ---------------------------------------------------------------------------------


def _invalid(violation: str, message: str, **detail: Any) -> Verdict:
    return Verdict.fail("invalid", violation=violation, message=message, **detail)


def close_values(a: Number, b: Number) -> bool:
    """Equal within TOLERANCE (relative and absolute): how every weight, cost and flow compares.

    >>> close_values(0.1 + 0.2, Fraction(3, 10)), close_values(1, 1.01)
    (True, False)
    """
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _show(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


def _known(G: nx.Graph, node: Any) -> bool:
    try:
        return node in G
    except TypeError:  # an unhashable item is no node
        return False


def _nodes_problem(G: nx.Graph, nodes: Sequence[Any], *, allow_repeats: bool = False) -> Verdict | None:
    """An invalid Verdict when ``nodes`` names an unknown node or (unless allowed) repeats one."""
    seen: set[Any] = set()
    for node in nodes:
        if not _known(G, node):
            return _invalid("unknown_node", f"{_show(node)} is not a node of the graph", node=_show(node))
        if node in seen and not allow_repeats:
            return _invalid("repeated_node", f"node {_show(node)} appears more than once", node=_show(node))
        seen.add(node)
    return None


def _edge_key(G: nx.Graph, u: Any, v: Any) -> Hashable:
    return (u, v) if G.is_directed() else frozenset((u, v))


def _edges_problem(G: nx.Graph, edges: Sequence[Sequence[Any]]) -> Verdict | None:
    """An invalid Verdict when an edge is malformed, not in ``G``, or listed twice."""
    seen: set[Hashable] = set()
    for edge in edges:
        if len(edge) != 2:
            return _invalid("malformed_edge", f"{_show(edge)} is not a pair of nodes", edge=_show(edge))
        u, v = edge
        for node in (u, v):
            if not _known(G, node):
                return _invalid("unknown_node", f"{_show(node)} is not a node of the graph", node=_show(node))
        if not G.has_edge(u, v):
            return _invalid("non_edge", f"{_show(u)}-{_show(v)} is not an edge of the graph", edge=[_show(u), _show(v)])
        key = _edge_key(G, u, v)
        if key in seen:
            return _invalid("repeated_edge", f"edge {_show(u)}-{_show(v)} appears more than once", edge=[_show(u), _show(v)])
        seen.add(key)
    return None


def _weight(G: nx.Graph, u: Any, v: Any, weight: str | None) -> Number:
    if weight is None:
        return 1
    return G.edges[u, v].get(weight, 1)


def _compare(value: Number, optimum: Number | None, *, maximise: bool, what: str) -> Verdict:
    """Correct when ``value`` equals ``optimum``; suboptimal when worse; a bug when better."""
    if optimum is None or close_values(value, optimum):
        return Verdict.correct(value=_plain(value))
    better = value > optimum if maximise else value < optimum
    if better:
        raise ValueError(f"a valid answer with {what} {value} beats the stored optimum {optimum}: the optimum is wrong")
    return Verdict.fail(
        "suboptimal",
        message=f"a valid answer, but its {what} is {_plain(value)}; the optimum is {_plain(optimum)}",
        value=_plain(value),
        optimum=_plain(optimum),
    )


def _plain(value: Number) -> int | float:
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def _walk_problem(G: nx.Graph, walk: Sequence[Any]) -> Verdict | None:
    for u, v in zip(walk, walk[1:]):
        if not G.has_edge(u, v):
            return _invalid("non_edge", f"{_show(u)}-{_show(v)} is not an edge of the graph", edge=[_show(u), _show(v)])
    return None


def _neighbours(G: nx.Graph, node: Any) -> Iterable[Any]:
    return G.successors(node) if G.is_directed() else G.neighbors(node)


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
        return _invalid("empty", "the path names no node")
    problem = _nodes_problem(G, path)
    if problem:
        return problem
    if path[0] != source or path[-1] != target:
        return _invalid(
            "wrong_endpoints",
            f"the path must run from {_show(source)} to {_show(target)}, not {_show(path[0])} to {_show(path[-1])}",
        )
    problem = _walk_problem(G, path)
    if problem:
        return problem
    length = sum(_weight(G, u, v, weight) for u, v in zip(path, path[1:]))
    return _compare(length, optimum, maximise=False, what="total weight" if weight else "length")


def check_hamiltonian_path(G: nx.Graph, path: Sequence[Any], *, source: Any = None, target: Any = None) -> Verdict:
    """A path through every node exactly once (from ``source`` / to ``target`` when given).

    >>> check_hamiltonian_path(nx.path_graph(3), [2, 1, 0]).passed
    True
    >>> check_hamiltonian_path(nx.path_graph(3), [0, 1]).detail["violation"]
    'missing_node'
    """
    if not path:
        return _invalid("empty", "the path names no node")
    problem = _nodes_problem(G, path) or _missing_nodes(G, path)
    if problem:
        return problem
    if (source is not None and path[0] != source) or (target is not None and path[-1] != target):
        return _invalid("wrong_endpoints", f"the path must start at {_show(source)} and end at {_show(target)}")
    return _walk_problem(G, path) or Verdict.correct()


def _missing_nodes(G: nx.Graph, nodes: Sequence[Any]) -> Verdict | None:
    missing = set(G) - set(nodes)
    if missing:
        shown = sorted(map(_show, missing))[:5]
        return _invalid("missing_node", f"{len(missing)} node(s) are not visited, e.g. {', '.join(shown)}", missing=len(missing))
    return None


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
        return _invalid("empty", "the cycle names no node")
    problem = _nodes_problem(G, nodes)
    if problem:
        return problem
    shortest = 2 if G.is_directed() else 3
    if len(nodes) == 1:
        if not G.has_edge(nodes[0], nodes[0]):
            return _invalid("too_short", f"a single node is a cycle only with a self-loop, and {_show(nodes[0])} has none")
    elif len(nodes) < shortest:
        return _invalid("too_short", f"a cycle of an undirected graph needs at least {shortest} distinct nodes")
    else:
        problem = _walk_problem(G, nodes + [nodes[0]])
        if problem:
            return problem
    return _compare(len(nodes), optimum, maximise=False, what="length")


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
        return _invalid("empty", "the circuit names no node")
    walk = list(walk)
    problem = _nodes_problem(G, walk, allow_repeats=True)
    if problem:
        return problem
    if source is not None and walk[0] != source:
        return _invalid("wrong_endpoints", f"the circuit must start at {_show(source)}, not {_show(walk[0])}")
    if walk[0] != walk[-1] or len(walk) == 1:
        walk.append(walk[0])
    problem = _walk_problem(G, walk)
    if problem:
        return problem
    used = Counter(_edge_key(G, u, v) for u, v in zip(walk, walk[1:]))
    repeated = [key for key, count in used.items() if count > 1]
    if repeated:
        return _invalid("repeated_edge", f"edge {_show(_edge_tuple(repeated[0]))} is used {used[repeated[0]]} times")
    unused = G.number_of_edges() - len(used)
    if unused:
        return _invalid("missing_edge", f"{unused} edge(s) are never used", missing=unused)
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
        return _invalid("empty", "the tour names no node")
    problem = _nodes_problem(G, nodes) or _missing_nodes(G, nodes)
    if problem:
        return problem
    closed = nodes + [nodes[0]] if len(nodes) > 1 else nodes
    problem = _walk_problem(G, closed)
    if problem:
        return problem
    cost = sum(_weight(G, u, v, weight) for u, v in zip(closed, closed[1:]))
    return _compare(cost, optimum, maximise=False, what="cost")


# -- traversals and orders --------------------------------------------------------------------------


def _order_problem(G: nx.Graph, order: Sequence[Any], source: Any) -> Verdict | None:
    if not order:
        return _invalid("empty", "the order names no node")
    problem = _nodes_problem(G, order)
    if problem:
        return problem
    if order[0] != source:
        return _invalid("wrong_start", f"the traversal must start at {_show(source)}, not {_show(order[0])}")
    reachable = nx.descendants(G, source) | {source} if G.is_directed() else nx.node_connected_component(G, source)
    outside = [node for node in order if node not in reachable]
    if outside:
        return _invalid("unreachable_node", f"{_show(outside[0])} cannot be reached from {_show(source)}")
    if len(order) != len(reachable):
        return _invalid("missing_node", f"{len(reachable) - len(order)} reachable node(s) are never visited")
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
        for neighbour in sorted((n for n in _neighbours(G, node) if n not in seen), key=sort_key):
            seen.add(neighbour)
            expected.append(neighbour)
            queue.append(neighbour)
    for i, (got, want) in enumerate(zip(order, expected)):
        if got != want:
            return _invalid(
                "not_bfs_order",
                f"step {i + 1} visits {_show(got)}, but breadth-first search must visit {_show(want)} there",
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
        while stack and all(n in visited for n in _neighbours(G, stack[-1])):
            stack.pop()
        top = stack[-1]  # non-empty: ``order`` names only reachable nodes, and one is unvisited
        candidates = [n for n in _neighbours(G, top) if n not in visited]
        if rank is not None:
            allowed = [min(candidates, key=lambda n: rank[n])]
        else:
            allowed = candidates
        if node not in allowed:
            wanted = _show(allowed[0]) if len(allowed) == 1 else "one of its unvisited neighbours"
            return _invalid(
                "not_dfs_order",
                f"step {i + 1} visits {_show(node)}, but depth-first search continues from {_show(top)} to {wanted}",
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
        return _invalid("empty", "the order names no node")
    problem = _nodes_problem(G, order) or _missing_nodes(G, order)
    if problem:
        return problem
    position = {node: i for i, node in enumerate(order)}
    for u, v in G.edges():
        if position[u] > position[v]:
            return _invalid("edge_backwards", f"edge {_show(u)} -> {_show(v)} points backwards in the order", edge=[_show(u), _show(v)])
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
    problem = _edges_problem(G, edges)
    if problem:
        return problem
    components = nx.number_connected_components(G) if not G.is_directed() else nx.number_weakly_connected_components(G)
    wanted = G.number_of_nodes() - components
    if len(edges) != wanted:
        return _invalid("wrong_edge_count", f"a spanning tree of this graph has {wanted} edges, not {len(edges)}", edges=len(edges))
    parent = {node: node for node in G}

    def root(node: Any) -> Any:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for u, v in edges:
        ru, rv = root(u), root(v)
        if ru == rv:
            return _invalid("cycle", f"edge {_show(u)}-{_show(v)} closes a cycle", edge=[_show(u), _show(v)])
        parent[ru] = rv
    # n - c edges without a cycle always span every component
    total = sum(_weight(G, u, v, weight) for u, v in edges)
    return _compare(total, optimum, maximise=False, what="total weight" if weight else "edge count")


def check_edge_set(G: nx.Graph, edges: Sequence[Sequence[Any]], expected: Iterable[Sequence[Any]]) -> Verdict:
    """Exactly the edges of ``expected`` (bridges, say), each a real edge listed once, in any
    order and orientation (orientation matters in a directed graph).

    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> check_edge_set(G, [(3, 2)], [(2, 3)]).passed
    True
    >>> check_edge_set(G, [(2, 3), (0, 1)], [(2, 3)]).reason
    'wrong_answer'
    """
    problem = _edges_problem(G, edges)
    if problem:
        return problem
    given = {_edge_key(G, u, v) for u, v in edges}
    wanted = {_edge_key(G, u, v) for u, v in expected}
    return _set_verdict(given, wanted, "edge")


def check_node_set(G: nx.Graph, nodes: Sequence[Any], expected: Iterable[Any]) -> Verdict:
    """Exactly the nodes of ``expected`` (articulation points, say), each listed once.

    >>> G = nx.path_graph(4)
    >>> check_node_set(G, [2, 1], [1, 2]).passed
    True
    >>> check_node_set(G, [1, 1, 2], [1, 2]).detail["violation"]
    'repeated_node'
    """
    problem = _nodes_problem(G, nodes)
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


# -- flows ------------------------------------------------------------------------------------------


def check_flow(
    G: nx.DiGraph,
    flow: Sequence[tuple[Any, Any, Number]],
    source: Any,
    sink: Any,
    *,
    optimum: Number | None = None,
    capacity: str = "capacity",
) -> Verdict:
    """A feasible ``source``-``sink`` flow on the directed graph ``G``, given as (u, v, amount)
    for the arcs that carry flow (unlisted arcs carry none), whose value equals ``optimum``.

    Feasible: every listed arc exists and is listed once, 0 <= amount <= its ``capacity``, and
    every node but the source and sink has as much flow in as out. The value is the source's net
    outflow.

    >>> G = nx.DiGraph()
    >>> G.add_edge("s", "a", capacity=2); G.add_edge("a", "t", capacity=1)
    >>> check_flow(G, [("s", "a", 1), ("a", "t", 1)], "s", "t", optimum=1).passed
    True
    >>> check_flow(G, [("s", "a", 2), ("a", "t", 1)], "s", "t").detail["violation"]
    'conservation'
    """
    if not G.is_directed():
        raise ValueError("check_flow needs a directed graph (model an undirected edge as two arcs)")
    balance: dict[Any, Number] = {node: 0 for node in G}
    seen: set[tuple[Any, Any]] = set()
    for item in flow:
        if len(item) != 3:
            return _invalid("malformed_edge", f"{_show(item)} is not (tail, head, amount)")
        u, v, amount = item
        problem = _edges_problem(G, [(u, v)])
        if problem:
            return problem
        if (u, v) in seen:
            return _invalid("repeated_edge", f"arc {_show(u)} -> {_show(v)} is listed more than once")
        seen.add((u, v))
        if isinstance(amount, bool) or not isinstance(amount, (int, float, Fraction)) or not math.isfinite(amount):
            return _invalid("malformed_amount", f"the flow on {_show(u)} -> {_show(v)} is not a number")
        limit = G.edges[u, v].get(capacity, math.inf)
        if amount < -TOLERANCE:
            return _invalid("negative_flow", f"arc {_show(u)} -> {_show(v)} carries a negative amount {amount}")
        if amount > limit and not close_values(amount, limit):
            return _invalid("over_capacity", f"arc {_show(u)} -> {_show(v)} carries {_plain(amount)} over its capacity {limit}")
        balance[u] -= amount
        balance[v] += amount
    for node, net in balance.items():
        if node not in (source, sink) and not close_values(net, 0):
            return _invalid("conservation", f"node {_show(node)} receives {_plain(net)} more than it sends on", node=_show(node))
    return _compare(-balance[source], optimum, maximise=True, what="flow value")


# -- matchings, covers, special node sets -----------------------------------------------------------


def check_matching(
    G: nx.Graph,
    edges: Sequence[Sequence[Any]],
    *,
    optimum: Number | None = None,
    weight: str | None = None,
) -> Verdict:
    """A matching (real edges, no node in two of them) whose size, or total ``weight``, equals
    ``optimum`` (a maximum).

    >>> G = nx.path_graph(4)
    >>> check_matching(G, [(1, 0), (2, 3)], optimum=2).passed
    True
    >>> check_matching(G, [(1, 2)], optimum=2).reason
    'suboptimal'
    """
    problem = _edges_problem(G, edges)
    if problem:
        return problem
    touched: set[Any] = set()
    for u, v in edges:
        if u == v:
            return _invalid("self_loop", f"a self-loop at {_show(u)} cannot be part of a matching")
        for node in (u, v):
            if node in touched:
                return _invalid("shared_node", f"node {_show(node)} is in two edges of the matching", node=_show(node))
            touched.add(node)
    total = sum(_weight(G, u, v, weight) for u, v in edges)
    return _compare(total, optimum, maximise=True, what="total weight" if weight else "size")


def check_edge_cover(G: nx.Graph, edges: Sequence[Sequence[Any]], *, optimum: int | None = None) -> Verdict:
    """A set of real, distinct edges touching every node, of size ``optimum`` (a minimum).

    >>> G = nx.path_graph(4)
    >>> check_edge_cover(G, [(0, 1), (3, 2)], optimum=2).passed
    True
    >>> check_edge_cover(G, [(0, 1), (1, 2)], optimum=2).detail["violation"]
    'uncovered_node'
    """
    problem = _edges_problem(G, edges)
    if problem:
        return problem
    covered = {node for edge in edges for node in edge}
    uncovered = [node for node in G if node not in covered]
    if uncovered:
        return _invalid("uncovered_node", f"node {_show(uncovered[0])} touches no chosen edge", uncovered=len(uncovered))
    return _compare(len(edges), optimum, maximise=False, what="size")


def check_vertex_cover(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct nodes touching every edge, ``optimum`` of them (a minimum).

    >>> check_vertex_cover(nx.star_graph(3), [0], optimum=1).passed
    True
    >>> check_vertex_cover(nx.star_graph(3), [1, 2], optimum=1).detail["violation"]
    'uncovered_edge'
    """
    problem = _nodes_problem(G, nodes)
    if problem:
        return problem
    chosen = set(nodes)
    for u, v in G.edges():
        if u not in chosen and v not in chosen:
            return _invalid("uncovered_edge", f"edge {_show(u)}-{_show(v)} has no endpoint in the cover", edge=[_show(u), _show(v)])
    return _compare(len(chosen), optimum, maximise=False, what="size")


def check_independent_set(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct, pairwise non-adjacent nodes, ``optimum`` of them (a maximum).

    >>> check_independent_set(nx.path_graph(4), [3, 0], optimum=2).passed
    True
    >>> check_independent_set(nx.path_graph(4), [1, 1], optimum=2).detail["violation"]
    'repeated_node'
    """
    if not nodes:
        return _invalid("empty", "the set names no node")
    problem = _nodes_problem(G, nodes)
    if problem:
        return problem
    chosen = set(nodes)
    for u in nodes:
        for v in _neighbours(G, u):
            if v in chosen:
                return _invalid("adjacent_nodes", f"{_show(u)} and {_show(v)} are adjacent", edge=[_show(u), _show(v)])
    return _compare(len(chosen), optimum, maximise=True, what="size")


def check_clique(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct, pairwise adjacent nodes, ``optimum`` of them (a maximum clique).

    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> check_clique(G, [2, 0, 1], optimum=3).passed
    True
    >>> check_clique(G, [0, 1, 3], optimum=3).detail["violation"]
    'non_adjacent_nodes'
    """
    if not nodes:
        return _invalid("empty", "the clique names no node")
    problem = _nodes_problem(G, nodes)
    if problem:
        return problem
    for i, u in enumerate(nodes):
        for v in nodes[i + 1 :]:
            if not G.has_edge(u, v):
                return _invalid("non_adjacent_nodes", f"{_show(u)} and {_show(v)} are not adjacent", edge=[_show(u), _show(v)])
    return _compare(len(nodes), optimum, maximise=True, what="size")


def check_dominating_set(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct nodes such that every node is chosen or adjacent to a chosen one (in a directed
    graph: a successor of a chosen one), ``optimum`` of them (a minimum).

    >>> check_dominating_set(nx.path_graph(5), [1, 3], optimum=2).passed
    True
    >>> check_dominating_set(nx.path_graph(5), [0, 4], optimum=2).detail["violation"]
    'undominated_node'
    """
    problem = _nodes_problem(G, nodes)
    if problem:
        return problem
    dominated = set(nodes)
    for node in nodes:
        dominated.update(_neighbours(G, node))
    left = [node for node in G if node not in dominated]
    if left:
        return _invalid("undominated_node", f"node {_show(left[0])} is neither chosen nor next to a chosen node", undominated=len(left))
    return _compare(len(nodes), optimum, maximise=False, what="size")


# -- colourings and isomorphisms --------------------------------------------------------------------


def check_coloring(G: nx.Graph, coloring: Sequence[tuple[Any, Hashable]], *, colors: int | None = None) -> Verdict:
    """A proper colouring, given as (node, colour) pairs for every node, each node once, that
    uses at most ``colors`` distinct colours. Colours are any labels (0, 1, "red"...).

    >>> G = nx.cycle_graph(4)
    >>> check_coloring(G, [(0, "red"), (1, "blue"), (2, "red"), (3, "blue")], colors=2).passed
    True
    >>> check_coloring(G, [(0, 0), (1, 1), (2, 1), (3, 2)], colors=3).detail["violation"]
    'color_conflict'
    """
    assigned: dict[Any, Hashable] = {}
    for node, color in coloring:
        if not _known(G, node):
            return _invalid("unknown_node", f"{_show(node)} is not a node of the graph", node=_show(node))
        if node in assigned:
            return _invalid("repeated_node", f"node {_show(node)} is coloured more than once", node=_show(node))
        try:
            hash(color)
        except TypeError:
            return _invalid("malformed_color", f"{_show(color)} is not a colour label")
        assigned[node] = color
    problem = _missing_nodes(G, list(assigned))
    if problem:
        return problem
    for u, v in G.edges():
        if assigned[u] == assigned[v]:
            return _invalid("color_conflict", f"adjacent nodes {_show(u)} and {_show(v)} share colour {_show(assigned[u])}", edge=[_show(u), _show(v)])
    used = len(set(assigned.values()))
    if colors is not None and used > colors:
        return _invalid("too_many_colors", f"the colouring uses {used} colours, more than the {colors} allowed", value=used)
    return Verdict.correct(value=used)


def check_isomorphism(G1: nx.Graph, G2: nx.Graph, mapping: Sequence[tuple[Any, Any]]) -> Verdict:
    """A bijection from the nodes of ``G1`` to those of ``G2``, given as (node of G1, node of G2)
    pairs, that maps every edge of ``G1`` onto an edge of ``G2`` (and so, with equal edge counts,
    edges onto edges exactly).

    >>> G1, G2 = nx.path_graph(3), nx.Graph([("a", "b"), ("b", "c")])
    >>> check_isomorphism(G1, G2, [(0, "c"), (1, "b"), (2, "a")]).passed
    True
    >>> check_isomorphism(G1, G2, [(0, "b"), (1, "a"), (2, "c")]).detail["violation"]
    'edge_not_preserved'
    """
    image: dict[Any, Any] = {}
    for a, b in mapping:
        if not _known(G1, a):
            return _invalid("unknown_node", f"{_show(a)} is not a node of the first graph", node=_show(a))
        if not _known(G2, b):
            return _invalid("unknown_node", f"{_show(b)} is not a node of the second graph", node=_show(b))
        if a in image:
            return _invalid("repeated_node", f"node {_show(a)} is mapped more than once", node=_show(a))
        image[a] = b
    problem = _missing_nodes(G1, list(image))
    if problem:
        return problem
    if len(set(image.values())) != len(image) or len(image) != G2.number_of_nodes():
        return _invalid("not_bijection", "two nodes map to the same node, so the mapping is not a bijection")
    if G1.number_of_edges() != G2.number_of_edges() or G1.is_directed() != G2.is_directed():
        raise ValueError("the graphs differ in edge count or direction, so no mapping is an isomorphism")
    for u, v in G1.edges():
        if not G2.has_edge(image[u], image[v]):
            return _invalid(
                "edge_not_preserved",
                f"edge {_show(u)}-{_show(v)} maps to {_show(image[u])}-{_show(image[v])}, which is not an edge",
                edge=[_show(u), _show(v)],
            )
    return Verdict.correct()

"""Checks of chosen edge and node sets, flows, colourings and isomorphism mappings: validity first
(reason "invalid" with a precise ``violation``), then size or weight against the stored optimum.

Re-exported by ``assay.verifiers.graph.checks``, which documents the conventions.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.types import Verdict
from assay.verifiers.graph.verdicts import (
    Number,
    close_values,
    compare,
    edge_weight,
    edges_problem,
    invalid,
    known,
    missing_nodes,
    nodes_problem,
    out_neighbours,
    plain,
    show,
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
            return invalid("malformed_edge", f"{show(item)} is not (tail, head, amount)")
        u, v, amount = item
        problem = edges_problem(G, [(u, v)])
        if problem:
            return problem
        if (u, v) in seen:
            return invalid("repeated_edge", f"arc {show(u)} -> {show(v)} is listed more than once")
        seen.add((u, v))
        if isinstance(amount, bool) or not isinstance(amount, (int, float, Fraction)):
            return invalid("malformed_amount", f"the flow on {show(u)} -> {show(v)} is not a number")
        if isinstance(amount, float) and not math.isfinite(amount):
            return invalid("malformed_amount", f"the flow on {show(u)} -> {show(v)} is not a finite number")
        limit = G.edges[u, v].get(capacity, math.inf)
        if amount < 0 and not close_values(amount, 0):
            return invalid("negative_flow", f"arc {show(u)} -> {show(v)} carries a negative amount {amount}")
        if amount > limit and not close_values(amount, limit):
            return invalid("over_capacity", f"arc {show(u)} -> {show(v)} carries {plain(amount)} over its capacity {limit}")
        balance[u] -= amount
        balance[v] += amount
    for node, net in balance.items():
        if node not in (source, sink) and not close_values(net, 0):
            return invalid("conservation", f"node {show(node)} receives {plain(net)} more than it sends on", node=show(node))
    return compare(-balance[source], optimum, maximise=True, what="flow value")


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
    problem = edges_problem(G, edges)
    if problem:
        return problem
    touched: set[Any] = set()
    for u, v in edges:
        if u == v:
            return invalid("self_loop", f"a self-loop at {show(u)} cannot be part of a matching")
        for node in (u, v):
            if node in touched:
                return invalid("shared_node", f"node {show(node)} is in two edges of the matching", node=show(node))
            touched.add(node)
    total = sum(edge_weight(G, u, v, weight) for u, v in edges)
    return compare(total, optimum, maximise=True, what="total weight" if weight else "size")


def check_edge_cover(G: nx.Graph, edges: Sequence[Sequence[Any]], *, optimum: int | None = None) -> Verdict:
    """A set of real, distinct edges touching every node, of size ``optimum`` (a minimum).

    >>> G = nx.path_graph(4)
    >>> check_edge_cover(G, [(0, 1), (3, 2)], optimum=2).passed
    True
    >>> check_edge_cover(G, [(0, 1), (1, 2)], optimum=2).detail["violation"]
    'uncovered_node'
    """
    problem = edges_problem(G, edges)
    if problem:
        return problem
    covered = {node for edge in edges for node in edge}
    uncovered = [node for node in G if node not in covered]
    if uncovered:
        return invalid("uncovered_node", f"node {show(uncovered[0])} touches no chosen edge", uncovered=len(uncovered))
    return compare(len(edges), optimum, maximise=False, what="size")


def check_vertex_cover(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct nodes touching every edge, ``optimum`` of them (a minimum).

    >>> check_vertex_cover(nx.star_graph(3), [0], optimum=1).passed
    True
    >>> check_vertex_cover(nx.star_graph(3), [1, 2], optimum=1).detail["violation"]
    'uncovered_edge'
    """
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    chosen = set(nodes)
    for u, v in G.edges():
        if u not in chosen and v not in chosen:
            return invalid("uncovered_edge", f"edge {show(u)}-{show(v)} has no endpoint in the cover", edge=[show(u), show(v)])
    return compare(len(chosen), optimum, maximise=False, what="size")


def check_independent_set(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct, pairwise non-adjacent nodes, ``optimum`` of them (a maximum).

    >>> check_independent_set(nx.path_graph(4), [3, 0], optimum=2).passed
    True
    >>> check_independent_set(nx.path_graph(4), [1, 1], optimum=2).detail["violation"]
    'repeated_node'
    """
    if not nodes:
        return invalid("empty", "the set names no node")
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    chosen = set(nodes)
    for u in nodes:
        for v in out_neighbours(G, u):
            if v in chosen:
                return invalid("adjacent_nodes", f"{show(u)} and {show(v)} are adjacent", edge=[show(u), show(v)])
    return compare(len(chosen), optimum, maximise=True, what="size")


def check_clique(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct, pairwise adjacent nodes, ``optimum`` of them (a maximum clique).

    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> check_clique(G, [2, 0, 1], optimum=3).passed
    True
    >>> check_clique(G, [0, 1, 3], optimum=3).detail["violation"]
    'non_adjacent_nodes'
    """
    if not nodes:
        return invalid("empty", "the clique names no node")
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    for i, u in enumerate(nodes):
        for v in nodes[i + 1 :]:
            if not G.has_edge(u, v):
                return invalid("non_adjacent_nodes", f"{show(u)} and {show(v)} are not adjacent", edge=[show(u), show(v)])
    return compare(len(nodes), optimum, maximise=True, what="size")


def check_dominating_set(G: nx.Graph, nodes: Sequence[Any], *, optimum: int | None = None) -> Verdict:
    """Distinct nodes such that every node is chosen or adjacent to a chosen one (in a directed
    graph: a successor of a chosen one), ``optimum`` of them (a minimum).

    >>> check_dominating_set(nx.path_graph(5), [1, 3], optimum=2).passed
    True
    >>> check_dominating_set(nx.path_graph(5), [0, 4], optimum=2).detail["violation"]
    'undominated_node'
    """
    problem = nodes_problem(G, nodes)
    if problem:
        return problem
    dominated = set(nodes)
    for node in nodes:
        dominated.update(out_neighbours(G, node))
    left = [node for node in G if node not in dominated]
    if left:
        return invalid("undominated_node", f"node {show(left[0])} is neither chosen nor next to a chosen node", undominated=len(left))
    return compare(len(nodes), optimum, maximise=False, what="size")


# -- colourings and isomorphisms --------------------------------------------------------------------


def check_coloring(
    G: nx.Graph,
    coloring: Sequence[tuple[Any, Hashable]],
    *,
    colors: int | None = None,
    labels: Collection[Hashable] | None = None,
) -> Verdict:
    """A proper colouring, given as (node, colour) pairs for every node, each node once, that
    uses at most ``colors`` distinct colours. Colours are any labels (0, 1, "red"...), unless
    ``labels`` names the allowed ones (a prompt's "numbered 1 to k": ``range(1, k + 1)``); then a
    colour outside them is invalid (``unknown_color``), whatever the count.

    >>> G = nx.cycle_graph(4)
    >>> check_coloring(G, [(0, "red"), (1, "blue"), (2, "red"), (3, "blue")], colors=2).passed
    True
    >>> check_coloring(G, [(0, 0), (1, 1), (2, 1), (3, 2)], colors=3).detail["violation"]
    'color_conflict'
    >>> check_coloring(G, [(0, 1), (1, 3), (2, 1), (3, 3)], colors=2, labels=range(1, 3)).detail["violation"]
    'unknown_color'
    """
    allowed = None if labels is None else frozenset(labels)
    assigned: dict[Any, Hashable] = {}
    for node, color in coloring:
        if not known(G, node):
            return invalid("unknown_node", f"{show(node)} is not a node of the graph", node=show(node))
        if node in assigned:
            return invalid("repeated_node", f"node {show(node)} is coloured more than once", node=show(node))
        try:
            hash(color)
        except TypeError:
            return invalid("malformed_color", f"{show(color)} is not a colour label")
        # bool is an int in Python (True == 1): never a colour number
        if allowed is not None and (isinstance(color, bool) or color not in allowed):
            return invalid("unknown_color", f"colour {show(color)} of node {show(node)} is not one of the allowed colours", node=show(node))
        assigned[node] = color
    problem = missing_nodes(G, list(assigned))
    if problem:
        return problem
    for u, v in G.edges():
        if assigned[u] == assigned[v]:
            return invalid("color_conflict", f"adjacent nodes {show(u)} and {show(v)} share colour {show(assigned[u])}", edge=[show(u), show(v)])
    used = len(set(assigned.values()))
    if colors is not None and used > colors:
        return invalid("too_many_colors", f"the colouring uses {used} colours, more than the {colors} allowed", value=used)
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
        if not known(G1, a):
            return invalid("unknown_node", f"{show(a)} is not a node of the first graph", node=show(a))
        if not known(G2, b):
            return invalid("unknown_node", f"{show(b)} is not a node of the second graph", node=show(b))
        if a in image:
            return invalid("repeated_node", f"node {show(a)} is mapped more than once", node=show(a))
        image[a] = b
    problem = missing_nodes(G1, list(image))
    if problem:
        return problem
    if len(set(image.values())) != len(image) or len(image) != G2.number_of_nodes():
        return invalid("not_bijection", "two nodes map to the same node, so the mapping is not a bijection")
    if G1.number_of_edges() != G2.number_of_edges() or G1.is_directed() != G2.is_directed():
        raise ValueError("the graphs differ in edge count or direction, so no mapping is an isomorphism")
    for u, v in G1.edges():
        if not G2.has_edge(image[u], image[v]):
            return invalid(
                "edge_not_preserved",
                f"edge {show(u)}-{show(v)} maps to {show(image[u])}-{show(image[v])}, which is not an edge",
                edge=[show(u), show(v)],
            )
    return Verdict.correct()

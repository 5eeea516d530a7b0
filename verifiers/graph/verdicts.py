"""Shared pieces of the graph checks: Verdict builders, node and edge validation, tolerant
number comparison. Private to ``graph_checks`` and ``graph_set_checks``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.types import Verdict

TOLERANCE = 1e-6  # relative and absolute tolerance on weights, costs and flow amounts

Number = int | float | Fraction


# -- shared helpers ---------------------------------------------------------------------------------


def invalid(violation: str, message: str, **detail: Any) -> Verdict:
    return Verdict.fail("invalid", violation=violation, message=message, **detail)


def close_values(a: Number, b: Number) -> bool:
    """Equal: exactly when both are exact (ints, Fractions: parsed answers and integer weights, so no
    tolerance is there to exploit), else within TOLERANCE (relative and absolute), as float sums need.

    >>> close_values(0.1 + 0.2, Fraction(3, 10)), close_values(1, 1.01), close_values(Fraction(5999999, 10**6), 6)
    (True, False, False)
    """
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return a == b
    try:
        return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    except OverflowError:  # a 500-digit answer is no float, and far from any weight
        return False


def show(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


def known(G: nx.Graph, node: Any) -> bool:
    try:
        return node in G
    except TypeError:  # an unhashable item is no node
        return False


def nodes_problem(G: nx.Graph, nodes: Sequence[Any], *, allow_repeats: bool = False) -> Verdict | None:
    """An invalid Verdict when ``nodes`` names an unknown node or (unless allowed) repeats one."""
    seen: set[Any] = set()
    for node in nodes:
        if not known(G, node):
            return invalid("unknown_node", f"{show(node)} is not a node of the graph", node=show(node))
        if node in seen and not allow_repeats:
            return invalid("repeated_node", f"node {show(node)} appears more than once", node=show(node))
        seen.add(node)
    return None


def edge_key(G: nx.Graph, u: Any, v: Any) -> Hashable:
    return (u, v) if G.is_directed() else frozenset((u, v))


def edges_problem(G: nx.Graph, edges: Sequence[Sequence[Any]]) -> Verdict | None:
    """An invalid Verdict when an edge is malformed, not in ``G``, or listed twice."""
    seen: set[Hashable] = set()
    for edge in edges:
        if len(edge) != 2:
            return invalid("malformed_edge", f"{show(edge)} is not a pair of nodes", edge=show(edge))
        u, v = edge
        for node in (u, v):
            if not known(G, node):
                return invalid("unknown_node", f"{show(node)} is not a node of the graph", node=show(node))
        if not G.has_edge(u, v):
            return invalid("non_edge", f"{show(u)}-{show(v)} is not an edge of the graph", edge=[show(u), show(v)])
        key = edge_key(G, u, v)
        if key in seen:
            return invalid("repeated_edge", f"edge {show(u)}-{show(v)} appears more than once", edge=[show(u), show(v)])
        seen.add(key)
    return None


def edge_weight(G: nx.Graph, u: Any, v: Any, weight: str | None) -> Number:
    if weight is None:
        return 1
    return G.edges[u, v].get(weight, 1)


def compare(value: Number, optimum: Number | None, *, maximise: bool, what: str) -> Verdict:
    """Correct when ``value`` equals ``optimum``; suboptimal when worse; a bug when better."""
    if optimum is None or close_values(value, optimum):
        return Verdict.correct(value=plain(value))
    better = value > optimum if maximise else value < optimum
    if better:
        raise ValueError(f"a valid answer with {what} {value} beats the stored optimum {optimum}: the optimum is wrong")
    return Verdict.fail(
        "suboptimal",
        message=f"a valid answer, but its {what} is {plain(value)}; the optimum is {plain(optimum)}",
        value=plain(value),
        optimum=plain(optimum),
    )


def plain(value: Number) -> int | float | str:
    """A number for a Verdict's detail: an int, a float, or (past float range) the start of its text."""
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool) and not -(10**18) < value < 10**18:
        return str(value)[:40] + "..."  # a hostile 500-digit amount: a message, never a float overflow
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def walk_problem(G: nx.Graph, walk: Sequence[Any]) -> Verdict | None:
    for u, v in zip(walk, walk[1:]):
        if not G.has_edge(u, v):
            return invalid("non_edge", f"{show(u)}-{show(v)} is not an edge of the graph", edge=[show(u), show(v)])
    return None


def out_neighbours(G: nx.Graph, node: Any) -> Iterable[Any]:
    return G.successors(node) if G.is_directed() else G.neighbors(node)


def missing_nodes(G: nx.Graph, nodes: Sequence[Any]) -> Verdict | None:
    missing = set(G) - set(nodes)
    if missing:
        shown = sorted(map(show, missing))[:5]
        return invalid("missing_node", f"{len(missing)} node(s) are not visited, e.g. {', '.join(shown)}", missing=len(missing))
    return None

"""graph/bfs_order, graph/dfs_order and graph/topological_sort: visiting orders, any valid one.

The prompts allow any valid order, so the checks accept every order the traversal rules allow.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, SIZE_LEVELS, GraphConfig, node_phrase
from assay.generators.graph.structure import StructureTask
from assay.registry import register_task
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

TRAVERSAL_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")


def _neighbours(graph: nx.Graph, node: Any) -> list[Any]:
    return list(graph.successors(node) if graph.is_directed() else graph.neighbors(node))


def bfs_order(graph: nx.Graph, source: Any, key: Callable[[Any], Any]) -> list[Any]:
    """The breadth-first order from ``source`` that queues neighbours in increasing ``key``.

    >>> bfs_order(nx.path_graph(3), 1, lambda n: -n)
    [1, 2, 0]
    """
    order, seen, queue = [source], {source}, deque([source])
    while queue:
        for neighbour in sorted(_neighbours(graph, queue.popleft()), key=key):
            if neighbour not in seen:
                seen.add(neighbour)
                order.append(neighbour)
                queue.append(neighbour)
    return order


def dfs_order(graph: nx.Graph, source: Any, key: Callable[[Any], Any]) -> list[Any]:
    """The depth-first preorder from ``source`` that tries neighbours in increasing ``key``.

    >>> dfs_order(nx.star_graph(2), 0, lambda n: -n)
    [0, 2, 1]
    """
    order, seen = [source], {source}
    stack = [iter(sorted(_neighbours(graph, source), key=key))]
    while stack:
        for neighbour in stack[-1]:
            if neighbour not in seen:
                seen.add(neighbour)
                order.append(neighbour)
                stack.append(iter(sorted(_neighbours(graph, neighbour), key=key)))
                break
        else:
            stack.pop()
    return order


def reverse_rank(graph: nx.Graph) -> dict[Any, int]:
    """Node -> rank that sorts nodes in decreasing order (ints and names alike)."""
    return {node: -i for i, node in enumerate(sorted(graph, key=node_sort_key))}


def _other_orders(traverse: Callable, graph: nx.Graph, source: Any, gold: list[Any], seed: str) -> list[tuple[list[Any], str]]:
    """Orders of the same traversal under other neighbour orders, distinct from gold and each other."""
    rng = random.Random(seed)
    found: list[tuple[list[Any], str]] = []
    seen = {tuple(gold)}
    candidates: list[tuple[Callable[[Any], float], str]] = [(reverse_rank(graph).__getitem__, "neighbours in decreasing order")]
    for i in range(3):
        ranks = {node: rng.random() for node in sorted(graph, key=node_sort_key)}
        candidates.append((ranks.__getitem__, f"neighbours in a shuffled order ({i + 1})"))
    for key, why in candidates:
        order = traverse(graph, source, key)
        if tuple(order) not in seen:
            seen.add(tuple(order))
            found.append((order, why))
    return found


class _TraversalTask(StructureTask):
    kind = "sequence"
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = TRAVERSAL_MODELS
    connected = True
    node_params = ("source",)
    traverse: Callable[..., list[Any]]
    check_order: Callable[..., Verdict]

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        # the source that reaches the most nodes (ties at random), so the order is not trivial
        nodes = sorted(graph, key=node_sort_key)
        reach = {node: len(nx.descendants(graph, node)) if graph.is_directed() else 0 for node in nodes}
        best = max(reach.values())
        return {"source": rng.choice([node for node in nodes if reach[node] == best])}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"answer": type(self).traverse(graph, params["source"], node_sort_key)}

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return type(self).check_order(graph, answer, problem.data["params"]["source"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        return _other_orders(type(self).traverse, graph, problem.data["params"]["source"], gold, problem.id)

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = []
        if len(gold) > 1:
            misses.append((gold[:-1], "the last node left out"))
            misses.append((gold[1:] + gold[:1], "starts at the wrong node"))
            misses.append((gold[:-1] + [gold[-2]], "a node repeated in place of the last"))
        outside = [n for n in problem.data["graph"]["nodes"] if n not in set(gold)]
        if outside:
            misses.append((gold + outside[:1], "a node that cannot be reached"))
        return misses


@register_task
class BFSOrder(_TraversalTask):
    id = "graph/bfs_order"
    description = (
        "List the nodes in an order a breadth-first search from a given node can visit them; any "
        "valid BFS order is accepted (neighbours may be queued in any order)."
    )
    answer_format = "the nodes in visiting order, e.g. [3, 1, 4] or 3 -> 1 -> 4 (names in named encodings)"
    verification = (
        "The order must name every node reachable from the source exactly once, start at the source, and be "
        "reproduced by a FIFO breadth-first search that queues each node's unvisited neighbours in the order the "
        "answer visits them (the standard test for 'is this a BFS order'); no canonical order is compared."
    )
    limitations = ("Directed levels follow arcs forwards only; unreachable nodes must be left out.",)
    traverse = staticmethod(bfs_order)
    check_order = staticmethod(graph_checks.check_bfs_order)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        along = " following edges in their direction" if graph.is_directed() else ""
        return (
            f"Run a breadth-first search (BFS) of G from {node_phrase(names, params['source'], encoding)}{along}. "
            "List every node the search reaches, each once, in the order the search visits them, starting with the "
            "start node. When a node has several unvisited neighbours you may queue them in any order; any valid BFS "
            "order is accepted. Write the nodes in square brackets, for example [3, 1, 4]."
        )

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        source = problem.data["params"]["source"]
        depth = nx.single_source_shortest_path_length(graph, source)
        order = dfs_order(graph, source, node_sort_key)
        # a necessary condition of a BFS order: distances from the source never decrease
        if any(depth[a] > depth[b] for a, b in zip(order, order[1:])):
            misses.append((order, "a depth-first order"))
        return misses


@register_task
class DFSOrder(_TraversalTask):
    id = "graph/dfs_order"
    description = (
        "List the nodes in an order a depth-first search from a given node can visit them (preorder); "
        "any valid DFS order is accepted."
    )
    answer_format = "the nodes in visiting order, e.g. [3, 1, 4] or 3 -> 1 -> 4 (names in named encodings)"
    verification = (
        "Replayed step by step: each next node must be an unvisited neighbour of the deepest node on the current "
        "search path that still has one (the search backtracks only from exhausted nodes); every reachable node "
        "exactly once, starting at the source. No canonical order is compared."
    )
    limitations = ("Directed levels follow arcs forwards only; unreachable nodes must be left out.",)
    traverse = staticmethod(dfs_order)
    check_order = staticmethod(graph_checks.check_dfs_order)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        along = " following edges in their direction" if graph.is_directed() else ""
        return (
            f"Run a depth-first search (DFS) of G from {node_phrase(names, params['source'], encoding)}{along}. "
            "List every node the search reaches, each once, in the order the search first visits them (preorder), "
            "starting with the start node. The search goes on from the most recently visited node that still has an "
            "unvisited neighbour; when there are several you may pick any, and any valid DFS order is accepted. "
            "Write the nodes in square brackets, for example [3, 1, 4]."
        )

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        source = problem.data["params"]["source"]
        order = bfs_order(graph, source, node_sort_key)
        if not graph_checks.check_dfs_order(graph, order, source).passed:
            misses.append((order, "a breadth-first order"))
        return misses


@register_task
class TopologicalSort(StructureTask):
    id = "graph/topological_sort"
    description = "Order the nodes of a directed acyclic graph so that every edge points forward; any valid order is accepted."
    kind = "sequence"
    levels = {level: replace(SIZE_LEVELS[level], directed=True, model="dag") for level in SIZE_LEVELS}
    directions = (True,)
    models = ("dag",)
    answer_format = "every node once, in order, e.g. [3, 1, 4] (names in named encodings)"
    verification = (
        "The answer must be a permutation of all nodes (no unknown, missing or repeated node) in which the tail of "
        "every edge comes before its head; any such order passes."
    )
    limitations = ("Graphs are DAGs by construction; a user's graph with a cycle is refused.",)

    def accept_graph(self, graph: nx.Graph) -> None:
        if not graph.is_directed() or not nx.is_directed_acyclic_graph(graph):
            raise ConfigError("graph", f"{self.id} needs a directed acyclic graph", type(graph).__name__)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"answer": list(nx.lexicographical_topological_sort(graph, key=node_sort_key))}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "G has no directed cycle. Give a topological order of G: every node exactly once, such that for every "
            "edge u -> v, u comes before v. Any valid order is accepted. Write the nodes in square brackets, for "
            "example [3, 1, 4]."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_topological_order(graph, answer)

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        found = []
        rng = random.Random(problem.id)
        keys: list[tuple[Callable[[Any], float], str]] = [(reverse_rank(graph).__getitem__, "largest-first tie-break")]
        ranks = {node: rng.random() for node in sorted(graph, key=node_sort_key)}
        keys.append((ranks.__getitem__, "a random tie-break"))
        seen = {tuple(gold)}
        for key, why in keys:
            order = list(nx.lexicographical_topological_sort(graph, key=key))
            if tuple(order) not in seen:
                seen.add(tuple(order))
                found.append((order, why))
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = [(gold[:-1], "the last node left out")]
        if len(gold) > 1:
            misses.append((gold[:-1] + [gold[0]], "a node repeated in place of a missing one"))
        edges = sorted(graph.edges(), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
        if edges:
            misses.append((gold[::-1], "reversed: every edge points backwards"))
            u, v = edges[0]
            swapped = [v if n == u else u if n == v else n for n in gold]
            misses.append((swapped, "the ends of one edge swapped"))
        return misses

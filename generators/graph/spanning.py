"""graph/minimum_spanning_tree, graph/bridges and graph/articulation_points: spanning trees
(any minimum tree; its weight is checked) and the edges and nodes whose removal disconnects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.generators.graph.answers import NodeSetTask
from assay.generators.graph.base import SIZE_LEVELS
from assay.generators.graph.structure import StructureTask
from assay.registry import register_task
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

# denser than the default ladder (a near-tree has one spanning tree) and with few distinct weights
MST_LEVELS = {
    level: replace(SIZE_LEVELS[level], density=round(SIZE_LEVELS[level].density + 0.1, 2), max_weight=weight, weighted=True)
    for level, weight in zip(SIZE_LEVELS, (5, 8, 10, 15, 20))
}
CUT_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")


def _edge_sort_key(edge: Any) -> tuple:
    return (node_sort_key(edge[0]), node_sort_key(edge[1]))


def _ordered(u: Any, v: Any) -> list[Any]:
    return [u, v] if node_sort_key(u) <= node_sort_key(v) else [v, u]


def _tree_weight(graph: nx.Graph, edges: list[list[Any]]) -> int:
    return sum(graph.edges[u, v]["weight"] for u, v in edges)


@register_task
class MinimumSpanningTree(StructureTask):
    id = "graph/minimum_spanning_tree"
    description = "Give the edges of a minimum spanning tree of a connected weighted graph; any minimum tree passes."
    kind = "edges"
    levels = MST_LEVELS
    weightings = (True,)
    models = ("gnp", "watts_strogatz")
    connected = True
    answer_format = "the tree's edges, e.g. (0, 1), (1, 2), (1, 3) (weights may be written as a third number)"
    verification = (
        "The edges must be real, distinct edges of the graph (either orientation), n-1 of them, with no cycle (so "
        "they span), and their total weight must equal the minimum computed by networkx (Kruskal); any minimum "
        "spanning tree passes."
    )
    limitations = ("A weight written with an edge is ignored: the graph's own weight counts.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        tree = nx.minimum_spanning_tree(graph, algorithm="kruskal")
        edges = sorted((_ordered(u, v) for u, v in tree.edges()), key=_edge_sort_key)
        return {"answer": edges, "optimum": _tree_weight(graph, edges)}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a minimum spanning tree of G: a set of edges that connects every node, contains no cycle, and has "
            "the smallest possible total weight. If several trees have that weight, give any one. List its edges as "
            "pairs, for example (0, 1), (1, 2), (1, 3)."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_spanning_tree(graph, answer, optimum=problem.data["gold"]["optimum"])

    def _exchanges(self, graph: nx.Graph, tree: list[list[Any]]) -> Iterator[tuple[list[list[Any]], int]]:
        """Trees one edge swap away from ``tree`` (a non-tree edge in, a tree edge of its cycle out)."""
        forest = nx.Graph([tuple(e) for e in tree])
        chosen = {frozenset(e) for e in tree}
        for u, v in sorted((_ordered(u, v) for u, v in graph.edges()), key=_edge_sort_key):
            if frozenset((u, v)) in chosen:
                continue
            cycle = nx.shortest_path(forest, u, v)
            for a, b in zip(cycle, cycle[1:]):
                swapped = [e for e in tree if frozenset(e) != frozenset((a, b))] + [[u, v]]
                yield swapped, _tree_weight(graph, swapped)

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]
        tree, optimum = gold["answer"], gold["optimum"]
        found: list[tuple[Any, str]] = [([[v, u] for u, v in tree[::-1]], "the same tree, reversed pairs and order")]
        for swapped, weight in self._exchanges(graph, tree):
            if weight == optimum:
                found.append((swapped, "another minimum tree (an edge swapped for one of equal weight)"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]
        tree, optimum = gold["answer"], gold["optimum"]
        misses: list[tuple[Any, str]] = []
        if tree:
            misses.append((tree[:-1], "one edge short: does not span"))
        for swapped, weight in self._exchanges(graph, tree):
            if weight > optimum:
                misses.append((swapped, "a spanning tree that is not minimum"))
                break
        chosen = {frozenset(e) for e in tree}
        extra = [e for e in sorted((_ordered(u, v) for u, v in graph.edges()), key=_edge_sort_key) if frozenset(e) not in chosen]
        if extra:
            misses.append((tree + extra[:1], "one edge too many: a cycle"))
            misses.append(([_ordered(u, v) for u, v in graph.edges()], "every edge of the graph"))
        nodes = sorted(graph, key=node_sort_key)
        non_edges = [[u, v] for u, v in itertools.combinations(nodes, 2) if not graph.has_edge(u, v)]
        if tree and non_edges:
            misses.append((tree[:-1] + non_edges[:1], "an edge swapped for a non-edge"))
        if len(nodes) > 1:
            star = [[nodes[0], v] for v in nodes[1:]]
            if any(not graph.has_edge(u, v) for u, v in star):
                misses.append((star, "a star from the first node, over non-edges"))
        return misses


@register_task
class Bridges(StructureTask):
    id = "graph/bridges"
    description = "List every bridge of an undirected graph: the edges whose removal disconnects their ends."
    kind = "edges"
    can_be_empty = True
    levels = SIZE_LEVELS
    models = CUT_MODELS
    answer_format = "the bridges as pairs in any order and orientation, e.g. (0, 1), (4, 2); none (or []) when there are none"
    verification = (
        "Every listed pair must be a real edge, listed once (either orientation); the set must equal networkx's "
        "bridges exactly."
    )
    limitations = ("Only undirected graphs.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"answer": sorted((_ordered(u, v) for u, v in nx.bridges(graph)), key=_edge_sort_key)}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "List every bridge of G: every edge whose removal would increase the number of connected components. "
            "Write each bridge as a pair, in any order, for example (0, 1), (4, 2); write none if G has no bridge."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_edge_set(graph, answer, problem.data["gold"]["answer"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        if not gold:
            return []
        return [([[v, u] for u, v in gold[::-1]], "reversed pairs, other order")]

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = []
        if gold:
            misses.append((gold[:-1], "one bridge left out"))
        bridges = {frozenset(e) for e in gold}
        others = [e for e in sorted((_ordered(u, v) for u, v in graph.edges()), key=_edge_sort_key) if frozenset(e) not in bridges]
        if others:
            misses.append((gold + others[:1], "an edge on a cycle added"))
            misses.append(([_ordered(u, v) for u, v in graph.edges()], "every edge of the graph"))
        if len(gold) > 1:
            misses.append((gold + gold[:1], "a bridge listed twice"))
        return misses


@register_task
class ArticulationPoints(NodeSetTask):
    id = "graph/articulation_points"
    description = "List every articulation point (cut vertex) of an undirected graph."
    levels = SIZE_LEVELS
    models = CUT_MODELS
    answer_format = "a list of nodes in any order, e.g. [3, 1]; [] when there are none"
    verification = (
        "The list is parsed by the node-list grammar; unknown or repeated nodes are invalid; the set must equal "
        "networkx's articulation_points exactly."
    )
    limitations = ("Only undirected graphs.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> list[Any]:
        return sorted(nx.articulation_points(graph), key=node_sort_key)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "List every articulation point of G: every node whose removal (with its edges) would increase the "
            f"number of connected components. {self.number_hint}"
        )

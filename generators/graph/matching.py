"""graph/bipartite_matching, graph/maximum_matching, graph/maximum_weight_matching and
graph/minimum_edge_cover: optimal edge sets; any optimal set passes, its size or weight is checked.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import SIZE_LEVELS
from assay.generators.graph.structure import APPROXIMATION_TEXT, StructureTask, int_copy
from assay.registry import register_task
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

# few distinct weights, so maximum weight matchings tie and alternatives exist
WEIGHTED_LEVELS = {
    level: replace(c, weighted=True, max_weight=weight) for (level, c), weight in zip(SIZE_LEVELS.items(), (5, 8, 10, 15, 20))
}


def _ordered(u: Any, v: Any) -> list[Any]:
    return [u, v] if node_sort_key(u) <= node_sort_key(v) else [v, u]


def _sorted_edges(edges: Any) -> list[list[Any]]:
    return sorted((_ordered(u, v) for u, v in edges), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))


def _shuffled(graph: nx.Graph, rng: random.Random) -> nx.Graph:
    """The same graph with nodes and edges inserted in a random order (other algorithm paths)."""
    nodes = sorted(graph, key=node_sort_key)
    rng.shuffle(nodes)
    edges = list(graph.edges(data=True))
    rng.shuffle(edges)
    copy = graph.__class__()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def _weight(graph: nx.Graph, edges: Any, weight: str | None) -> int:
    return sum(graph.edges[u, v].get(weight, 1) for u, v in edges) if weight else len(edges)


class _MatchingTask(StructureTask):
    kind = "edges"
    levels = SIZE_LEVELS
    weight_name: str | None = None
    answer_format = "the chosen edges as pairs, e.g. (0, 1), (2, 5) (weights may be written as a third number)"

    def optimal(self, graph: nx.Graph) -> Any:
        raise NotImplementedError

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        edges = _sorted_edges(self.optimal(graph))
        return {"answer": edges, "optimum": _weight(graph, edges, self.weight_name)}

    def check_edges(self, graph: nx.Graph, answer: Any, optimum: Any) -> Verdict:
        return graph_checks.check_matching(graph, answer, optimum=optimum, weight=self.weight_name)

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return self.check_edges(graph, answer, problem.data["gold"]["optimum"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        found: list[tuple[Any, str]] = []
        if gold:
            found.append(([[v, u] for u, v in gold[::-1]], "the same edges reversed, in another order"))
        # an optimum of G minus one gold edge is a matching of G: if it is as good, it is another optimum
        optimum = problem.data["gold"]["optimum"]
        for u, v in gold:
            smaller = graph.copy()
            smaller.remove_edge(u, v)
            other = _sorted_edges(self.optimal(smaller))
            if _weight(graph, other, self.weight_name) == optimum:
                found.append((other, "another optimal edge set"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]
        edges, optimum = gold["answer"], gold["optimum"]
        misses: list[tuple[Any, str]] = []
        if edges:
            misses.append((edges[:-1], "one edge left out"))
        used = {n for e in edges for n in e}
        touching = [e for e in _sorted_edges(graph.edges()) if e not in edges and (e[0] in used) != (e[1] in used)]
        if touching:
            misses.append((edges + touching[:1], "an edge that shares a node with a chosen one"))
        nodes = sorted(graph, key=node_sort_key)
        free = [n for n in nodes if n not in used]
        non_edges = [[u, v] for u, v in itertools.combinations(free, 2) if not graph.has_edge(u, v)]
        if non_edges:
            misses.append((edges + non_edges[:1], "a non-edge between two unmatched nodes"))
        rng = random.Random(problem.id + "greedy")
        for _ in range(4):
            greedy = _sorted_edges(nx.maximal_matching(_shuffled(graph, rng)))
            if _weight(graph, greedy, self.weight_name) < optimum:
                misses.append((greedy, "a maximal matching that is not maximum"))
                break
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return max((_weight(graph, [e], self.weight_name) for e in graph.edges()), default=0)


@register_task
class BipartiteMatching(_MatchingTask):
    id = "graph/bipartite_matching"
    description = "Find a maximum matching of a bipartite graph; any maximum matching passes."
    models = ("bipartite",)
    verification = (
        "The pairs must be real, distinct edges with no node in two of them, and their number must equal the maximum "
        "computed by Hopcroft-Karp at generation; any maximum matching passes."
    )
    limitations = ("A user's graph must be bipartite.",)
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="a single edge: 1")}

    def accept_graph(self, graph: nx.Graph) -> None:
        if not nx.is_bipartite(graph):
            raise ConfigError("graph", f"{self.id} needs a bipartite graph", graph.number_of_nodes())

    def optimal(self, graph: nx.Graph) -> Any:
        colour = nx.bipartite.color(graph)
        top = [n for n in graph if colour[n] == 0]
        copy, back = int_copy(graph)
        index = {node: i for i, node in enumerate(back)}
        matching = nx.bipartite.hopcroft_karp_matching(copy, top_nodes=[index[n] for n in top])
        return [(u, back[matching[index[u]]]) for u in top if index[u] in matching]

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "G is bipartite. Find a maximum matching of G: as many edges as possible such that no node belongs to "
            "two chosen edges. Any maximum matching is accepted. List the chosen edges as pairs, for example "
            "(0, 1), (2, 5)."
        )


@register_task
class MaximumMatching(_MatchingTask):
    id = "graph/maximum_matching"
    description = "Find a maximum (cardinality) matching of a general graph; any maximum matching passes."
    models = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")
    verification = (
        "The pairs must be real, distinct edges with no node in two of them, and their number must equal the maximum "
        "computed by networkx (Edmonds' blossom algorithm) at generation; any maximum matching passes."
    )
    limitations = ()
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="a single edge: 1")}

    def optimal(self, graph: nx.Graph) -> Any:
        return nx.max_weight_matching(graph, maxcardinality=True, weight="__unweighted__")

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a maximum matching of G: as many edges as possible such that no node belongs to two chosen edges. "
            "Any maximum matching is accepted. List the chosen edges as pairs, for example (0, 1), (2, 5)."
        )


@register_task
class MaximumWeightMatching(_MatchingTask):
    id = "graph/maximum_weight_matching"
    description = "Find a matching of maximum total weight (not necessarily of maximum size); any optimal matching passes."
    levels = WEIGHTED_LEVELS
    weightings = (True,)
    models = ("gnp", "barabasi_albert", "watts_strogatz", "bipartite", "grid")
    weight_name = "weight"
    verification = (
        "The pairs must be real, distinct edges with no node in two of them, and their total weight must equal the "
        "maximum computed by networkx's max_weight_matching at generation; any optimal matching passes."
    )
    limitations = ("Weights are positive integers.",)
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="the heaviest single edge")}

    def optimal(self, graph: nx.Graph) -> Any:
        return nx.max_weight_matching(graph, weight="weight")

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a maximum weight matching of G: a set of edges, no node in two of them, whose total weight is as "
            "large as possible (it need not have the most edges). Any optimal matching is accepted. List the chosen "
            "edges as pairs, for example (0, 1), (2, 5)."
        )

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        optimum = problem.data["gold"]["optimum"]
        largest = _sorted_edges(nx.max_weight_matching(graph, maxcardinality=True, weight="__unweighted__"))
        if _weight(graph, largest, "weight") < optimum:
            misses.append((largest, "a maximum-size matching that is not of maximum weight"))
        return misses


@register_task
class MinimumEdgeCover(_MatchingTask):
    id = "graph/minimum_edge_cover"
    description = "Find a smallest set of edges touching every node (the graph has no isolated node); any minimum cover passes."
    models = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "bipartite", "grid")
    connected = True
    answer_format = "the chosen edges as pairs, e.g. (0, 1), (2, 5), (2, 3)"
    verification = (
        "The pairs must be real, distinct edges covering every node, and their number must equal the minimum "
        "(n minus a maximum matching's size, computed by networkx at generation); any minimum edge cover passes."
    )
    limitations = ("A user's graph must have no isolated node.",)
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="every edge: m")}

    def accept_graph(self, graph: nx.Graph) -> None:
        if graph.number_of_nodes() < 2 or any(graph.degree(n) == 0 for n in graph):
            raise ConfigError("graph", f"{self.id} needs a graph without isolated nodes", graph.number_of_nodes())

    def optimal(self, graph: nx.Graph) -> Any:
        return {frozenset(e) for e in nx.min_edge_cover(graph)}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        edges = _sorted_edges(tuple(e) for e in self.optimal(graph))
        return {"answer": edges, "optimum": len(edges)}

    def check_edges(self, graph: nx.Graph, answer: Any, optimum: Any) -> Verdict:
        return graph_checks.check_edge_cover(graph, answer, optimum=optimum)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a minimum edge cover of G: as few edges as possible such that every node is an endpoint of at "
            "least one chosen edge. Any minimum edge cover is accepted. List the chosen edges as pairs, for example "
            "(0, 1), (2, 5), (2, 3)."
        )

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        found: list[tuple[Any, str]] = [([[v, u] for u, v in gold[::-1]], "the same edges reversed, in another order")]
        # Gallai: a maximum matching plus one edge per unmatched node is a minimum edge cover
        rng = random.Random(problem.id)
        seen = {tuple(map(tuple, gold))}
        for _ in range(4):
            shuffled = _shuffled(graph, rng)
            cover = [tuple(e) for e in nx.max_weight_matching(shuffled, maxcardinality=True, weight="__unweighted__")]
            used = {n for e in cover for n in e}
            for node in shuffled:
                if node not in used:
                    cover.append((node, rng.choice(sorted(graph.neighbors(node), key=node_sort_key))))
            other = _sorted_edges(cover)
            if tuple(map(tuple, other)) not in seen:
                found.append((other, "another minimum edge cover"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = [(gold[:-1], "one edge left out: a node uncovered")]
        chosen = {frozenset(e) for e in gold}
        spare = [e for e in _sorted_edges(graph.edges()) if frozenset(e) not in chosen]
        if spare:
            misses.append((gold + spare[:1], "a cover with one edge too many"))
            misses.append((_sorted_edges(graph.edges()), "every edge of the graph"))
        nodes = sorted(graph, key=node_sort_key)
        non_edges = [[u, v] for u, v in itertools.combinations(nodes, 2) if not graph.has_edge(u, v)]
        if non_edges:
            misses.append((gold[:-1] + non_edges[:1], "an edge swapped for a non-edge"))
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return graph.number_of_edges()

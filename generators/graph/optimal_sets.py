"""graph/minimum_vertex_cover, graph/maximum_independent_set, graph/maximum_clique and
graph/minimum_dominating_set: NP-hard node sets on small graphs, optimum computed exactly at generation.

Any optimal set passes: the answer is checked for validity, and its size against the stored optimum.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, ClassVar

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import GraphConfig
from assay.generators.graph.exact import (
    MAX_NODES,
    another_maximum,
    maximum_clique,
    maximum_independent_set,
    minimum_dominating_set,
    minimum_vertex_cover,
)
from assay.generators.graph.structure import APPROXIMATION_TEXT, StructureTask, int_copy
from assay.registry import register_task
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

SMALL_LEVELS = {
    1: GraphConfig(min_nodes=4, max_nodes=6, density=0.5),
    2: GraphConfig(min_nodes=6, max_nodes=9, density=0.4),
    3: GraphConfig(min_nodes=9, max_nodes=12, density=0.35),
    4: GraphConfig(min_nodes=12, max_nodes=16, density=0.3),
    5: GraphConfig(min_nodes=15, max_nodes=20, density=0.3),
}
CLIQUE_LEVELS = {level: replace(c, density=c.density + 0.2) for level, c in SMALL_LEVELS.items()}
MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "bipartite", "grid")




def _sorted(nodes: Any) -> list[Any]:
    return sorted(nodes, key=node_sort_key)


class _OptimalSetTask(StructureTask):
    kind = "set"
    levels = SMALL_LEVELS
    models: ClassVar[tuple[str, ...]] = MODELS
    answer_format = "a list of nodes in any order, e.g. [3, 1, 4] (names in named encodings)"
    solver: ClassVar[staticmethod[[nx.Graph], list[Any] | None]]
    checker: ClassVar[Callable[..., Verdict]]

    def accept_graph(self, graph: nx.Graph) -> None:
        if graph.number_of_nodes() > MAX_NODES:
            raise ConfigError("graph", f"{self.id} computes the optimum exactly: at most {MAX_NODES} nodes", graph.number_of_nodes())

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        found = _sorted(type(self).solver(graph))
        return {"answer": found, "optimum": len(found)}

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return type(self).checker(graph, answer, optimum=problem.data["gold"]["optimum"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        other = self.another(graph, gold)
        return [(_sorted(other), "another optimal set")] if other is not None and set(other) != set(gold) else []

    def another(self, graph: nx.Graph, gold: list[Any]) -> list[Any] | None:
        return None

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = []
        if len(gold) > 1:
            misses.append((gold[:-1], "one node left out"))
            misses.append(([gold[0]] * len(gold), "one node repeated to the right size"))
        outside = [n for n in _sorted(graph) if n not in set(gold)]
        if outside:
            misses.append((gold + outside[:1], "one node too many"))
        return misses


@register_task
class MaximumIndependentSet(_OptimalSetTask):
    id = "graph/maximum_independent_set"
    description = "Find a largest set of pairwise non-adjacent nodes; any maximum independent set passes."
    verification = (
        "The nodes must be distinct graph nodes, no two adjacent, and as many as the maximum computed exactly "
        "(branch and bound) at generation; any maximum independent set passes."
    )
    limitations = (
        "Generated graphs have at most 20 nodes, so the optimum is exact; a user's graph may have up to "
        f"{MAX_NODES} nodes (larger ones are refused: the search is exponential).",
    )
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="a single node: 1")}
    solver = staticmethod(maximum_independent_set)
    checker = staticmethod(graph_checks.check_independent_set)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a maximum independent set of G: as many nodes as possible, no two of them joined by an edge. Any "
            "maximum independent set is accepted. List the nodes in square brackets, for example [3, 1, 4]."
        )

    def another(self, graph: nx.Graph, gold: list[Any]) -> list[Any] | None:
        return another_maximum(maximum_independent_set, graph, gold)

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        optimum = problem.data["gold"]["optimum"]
        rng = random.Random(problem.id)
        for _ in range(5):
            copy, back = int_copy(graph)
            greedy = [back[i] for i in nx.maximal_independent_set(copy, seed=rng.randrange(2**32))]
            if len(greedy) < optimum:
                misses.append((_sorted(greedy), "a maximal independent set that is not maximum"))
                break
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return 1


@register_task
class MaximumClique(_OptimalSetTask):
    id = "graph/maximum_clique"
    description = "Find a largest set of pairwise adjacent nodes; any maximum clique passes."
    levels = CLIQUE_LEVELS
    models = ("gnp", "barabasi_albert", "watts_strogatz")
    verification = (
        "The nodes must be distinct graph nodes, every two adjacent, and as many as the maximum computed exactly "
        "(branch and bound on the complement) at generation; any maximum clique passes."
    )
    limitations = (
        "Generated graphs have at most 20 nodes, so the optimum is exact; a user's graph may have up to "
        f"{MAX_NODES} nodes (larger ones are refused: the search is exponential).",
    )
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="a single node: 1")}
    solver = staticmethod(maximum_clique)
    checker = staticmethod(graph_checks.check_clique)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a maximum clique of G: as many nodes as possible, every two of them joined by an edge. Any "
            "maximum clique is accepted. List the nodes in square brackets, for example [3, 1, 4]."
        )

    def another(self, graph: nx.Graph, gold: list[Any]) -> list[Any] | None:
        return another_maximum(maximum_clique, graph, gold)

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        optimum = problem.data["gold"]["optimum"]
        copy, back = int_copy(graph)
        cliques = ([back[i] for i in c] for c in nx.find_cliques(copy))
        smaller = sorted((c for c in cliques if len(c) < optimum), key=lambda c: (-len(c), [node_sort_key(n) for n in _sorted(c)]))
        if smaller:
            misses.append((_sorted(smaller[0]), "a maximal clique that is not maximum"))
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return 1


@register_task
class MinimumVertexCover(_OptimalSetTask):
    id = "graph/minimum_vertex_cover"
    description = "Find a smallest set of nodes touching every edge; any minimum vertex cover passes."
    verification = (
        "The nodes must be distinct graph nodes, every edge must have an endpoint among them, and they must be as "
        "few as the minimum computed exactly (the complement of a maximum independent set) at generation; any "
        "minimum vertex cover passes."
    )
    limitations = (
        "Generated graphs have at most 20 nodes, so the optimum is exact; a user's graph may have up to "
        f"{MAX_NODES} nodes (larger ones are refused: the search is exponential).",
    )
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="every node: n")}
    solver = staticmethod(minimum_vertex_cover)
    checker = staticmethod(graph_checks.check_vertex_cover)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a minimum vertex cover of G: as few nodes as possible such that every edge has at least one "
            "endpoint among them. Any minimum vertex cover is accepted. List the nodes in square brackets, for "
            "example [3, 1, 4]."
        )

    def another(self, graph: nx.Graph, gold: list[Any]) -> list[Any] | None:
        independent = [n for n in graph if n not in set(gold)]
        other = another_maximum(maximum_independent_set, graph, independent)
        return None if other is None else [n for n in graph if n not in set(other)]

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        gold = problem.data["gold"]["answer"]
        optimum = problem.data["gold"]["optimum"]
        inside = set(gold)
        if any(u in inside and v in inside for u, v in graph.edges()):
            complement = [n for n in _sorted(graph) if n not in inside]
            misses.append((complement, "the complement of a cover: leaves an edge uncovered"))
        matched = sorted({n for e in nx.maximal_matching(graph) for n in e}, key=node_sort_key)
        if len(matched) > optimum:
            misses.append((matched, "both ends of a maximal matching: a cover, not minimum"))
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return graph.number_of_nodes()


@register_task
class MinimumDominatingSet(_OptimalSetTask):
    id = "graph/minimum_dominating_set"
    description = "Find a smallest set of nodes such that every node is in it or adjacent to it; any minimum dominating set passes."
    verification = (
        "The nodes must be distinct graph nodes, every node must be chosen or adjacent to a chosen node, and they "
        "must be as few as the minimum computed exactly (branch and bound) at generation; any minimum dominating "
        "set passes."
    )
    limitations = (
        "Generated graphs have at most 20 nodes, so the optimum is exact; a user's graph may have up to "
        f"{MAX_NODES} nodes (larger ones are refused: the search is exponential).",
    )
    partial_credit = {"approximation": APPROXIMATION_TEXT.format(trivial="every node: n")}
    solver = staticmethod(minimum_dominating_set)
    checker = staticmethod(graph_checks.check_dominating_set)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a minimum dominating set of G: as few nodes as possible such that every node of G is either in "
            "the set or adjacent to a node in the set. Any minimum dominating set is accepted. List the nodes in "
            "square brackets, for example [3, 1, 4]."
        )

    def another(self, graph: nx.Graph, gold: list[Any]) -> list[Any] | None:
        for node in gold:
            other = minimum_dominating_set(graph, forbidden=[node])
            if other is not None and len(other) == len(gold):
                return other
        return None

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        misses = super().near_misses(problem, graph)
        copy, back = int_copy(graph)
        greedy = _sorted(back[i] for i in nx.dominating_set(copy))
        if len(greedy) > problem.data["gold"]["optimum"]:
            misses.append((greedy, "a dominating set that is not minimum"))
        return misses

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        return graph.number_of_nodes()

"""graph/k_coloring and graph/chromatic_number: a proper colouring with at most k colours (k is
the chromatic number, computed exactly at generation), and the chromatic number itself.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.answers import NumberTask
from assay.generators.graph.base import GraphConfig
from assay.generators.graph.exact import MAX_NODES, chromatic_number, color_with
from assay.generators.graph.structure import StructureTask, int_copy
from assay.registry import Probe, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

COLOR_LEVELS = {
    1: GraphConfig(min_nodes=4, max_nodes=6, density=0.5),
    2: GraphConfig(min_nodes=6, max_nodes=9, density=0.45),
    3: GraphConfig(min_nodes=9, max_nodes=12, density=0.4),
    4: GraphConfig(min_nodes=12, max_nodes=16, density=0.35),
    5: GraphConfig(min_nodes=15, max_nodes=20, density=0.3),
}
COLOR_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "bipartite", "grid")


def _accept_small(task_id: str, graph: nx.Graph) -> None:
    if graph.number_of_nodes() > MAX_NODES:
        raise ConfigError("graph", f"{task_id} computes the chromatic number exactly: at most {MAX_NODES} nodes", graph.number_of_nodes())


COLOR_WORDS = ("red", "green", "blue", "yellow", "purple", "orange", "pink", "brown", "black", "white")


@register_task
class KColoring(StructureTask):
    id = "graph/k_coloring"
    description = (
        "Colour the nodes with at most k colours so that adjacent nodes differ, where k is the chromatic number "
        "(so the colouring is optimal); any proper k-colouring passes."
    )
    kind = "mapping"
    levels = COLOR_LEVELS
    models = COLOR_MODELS
    other_params = ("colors",)
    answer_format = "one node: colour pair per node, e.g. {0: 1, 1: 2, 2: 1}; colours are the integers 1..k, as the prompt says"
    verification = (
        "Every node must get exactly one colour (no unknown or repeated node), every colour must be one of the "
        "integers 1 to k the prompt names (a colour 0, k + 1 or a colour word fails, whatever the count), adjacent "
        "nodes must get different colours, and at most k distinct colours may be used; any proper k-colouring with "
        "colours 1..k passes."
    )
    limitations = (
        "k is always the chromatic number of generated graphs; a caller may pose a larger k with params.",
        f"A user's graph may have up to {MAX_NODES} nodes (the chromatic number is found by exponential search).",
    )

    def accept_graph(self, graph: nx.Graph) -> None:
        _accept_small(self.id, graph)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"colors": chromatic_number(graph)[0]}

    def check_params(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        params = super().check_params(graph, params)
        k = params["colors"]
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ConfigError("params", "colors must be a positive integer", k)
        return params

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        coloring = color_with(graph, params["colors"])
        if coloring is None:
            raise ConfigError("params", f"G has no proper colouring with {params['colors']} colours", params["colors"])
        return {"answer": [[node, coloring[node] + 1] for node in sorted(graph, key=node_sort_key)]}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        k = params["colors"]
        return (
            f"Colour every node of G with one of {k} colours, numbered 1 to {k}, so that no two adjacent nodes get "
            f"the same colour. It can be done; any valid colouring is accepted. Write one node: colour pair per node "
            "in braces, for example {0: 1, 1: 2, 2: 1}."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        k = problem.data["params"]["colors"]
        return graph_checks.check_coloring(graph, answer, colors=k, labels=range(1, k + 1))

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        k = problem.data["params"]["colors"]
        found: list[tuple[Any, str]] = [
            ([[node, color % k + 1] for node, color in gold], "the colours permuted"),
            (gold[::-1], "pairs in another order"),
        ]
        partition = _classes(gold)
        for strategy in ("largest_first", "smallest_last", "DSATUR", "independent_set"):
            copy, back = int_copy(graph)
            greedy = {back[i]: colour for i, colour in nx.greedy_color(copy, strategy=strategy).items()}
            if len(set(greedy.values())) <= k:
                other = [[node, greedy[node] + 1] for node in sorted(graph, key=node_sort_key)]
                if _classes(other) != partition:
                    found.append((other, f"a different colouring ({strategy})"))
                    break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        k = problem.data["params"]["colors"]
        color = dict((node, c) for node, c in gold)
        misses: list[tuple[Any, str]] = [(gold[:-1], "a node left uncoloured")]
        edges = sorted(graph.edges(), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
        if edges:
            u, v = edges[0]
            misses.append(([[n, color[v] if n == u else c] for n, c in gold], "two adjacent nodes share a colour"))
            misses.append(([[n, 1] for n, _ in gold], "every node the same colour"))
        misses.append(([[n, i + 1] for i, (n, _) in enumerate(gold)] if len(gold) > k else gold[:-1], "a new colour per node: too many colours"))
        # the prompt says "numbered 1 to k": other labels fail even with the right count
        misses.append(([[node, COLOR_WORDS[color - 1] if color <= len(COLOR_WORDS) else f"c{color}"] for node, color in gold], "colour names, not the numbers asked for"))
        misses.append(([[node, color - 1] for node, color in gold], "colours numbered from 0, not 1 to k"))
        top = max(c for _, c in gold)
        misses.append(([[node, k + 1 if color == top else color] for node, color in gold], "colour k + 1 for the highest colour: outside 1..k"))
        return misses

    def show_value(self, value: Any, names: NodeNames) -> str:
        return str(value)

    def probes(self, problem: Problem) -> list[Probe]:
        gold = problem.data["gold"]["answer"]
        names = self.names_of(problem)
        first, color = gold[0]
        return super().probes(problem) + [
            Probe(wrap("{" + ", ".join(f"{names.show(n)}: {c}" for n, c in gold) + f", {names.show(first)}: {color}" + "}"), False, "a node coloured twice"),
            Probe(wrap("{" + ", ".join(f"{names.show(n)}: {c} or {c % problem.data['params']['colors'] + 1}" for n, c in gold) + "}"), False, "hedged colours"),
        ]


def _classes(coloring: list[list[Any]]) -> set[frozenset[Any]]:
    groups: dict[Any, set[Any]] = {}
    for node, color in coloring:
        groups.setdefault(color, set()).add(node)
    return {frozenset(group) for group in groups.values()}


@register_task
class ChromaticNumber(NumberTask):
    id = "graph/chromatic_number"
    units = frozenset("colour colours color colors".split())
    description = "The chromatic number: the fewest colours that colour the nodes so that adjacent nodes differ."
    levels = COLOR_LEVELS
    models = COLOR_MODELS
    answer_format = "a single integer"
    verification = "Exact comparison with the chromatic number computed exactly at generation (clique bound, then backtracking k-colouring)."
    limitations = (
        "Generated graphs have at most 20 nodes, so the value is exact; a user's graph may have up to "
        f"{MAX_NODES} nodes (larger ones are refused: the search is exponential).",
    )

    def accept_graph(self, graph: nx.Graph) -> None:
        _accept_small(self.id, graph)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(chromatic_number(graph)[0])

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "What is the chromatic number of G: the smallest number of colours needed to colour its nodes so that no "
            f"two adjacent nodes share a colour? {self.number_hint}"
        )

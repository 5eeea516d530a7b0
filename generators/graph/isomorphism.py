"""graph/isomorphism_mapping: map the nodes of G onto those of a relabelled, reshuffled copy H so
that edges map onto edges; any isomorphism passes (symmetric graphs have several).
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, GraphConfig
from assay.generators.graph.structure import StructureTask, int_copy
from assay.registry import Probe, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, graph_from_payload, graph_payload, node_sort_key, parse_mapping
from assay.verifiers.graph import checks as graph_checks

MAX_MATCHES = 5  # isomorphisms enumerated for alternative answers


def second_labels(n: int) -> list[str]:
    """Names of H's nodes: a, b, ..., z, then a2, b2, ... (single words, never G's ids or names).

    >>> second_labels(3), second_labels(28)[-2:]
    (['a', 'b', 'c'], ['a2', 'b2'])
    """
    letters = string.ascii_lowercase
    return [letters[i % 26] + (str(i // 26 + 1) if i >= 26 else "") for i in range(n)]


def _second(params: Mapping[str, Any]) -> nx.Graph:
    return graph_from_payload(params["second"])


def _is_isomorphism(G: nx.Graph, H: nx.Graph, mapping: Mapping[Any, Any]) -> bool:
    """Independent of graph_checks: a bijection that sends every edge of G to an edge of H."""
    return (
        set(mapping) == set(G)
        and sorted(mapping.values()) == sorted(H)
        and all(H.has_edge(mapping[u], mapping[v]) for u, v in G.edges())
    )


def _isomorphisms(G: nx.Graph, H: nx.Graph) -> Iterator[dict[Any, Any]]:
    """Isomorphisms G -> H in a reproducible order (the matcher runs on integer-labelled copies)."""
    g, g_back = int_copy(G)
    h, h_back = int_copy(H)
    matcher = nx.algorithms.isomorphism.DiGraphMatcher if G.is_directed() else nx.algorithms.isomorphism.GraphMatcher
    for mapping in matcher(g, h).isomorphisms_iter():
        yield {g_back[a]: h_back[b] for a, b in mapping.items()}


@register_task
class IsomorphismMapping(StructureTask):
    id = "graph/isomorphism_mapping"
    description = (
        "Given G and a relabelled copy H (nodes renamed with letters, edges reshuffled), map each node of G to a "
        "node of H so that edges go onto edges; any isomorphism passes."
    )
    kind = "mapping"
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")
    connected = True
    other_params = ("second",)
    answer_format = "one 'node of G: node of H' pair per node of G, e.g. {0: c, 1: a, 2: b}"
    verification = (
        "The pairs must map every node of G exactly once onto distinct nodes of H (a bijection; unknown or repeated "
        "nodes are invalid), and every edge u-v of G must map onto an edge f(u)-f(v) of H (in its direction when "
        "directed); as G and H have equally many edges, that makes it an isomorphism. Any isomorphism passes."
    )
    limitations = ("H is always isomorphic to G; deciding non-isomorphism is not asked.",)

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        labels = second_labels(len(nodes))
        rng.shuffle(labels)
        relabel = dict(zip(nodes, labels))
        second = graph.__class__()
        second.add_nodes_from(sorted(labels))
        second.add_edges_from((relabel[u], relabel[v]) for u, v in graph.edges())
        return {"second": graph_payload(second, weighted=False)}

    def check_params(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        params = super().check_params(graph, params)
        try:
            second = _second(params)
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError("params", f"second must be a graph payload ({error})", None) from None
        if second.is_directed() != graph.is_directed() or not nx.is_isomorphic(graph, second):
            raise ConfigError("params", "second must be a graph isomorphic to G", None)
        return params

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        second = _second(params)
        mapping = next(_isomorphisms(graph, second), None)
        if mapping is None:
            raise ConfigError("params", "the second graph is not isomorphic to G", None)
        return {"answer": [[node, mapping[node]] for node in sorted(graph, key=node_sort_key)]}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        second = _second(params)
        kind = "a directed" if second.is_directed() else "an undirected"
        edges = ", ".join(f"({u}, {v})" for u, v in params["second"]["edges"])
        link = "an edge from u to v in G exactly when there is an edge from f(u) to f(v) in H" if second.is_directed() else (
            "adjacent in G exactly when f(u) and f(v) are adjacent in H"
        )
        return (
            f"H is {kind} graph with {second.number_of_nodes()} nodes: {', '.join(params['second']['nodes'])}.\n"
            f"Its edges are: {edges if edges else 'none'}.\n\n"
            f"G and H are isomorphic. Find an isomorphism: a one-to-one mapping f from the nodes of G onto the nodes "
            f"of H such that u and v are {link}. Any isomorphism is accepted. Write one 'node of G: node of H' pair "
            "per node of G in braces, for example {0: c, 1: a, 2: b}."
        )

    def parse(self, text: str, names: NodeNames) -> Any:
        return parse_mapping(text, names, value=_second_node)

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_isomorphism(graph, _second(problem.data["params"]), answer)

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        second = _second(problem.data["params"])
        found: list[tuple[Any, str]] = [(gold[::-1], "pairs in another order")]
        for mapping in itertools.islice(_isomorphisms(graph, second), MAX_MATCHES):
            other = [[node, mapping[node]] for node, _ in gold]
            if other != gold:
                found.append((other, "another isomorphism (G has a symmetry)"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        second = _second(problem.data["params"])
        image = {node: target for node, target in gold}
        misses: list[tuple[Any, str]] = [(gold[:-1], "a node of G left unmapped")]
        if len(gold) > 1:
            misses.append((gold[:-1] + [[gold[-1][0], gold[0][1]]], "two nodes mapped onto one"))
        for (a, x), (b, y) in itertools.combinations(gold, 2):
            swapped = {**image, a: y, b: x}
            if not _is_isomorphism(graph, second, swapped):
                misses.append(([[node, swapped[node]] for node, _ in gold], "two images swapped: an edge lost"))
                break
        naive = dict(zip(sorted(graph, key=node_sort_key), sorted(second, key=node_sort_key)))
        if not _is_isomorphism(graph, second, naive):
            misses.append(([[node, naive[node]] for node, _ in gold], "nodes matched in label order"))
        return misses

    def show_value(self, value: Any, names: NodeNames) -> str:
        return str(value)

    def probes(self, problem: Problem) -> list[Probe]:
        gold = problem.data["gold"]["answer"]
        names = self.names_of(problem)
        inverse = "{" + ", ".join(f"{target}: {names.show(node)}" for node, target in gold) + "}"
        return super().probes(problem) + [
            Probe(wrap(inverse), False, "the inverse mapping, from H to G"),
            Probe(wrap("{" + ", ".join(f"{names.show(n)}: {t.upper()}" for n, t in gold) + "}"), True, "H's names in upper case"),
        ]


def _second_node(token: str) -> str:
    """A mapping value names a node of H: letters and digits, compared in lower case."""
    return token.casefold()

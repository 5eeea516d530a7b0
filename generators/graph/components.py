"""graph/connected_components, graph/weakly_connected_components, graph/strongly_connected_components.

Sparse random graphs (about 1.5 edges per node), so most have several components to count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.generators.graph.answers import NumberTask
from assay.generators.graph.base import SIZE_LEVELS
from assay.registry import register_task
from assay.verifiers.graph import NodeNames

SPARSE = {1: 0.25, 2: 0.18, 3: 0.13, 4: 0.09, 5: 0.07}
SPARSE_LEVELS = {d: replace(SIZE_LEVELS[d], density=SPARSE[d]) for d in SIZE_LEVELS}
# a directed G(n, p) has about twice the undirected adjacency of an undirected one at the same p
SPARSE_DIRECTED = {d: replace(SPARSE_LEVELS[d], directed=True, density=round(SPARSE[d] * 0.55, 3)) for d in SIZE_LEVELS}
# denser than the weak case: strong components need cycles
SCC_DENSITY = {1: 0.45, 2: 0.33, 3: 0.24, 4: 0.16, 5: 0.13}
SCC_LEVELS = {d: replace(SPARSE_DIRECTED[d], density=SCC_DENSITY[d]) for d in SIZE_LEVELS}


@register_task
class ConnectedComponents(NumberTask):
    id = "graph/connected_components"
    units = frozenset("connected component components".split())
    description = "The number of connected components of an undirected graph (an isolated node is a component)."
    levels = SPARSE_LEVELS
    models = ("gnp",)
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's number_connected_components."
    limitations = ("Undirected graphs only (see weakly/strongly_connected_components for directed ones).",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(nx.number_connected_components(graph))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"How many connected components does G have (an isolated node counts as one)? {self.number_hint}"


@register_task
class WeaklyConnectedComponents(NumberTask):
    id = "graph/weakly_connected_components"
    units = frozenset("weakly connected component components".split())
    description = "The number of weakly connected components of a directed graph (components when arc directions are ignored)."
    levels = SPARSE_DIRECTED
    directions = (True,)
    models = ("gnp",)
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's number_weakly_connected_components."
    limitations = ("Directed graphs only.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(nx.number_weakly_connected_components(graph))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "How many weakly connected components does G have, i.e. connected components when edge directions are "
            f"ignored (an isolated node counts as one)? {self.number_hint}"
        )


@register_task
class StronglyConnectedComponents(NumberTask):
    id = "graph/strongly_connected_components"
    units = frozenset("strongly connected component components scc sccs".split())
    description = "The number of strongly connected components of a directed graph (a single node is a component)."
    levels = SCC_LEVELS
    directions = (True,)
    models = ("gnp",)
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's number_strongly_connected_components."
    limitations = ("Directed graphs only.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(nx.number_strongly_connected_components(graph))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "How many strongly connected components does G have? Two nodes are in the same component when each can "
            f"reach the other along directed edges; a node on its own counts as a component. {self.number_hint}"
        )

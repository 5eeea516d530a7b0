"""graph/node_count and graph/edge_count: how many nodes, how many edges.

The simplest reading of a graph description; they check that a model reads every encoding.
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

# more nodes than the default ladder (counting is the task), sparser as they grow so that the
# largest prompts stay around 200 edges
COUNT_LEVELS = {
    1: replace(SIZE_LEVELS[1], min_nodes=4, max_nodes=8, density=0.5),
    2: replace(SIZE_LEVELS[2], min_nodes=8, max_nodes=14, density=0.35),
    3: replace(SIZE_LEVELS[3], min_nodes=12, max_nodes=22, density=0.2),
    4: replace(SIZE_LEVELS[4], min_nodes=20, max_nodes=35, density=0.12, directed=True),
    5: replace(SIZE_LEVELS[5], min_nodes=30, max_nodes=50, density=0.08, directed=True),
}
_LIMITS = ("Counting is checked exactly; the task measures reading, not reasoning.",)


@register_task
class NodeCount(NumberTask):
    id = "graph/node_count"
    units = frozenset("node nodes vertex vertices person people city cities".split())
    description = "Count the nodes of a graph given in one of several text encodings (isolated nodes included)."
    levels = COUNT_LEVELS
    directions = (False, True)
    models = ("gnp", "barabasi_albert", "tree", "bipartite", "dag")
    answer_format = "a single integer"
    verification = "The answer is parsed as one number and compared exactly with networkx's number_of_nodes()."
    limitations = _LIMITS + ("The header of every encoding states the node count, so the task is easy by design.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(graph.number_of_nodes())

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return f"How many nodes does G have? {self.number_hint}"


@register_task
class EdgeCount(NumberTask):
    id = "graph/edge_count"
    units = frozenset("edge edges arc arcs road roads".split())
    description = "Count the edges of a graph (arcs of a directed graph; u->v and v->u count as two)."
    levels = COUNT_LEVELS
    directions = (False, True)
    models = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "bipartite", "dag")
    answer_format = "a single integer"
    verification = "The answer is parsed as one number and compared exactly with networkx's number_of_edges()."
    limitations = _LIMITS

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(graph.number_of_edges())

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        what = "edges (directed arcs; u->v and v->u count as two)" if graph.is_directed() else "edges"
        return f"How many {what} does G have? {self.number_hint}"

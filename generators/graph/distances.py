"""graph/diameter, radius, center, periphery, barycenter, wiener_index, global_efficiency.

Distance-based measures of connected undirected graphs, in hops (number of edges); all exact
from breadth-first searches, cross-checked against networkx in the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.answers import NodeSetTask, NumberTask, RealTask, real_gold
from assay.generators.graph.base import GraphTask
from assay.registry import register_task
from assay.verifiers.graph import NodeNames, node_sort_key

MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid", "bipartite")
_CONNECTED = "Connected undirected graphs only (random graphs are joined into one component); distances count edges."
_SET = (
    "Parsed by the node-list grammar; unknown or repeated nodes are invalid; the set must equal networkx's {name}."
)


def distance_table(graph: nx.Graph) -> dict[Any, dict[Any, int]]:
    """All hop distances (networkx's all_pairs_shortest_path_length), keyed by node."""
    return {source: dict(lengths) for source, lengths in nx.all_pairs_shortest_path_length(graph)}


def eccentricities(graph: nx.Graph) -> dict[Any, int]:
    table = distance_table(graph)
    return {node: max(table[node].values()) for node in graph}


class DistanceTask(GraphTask):
    """A question about a connected graph; a user's graph must be connected (ConfigError otherwise)."""

    models = MODELS
    connected = True

    def accept_graph(self, graph: nx.Graph) -> None:
        if graph.is_directed() or not nx.is_connected(graph):
            raise ConfigError("graph", f"{self.id} needs a connected undirected graph", graph.number_of_nodes())


@register_task
class Diameter(DistanceTask, NumberTask):
    id = "graph/diameter"
    units = frozenset("edge edges hop hops step steps".split())
    description = "The diameter of a connected graph: the largest hop distance between two nodes."
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's diameter."
    limitations = (_CONNECTED,)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(max(eccentricities(graph).values()))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "What is the diameter of G, i.e. the largest shortest-path distance (number of edges) between any two "
            f"nodes? {self.number_hint}"
        )


@register_task
class Radius(DistanceTask, NumberTask):
    id = "graph/radius"
    units = frozenset("edge edges hop hops step steps".split())
    description = "The radius of a connected graph: the smallest eccentricity (largest distance from a node)."
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's radius."
    limitations = (_CONNECTED,)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(min(eccentricities(graph).values()))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "What is the radius of G? The eccentricity of a node is its largest shortest-path distance (number of "
            f"edges) to any other node; the radius is the smallest eccentricity. {self.number_hint}"
        )


class ExtremeSetTask(DistanceTask, NodeSetTask):
    answer_format = "a list of nodes in square brackets, any order (names in named encodings)"
    may_be_empty = False  # a connected graph always has a center, a periphery and a barycenter

    def extreme(self, graph: nx.Graph) -> list:
        raise NotImplementedError

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> list:
        return sorted(self.extreme(graph), key=node_sort_key)


@register_task
class Center(ExtremeSetTask):
    id = "graph/center"
    description = "The center of a connected graph: every node of minimum eccentricity."
    verification = _SET.format(name="center")
    limitations = (_CONNECTED,)

    def extreme(self, graph: nx.Graph) -> list:
        ecc = eccentricities(graph)
        low = min(ecc.values())
        return [n for n in graph if ecc[n] == low]

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "List the center of G: all nodes of minimum eccentricity, where the eccentricity of a node is its "
            f"largest shortest-path distance (number of edges) to any other node. {self.list_hint(names)}"
        )


@register_task
class Periphery(ExtremeSetTask):
    id = "graph/periphery"
    description = "The periphery of a connected graph: every node of maximum eccentricity."
    verification = _SET.format(name="periphery")
    limitations = (_CONNECTED,)

    def extreme(self, graph: nx.Graph) -> list:
        ecc = eccentricities(graph)
        high = max(ecc.values())
        return [n for n in graph if ecc[n] == high]

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "List the periphery of G: all nodes of maximum eccentricity, where the eccentricity of a node is its "
            f"largest shortest-path distance (number of edges) to any other node. {self.list_hint(names)}"
        )


@register_task
class Barycenter(ExtremeSetTask):
    id = "graph/barycenter"
    description = "The barycenter of a connected graph: every node minimising the sum of its distances to all others."
    verification = _SET.format(name="barycenter")
    limitations = (_CONNECTED,)

    def extreme(self, graph: nx.Graph) -> list:
        table = distance_table(graph)
        total = {n: sum(table[n].values()) for n in graph}
        low = min(total.values())
        return [n for n in graph if total[n] == low]

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "List the barycenter of G: all nodes whose sum of shortest-path distances (number of edges) to all other "
            f"nodes is as small as possible. {self.list_hint(names)}"
        )


@register_task
class WienerIndex(DistanceTask, NumberTask):
    id = "graph/wiener_index"
    units = frozenset("edge edges hop hops step steps".split())
    description = "The Wiener index of a connected graph: the sum of hop distances over all unordered pairs of nodes."
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's wiener_index."
    limitations = (_CONNECTED,)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        table = distance_table(graph)
        return str(sum(sum(row.values()) for row in table.values()) // 2)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "What is the Wiener index of G, i.e. the sum of the shortest-path distances (number of edges) over all "
            f"unordered pairs of distinct nodes? {self.number_hint}"
        )


@register_task
class GlobalEfficiency(RealTask):
    id = "graph/global_efficiency"
    description = "The global efficiency of a graph: the average of 1/d(u, v) over all pairs of distinct nodes (0 if unreachable)."
    models = MODELS
    answer_format = "a decimal rounded to 3 places, or an exact fraction"
    verification = (
        "Parsed as one number and accepted exactly when it is within half a unit of the third decimal (0.0005) of "
        "the exact value (networkx's global_efficiency): the correctly rounded 3-decimal answer passes, a wrong last "
        "digit fails, and a truncation passes only where it equals rounding."
    )
    limitations = ("Undirected graphs only; graphs may be disconnected (unreachable pairs add 0).",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        n = graph.number_of_nodes()
        if n < 2:
            return real_gold(Fraction(0))
        table = distance_table(graph)
        total = sum((Fraction(1, d) for row in table.values() for d in row.values() if d > 0), Fraction(0))
        return real_gold(total / (n * (n - 1)))

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "What is the global efficiency of G, i.e. the average of 1/d(u, v) over all pairs of distinct nodes u, v, "
            f"where d is the shortest-path distance in edges (a pair with no path adds 0)? {self.number_hint}"
        )

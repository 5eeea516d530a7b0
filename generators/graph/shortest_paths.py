"""graph/shortest_path and graph/weighted_shortest_path: a shortest path between two nodes, by
edge count or by total weight; any optimal path is accepted.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import SIZE_LEVELS, GraphConfig, node_phrase
from assay.generators.graph.structure import StructureTask
from assay.registry import register_task
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks

PATH_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "grid")
ANSWER_FORMAT = "the nodes of the path from source to target, e.g. [3, 1, 4] or 3 -> 1 -> 4 (names in named encodings)"


def _levels(weighted: bool) -> dict[int, GraphConfig]:
    """The default size ladder, directed from level 4 on."""
    return {level: replace(config, weighted=weighted, directed=level >= 4) for level, config in SIZE_LEVELS.items()}


class _PathTask(StructureTask):
    kind = "sequence"
    directions = (False, True)
    models = PATH_MODELS
    connected = True
    node_params = ("source", "target")
    weight_name: str | None = None

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        pairs = []
        for source in nodes:
            hops = nx.single_source_shortest_path_length(graph, source)
            pairs += [(source, target, hops[target]) for target in nodes if target in hops and target != source]
        if not pairs:  # a graph without edges: the path is the single node
            node = rng.choice(nodes)
            return {"source": node, "target": node}
        far = [p for p in pairs if p[2] >= 2] or pairs
        # half the time prefer a pair with several optimal paths, so alternatives matter
        if rng.random() < 0.5:
            memo = self._path_counts(graph)
            if memo is not None:  # the same answer as listing each pair's paths, one search per source
                several = [p for p in far if self._several_optimal(graph, p[0], p[1], memo)]
            else:
                several = [p for p in far if len(list(itertools.islice(self._optimal_paths(graph, p[0], p[1]), 2))) > 1]
            far = several or far
        source, target, _ = rng.choice(far)
        return {"source": source, "target": target}

    def _path_counts(self, graph: nx.Graph) -> dict[Any, Any] | None:
        """A memo for ``_several_optimal``, or None where it cannot stand in for listing the paths
        (a subclass lists them its own way; a weight of 0 or less may put cycles among them)."""
        if type(self)._optimal_paths is not _PathTask._optimal_paths:
            return None
        if self.weight_name and not all(w > 0 for *_, w in graph.edges(data=self.weight_name, default=1)):
            return None
        return {}

    def _several_optimal(self, graph: nx.Graph, source: Any, target: Any, memo: dict[Any, Any]) -> bool:
        """Whether ``_optimal_paths`` lists two or more paths, found by counting (up to 2) the paths
        through the same predecessors networkx lists them from, one search per source."""
        if source not in memo:
            pred = (nx.predecessor(graph, source) if self.weight_name is None
                    else nx.dijkstra_predecessor_and_distance(graph, source, weight=self.weight_name)[0])
            memo[source] = (pred, {source: 1})
        pred, counts = memo[source]
        if target not in pred:
            return len(list(itertools.islice(self._optimal_paths(graph, source, target), 2))) > 1
        stack = [target]
        while stack:  # the predecessors form a DAG (every step lengthens the path): no cycles
            node = stack[-1]
            if node in counts:
                stack.pop()
                continue
            missing = [before for before in pred[node] if before not in counts]
            if missing:
                stack.extend(missing)
                continue
            counts[node] = min(2, sum(counts[before] for before in pred[node]))
            stack.pop()
        return counts[target] > 1

    def _optimal_paths(self, graph: nx.Graph, source: Any, target: Any) -> Any:
        return nx.all_shortest_paths(graph, source, target, weight=self.weight_name)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        source, target = params["source"], params["target"]
        if not nx.has_path(graph, source, target):
            raise ConfigError("params", f"there is no path from {source!r} to {target!r}", dict(params))
        optimal = itertools.islice(self._optimal_paths(graph, source, target), 50)
        paths = sorted(optimal, key=lambda p: [node_sort_key(n) for n in p])
        path = paths[0]
        return {"answer": path, "optimum": self._length(graph, path)}

    def _length(self, graph: nx.Graph, path: list[Any]) -> int:
        return nx.path_weight(graph, path, self.weight_name) if self.weight_name else len(path) - 1

    def accept_graph(self, graph: nx.Graph) -> None:
        # any connectivity (solve checks the target is reachable), but no negative weight: Dijkstra
        if self.weight_name and any(w < 0 for *_, w in graph.edges(data=self.weight_name, default=1)):
            raise ConfigError("graph", f"{self.id} needs non-negative edge weights", graph.number_of_edges())

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        params, gold = problem.data["params"], problem.data["gold"]
        return graph_checks.check_path(
            graph, answer, params["source"], params["target"], optimum=gold["optimum"], weight=self.weight_name
        )

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        params, gold = problem.data["params"], problem.data["gold"]["answer"]
        others = itertools.islice(self._optimal_paths(graph, params["source"], params["target"]), 20)
        return [(path, "another optimal path") for path in others if path != gold][:3]

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        params, gold = problem.data["params"], problem.data["gold"]
        path, optimum = gold["answer"], gold["optimum"]
        source, target = params["source"], params["target"]
        misses: list[tuple[Any, str]] = []
        if len(path) >= 2:
            misses.append((path[:-1], "stops one node short of the target"))
            misses.append((path[::-1], "reversed: from the target to the source"))
            misses.append((path + [path[-2], path[-1]], "walks back and forth at the end (a repeated node)"))
        if len(path) >= 3 and not graph.has_edge(path[0], path[2]):
            misses.append(([path[0]] + path[2:], "skips a node over a non-edge"))
        # a simple path that is longer (or heavier) than the optimum
        for candidate in itertools.islice(nx.shortest_simple_paths(graph, source, target), 30):
            if self._length(graph, candidate) > optimum:
                misses.append((candidate, "a valid path that is not shortest"))
                break
        if self.weight_name:
            fewest = nx.shortest_path(graph, source, target)
            if self._length(graph, fewest) > optimum:
                misses.append((fewest, "fewest edges but not least weight"))
        return misses


@register_task
class ShortestPath(_PathTask):
    id = "graph/shortest_path"
    description = "Find a shortest path (fewest edges) between two nodes; any shortest path is accepted."
    levels = _levels(False)
    answer_format = ANSWER_FORMAT
    verification = (
        "The path must start at the source and end at the target, repeat no node, use only edges of the graph (in "
        "their direction when directed), and have as many edges as the stored shortest distance (networkx BFS); "
        "any such path passes."
    )
    limitations = ("The source and target are always connected in generated graphs.",)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        source = node_phrase(names, params["source"], encoding)
        target = node_phrase(names, params["target"], encoding)
        along = " following edges in their direction" if graph.is_directed() else ""
        return (
            f"Find a shortest path from {source} to {target}{along}: a path with the fewest edges. If several "
            "paths are equally short, give any one of them. Write the nodes along the path, from start to end, in "
            "square brackets, for example [3, 1, 4]."
        )


@register_task
class WeightedShortestPath(_PathTask):
    id = "graph/weighted_shortest_path"
    description = "Find a path of least total weight between two nodes; any optimal path is accepted."
    levels = _levels(True)
    weightings = (True,)
    weight_name = "weight"
    answer_format = ANSWER_FORMAT
    verification = (
        "The path must start at the source and end at the target, repeat no node, use only edges of the graph (in "
        "their direction when directed), and its total weight must equal the stored optimum (networkx Dijkstra); "
        "any optimal path passes, whatever its edge count."
    )
    limitations = ("Weights are positive integers, so the optimum is exact.",)

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        source = node_phrase(names, params["source"], encoding)
        target = node_phrase(names, params["target"], encoding)
        along = " following edges in their direction" if graph.is_directed() else ""
        return (
            f"Find a path from {source} to {target}{along} whose total edge weight is as small as possible. If "
            "several paths are equally light, give any one of them. Write the nodes along the path, from start to "
            "end, in square brackets, for example [3, 1, 4]."
        )

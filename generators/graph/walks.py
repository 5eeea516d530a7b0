"""graph/find_cycle, graph/eulerian_circuit, graph/hamiltonian_path, graph/travelling_salesman:
closed and spanning walks; any valid (and, for tours, optimal) walk is accepted.

Generators guarantee the structure exists: a planted cycle, Eulerian graphs built as unions of
cycles, a planted Hamiltonian path, complete graphs for tours.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.base import DIRECTED_HIGH_LEVELS, SIZE_LEVELS, GraphConfig, node_phrase
from assay.generators.graph.exact import MAX_TOUR_NODES, hamiltonian_path, shortest_tour
from assay.generators.graph.sources import shuffle_labels
from assay.generators.graph.structure import StructureTask, int_copy
from assay.registry import Probe, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key
from assay.verifiers.graph import checks as graph_checks


def _closing_forms(problem: Problem, cycle: list[Any]) -> list[tuple[Any, str]]:
    """A cycle written closed, rotated and (undirected) reversed: the same cycle, all valid."""
    forms = [(cycle + cycle[:1], "the same cycle with its start repeated at the end")]
    if len(cycle) > 2:
        forms.append((cycle[1:] + cycle[:1], "the same cycle from another start"))
        if not problem.data["graph"]["directed"]:
            forms.append((cycle[::-1], "the same cycle in the other direction"))
    return forms


@register_task
class FindCycle(StructureTask):
    id = "graph/find_cycle"
    description = "Find any cycle in a graph that has one (directed cycles in directed graphs)."
    kind = "sequence"
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = ("gnp", "barabasi_albert", "tree", "bipartite", "grid")
    answer_format = "the cycle's nodes in order, e.g. [3, 1, 4] (the start may be repeated at the end)"
    verification = (
        "The nodes must be distinct graph nodes (a repeated start at the end is allowed), each consecutive pair and "
        "the closing pair must be edges (arcs in their direction when directed), and an undirected cycle needs 3 "
        "nodes; any cycle passes."
    )
    limitations = ("Self-loops do not occur in generated graphs; in a user's graph a self-loop is a one-node cycle.",)

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        graph = super().sample_graph(rng, config)
        nodes = sorted(graph)
        if len(nodes) < 3:
            raise ConfigError("min_nodes", f"{self.id} needs at least 3 nodes", config.min_nodes)
        if graph.is_directed():
            if nx.is_directed_acyclic_graph(graph):
                path = nx.dag_longest_path(graph)
                if len(path) < 2:
                    u, v = rng.sample(nodes, 2)
                    graph.add_edge(u, v)
                    path = [u, v]
                graph.add_edge(path[-1], path[0])  # closes the longest path into a cycle
        elif nx.is_forest(graph):
            # join two nodes at distance >= 2 (or of different components via a third node)
            far = [(u, v) for u, v in itertools.combinations(nodes, 2) if not graph.has_edge(u, v) and nx.has_path(graph, u, v)]
            if far:
                u, v = rng.choice(far)
                graph.add_edge(u, v)
            else:
                u, v, w = rng.sample(nodes, 3)
                graph.add_edges_from([(u, v), (v, w), (w, u)])
        return graph

    def accept_graph(self, graph: nx.Graph) -> None:
        acyclic = nx.is_directed_acyclic_graph(graph) if graph.is_directed() else nx.is_forest(graph)
        if acyclic:
            raise ConfigError("graph", f"{self.id} needs a graph with a cycle", graph.number_of_edges())

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        edges = nx.find_cycle(graph, source=sorted(graph, key=node_sort_key))
        return {"answer": [u for u, v, *_ in edges]}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        if graph.is_directed():
            what = "a directed cycle: a sequence of distinct nodes where each has an edge to the next and the last has an edge back to the first"
        else:
            what = "a cycle: at least 3 distinct nodes where each is adjacent to the next and the last is adjacent to the first"
        return (
            f"G contains at least one cycle. Find {what}. Any cycle is accepted. Write its nodes in order in square "
            "brackets, for example [3, 1, 4] (without repeating the first node at the end)."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_cycle(graph, answer)

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        found = _closing_forms(problem, gold)
        copy, back = int_copy(graph)
        if graph.is_directed():
            cycles = itertools.islice(nx.simple_cycles(copy), 20)
        else:
            cycles = iter(nx.cycle_basis(copy))
        for cycle in ([back[i] for i in c] for c in cycles):
            if set(cycle) != set(gold) and len(cycle) >= (2 if graph.is_directed() else 3):
                found.append((cycle, "a different cycle"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = []
        if len(gold) >= 3 and not graph.has_edge(gold[-2], gold[0]):
            misses.append((gold[:-1], "a path whose ends are not adjacent"))
        if graph.is_directed() and len(gold) >= 3:
            misses.append((gold[::-1], "the cycle against the direction of its arcs"))
        u, v = gold[0], gold[1]
        if not graph.is_directed() or not graph.has_edge(v, u):
            misses.append(([u, v], "one edge walked there and back"))
        misses.append((gold + gold[1:2], "a node repeated"))
        return misses


def eulerian_graph(rng: random.Random, n: int, directed: bool, extra_cycles: int) -> nx.Graph:
    """A connected graph on 0..n-1 (labels shuffled) whose edges split into cycles, so it is
    Eulerian: a cycle through every node, plus up to ``extra_cycles`` edge-disjoint short cycles."""
    graph = nx.DiGraph() if directed else nx.Graph()
    order = list(range(n))
    rng.shuffle(order)
    graph.add_nodes_from(range(n))
    nx.add_cycle(graph, order)
    for _ in range(extra_cycles):
        for _attempt in range(10):
            size = rng.randint(3, max(3, min(5, n)))
            cycle = rng.sample(range(n), size)
            arcs = list(zip(cycle, cycle[1:] + cycle[:1]))
            # edge-disjoint from what is there (in both directions, to keep the graph simple)
            if all(not graph.has_edge(u, v) and not graph.has_edge(v, u) for u, v in arcs):
                graph.add_edges_from(arcs)
                break
    return shuffle_labels(rng, graph)


@register_task
class EulerianCircuit(StructureTask):
    id = "graph/eulerian_circuit"
    description = "Give a closed walk from a given node that uses every edge exactly once (the graph is Eulerian)."
    kind = "sequence"
    levels = DIRECTED_HIGH_LEVELS
    directions = (False, True)
    models = ("gnp",)  # unused: Eulerian graphs are built as unions of cycles
    node_params = ("source",)
    answer_format = "the nodes of the walk in order, starting and ending at the start node, e.g. [0, 2, 1, 0]"
    verification = (
        "Every consecutive pair must be an edge (in its direction when directed), the walk must start at the given "
        "node and return to it (the final return may be left implicit), and every edge must be used exactly once; "
        "any Eulerian circuit passes."
    )
    limitations = ("The density setting is read as the share of extra cycles, not an edge probability.",)

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = max(3, rng.randint(config.min_nodes, config.max_nodes))
        return eulerian_graph(rng, n, config.directed, extra_cycles=max(1, round(config.density * n)))

    def accept_graph(self, graph: nx.Graph) -> None:
        if graph.number_of_edges() == 0 or not nx.is_eulerian(graph):
            raise ConfigError("graph", f"{self.id} needs an Eulerian graph (connected, every degree even / balanced)", graph.number_of_edges())

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {"source": rng.choice(sorted(graph, key=node_sort_key))}

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        walk = [u for u, _ in nx.eulerian_circuit(graph, source=params["source"])]
        return {"answer": walk + [params["source"]]}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        source = node_phrase(names, params["source"], encoding)
        along = " (following edges in their direction)" if graph.is_directed() else ""
        return (
            f"Find an Eulerian circuit of G{along}: a walk that starts at {source}, uses every edge exactly once, "
            f"and ends back at {source}. Any such walk is accepted. Write the nodes in the order visited, starting "
            "and ending with the start node, in square brackets, for example [0, 2, 1, 0]."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_eulerian_circuit(graph, answer, source=problem.data["params"]["source"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        source = problem.data["params"]["source"]
        found = [(gold[:-1], "the final return to the start left implicit")]
        if not graph.is_directed():
            found.append((gold[::-1], "the same circuit walked backwards"))
        rng = random.Random(problem.id)
        for _ in range(3):
            edges = list(graph.edges())
            rng.shuffle(edges)
            shuffled = graph.__class__()
            shuffled.add_nodes_from(graph)
            shuffled.add_edges_from(edges)
            walk = [u for u, _ in nx.eulerian_circuit(shuffled, source=source)] + [source]
            if walk != gold and (graph.is_directed() or walk != gold[::-1]):
                found.append((walk, "another circuit"))
                break
        return found

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = [
            (gold[:-2], "stops early: an edge is left out"),
            (gold + gold[1:], "goes round twice: every edge used twice"),
        ]
        first_return = gold.index(gold[0], 1)
        if first_return < len(gold) - 1:
            misses.append((gold[:first_return + 1], "only the first loop back to the start"))
        other = next((n for n in gold if n != gold[0]), None)
        if other is not None:
            i = gold.index(other)
            misses.append((gold[i:-1] + gold[:i + 1], "a circuit from the wrong start"))
        return misses


def planted_hamiltonian(rng: random.Random, n: int, density: float, directed: bool) -> tuple[nx.Graph, list[int]]:
    """A random graph on 0..n-1 containing a random Hamiltonian path (returned with it)."""
    order = list(range(n))
    rng.shuffle(order)
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(n))
    nx.add_path(graph, order)
    for u, v in itertools.permutations(range(n), 2) if directed else itertools.combinations(range(n), 2):
        if rng.random() < density / 2 and not graph.has_edge(v, u):
            graph.add_edge(u, v)
    return graph, order


@register_task
class HamiltonianPath(StructureTask):
    id = "graph/hamiltonian_path"
    description = "Find a path that visits every node exactly once (the graph has one by construction); any endpoints."
    kind = "sequence"
    levels = {
        1: SIZE_LEVELS[1],
        2: SIZE_LEVELS[2],
        3: SIZE_LEVELS[3],
        4: replace(SIZE_LEVELS[4], max_nodes=16, directed=True),
        5: replace(SIZE_LEVELS[5], min_nodes=14, max_nodes=20, directed=True),
    }
    directions = (False, True)
    answer_format = "every node once, in path order, e.g. [3, 1, 4, 0, 2]"
    verification = (
        "The answer must name every node exactly once and each consecutive pair must be an edge (in its direction "
        "when directed); any Hamiltonian path passes, from any start."
    )
    limitations = (
        "Generated graphs contain a planted path; a user's graph is accepted without proving one exists, and the "
        "reference is then found by exhaustive search (up to 16 nodes).",
    )

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        n = rng.randint(config.min_nodes, config.max_nodes)
        graph, path = planted_hamiltonian(rng, n, config.density, config.directed)
        graph.graph["hamiltonian_path"] = path  # read back by solve; never part of the payload
        return graph

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        # A generated graph carries its planted path; a user's graph is searched: DFS with the
        # fewest-options-first rule, backed by an exhaustive bitmask search on small graphs.
        path = graph.graph.get("hamiltonian_path") or _hamiltonian_dfs(graph)
        if path is None and graph.number_of_nodes() <= 16:
            path = hamiltonian_path(graph)
        if path is None:
            raise ConfigError("graph", f"{self.id}: no Hamiltonian path found", graph.number_of_nodes())
        return {"answer": path}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        along = " following edges in their direction" if graph.is_directed() else ""
        return (
            f"Find a Hamiltonian path in G{along}: a path that visits every node exactly once (it may start and end "
            "anywhere and does not return to its start). G has at least one; any is accepted. Write the nodes in "
            "path order in square brackets, for example [3, 1, 4, 0, 2]."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_hamiltonian_path(graph, answer)

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        return [] if graph.is_directed() else [(gold[::-1], "the same path walked backwards")]

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold = problem.data["gold"]["answer"]
        misses: list[tuple[Any, str]] = [(gold[:-1], "the last node left out")]
        ordered = sorted(gold, key=node_sort_key)
        if any(not graph.has_edge(u, v) for u, v in zip(ordered, ordered[1:])):
            misses.append((ordered, "every node in label order, not a path"))
        if graph.is_directed() and any(not graph.has_edge(v, u) for u, v in zip(gold, gold[1:])):
            misses.append((gold[::-1], "the path against the direction of its arcs"))
        if len(gold) >= 3:
            misses.append((gold[:-1] + [gold[0]], "returns to the start instead of visiting the last node"))
        return misses


def _hamiltonian_dfs(graph: nx.Graph, budget: int = 200_000) -> list[Any] | None:
    """A Hamiltonian path by depth-first search (Warnsdorff order), or None within ``budget`` steps."""
    nodes = sorted(graph, key=node_sort_key)
    succ = {n: list(graph.successors(n) if graph.is_directed() else graph.neighbors(n)) for n in nodes}
    steps = 0

    def extend(path: list[Any], seen: set[Any]) -> list[Any] | None:
        nonlocal steps
        if len(path) == len(nodes):
            return path
        steps += 1
        if steps > budget:
            return None
        options = [n for n in succ[path[-1]] if n not in seen]
        options.sort(key=lambda n: (sum(1 for m in succ[n] if m not in seen), node_sort_key(n)))
        for n in options:
            seen.add(n)
            path.append(n)
            if extend(path, seen):
                return path
            path.pop()
            seen.discard(n)
        return None

    starts = sorted(nodes, key=lambda n: (graph.in_degree(n) if graph.is_directed() else graph.degree(n), node_sort_key(n)))
    for start in starts:
        found = extend([start], {start})
        if found:
            return list(found)
        if steps > budget:
            return None
    return None


TOUR_LEVELS = {
    1: GraphConfig(min_nodes=4, max_nodes=5, max_weight=9, weighted=True, model="complete", density=1.0),
    2: GraphConfig(min_nodes=5, max_nodes=6, max_weight=20, weighted=True, model="complete", density=1.0),
    3: GraphConfig(min_nodes=6, max_nodes=8, max_weight=30, weighted=True, model="complete", density=1.0),
    4: GraphConfig(min_nodes=8, max_nodes=10, max_weight=50, weighted=True, model="complete", density=1.0),
    5: GraphConfig(min_nodes=10, max_nodes=12, max_weight=100, weighted=True, model="complete", density=1.0),
}


@register_task
class TravellingSalesman(StructureTask):
    id = "graph/travelling_salesman"
    description = "Find a cheapest tour of a complete weighted graph (visit every node once and return); any optimal tour passes."
    kind = "sequence"
    levels = TOUR_LEVELS
    weightings = (True,)
    models = ("complete",)
    answer_format = "every node once, in tour order, e.g. [0, 3, 1, 2] (the start may be repeated at the end)"
    verification = (
        "The tour must name every node exactly once (a repeated start at the end is allowed), each consecutive pair "
        "and the closing pair must be edges, and its cost must equal the optimum computed exactly (Held-Karp) at "
        "generation; any optimal tour passes, from any start, in either direction."
    )
    limitations = (f"At most {MAX_TOUR_NODES} nodes: the optimum is computed exactly.",)

    def accept_graph(self, graph: nx.Graph) -> None:
        if graph.is_directed() or graph.number_of_nodes() > MAX_TOUR_NODES or graph.number_of_nodes() < 3:
            raise ConfigError("graph", f"{self.id} needs an undirected graph of 3-{MAX_TOUR_NODES} nodes", graph.number_of_nodes())

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        try:
            cost, tour = shortest_tour(graph)
        except ValueError as error:  # a user's graph without any Hamiltonian cycle
            raise ConfigError("graph", f"{self.id}: {error}", graph.number_of_nodes()) from None
        return {"answer": tour, "optimum": cost}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        return (
            "Find a travelling salesman tour of G of minimum total weight: a cycle that visits every node exactly "
            "once and returns to its start. Its cost is the sum of the weights of its edges, the edge back to the "
            "start included. Any optimal tour is accepted. Write the nodes in tour order in square brackets, for "
            "example [0, 3, 1, 2] (without repeating the start)."
        )

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        return graph_checks.check_tour(graph, answer, optimum=problem.data["gold"]["optimum"])

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        return _closing_forms(problem, problem.data["gold"]["answer"])

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        gold, optimum = problem.data["gold"]["answer"], problem.data["gold"]["optimum"]
        misses: list[tuple[Any, str]] = [(gold[:-1], "a node left out")]
        for i in range(1, len(gold) - 1):
            swapped = gold[:i] + [gold[i + 1], gold[i]] + gold[i + 2 :]
            if _cost(graph, swapped) > optimum:
                misses.append((swapped, "two neighbours swapped: a dearer (or broken) tour"))
                break
        greedy = _nearest_neighbour(graph, gold[0])
        if _cost(graph, greedy) > optimum:
            misses.append((greedy, "the nearest-neighbour tour, not optimal (or broken)"))
        misses.append((gold + gold[1:2], "a node visited twice"))
        return misses

    def probes(self, problem: Problem) -> list[Probe]:
        gold = problem.data["gold"]["answer"]
        names = self.names_of(problem)
        return super().probes(problem) + [
            Probe(wrap(self.render(gold + gold[:1] + gold[1:], names)), False, "goes round twice"),
        ]


def _cost(graph: nx.Graph, tour: list[Any]) -> float:
    """The cost of a closed tour (infinite when it uses a non-edge of a user's incomplete graph)."""
    pairs = list(zip(tour, tour[1:] + tour[:1]))
    if any(not graph.has_edge(u, v) for u, v in pairs):
        return math.inf
    return sum(graph.edges[u, v]["weight"] for u, v in pairs)


def _nearest_neighbour(graph: nx.Graph, start: Any) -> list[Any]:
    """Greedy tour: always on to the nearest unvisited node (it may strand itself off a complete graph)."""
    tour, left = [start], set(graph) - {start}
    while left:
        here = tour[-1]
        options = [n for n in left if graph.has_edge(here, n)]
        if not options:
            return tour + sorted(left, key=node_sort_key)
        step = min(options, key=lambda n: (graph.edges[here, n]["weight"], node_sort_key(n)))
        tour.append(step)
        left.discard(step)
    return tour

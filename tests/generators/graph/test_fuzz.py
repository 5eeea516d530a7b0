"""A differential fuzzer for graph tasks: random alternative valid answers, and one-edit corruptions
of them, judged by the task and by an independent oracle written here from the definitions
(networkx for optima, never Assay's own graph helpers); the two must agree on every answer.

Alternatives are built with networkx: other shortest paths (``all_shortest_paths``), BFS and DFS
orders with random neighbour orders, random topological orders (Kahn with random choices), other
maximum matchings (blossom on a shuffled copy), other minimum spanning trees (Kruskal with random
tie breaks), other proper colourings with the prompt's colours 1..k, and the decimal forms a real
answer may take (correctly rounded, more digits, the exact fraction). Corruptions are one edit (a
node replaced, dropped, inserted or swapped; an edge replaced; a colour changed; a last digit moved;
a value nudged just past half a unit of the last asked-for decimal); the oracle, not the edit, says
whether the result is still right. Bounded and derandomised, so it runs in CI.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assay

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
HALF_UNIT = Fraction(1, 2000)  # the prompts ask for 3 decimal places, rounded


def _graph(rng: random.Random, *, directed: bool = False, dag: bool = False, weighted: bool = False) -> nx.Graph:
    n = rng.randint(4, 8)
    p = rng.uniform(0.3, 0.7)
    graph: nx.Graph = nx.DiGraph() if directed or dag else nx.Graph()
    graph.add_nodes_from(range(n))
    for u in range(n):
        for v in range(n):
            if u == v or (not graph.is_directed() and v < u) or (dag and v < u):
                continue
            if rng.random() < p:
                graph.add_edge(u, v, **({"weight": rng.randint(1, 4)} if weighted else {}))
    # (weakly) connected, as most tasks require: join each component to node 0, low id to high id
    components = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    for component in sorted(sorted(c) for c in components):
        if component[0] != 0:
            graph.add_edge(0, rng.choice(component), **({"weight": rng.randint(1, 4)} if weighted else {}))
    return graph


def _judge(problem: assay.Problem, text: str) -> bool:
    return assay.verify(problem, f"<answer>{text}</answer>").passed


def _agree(problem: assay.Problem, answers: Sequence[tuple[str, bool, str]]) -> None:
    for text, expected, why in answers:
        got = _judge(problem, text)
        assert got == expected, f"{problem.task}: {why}: {text!r} -> {got}, oracle says {expected}\n{problem.prompt[-600:]}"


def _seq(nodes: Sequence[Any]) -> str:
    return "[" + ", ".join(str(n) for n in nodes) + "]"


def _one_edits(rng: random.Random, seq: list[Any], universe: list[Any]) -> list[tuple[list[Any], str]]:
    """A few one-edit corruptions of a sequence: replace, drop, insert, swap neighbours."""
    edits: list[tuple[list[Any], str]] = []
    i = rng.randrange(len(seq))
    edits.append((seq[:i] + [rng.choice(universe)] + seq[i + 1 :], "a node replaced"))
    edits.append((seq[:i] + seq[i + 1 :], "a node dropped"))
    j = rng.randrange(len(seq) + 1)
    edits.append((seq[:j] + [rng.choice(universe)] + seq[j:], "a node inserted"))
    if len(seq) > 1:
        k = rng.randrange(len(seq) - 1)
        swapped = list(seq)
        swapped[k], swapped[k + 1] = swapped[k + 1], swapped[k]
        edits.append((swapped, "two neighbours swapped"))
    return edits


# -- oracles: the definitions, written out ---------------------------------------------------------


def _is_path(graph: nx.Graph, path: list[Any], source: Any, target: Any) -> bool:
    return (
        bool(path) and path[0] == source and path[-1] == target and len(set(path)) == len(path)
        and all(graph.has_edge(u, v) for u, v in zip(path, path[1:]))
    )


def _path_weight(graph: nx.Graph, path: list[Any]) -> int:
    return sum(graph[u][v].get("weight", 1) for u, v in zip(path, path[1:]))


def _is_bfs_order(graph: nx.Graph, order: list[Any], source: Any) -> bool:
    """An order is a BFS order iff it starts at the source, lists the reachable nodes once, every
    node's first-listed in-neighbour precedes it, and those parents' positions never decrease."""
    if not order or order[0] != source or len(set(order)) != len(order):
        return False
    if set(order) != set(nx.descendants(graph, source)) | {source}:
        return False
    pos = {v: i for i, v in enumerate(order)}
    preds = graph.predecessors if graph.is_directed() else graph.neighbors
    last = -1
    for v in order[1:]:
        parent = min((pos[u] for u in preds(v) if u in pos), default=len(order))
        if parent >= pos[v] or parent < last:
            return False
        last = parent
    return True


def _is_dfs_order(graph: nx.Graph, order: list[Any], source: Any) -> bool:
    if not order or order[0] != source or len(set(order)) != len(order):
        return False
    if set(order) != set(nx.descendants(graph, source)) | {source}:
        return False
    succ = graph.successors if graph.is_directed() else graph.neighbors
    seen, stack = {source}, [source]
    for v in order[1:]:
        while stack and all(w in seen for w in succ(stack[-1])):
            stack.pop()
        if not stack or v not in set(succ(stack[-1])):
            return False
        seen.add(v)
        stack.append(v)
    return True


def _is_topological(graph: nx.DiGraph, order: list[Any]) -> bool:
    if sorted(order) != sorted(graph) :
        return False
    pos = {v: i for i, v in enumerate(order)}
    return all(pos[u] < pos[v] for u, v in graph.edges())


# -- answer builders with networkx -----------------------------------------------------------------


def _random_bfs(rng: random.Random, graph: nx.Graph, source: Any) -> list[Any]:
    succ = graph.successors if graph.is_directed() else graph.neighbors
    order, queue, seen = [source], [source], {source}
    while queue:
        u = queue.pop(0)
        fresh = [w for w in succ(u) if w not in seen]
        rng.shuffle(fresh)
        for w in fresh:
            seen.add(w)
            order.append(w)
            queue.append(w)
    return order


def _random_dfs(rng: random.Random, graph: nx.Graph, source: Any) -> list[Any]:
    succ = graph.successors if graph.is_directed() else graph.neighbors
    order, stack, seen = [source], [source], {source}
    while stack:
        fresh = [w for w in succ(stack[-1]) if w not in seen]
        if not fresh:
            stack.pop()
            continue
        w = rng.choice(fresh)
        seen.add(w)
        order.append(w)
        stack.append(w)
    return order


def _random_topological(rng: random.Random, graph: nx.DiGraph) -> list[Any]:
    indegree = dict(graph.in_degree())
    ready = [v for v, d in indegree.items() if d == 0]
    order = []
    while ready:
        v = ready.pop(rng.randrange(len(ready)))
        order.append(v)
        for w in graph.successors(v):
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    return order


def _shuffled_copy(rng: random.Random, graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in a random order (other algorithms' tie breaks)."""
    nodes, edges = list(graph.nodes()), list(graph.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = graph.__class__()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


# -- the fuzz tests --------------------------------------------------------------------------------

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _pose(task_id: str, graph: nx.Graph, seed: int, params: dict[str, Any] | None = None) -> assay.Problem:
    task = assay.get_task(task_id)
    return task.generate(seed % 1000, graph=graph, encoding="edge_list", **({"params": params} if params else {}))


@FUZZ
@given(seed=SEEDS, weighted=st.booleans(), directed=st.booleans())
def test_shortest_paths(seed: int, weighted: bool, directed: bool) -> None:
    rng = random.Random(seed)
    graph = _graph(rng, directed=directed, weighted=weighted)
    task_id = "graph/weighted_shortest_path" if weighted else "graph/shortest_path"
    source = rng.choice(list(graph))
    reachable = sorted(nx.descendants(graph, source))
    if not reachable:
        return
    target = rng.choice(reachable)
    problem = _pose(task_id, graph, seed, {"source": source, "target": target})
    weight = "weight" if weighted else None
    best = nx.shortest_path_length(graph, source, target, weight=weight)
    paths = list(nx.all_shortest_paths(graph, source, target, weight=weight))

    def right(path: list[Any]) -> bool:
        return _is_path(graph, path, source, target) and (_path_weight(graph, path) if weighted else len(path) - 1) == best

    answers = []
    for path in rng.sample(paths, min(3, len(paths))):
        answers.append((_seq(path), True, "another shortest path"))
        answers.append((" -> ".join(map(str, path)), True, "another shortest path, arrows"))
        for edited, why in _one_edits(rng, path, list(graph)):
            answers.append((_seq(edited), right(edited), why))
    _agree(problem, answers)


@pytest.mark.parametrize("depth", [False, True], ids=["bfs", "dfs"])
@FUZZ
@given(seed=SEEDS, directed=st.booleans())
def test_traversal_orders(depth: bool, seed: int, directed: bool) -> None:
    rng = random.Random(seed)
    graph = _graph(rng, directed=directed)
    source = rng.choice(list(graph))
    task_id = "graph/dfs_order" if depth else "graph/bfs_order"
    problem = _pose(task_id, graph, seed, {"source": source})
    build, valid = (_random_dfs, _is_dfs_order) if depth else (_random_bfs, _is_bfs_order)
    answers = []
    for _ in range(3):
        order = build(rng, graph, source)
        assert valid(graph, order, source)  # the oracle knows its own builder's orders
        answers.append((_seq(order), True, "another traversal order"))
        if len(order) > 1:
            for edited, why in _one_edits(rng, order, list(graph)):
                answers.append((_seq(edited), valid(graph, edited, source), why))
    _agree(problem, answers)


@FUZZ
@given(seed=SEEDS)
def test_topological_orders(seed: int) -> None:
    rng = random.Random(seed)
    graph = _graph(rng, dag=True)
    problem = _pose("graph/topological_sort", graph, seed)
    answers = []
    for _ in range(3):
        order = _random_topological(rng, graph)
        answers.append((_seq(order), True, "another topological order"))
        for edited, why in _one_edits(rng, order, list(graph)):
            answers.append((_seq(edited), _is_topological(graph, edited), why))
    _agree(problem, answers)


def _edges_text(edges: Sequence[tuple[Any, Any]]) -> str:
    return ", ".join(f"({u}, {v})" for u, v in edges) if edges else "[]"


@FUZZ
@given(seed=SEEDS)
def test_maximum_matchings(seed: int) -> None:
    rng = random.Random(seed)
    graph = _graph(rng)
    problem = _pose("graph/maximum_matching", graph, seed)
    best = len(nx.max_weight_matching(graph, maxcardinality=True))

    def right(edges: list[tuple[Any, Any]]) -> bool:
        ends = [x for edge in edges for x in edge]
        return (
            all(u != v and graph.has_edge(u, v) for u, v in edges) and len(set(ends)) == len(ends) and len(edges) == best
        )

    answers = []
    for _ in range(3):
        matching = [tuple(e) for e in nx.max_weight_matching(_shuffled_copy(rng, graph), maxcardinality=True)]
        rng.shuffle(matching)
        matching = [(v, u) if rng.random() < 0.5 else (u, v) for u, v in matching]
        answers.append((_edges_text(matching), True, "another maximum matching"))
        i = rng.randrange(len(matching))
        u, v = rng.sample(list(graph), 2)
        for edited, why in [
            (matching[:i] + matching[i + 1 :], "an edge dropped"),
            (matching[:i] + [(u, v)] + matching[i + 1 :], "an edge replaced"),
            (matching + [(u, v)], "an edge added"),
        ]:
            answers.append((_edges_text(edited), right(edited), why))
    _agree(problem, answers)


@FUZZ
@given(seed=SEEDS)
def test_minimum_spanning_trees(seed: int) -> None:
    rng = random.Random(seed)
    graph = _graph(rng, weighted=True)
    problem = _pose("graph/minimum_spanning_tree", graph, seed)
    best = nx.minimum_spanning_tree(graph).size(weight="weight")

    def right(edges: list[tuple[Any, Any]]) -> bool:
        if not all(u != v and graph.has_edge(u, v) for u, v in edges) or len({frozenset(e) for e in edges}) != len(edges):
            return False
        tree = nx.Graph(list(edges))
        tree.add_nodes_from(graph)
        return len(edges) == len(graph) - 1 and nx.is_tree(tree) and sum(graph[u][v]["weight"] for u, v in edges) == best

    answers = []
    for _ in range(3):
        edges = list(nx.minimum_spanning_edges(_shuffled_copy(rng, graph), algorithm=rng.choice(["kruskal", "prim", "boruvka"]), data=False))
        rng.shuffle(edges)
        answers.append((_edges_text(edges), True, "another minimum spanning tree"))
        i = rng.randrange(len(edges))
        u, v = rng.choice(list(graph.edges()))
        for edited, why in [(edges[:i] + edges[i + 1 :], "an edge dropped"), (edges[:i] + [(u, v)] + edges[i + 1 :], "an edge replaced")]:
            answers.append((_edges_text(edited), right(edited), why))
    _agree(problem, answers)


@FUZZ
@given(seed=SEEDS)
def test_colourings(seed: int) -> None:
    rng = random.Random(seed)
    graph = _graph(rng)
    problem = _pose("graph/k_coloring", graph, seed)
    k = problem.data["params"]["colors"]
    assert "numbered 1 to" in problem.prompt

    def right(colour: dict[Any, Any]) -> bool:
        return (
            set(colour) == set(graph) and all(c in range(1, k + 1) and not isinstance(c, bool) for c in colour.values())
            and all(colour[u] != colour[v] for u, v in graph.edges())
        )

    gold = {node: c for node, c in problem.data["gold"]["answer"]}
    answers = []
    for _ in range(3):
        relabel = list(range(1, k + 1))
        rng.shuffle(relabel)
        colour = {node: relabel[c - 1] for node, c in gold.items()}
        greedy = nx.greedy_color(_shuffled_copy(rng, graph), strategy=rng.choice(["largest_first", "random_sequential", "DSATUR"]))
        if len(set(greedy.values())) <= k:
            colour = {node: c + 1 for node, c in greedy.items()}
        nodes = list(colour)
        rng.shuffle(nodes)
        answers.append(("{" + ", ".join(f"{n}: {colour[n]}" for n in nodes) + "}", right(colour), "another colouring"))
        node = rng.choice(nodes)
        for new, why in [(rng.randint(1, k), "a colour changed"), (0, "colour 0"), (k + 1, "colour k + 1"), (rng.randint(1, k + 2), "a colour redrawn")]:
            edited = {**colour, node: new}
            answers.append(("{" + ", ".join(f"{n}: {edited[n]}" for n in nodes) + "}", right(edited), why))
    _agree(problem, answers)


# -- real answers: exact values from the definitions -----------------------------------------------


def _exact_value(task_id: str, graph: nx.Graph, params: dict[str, Any]) -> Fraction:
    """The exact value, from networkx's float and the small denominators of these small graphs."""
    name = task_id.split("/")[1]
    node = params.get("node")
    pair = [(params.get("u"), params.get("v"))]
    value: float = {
        "density": lambda: nx.density(graph),
        "jaccard": lambda: next(iter(nx.jaccard_coefficient(graph, pair)))[2],
        "resource_allocation": lambda: next(iter(nx.resource_allocation_index(graph, pair)))[2],
        "clustering": lambda: nx.clustering(graph, node),
        "average_neighbour_degree": lambda: nx.average_neighbor_degree(graph, nodes=[node])[node],
        "degree_centrality": lambda: nx.degree_centrality(graph)[node],
        "closeness_centrality": lambda: nx.closeness_centrality(graph, u=node),
        "harmonic_centrality": lambda: nx.harmonic_centrality(graph, nbunch=[node])[node],
        "betweenness_centrality": lambda: nx.betweenness_centrality(graph)[node],
        "global_efficiency": lambda: nx.global_efficiency(graph),
    }[name]()
    exact = Fraction(value).limit_denominator(10**6)
    assert abs(float(exact) - value) < 1e-12, (task_id, value)
    return exact


REALS = [
    "graph/density", "graph/jaccard", "graph/resource_allocation", "graph/clustering", "graph/average_neighbour_degree",
    "graph/degree_centrality", "graph/closeness_centrality", "graph/harmonic_centrality", "graph/betweenness_centrality",
    "graph/global_efficiency",
]


def _decimal(value: Fraction, places: int, rounding: str) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=rounding))


@pytest.mark.parametrize("task_id", REALS)
@settings(FUZZ, max_examples=12)
@given(seed=SEEDS, nudge=st.fractions(min_value=Fraction(1, 10**6), max_value=Fraction(1, 100)))
def test_real_answers(task_id: str, seed: int, nudge: Fraction) -> None:
    rng = random.Random(seed)
    graph = _graph(rng)
    problem = _pose(task_id, graph, seed)
    assert "rounded to 3 decimal places" in problem.prompt
    exact = _exact_value(task_id, graph, problem.data["params"])

    def right(text: str) -> bool:
        return abs(Fraction(text) - exact) <= HALF_UNIT

    rounded = Fraction(_decimal(exact, 3, ROUND_HALF_UP))
    answers: list[tuple[str, bool, str]] = [
        (_decimal(exact, 3, ROUND_HALF_UP), True, "rounded half up"),
        (_decimal(exact, 3, ROUND_HALF_EVEN), True, "rounded half even"),
        (_decimal(exact, rng.randint(4, 9), ROUND_HALF_UP), True, "more digits of the exact value"),
        (f"{exact.numerator}/{exact.denominator}", True, "the exact fraction"),
        (f"{exact.numerator * 7}/{exact.denominator * 7}", True, "an unreduced fraction"),
    ]
    for text, why in [
        (str(Decimal(rounded.numerator) / Decimal(rounded.denominator) + Decimal("0.001")), "the last digit one up"),
        (str(Decimal(rounded.numerator) / Decimal(rounded.denominator) - Decimal("0.001")), "the last digit one down"),
        (_decimal(exact, 3, "ROUND_DOWN"), "truncated"),
    ]:
        answers.append((text, right(text), why))
    for sign in (1, -1):
        beyond = exact + sign * (HALF_UNIT + nudge)
        answers.append((f"{beyond.numerator}/{beyond.denominator}", False, "a fraction just beyond half a unit"))
        answers.append((_decimal(beyond, 9, ROUND_HALF_UP), right(_decimal(beyond, 9, ROUND_HALF_UP)), "a decimal just beyond half a unit"))
        inside = exact + sign * HALF_UNIT * rng.random()
        text = _decimal(Fraction(inside), 9, ROUND_HALF_UP)
        answers.append((text, right(text), "a decimal within half a unit"))
    _agree(problem, answers)


def test_the_oracles_tell_right_from_wrong() -> None:
    """The oracles themselves on hand-made cases (so the fuzzer cannot pass by a vacuous oracle)."""
    path = nx.path_graph(4)
    assert _is_bfs_order(path, [1, 0, 2, 3], 1) and _is_bfs_order(path, [1, 2, 0, 3], 1)
    assert not _is_bfs_order(path, [1, 2, 3, 0], 1)
    star = nx.Graph([(0, 1), (0, 2), (1, 3), (2, 4)])
    assert _is_bfs_order(star, [0, 2, 1, 4, 3], 0) and not _is_bfs_order(star, [0, 2, 1, 3, 4], 0)
    assert _is_dfs_order(star, [0, 2, 4, 1, 3], 0) and not _is_dfs_order(star, [0, 1, 2, 3, 4], 0)
    dag = nx.DiGraph([(0, 1), (0, 2), (2, 1)])
    assert _is_topological(dag, [0, 2, 1]) and not _is_topological(dag, [0, 1, 2])
    checks: list[Callable[[], bool]] = [lambda: _is_path(path, [0, 1, 2], 0, 2), lambda: not _is_path(path, [0, 2], 0, 2)]
    assert all(check() for check in checks)
    assert _exact_value("graph/density", path, {}) == Fraction(1, 2)


# -- optimal node sets and cycles: every optimum by brute force over the subsets of a small graph ------

SET_TASKS = {
    # task: (feasible, maximise)
    "graph/maximum_clique": (lambda g, s: all(g.has_edge(u, v) for u in s for v in s if u != v), True),
    "graph/maximum_independent_set": (lambda g, s: not any(g.has_edge(u, v) for u in s for v in s if u != v), True),
    "graph/minimum_vertex_cover": (lambda g, s: all(u in s or v in s for u, v in g.edges()), False),
    "graph/minimum_dominating_set": (lambda g, s: all(v in s or any(w in s for w in g[v]) for v in g), False),
}


@pytest.mark.parametrize("task_id", sorted(SET_TASKS))
@settings(FUZZ, max_examples=12)
@given(seed=SEEDS)
def test_optimal_sets(task_id: str, seed: int) -> None:
    rng = random.Random(seed)
    graph = _graph(rng)
    problem = _pose(task_id, graph, seed)
    feasible, maximise = SET_TASKS[task_id]
    nodes = list(graph)
    subsets = [{v for i, v in enumerate(nodes) if mask >> i & 1} for mask in range(1 << len(nodes))]
    sizes = [len(s) for s in subsets if feasible(graph, s)]
    best = max(sizes) if maximise else min(sizes)
    optima = [sorted(s) for s in subsets if len(s) == best and feasible(graph, s)]

    def right(chosen: list[Any]) -> bool:
        return len(set(chosen)) == len(chosen) and feasible(graph, set(chosen)) and len(chosen) == best

    answers = []
    for optimum in rng.sample(optima, min(3, len(optima))):
        rng.shuffle(optimum)
        answers.append((_seq(optimum), True, "another optimal set"))
        for edited, why in _one_edits(rng, optimum, nodes):
            answers.append((_seq(edited), right(edited), why))
    _agree(problem, answers)


@FUZZ
@given(seed=SEEDS, directed=st.booleans())
def test_cycles(seed: int, directed: bool) -> None:
    rng = random.Random(seed)
    graph = _graph(rng, directed=directed)
    cycles = [c for c in nx.simple_cycles(graph) if directed or len(c) >= 3]
    if not cycles:
        return
    problem = _pose("graph/find_cycle", graph, seed)

    def right(cycle: list[Any]) -> bool:
        if len(cycle) > 1 and cycle[-1] == cycle[0]:  # the prompt allows the start repeated at the end
            cycle = cycle[:-1]
        closed = cycle + cycle[:1]
        return (
            len(cycle) >= (2 if directed else 3) and len(set(cycle)) == len(cycle)
            and all(graph.has_edge(u, v) for u, v in zip(closed, closed[1:]))
        )

    answers = []
    for cycle in rng.sample(cycles, min(3, len(cycles))):
        start = rng.randrange(len(cycle))
        cycle = cycle[start:] + cycle[:start]
        if not directed and rng.random() < 0.5:
            cycle = cycle[::-1]
        answers.append((_seq(cycle), True, "another cycle"))
        answers.append((_seq(cycle + cycle[:1]), True, "another cycle, the start repeated at the end"))
        for edited, why in _one_edits(rng, cycle, list(graph)):
            answers.append((_seq(edited), right(edited), why))
    _agree(problem, answers)

"""Tables for verifiers.graph_checks: valid alternatives pass, near misses fail for the right reason.

Each row: (graph, answer, keyword arguments, expected outcome, why). The outcome is "correct",
"suboptimal", "wrong_answer", or the violation code of an invalid answer.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest

from assay.verifiers.graph import checks as gc


def _outcome(verdict) -> str:
    if verdict.passed:
        assert verdict.score == 1.0 and verdict.reason == "correct"
        return "correct"
    assert verdict.score == 0.0
    assert verdict.detail.get("message"), verdict
    if verdict.reason == "invalid":
        return verdict.detail["violation"]
    return verdict.reason


def _weighted(edges, directed=False):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_weighted_edges_from(edges)
    return G


SQUARE = nx.cycle_graph(4)  # 0-1-2-3-0
DIAMOND = nx.Graph([(0, 1), (0, 2), (1, 3), (2, 3)])
WEIGHTED = _weighted([("a", "b", 1), ("b", "d", 2), ("a", "c", 2), ("c", "d", 1), ("a", "d", 4)])
DAG = nx.DiGraph([(0, 2), (1, 2), (2, 3), (1, 3)])
TRIANGLE_TAIL = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
PATH5 = nx.path_graph(5)


@pytest.mark.parametrize(
    "graph, path, kwargs, expected, why",
    [
        (SQUARE, [0, 1, 2], {"optimum": 2}, "correct", "one shortest path"),
        (SQUARE, [0, 3, 2], {"optimum": 2}, "correct", "the other shortest path of equal length"),
        (SQUARE, [0, 2], {"optimum": 2}, "non_edge", "a shortcut over a non-edge"),
        (SQUARE, [1, 2], {"optimum": 2}, "wrong_endpoints", "wrong source"),
        (SQUARE, [0, 1], {"optimum": 2}, "wrong_endpoints", "stops before the target"),
        (SQUARE, [0, 1, 0, 3, 2], {"optimum": 2}, "repeated_node", "a walk with a repeated node"),
        (SQUARE, [0, 1, 7, 2], {"optimum": 2}, "unknown_node", "a node not in the graph"),
        (SQUARE, [], {"optimum": 2}, "empty", "empty path"),
        (SQUARE, [[0], 1, 2], {"optimum": 2}, "unknown_node", "an unhashable item"),
        (WEIGHTED, ["a", "b", "d"], {"optimum": 3, "weight": "weight"}, "correct", "weighted optimum via b"),
        (WEIGHTED, ["a", "c", "d"], {"optimum": 3, "weight": "weight"}, "correct", "weighted optimum via c"),
        (WEIGHTED, ["a", "d"], {"optimum": 3, "weight": "weight"}, "suboptimal", "fewest edges but heavier"),
        (WEIGHTED, ["a", "d"], {"optimum": 1}, "correct", "unweighted: the direct edge"),
        (WEIGHTED, ["d", "b", "a"], {"optimum": 3, "weight": "weight"}, "wrong_endpoints", "reversed"),
        (nx.DiGraph([(0, 1), (1, 2)]), [2, 1, 0], {"optimum": 2}, "wrong_endpoints", "reversed directed path"),
        (nx.DiGraph([(0, 1), (2, 1)]), [0, 1, 2], {}, "non_edge", "against an arc's direction"),
        (SQUARE, [3], {}, "wrong_endpoints", "a single node that is neither end"),
    ],
)
def test_check_path(graph, path, kwargs, expected, why):
    source, target = (0, 2) if graph is not WEIGHTED else ("a", "d")
    if graph.is_directed():
        source, target = (0, 2)
    assert _outcome(gc.check_path(graph, path, source, target, **kwargs)) == expected, why


def test_check_path_float_weights_within_tolerance():
    G = _weighted([(0, 1, 0.1), (1, 2, 0.2), (0, 2, 0.5)])
    assert gc.check_path(G, [0, 1, 2], 0, 2, optimum=0.3, weight="weight").passed


def test_check_path_better_than_optimum_is_a_bug():
    with pytest.raises(ValueError, match="optimum"):
        gc.check_path(SQUARE, [0, 1, 2], 0, 2, optimum=3)


@pytest.mark.parametrize(
    "graph, cycle, expected, why",
    [
        (TRIANGLE_TAIL, [0, 1, 2], "correct", "open form"),
        (TRIANGLE_TAIL, [2, 1, 0, 2], "correct", "closed form, other start and direction"),
        (TRIANGLE_TAIL, [0, 1, 2, 3], "non_edge", "closing edge 3-0 missing"),
        (TRIANGLE_TAIL, [2, 3, 2], "too_short", "goes back along one edge"),
        (TRIANGLE_TAIL, [0, 1, 0, 2], "repeated_node", "repeats a node"),
        (TRIANGLE_TAIL, [], "empty", "empty"),
        (TRIANGLE_TAIL, [0], "too_short", "a node without a self-loop"),
        (nx.DiGraph([(0, 1), (1, 0)]), [0, 1, 0], "correct", "a directed 2-cycle"),
        (nx.DiGraph([(0, 1), (1, 2), (0, 2)]), [0, 1, 2], "non_edge", "a DAG has no cycle"),
        (nx.Graph([(0, 0), (0, 1)]), [0, 0], "correct", "a self-loop"),
    ],
)
def test_check_cycle(graph, cycle, expected, why):
    assert _outcome(gc.check_cycle(graph, cycle)) == expected, why


BOWTIE = nx.Graph([(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0)])


@pytest.mark.parametrize(
    "graph, walk, kwargs, expected, why",
    [
        (BOWTIE, [0, 1, 2, 0, 3, 4, 0], {"source": 0}, "correct", "one circuit"),
        (BOWTIE, [0, 4, 3, 0, 2, 1, 0], {"source": 0}, "correct", "another circuit"),
        (BOWTIE, [0, 4, 3, 0, 2, 1], {"source": 0}, "correct", "closing return left implicit"),
        (BOWTIE, [1, 2, 0, 3, 4, 0, 1], {}, "correct", "any start when none is fixed"),
        (BOWTIE, [1, 2, 0, 3, 4, 0, 1], {"source": 0}, "wrong_endpoints", "wrong start"),
        (BOWTIE, [0, 1, 2, 0], {"source": 0}, "missing_edge", "misses a lobe"),
        (BOWTIE, [0, 1, 2, 0, 1, 2, 0, 3, 4, 0], {"source": 0}, "repeated_edge", "a lobe twice"),
        (BOWTIE, [0, 1, 3, 4, 0], {"source": 0}, "non_edge", "a non-edge"),
        (BOWTIE, [], {}, "empty", "empty"),
        (nx.DiGraph([(0, 1), (1, 2), (2, 0)]), [0, 2, 1, 0], {}, "non_edge", "against the arcs"),
        (nx.DiGraph([(0, 1), (1, 2), (2, 0)]), [1, 2, 0, 1], {}, "correct", "directed circuit"),
    ],
)
def test_check_eulerian_circuit(graph, walk, kwargs, expected, why):
    assert _outcome(gc.check_eulerian_circuit(graph, walk, **kwargs)) == expected, why


TREE = nx.Graph([(0, 1), (0, 2), (1, 3), (1, 4), (2, 5)])
RANK = {n: n for n in range(10)}


@pytest.mark.parametrize(
    "graph, order, kwargs, expected, why",
    [
        (DIAMOND, [0, 1, 2, 3], {}, "correct", "sorted BFS"),
        (DIAMOND, [0, 2, 1, 3], {}, "correct", "another BFS order"),
        (DIAMOND, [0, 2, 1, 3], {"rank": RANK}, "not_bfs_order", "tie-break by label forbids it"),
        (DIAMOND, [0, 1, 3, 2], {}, "not_bfs_order", "goes deep first"),
        (TREE, [0, 2, 1, 5, 3, 4], {}, "correct", "children of 2 first since 2 came first"),
        (TREE, [0, 2, 1, 3, 4, 5], {}, "not_bfs_order", "FIFO violated: 2 was queued before 1"),
        (TREE, [0, 1, 2, 3, 4], {}, "missing_node", "stops early"),
        (TREE, [0, 1, 2, 3, 4, 5, 5], {}, "repeated_node", "a node twice"),
        (TREE, [1, 0, 3, 4, 2, 5], {}, "wrong_start", "wrong source"),
        (TREE, [], {}, "empty", "empty"),
        (nx.DiGraph([(0, 1), (2, 0)]), [0, 1, 2], {}, "unreachable_node", "2 cannot be reached"),
        (nx.DiGraph([(0, 1), (2, 0)]), [0, 1], {}, "correct", "only reachable nodes"),
    ],
)
def test_check_bfs_order(graph, order, kwargs, expected, why):
    assert _outcome(gc.check_bfs_order(graph, order, 0, **kwargs)) == expected, why


@pytest.mark.parametrize(
    "graph, order, kwargs, expected, why",
    [
        (TREE, [0, 1, 3, 4, 2, 5], {"rank": RANK}, "correct", "smallest-first DFS"),
        (TREE, [0, 2, 5, 1, 4, 3], {}, "correct", "another DFS order"),
        (TREE, [0, 2, 5, 1, 4, 3], {"rank": RANK}, "not_dfs_order", "tie-break by label forbids it"),
        (TREE, [0, 1, 2, 3, 4, 5], {}, "not_dfs_order", "breadth-first, not depth-first"),
        (TREE, [0, 1, 3, 2, 4, 5], {}, "not_dfs_order", "jumps to 2 before finishing 1's subtree"),
        (DIAMOND, [0, 1, 3, 2], {}, "correct", "backtracks through 3 to 2"),
        (DIAMOND, [0, 2, 3, 1], {}, "correct", "the mirror image"),
        (DIAMOND, [0, 1, 2, 3], {}, "not_dfs_order", "2 is not adjacent to 1"),
        (DIAMOND, [0, 1, 3], {}, "missing_node", "stops early"),
        (DIAMOND, [0, 1, 3, 3], {}, "repeated_node", "repeats"),
    ],
)
def test_check_dfs_order(graph, order, kwargs, expected, why):
    assert _outcome(gc.check_dfs_order(graph, order, 0, **kwargs)) == expected, why


@pytest.mark.parametrize(
    "order, expected, why",
    [
        ([0, 1, 2, 3], "correct", "one order"),
        ([1, 0, 2, 3], "correct", "another valid order"),
        ([0, 2, 1, 3], "edge_backwards", "1 must precede 2"),
        ([0, 1, 2, 3, 3], "repeated_node", "a node twice"),
        ([0, 1, 2, 2], "repeated_node", "a repeated node in place of a missing one"),
        ([0, 1, 2], "missing_node", "a node missing"),
        ([0, 1, 2, 3, 9], "unknown_node", "an unknown node"),
        ([], "empty", "empty"),
        ([3, 2, 1, 0], "edge_backwards", "reversed"),
    ],
)
def test_check_topological_order(order, expected, why):
    assert _outcome(gc.check_topological_order(DAG, order)) == expected, why


MST_GRAPH = _weighted([(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1), (0, 2, 5)])


@pytest.mark.parametrize(
    "edges, kwargs, expected, why",
    [
        ([(0, 1), (1, 2), (2, 3)], {"optimum": 3}, "correct", "one minimum tree"),
        ([(3, 0), (1, 0), (2, 3)], {"optimum": 3}, "correct", "another minimum tree, reversed pairs"),
        ([(0, 1), (1, 2), (0, 2)], {"optimum": 3}, "cycle", "a tree with a cycle"),
        ([(0, 1), (0, 2), (2, 3)], {"optimum": 3}, "suboptimal", "spanning but heavier"),
        ([(0, 1), (1, 3), (3, 2)], {"optimum": 3}, "non_edge", "a non-edge"),
        ([(0, 3), (1, 3), (1, 2)], {"optimum": 3}, "non_edge", "a spanning 'tree' of some non-edges"),
        ([(0, 1), (1, 2)], {"optimum": 3}, "wrong_edge_count", "does not span"),
        ([(0, 1), (1, 0), (2, 3)], {"optimum": 3}, "repeated_edge", "one edge in both orientations"),
        ([(0, 1), (1, 2), (2, 3), (3, 0)], {"optimum": 3}, "wrong_edge_count", "too many edges"),
        ([], {"optimum": 3}, "wrong_edge_count", "empty"),
        ([(0, 1, 2)], {"optimum": 3}, "malformed_edge", "a triple"),
    ],
)
def test_check_spanning_tree(edges, kwargs, expected, why):
    assert _outcome(gc.check_spanning_tree(MST_GRAPH, edges, **kwargs)) == expected, why


def test_spanning_tree_of_non_edges_on_a_disconnected_candidate():
    # Every pair of nodes named, but none of them adjacent in G: all non-edges.
    G = nx.star_graph(3)
    assert _outcome(gc.check_spanning_tree(G, [(1, 2), (2, 3), (3, 1)], weight=None)) == "non_edge"


@pytest.mark.parametrize(
    "edges, expected, why",
    [
        ([(2, 3)], "correct", "the bridge"),
        ([(3, 2)], "correct", "reversed"),
        ([], "wrong_answer", "empty"),
        ([(2, 3), (0, 1)], "wrong_answer", "an extra non-bridge"),
        ([(2, 3), (3, 2)], "repeated_edge", "listed twice"),
        ([(1, 3)], "non_edge", "not an edge"),
    ],
)
def test_check_edge_set(edges, expected, why):
    assert _outcome(gc.check_edge_set(TRIANGLE_TAIL, edges, [(2, 3)])) == expected, why


@pytest.mark.parametrize(
    "nodes, expected, why",
    [
        ([1, 2, 3], "correct", "articulation points"),
        ([3, 1, 2], "correct", "any order"),
        ([1, 2], "wrong_answer", "one missing"),
        ([0, 1, 2, 3, 4], "wrong_answer", "all nodes"),
        ([1, 2, 3, 3], "repeated_node", "a node twice"),
        ([1, 2, 3, 8], "unknown_node", "unknown node"),
        ([], "wrong_answer", "empty"),
    ],
)
def test_check_node_set(nodes, expected, why):
    assert _outcome(gc.check_node_set(PATH5, nodes, [1, 2, 3])) == expected, why


def _network():
    G = nx.DiGraph()
    for u, v, c in [("s", "a", 3), ("s", "b", 2), ("a", "b", 1), ("a", "t", 2), ("b", "t", 3)]:
        G.add_edge(u, v, capacity=c)
    return G


NETWORK = _network()  # max flow 5


@pytest.mark.parametrize(
    "flow, expected, why",
    [
        ([("s", "a", 3), ("s", "b", 2), ("a", "b", 1), ("a", "t", 2), ("b", "t", 3)], "correct", "a maximum flow"),
        ([("s", "a", 2), ("s", "b", 3), ("a", "t", 2), ("b", "t", 3)], "over_capacity", "s->b over capacity"),
        ([("s", "a", 3), ("s", "b", 2.0), ("a", "b", 1), ("a", "t", 2), ("b", "t", 3.0)], "correct", "floats"),
        ([("s", "a", 3), ("s", "b", Fraction(2)), ("a", "b", 1), ("a", "t", 2), ("b", "t", Fraction(6, 2))], "correct", "fractions"),
        ([("s", "a", 2), ("a", "t", 2)], "suboptimal", "feasible but not maximum"),
        ([("s", "a", 3), ("a", "t", 2)], "conservation", "flow lost at a"),
        ([("s", "a", 3), ("s", "b", 2), ("a", "t", 3), ("b", "t", 2)], "over_capacity", "a->t over capacity"),
        ([("s", "a", 1), ("s", "a", 1), ("a", "t", 2)], "repeated_edge", "arc listed twice"),
        ([("s", "t", 5)], "non_edge", "a non-arc"),
        ([("a", "s", 1)], "non_edge", "against an arc"),
        ([("s", "a", -1), ("a", "t", -1)], "negative_flow", "negative amounts"),
        ([("s", "a", True)], "malformed_amount", "a boolean amount"),
        ([("s", "a")], "malformed_edge", "no amount"),
        ([], "suboptimal", "the zero flow is feasible, not maximum"),
    ],
)
def test_check_flow(flow, expected, why):
    assert _outcome(gc.check_flow(NETWORK, flow, "s", "t", optimum=5)) == expected, why


def test_check_flow_alternative_maximum_flows():
    # s -> a -> t and s -> a -> b -> t share the capacity of s -> a: any split is maximum.
    G = nx.DiGraph()
    for u, v in [("s", "a"), ("a", "t"), ("a", "b"), ("b", "t")]:
        G.add_edge(u, v, capacity=2)
    for split in (0, Fraction(1, 2), 1, 1.5, 2):
        flow = [("s", "a", 2), ("a", "t", 2 - split), ("a", "b", split), ("b", "t", split)]
        assert gc.check_flow(G, flow, "s", "t", optimum=2).passed, split
    assert _outcome(gc.check_flow(G, [("s", "a", 2), ("a", "t", 2), ("a", "b", 1), ("b", "t", 1)], "s", "t", optimum=2)) == "conservation"


P6 = nx.path_graph(6)
MATCH_WEIGHTED = _weighted([(0, 1, 2), (1, 2, 3), (2, 3, 2), (0, 3, 1)])


@pytest.mark.parametrize(
    "graph, edges, kwargs, expected, why",
    [
        (P6, [(0, 1), (2, 3), (4, 5)], {"optimum": 3}, "correct", "perfect matching"),
        (P6, [(5, 4), (3, 2), (1, 0)], {"optimum": 3}, "correct", "reversed pairs"),
        (P6, [(1, 2), (3, 4)], {"optimum": 3}, "suboptimal", "maximal but not maximum"),
        (P6, [(0, 1), (1, 2), (4, 5)], {"optimum": 3}, "shared_node", "not disjoint"),
        (P6, [(0, 1), (0, 1), (4, 5)], {"optimum": 3}, "repeated_edge", "an edge twice"),
        (P6, [(0, 2), (3, 4)], {"optimum": 3}, "non_edge", "a non-edge"),
        (P6, [], {"optimum": 3}, "suboptimal", "empty"),
        (MATCH_WEIGHTED, [(0, 1), (2, 3)], {"optimum": 4, "weight": "weight"}, "correct", "max weight"),
        (MATCH_WEIGHTED, [(1, 2), (0, 3)], {"optimum": 4, "weight": "weight"}, "correct", "another max-weight matching"),
        (MATCH_WEIGHTED, [(1, 2)], {"optimum": 4, "weight": "weight"}, "suboptimal", "heaviest edge alone"),
    ],
)
def test_check_matching(graph, edges, kwargs, expected, why):
    assert _outcome(gc.check_matching(graph, edges, **kwargs)) == expected, why


@pytest.mark.parametrize(
    "edges, expected, why",
    [
        ([(0, 1), (2, 3), (3, 4)], "correct", "a minimum cover"),
        ([(0, 1), (1, 2), (3, 4)], "correct", "another minimum cover"),
        ([(0, 1), (1, 2), (2, 3), (3, 4)], "suboptimal", "all edges"),
        ([(0, 1), (3, 4)], "uncovered_node", "misses node 2"),
        ([(0, 1), (0, 1), (2, 3), (3, 4)], "repeated_edge", "an edge twice"),
        ([(0, 2), (2, 4), (1, 3)], "non_edge", "non-edges"),
        ([], "uncovered_node", "empty"),
    ],
)
def test_check_edge_cover(edges, expected, why):
    assert _outcome(gc.check_edge_cover(PATH5, edges, optimum=3)) == expected, why


@pytest.mark.parametrize(
    "check, nodes, optimum, expected, why",
    [
        (gc.check_vertex_cover, [1, 3], 2, "correct", "minimum cover"),
        (gc.check_vertex_cover, [3, 1], 2, "correct", "any order"),
        (gc.check_vertex_cover, [0, 1, 2, 3, 4], 2, "suboptimal", "all nodes"),
        (gc.check_vertex_cover, [1, 2, 3], 2, "suboptimal", "minimal-ish but not minimum"),
        (gc.check_vertex_cover, [1, 1], 2, "repeated_node", "a node repeated"),
        (gc.check_vertex_cover, [0, 2, 4], 2, "suboptimal", "a cover, yet also an independent set"),
        (gc.check_vertex_cover, [0, 3], 2, "uncovered_edge", "edge 1-2 uncovered"),
        (gc.check_vertex_cover, [], 2, "uncovered_edge", "empty"),
        (gc.check_independent_set, [0, 2, 4], 3, "correct", "maximum independent set"),
        (gc.check_independent_set, [4, 2, 0], 3, "correct", "any order"),
        (gc.check_independent_set, [1, 3], 3, "suboptimal", "maximal but not maximum"),
        (gc.check_independent_set, [0, 0, 0], 3, "repeated_node", "one node repeated"),
        (gc.check_independent_set, [0, 1, 3], 3, "adjacent_nodes", "0 and 1 are adjacent"),
        (gc.check_independent_set, [0, 1, 2, 3, 4], 3, "adjacent_nodes", "all nodes"),
        (gc.check_independent_set, [], 3, "empty", "empty"),
        (gc.check_dominating_set, [1, 3], 2, "correct", "minimum dominating set"),
        (gc.check_dominating_set, [1, 4], 2, "correct", "another one"),
        (gc.check_dominating_set, [0, 2, 4], 2, "suboptimal", "dominating, not minimum"),
        (gc.check_dominating_set, [0, 4], 2, "undominated_node", "2 is not dominated"),
        (gc.check_dominating_set, [1, 3, 3], 2, "repeated_node", "a repeat"),
        (gc.check_dominating_set, [], 2, "undominated_node", "empty"),
    ],
)
def test_node_set_optimisation(check, nodes, optimum, expected, why):
    assert _outcome(check(PATH5, nodes, optimum=optimum)) == expected, why


K4_PLUS = nx.Graph([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (5, 3)])


@pytest.mark.parametrize(
    "nodes, expected, why",
    [
        ([0, 1, 2, 3], "correct", "the K4"),
        ([3, 2, 1, 0], "correct", "any order"),
        ([3, 4, 5], "suboptimal", "a maximal triangle, not maximum"),
        ([0, 1, 2, 4], "non_adjacent_nodes", "4 is not adjacent to 0"),
        ([0, 0, 0, 0], "repeated_node", "one node repeated"),
        ([0, 1, 2, 3, 4, 5], "non_adjacent_nodes", "all nodes"),
        ([], "empty", "empty"),
    ],
)
def test_check_clique(nodes, expected, why):
    assert _outcome(gc.check_clique(K4_PLUS, nodes, optimum=4)) == expected, why


ODD_CYCLE = nx.cycle_graph(5)


@pytest.mark.parametrize(
    "coloring, colors, expected, why",
    [
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, 2)], 3, "correct", "a 3-colouring"),
        ([(0, "red"), (1, "green"), (2, "red"), (3, "green"), (4, "blue")], 3, "correct", "named colours"),
        ([(4, 7), (3, 8), (2, 7), (1, 8), (0, 9)], 3, "correct", "any labels and order"),
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)], 3, "color_conflict", "4 and 0 share a colour"),
        ([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)], 3, "too_many_colors", "five colours"),
        ([(0, 0), (1, 1), (2, 0), (3, 1)], 3, "missing_node", "node 4 uncoloured"),
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, 2), (4, 2)], 3, "repeated_node", "a node twice"),
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, 2), (9, 1)], 3, "unknown_node", "an unknown node"),
        ([], 3, "missing_node", "empty"),
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, [2])], 3, "malformed_color", "an unhashable colour"),
    ],
)
def test_check_coloring(coloring, colors, expected, why):
    assert _outcome(gc.check_coloring(ODD_CYCLE, coloring, colors=colors)) == expected, why


@pytest.mark.parametrize(
    "graph, path, kwargs, expected, why",
    [
        (SQUARE, [0, 1, 2, 3], {}, "correct", "one Hamiltonian path"),
        (SQUARE, [2, 1, 0, 3], {}, "correct", "another"),
        (SQUARE, [0, 1, 2], {}, "missing_node", "misses a node"),
        (SQUARE, [0, 2, 1, 3], {}, "non_edge", "a non-edge"),
        (SQUARE, [0, 1, 2, 3, 0], {}, "repeated_node", "a closed cycle"),
        (SQUARE, [0, 1, 2, 3], {"source": 1}, "wrong_endpoints", "wrong fixed start"),
        (SQUARE, [1, 0, 3, 2], {"source": 1}, "correct", "from the fixed start"),
        (SQUARE, [], {}, "empty", "empty"),
    ],
)
def test_check_hamiltonian_path(graph, path, kwargs, expected, why):
    assert _outcome(gc.check_hamiltonian_path(graph, path, **kwargs)) == expected, why


def _tsp_graph():
    # Square 0-1-2-3 of weight 1 sides and weight 2 diagonals: optimum 4.
    G = nx.complete_graph(4)
    nx.set_edge_attributes(G, 2, "weight")
    for u, v in [(0, 1), (1, 2), (2, 3), (3, 0)]:
        G.edges[u, v]["weight"] = 1
    return G


TSP = _tsp_graph()


@pytest.mark.parametrize(
    "tour, expected, why",
    [
        ([0, 1, 2, 3], "correct", "open form"),
        ([2, 1, 0, 3, 2], "correct", "closed form, other start and direction"),
        ([0, 2, 1, 3], "suboptimal", "crosses the diagonals"),
        ([0, 1, 2], "missing_node", "misses a node"),
        ([0, 1, 2, 3, 1], "repeated_node", "revisits"),
        ([0, 1, 2, 2, 3], "repeated_node", "a node twice in a row"),
        ([], "empty", "empty"),
    ],
)
def test_check_tour(tour, expected, why):
    assert _outcome(gc.check_tour(TSP, tour, optimum=4)) == expected, why


STAR_TAIL_A = nx.Graph([(0, 1), (0, 2), (0, 3), (3, 4)])
STAR_TAIL_B = nx.Graph([("a", "b"), ("b", "c"), ("b", "d"), ("c", "e")])  # centre b, tail c-e
GOOD = [(0, "b"), (3, "c"), (4, "e"), (1, "a"), (2, "d")]


@pytest.mark.parametrize(
    "mapping, expected, why",
    [
        (GOOD, "correct", "an isomorphism"),
        (GOOD[::-1], "correct", "any order of pairs"),
        ([(0, "b"), (3, "c"), (4, "e"), (1, "d"), (2, "a")], "correct", "leaves 1 and 2 swapped: another isomorphism"),
        ([(0, "b"), (3, "a"), (4, "e"), (1, "c"), (2, "d")], "edge_not_preserved", "tail 3-4 maps to a-e"),
        ([(0, "c"), (3, "b"), (4, "e"), (1, "a"), (2, "d")], "edge_not_preserved", "centre and tail swapped"),
        (GOOD[:4], "missing_node", "a node unmapped"),
        (GOOD[:4] + [(2, "a")], "not_bijection", "two nodes onto one"),
        (GOOD + [GOOD[0]], "repeated_node", "a pair twice"),
        ([(0, "z")] + GOOD[1:], "unknown_node", "unknown image"),
        ([(9, "b")] + GOOD[1:], "unknown_node", "unknown source node"),
        ([], "missing_node", "empty"),
    ],
)
def test_check_isomorphism(mapping, expected, why):
    assert _outcome(gc.check_isomorphism(STAR_TAIL_A, STAR_TAIL_B, mapping)) == expected, why


def test_every_alternative_isomorphism_passes_and_every_other_bijection_fails():
    from itertools import permutations

    a_nodes, b_nodes = sorted(STAR_TAIL_A), sorted(STAR_TAIL_B)
    valid = {
        tuple(sorted(m.items())) for m in nx.algorithms.isomorphism.GraphMatcher(STAR_TAIL_A, STAR_TAIL_B).isomorphisms_iter()
    }
    assert len(valid) == 2  # leaves 1 and 2 may swap
    for image in permutations(b_nodes):
        mapping = list(zip(a_nodes, image))
        assert gc.check_isomorphism(STAR_TAIL_A, STAR_TAIL_B, mapping).passed == (tuple(mapping) in valid)


def _random_graphs(count: int, max_nodes: int, seed: int):
    import random

    rng = random.Random(seed)
    for _ in range(count):
        n = rng.randint(2, max_nodes)
        yield nx.gnp_random_graph(n, rng.choice((0.3, 0.5, 0.7)), seed=rng.randrange(2**32))


def test_node_set_checks_agree_with_the_definitions_on_every_subset():
    from itertools import combinations

    for G in _random_graphs(25, 7, seed=1):
        nodes = sorted(G)
        for k in range(len(nodes) + 1):
            for subset in combinations(nodes, k):
                chosen = set(subset)
                pairs = list(combinations(subset, 2))
                independent = bool(subset) and not any(G.has_edge(u, v) for u, v in pairs)
                clique = bool(subset) and all(G.has_edge(u, v) for u, v in pairs)
                cover = all(u in chosen or v in chosen for u, v in G.edges())
                dominating = all(n in chosen or any(m in chosen for m in G[n]) for n in G)
                assert gc.check_independent_set(G, list(subset)).passed == independent
                assert gc.check_clique(G, list(subset)).passed == clique
                assert gc.check_vertex_cover(G, list(subset)).passed == cover
                assert gc.check_dominating_set(G, list(subset)).passed == dominating


def test_edge_set_checks_agree_with_the_definitions_on_every_subset():
    from itertools import combinations

    for G in _random_graphs(25, 6, seed=2):
        edges = sorted(G.edges())
        if len(edges) > 10:
            edges = edges[:10]
        for k in range(len(edges) + 1):
            for subset in combinations(edges, k):
                ends = [n for e in subset for n in e]
                matching = len(ends) == len(set(ends))
                edge_cover = set(ends) == set(G)
                forest = nx.Graph(list(subset))
                forest.add_nodes_from(G)
                tree = len(subset) == G.number_of_nodes() - nx.number_connected_components(G) and nx.is_forest(forest)
                assert gc.check_matching(G, list(subset)).passed == matching
                assert gc.check_edge_cover(G, list(subset)).passed == edge_cover
                assert gc.check_spanning_tree(G, list(subset), weight=None).passed == tree

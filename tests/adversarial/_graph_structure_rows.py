"""Adversarial rows for the graph tasks answered by a structure (path, order, cycle, tree, edge set,
node set, colouring, isomorphism, flow): candidates built from the problem, verdicts from the oracles.

Each builder gathers candidate structures (the reference, other valid answers found with networkx,
and mutations of them), asks the independent oracle whether each is valid and optimal, and writes
the valid ones in every syntax and the rest in one or two.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import _graph_oracles as truth
import networkx as nx
from _graph_forms import Row, cheat_rows, edge_forms, list_forms, mapping_forms

import assay

Candidate = tuple[Any, str]


def _key(node: Any) -> tuple:
    return (0, node, "") if isinstance(node, int) else (1, 0, str(node))


# -- sequences and node sets ------------------------------------------------------------------


def sequence_mutations(G: nx.Graph, seq: list[Any], rng: random.Random) -> list[Candidate]:
    """Near misses of a node sequence; the oracle decides which (if any) are still valid."""
    nodes = sorted(G, key=_key)
    outside = [n for n in nodes if n not in set(seq)]
    out: list[Candidate] = []
    if len(seq) >= 2:
        out += [
            (seq[:-1], "the last node left out"),
            (seq[1:], "the first node left out"),
            (seq + seq[:1], "the first node repeated at the end"),
            (seq + [seq[-2]], "walks back one step at the end"),
            (seq[::-1], "reversed"),
            (seq[1:] + seq[:1], "rotated by one"),
            ([seq[0]] * len(seq), "one node repeated to the right length"),
        ]
        for _ in range(3):
            i, j = sorted(rng.sample(range(len(seq)), 2))
            swapped = seq[:]
            swapped[i], swapped[j] = swapped[j], swapped[i]
            out.append((swapped, f"positions {i} and {j} swapped"))
    if len(seq) >= 3:
        out.append((seq[:1] + seq[2:], "a middle node skipped"))
    if outside:
        out.append((seq + outside[:1], "an extra node appended"))
        if seq:
            k = rng.randrange(len(seq))
            out.append((seq[:k] + [rng.choice(outside)] + seq[k + 1 :], "one node replaced by an outsider"))
    out.append((nodes, "every node in label order"))
    out.append((seq + seq, "the sequence twice over"))
    return out


def sequence_rows(
    problem: assay.Problem,
    G: nx.Graph,
    valid: list[Candidate],
    oracle: Callable[[list[Any]], bool],
    *,
    sequence: bool = True,
    label: str = "Answer",
    extra_misses: Sequence[Candidate] = (),
) -> list[Row]:
    names = truth.Names(problem.data)
    rng = random.Random(problem.id)
    rows: list[Row] = []
    for k, (seq, why) in enumerate(valid):
        expected = oracle(seq)
        forms = list_forms(names.seq(seq), sequence=sequence, label=label) if k < 2 else list_forms(names.seq(seq), sequence=sequence)[:2]
        rows += [Row(text, expected, f"{why}; {form}") for text, form in forms]
        if k == 0 and names.named:
            rows.append(Row(", ".join(s.lower() for s in names.seq(seq)), expected, f"{why}; names in lower case"))
        if k == 0 and not names.named and seq:
            rows.append(Row(" -> ".join(f"node {s}" for s in names.seq(seq)), expected, f"{why}; 'node 3' as the prompt says"))
    reference = valid[0][0]
    for seq, why in list(sequence_mutations(G, reference, rng)) + list(extra_misses):
        expected = oracle(seq)
        rows.append(Row("[" + ", ".join(names.seq(seq)) + "]", expected, f"near miss: {why} ({'still valid' if expected else 'invalid'})"))
    ref_text = "[" + ", ".join(names.seq(reference)) + "]"
    other = next((seq for seq, _ in sequence_mutations(G, reference, rng) if not oracle(seq)), ["Nobody123"])
    rows.append(Row("[" + ", ".join(names.seq(reference) + ["Nobody123"]) + "]", False, "an unknown name"))
    rows.append(Row("[" + ", ".join(names.seq(reference) + ["987654"]) + "]", False, "an unknown id"))
    rows.append(Row(f"{ref_text} ({len(reference) + 2} nodes)", False, "a stated count of nodes that contradicts the list"))
    rows.append(Row(f"One possible {label.lower()}: {ref_text} or [" + ", ".join(names.seq(other)) + "]", False,
                    "one possible structure, then a second: two candidates"))
    rows.append(Row("[]", oracle([]), "the empty list"))
    rows.append(Row("none", oracle([]), "none"))
    return rows + cheat_rows(ref_text, "[" + ", ".join(names.seq(other)) + "]", problem.prompt)


def _bfs(G: nx.Graph, s: Any, rng: random.Random) -> list[Any]:
    order, seen, queue = [s], {s}, [s]
    while queue:
        u = queue.pop(0)
        nxt = sorted(G.successors(u) if G.is_directed() else G.neighbors(u), key=_key)
        rng.shuffle(nxt)
        for v in nxt:
            if v not in seen:
                seen.add(v)
                order.append(v)
                queue.append(v)
    return order


def _dfs(G: nx.Graph, s: Any, rng: random.Random) -> list[Any]:
    copy = G.__class__()
    nodes = sorted(G, key=_key)
    rng.shuffle(nodes)
    copy.add_nodes_from(nodes)
    edges = list(G.edges())
    rng.shuffle(edges)
    copy.add_edges_from(edges)
    return list(nx.dfs_preorder_nodes(copy, s))


def path_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    p = problem.data["params"]
    s, t = p["source"], p["target"]
    weighted = problem.data["graph"]["weighted"]
    weight = "weight" if weighted else None
    valid = [(path, "an optimal path") for path in itertools.islice(nx.all_shortest_paths(G, s, t, weight=weight), 4)]
    misses: list[Candidate] = []
    best = nx.shortest_path_length(G, s, t, weight=weight)
    for path in itertools.islice(nx.shortest_simple_paths(G, s, t), 40):
        if truth.path_weight(G, path, weighted) > best:
            misses.append((path, "a simple path that is not shortest"))
            break
    if weighted:
        misses.append((nx.shortest_path(G, s, t), "fewest edges, whatever the weight"))
    if not G.has_edge(s, t):
        misses.append(([s, t], "source to target over a non-edge"))
    rows = sequence_rows(problem, G, valid, lambda q: truth.valid_shortest_path(G, q, s, t, weighted), label="Path", extra_misses=misses)
    names = truth.Names(problem.data)
    best_path = valid[0][0]
    sentence = f"The shortest path from {names.show(s)} to {names.show(t)} is " + " -> ".join(names.seq(best_path))
    rows.append(Row(sentence + ".", True, "a sentence naming the source and the target"))
    rows.append(Row(sentence + f" (total weight {truth.path_weight(G, best_path, weighted)}).", True, "a sentence with the length stated"))
    return rows


def bfs_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    s = problem.data["params"]["source"]
    rng = random.Random(problem.id)
    valid = [(problem.data["gold"]["answer"], "the reference order")] + [(_bfs(G, s, rng), "a BFS with shuffled neighbours") for _ in range(3)]
    misses = [(_dfs(G, s, rng), "a depth-first order")]
    rows = sequence_rows(problem, G, valid, lambda q: truth.valid_bfs_order(G, q, s), label="BFS order", extra_misses=misses)
    names = truth.Names(problem.data)
    depth = nx.single_source_shortest_path_length(G, s)
    levels = [[n for n in valid[0][0] if depth[n] == d] for d in range(max(depth.values()) + 1)]
    rows.append(Row("[" + ", ".join("[" + ", ".join(names.seq(level)) + "]" for level in levels) + "]", False,
                    "levels in nested brackets: the prompt asks for one flat visiting order"))
    return rows


def dfs_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    s = problem.data["params"]["source"]
    rng = random.Random(problem.id)
    valid = [(problem.data["gold"]["answer"], "the reference order")] + [(_dfs(G, s, rng), "a DFS with shuffled neighbours") for _ in range(3)]
    misses = [(_bfs(G, s, rng), "a breadth-first order")]
    return sequence_rows(problem, G, valid, lambda q: truth.valid_dfs_order(G, q, s), label="DFS order", extra_misses=misses)


def topological_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    rng = random.Random(problem.id)
    valid = [(list(nx.topological_sort(G)), "networkx's topological order")]
    for _ in range(3):
        rank = {n: rng.random() for n in sorted(G, key=_key)}
        valid.append((list(nx.lexicographical_topological_sort(G, key=rank.__getitem__)), "a random tie-break"))
    return sequence_rows(problem, G, valid, lambda q: truth.valid_topological_order(G, q), label="Order")


def cycle_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    if G.is_directed():
        cycles = list(itertools.islice(nx.simple_cycles(G), 3))
    else:
        cycles = nx.cycle_basis(G)[:3]
    valid: list[Candidate] = []
    for c in cycles:
        valid += [(c, "a cycle"), (c + c[:1], "the cycle with its start repeated"), (c[1:] + c[:1], "the cycle from another node")]
        if not G.is_directed():
            valid.append((c[::-1], "the cycle the other way round"))
    u, v = cycles[0][0], cycles[0][1]
    misses = [([u, v], "one edge there and back"), ([u, v, u], "one edge there and back, closed"), ([u], "a single node")]
    return sequence_rows(problem, G, valid, lambda q: truth.valid_cycle(G, q), label="Cycle", extra_misses=misses)


def eulerian_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    s = problem.data["params"]["source"]
    rng = random.Random(problem.id)
    walk = [u for u, _ in nx.eulerian_circuit(G, source=s)] + [s]
    valid = [(walk, "an Eulerian circuit"), (walk[:-1], "the final return left implicit")]
    if not G.is_directed():
        valid.append((walk[::-1], "the circuit walked backwards"))
    copy = G.__class__()
    edges = list(G.edges())
    rng.shuffle(edges)
    copy.add_edges_from(edges)
    valid.append(([u for u, _ in nx.eulerian_circuit(copy, source=s)] + [s], "another circuit"))
    i = next((k for k, n in enumerate(walk) if n != s), 1)
    misses = [(walk[i:-1] + walk[: i + 1], "the same circuit from the wrong start"), (walk + walk[1:], "round twice")]
    return sequence_rows(problem, G, valid, lambda q: truth.valid_eulerian_circuit(G, q, s), label="Circuit", extra_misses=misses)


def hamiltonian_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    gold = problem.data["gold"]["answer"]
    valid = [(gold, "a Hamiltonian path"), (gold[::-1], "the path backwards (valid when undirected)")]
    return sequence_rows(problem, G, valid, lambda q: truth.valid_hamiltonian_path(G, q), label="Path")


def tour_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    gold = problem.data["gold"]["answer"]
    best = truth.optimal_tour_cost(G)
    rng = random.Random(problem.id)
    valid = [
        (gold, "an optimal tour"), (gold + gold[:1], "the start repeated at the end"),
        (gold[2:] + gold[:2], "starting elsewhere"), (gold[::-1], "the other direction"),
        (gold[::-1] + gold[-1:], "the other direction, closed"),
    ]
    misses = []
    for _ in range(3):
        perm = sorted(G, key=_key)
        rng.shuffle(perm)
        misses.append((perm, "a random tour"))
    misses.append((gold + gold[:1] + gold[1:], "round twice"))
    names = truth.Names(problem.data)
    tour_text = " -> ".join(names.seq(gold + gold[:1]))
    extra = [
        Row(f"{tour_text} (cost {best})", True, "the tour with its cost stated"),
        Row(f"Total cost: {best}\n[" + ", ".join(names.seq(gold)) + "]", True, "the cost on a line before the tour"),
    ]
    return sequence_rows(problem, G, valid, lambda q: truth.tour_cost(G, q) == best, label="Tour", extra_misses=misses) + extra


OPTIMAL_SETS = {
    "graph/maximum_independent_set": lambda G: [c for c in nx.find_cliques(nx.complement(G))],
    "graph/maximum_clique": lambda G: [c for c in nx.find_cliques(G)],
}


def optimal_set_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    cache: dict[str, int] = {}
    oracle = lambda q: truth.valid_node_set(problem.task, G, q, cache)
    gold = problem.data["gold"]["answer"]
    valid: list[Candidate] = [(gold, "the reference set"), (gold[::-1], "the reference set reversed")]
    name = problem.task
    if name in OPTIMAL_SETS:
        found = sorted((sorted(c, key=_key) for c in OPTIMAL_SETS[name](G)), key=lambda c: (-len(c), [_key(n) for n in c]))
        valid += [(c, "another maximal set (valid only if maximum)") for c in found[:4]]
    elif name == "graph/minimum_vertex_cover":
        found = sorted((sorted(c, key=_key) for c in nx.find_cliques(nx.complement(G))), key=lambda c: -len(c))
        valid += [([n for n in sorted(G, key=_key) if n not in set(c)], "the complement of a maximal independent set") for c in found[:4]]
        valid.append((sorted({n for e in nx.maximal_matching(G) for n in e}, key=_key), "both ends of a maximal matching"))
    else:
        valid.append((sorted(nx.dominating_set(G), key=_key), "networkx's greedy dominating set"))
        size = len(gold)
        others = (list(c) for c in itertools.combinations(sorted(G, key=_key), size) if nx.is_dominating_set(G, c))
        valid += [(c, "another dominating set of the minimum size") for c in itertools.islice(others, 3)]
    return sequence_rows(problem, G, valid, oracle, sequence=False, label="Set")


# -- edge sets --------------------------------------------------------------------------------


def edge_mutations(G: nx.Graph, edges: list[tuple[Any, Any]], rng: random.Random) -> list[Candidate]:
    nodes = sorted(G, key=_key)
    all_edges = sorted(G.edges(), key=lambda e: (_key(e[0]), _key(e[1])))
    spare = [e for e in all_edges if truth.edge_key(G, *e) not in {truth.edge_key(G, *f) for f in edges}]
    non_edges = [(u, v) for u, v in itertools.permutations(nodes, 2) if not G.has_edge(u, v)][:50]
    out: list[Candidate] = [(all_edges, "every edge of the graph")]
    if edges:
        out += [
            (edges[:-1], "one edge left out"),
            (edges + edges[:1], "an edge listed twice"),
            (edges[:-1] + [edges[0][::-1]], "an edge listed twice, flipped, in place of another"),
            ([(v, u) for u, v in edges], "every pair flipped"),
        ]
        if non_edges:
            out.append((edges[:-1] + [rng.choice(non_edges)], "an edge swapped for a non-edge"))
        if spare:
            out.append((edges[:-1] + [rng.choice(spare)], "an edge swapped for another edge"))
    if spare:
        out.append((edges + [rng.choice(spare)], "one more edge"))
    if non_edges:
        out.append((edges + [non_edges[0]], "a non-edge added"))
    if G.number_of_nodes():
        out.append(([(nodes[0], nodes[0])], "a self-loop"))
    return out


def edge_rows(
    problem: assay.Problem, G: nx.Graph, valid: list[Candidate], oracle: Callable[[list[tuple[Any, Any]]], bool],
    extra_misses: Sequence[Candidate] = (), weights: bool = False,
) -> list[Row]:
    names = truth.Names(problem.data)
    rng = random.Random(problem.id)
    show = lambda edges: [(names.show(u), names.show(v)) for u, v in edges]
    rows: list[Row] = []
    for k, (edges, why) in enumerate(valid):
        edges = [tuple(e) for e in edges]
        expected = oracle(edges)
        if not edges:
            rows += [Row(t, expected, f"{why}; {f}") for t, f in (("none", "none"), ("[]", "[]"), ("None.", "None."))]
            continue
        forms = edge_forms(show(edges), directed=G.is_directed()) if k < 2 else edge_forms(show(edges), directed=G.is_directed())[:2]
        rows += [Row(text, expected, f"{why}; {form}") for text, form in forms]
        if k == 0:
            rows.append(Row(", ".join(f"edge ({u}, {v})" for u, v in show(edges)), expected, f"{why}; 'edge (u, v)' items"))
        if not problem.data["graph"]["weighted"] and k == 0:
            rows.append(Row(", ".join(f"({u}, {v}, 1)" for u, v in show(edges)), False,
                            f"{why}; a third number where the graph has no weights: no edge of the grammar"))
        if weights and k == 0:
            rows.append(Row(", ".join(f"({names.show(u)}, {names.show(v)}, {G[u][v]['weight']})" for u, v in edges), expected, f"{why}; with their weights"))
            rows.append(Row(", ".join(f"({names.show(u)}, {names.show(v)}, 999)" for u, v in edges), expected,
                            f"{why}; with wrong weights written: the graph's weights count (documented)"))
    reference = [tuple(e) for e in valid[0][0]]
    for edges, why in edge_mutations(G, reference, rng) + list(extra_misses):
        edges = [tuple(e) for e in edges]
        expected = oracle(edges)
        text = ", ".join(f"({u}, {v})" for u, v in show(edges)) if edges else "none"
        rows.append(Row(text, expected, f"near miss: {why} ({'still valid' if expected else 'invalid'})"))
    ref_text = ", ".join(f"({u}, {v})" for u, v in show(reference)) if reference else "none"
    wrong = next((e for e, _ in edge_mutations(G, reference, rng) if not oracle([tuple(x) for x in e])), [("Nobody123", "Nobody123")])
    rows.append(Row(ref_text + ", (Nobody123, " + (names.show(reference[0][0]) if reference else "X") + ")", False, "an unknown node in an edge"))
    rows.append(Row(ref_text.replace(")", ", 1, 2)", 1) if reference else "(1, 2, 3, 4)", False, "a 4-tuple"))
    wrong_text = ", ".join(f"({names.show(u) if u in G else u}, {names.show(v) if v in G else v})" for u, v in wrong) or "none"
    return rows + cheat_rows(ref_text, wrong_text, problem.prompt)


def mst_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    valid = [(problem.data["gold"]["answer"], "the reference tree")]
    for algorithm in ("prim", "boruvka"):
        valid.append((list(nx.minimum_spanning_tree(G, algorithm=algorithm).edges()), f"networkx's {algorithm} tree"))
    trees = itertools.islice(nx.SpanningTreeIterator(G), 4)
    valid += [(list(tree.edges()), "a spanning tree in weight order (minimum only if tied)") for tree in trees]
    return edge_rows(problem, G, valid, lambda e: truth.valid_spanning_tree(G, e), weights=True)


def bridge_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    bridges = sorted(nx.bridges(G), key=lambda e: (_key(e[0]), _key(e[1])))
    wanted = {frozenset(e) for e in bridges}

    def oracle(edges: list[tuple[Any, Any]]) -> bool:
        return truth.real_distinct_edges(G, edges) and {frozenset(e) for e in edges} == wanted

    valid = [(bridges, "every bridge"), (bridges[::-1], "every bridge, other order")]
    rows = edge_rows(problem, G, valid, oracle)
    if not bridges:
        rows += [Row("No bridges.", True, "no bridges, in words"), Row("There are none.", True, "a sentence saying none")]
    return rows


def matching_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    weighted = problem.data["graph"]["weighted"]
    rng = random.Random(problem.id)
    gold = problem.data["gold"]["answer"]
    valid: list[Candidate] = [(gold, "the reference matching"), ([(v, u) for u, v in gold[::-1]], "flipped pairs, other order")]
    for _ in range(2):
        copy = G.__class__()
        edges = list(G.edges(data=True))
        rng.shuffle(edges)
        copy.add_edges_from(edges)
        m = nx.max_weight_matching(copy, maxcardinality=not weighted, weight="weight" if weighted else None)
        valid.append((sorted(m, key=lambda e: (_key(e[0]), _key(e[1]))), "another optimum (networkx on a shuffled copy)"))
    if problem.task == "graph/bipartite_matching":
        top = {n for n, side in nx.bipartite.color(G).items() if side == 0}
        hk = nx.bipartite.hopcroft_karp_matching(G, top_nodes=top)
        valid.append(([(u, hk[u]) for u in sorted(top, key=_key) if u in hk], "Hopcroft-Karp"))
    misses = [(sorted(nx.maximal_matching(G), key=lambda e: (_key(e[0]), _key(e[1]))), "a maximal matching (maximum only by luck)")]
    if weighted:
        largest = nx.max_weight_matching(G, maxcardinality=True, weight=None)
        misses.append((sorted(largest, key=lambda e: (_key(e[0]), _key(e[1]))), "a maximum-size matching (heaviest only by luck)"))
    return edge_rows(problem, G, valid, lambda e: truth.valid_matching(G, e, weighted), misses, weights=weighted)


def edge_cover_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    gold = problem.data["gold"]["answer"]
    rng = random.Random(problem.id)
    valid: list[Candidate] = [(gold, "the reference cover"), ([(v, u) for u, v in gold[::-1]], "flipped pairs, other order")]
    copy = G.__class__()
    edges = list(G.edges())
    rng.shuffle(edges)
    copy.add_edges_from(edges)
    valid.append((sorted((tuple(e) for e in nx.min_edge_cover(copy)), key=lambda e: (_key(e[0]), _key(e[1]))), "another minimum cover"))
    return edge_rows(problem, G, valid, lambda e: truth.valid_edge_cover(G, e))


# -- mappings and flows -----------------------------------------------------------------------

COLOUR_WORDS = ("red", "green", "blue", "yellow", "purple", "orange", "pink", "brown", "black", "white")


def mapping_rows(
    problem: assay.Problem, valid: list[Candidate], misses: list[Candidate], oracle: Callable[[list[tuple[Any, Any]]], bool],
    value: Callable[[Any], str] = str,
) -> list[Row]:
    names = truth.Names(problem.data)
    show = lambda pairs: [(names.show(k), value(v)) for k, v in pairs]
    rows: list[Row] = []
    for k, (pairs, why) in enumerate(valid):
        expected = oracle(pairs)
        forms = mapping_forms(show(pairs)) if k < 2 else mapping_forms(show(pairs))[:1]
        rows += [Row(text, expected, f"{why}; {form}") for text, form in forms]
        if k == 0:
            if names.named:
                rows.append(Row("{" + ", ".join(f"{a.lower()}: {b}" for a, b in show(pairs)) + "}", expected, f"{why}; names in lower case"))
            else:
                rows.append(Row(", ".join(f"node {a}: {b}" for a, b in show(pairs)), expected, f"{why}; 'node 3: x'"))
    for pairs, why in misses:
        expected = oracle(pairs)
        rows.append(Row("{" + ", ".join(f"{a}: {b}" for a, b in show(pairs)) + "}", expected, f"near miss: {why} ({'still valid' if expected else 'invalid'})"))
    reference = "{" + ", ".join(f"{a}: {b}" for a, b in show(valid[0][0])) + "}"
    wrong = "{" + ", ".join(f"{a}: {b}" for a, b in show(misses[0][0])) + "}"
    rows.append(Row(reference[:-1] + ", Nobody123: " + value(valid[0][0][0][1]) + "}", False, "an unknown key"))
    rows.append(Row(reference.replace(": ", ": [", 1).replace(",", "],", 1), False, "a list as a value"))
    return rows + cheat_rows(reference, wrong, problem.prompt)


def coloring_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    k = problem.data["params"]["colors"]
    if problem.meta.get("graph_source") == "random":  # the task promises k is the chromatic number
        assert k == truth.chromatic_number(G), f"k = {k} is not the chromatic number {truth.chromatic_number(G)}"
    gold = [tuple(p) for p in problem.data["gold"]["answer"]]
    colour = dict(gold)
    nodes = sorted(G, key=_key)
    valid: list[Candidate] = [
        (gold, "the reference colouring"),
        ([(n, c % k + 1) for n, c in gold], "the colours permuted"),
    ]
    for strategy in ("largest_first", "DSATUR", "smallest_last"):
        greedy = nx.greedy_color(G, strategy=strategy)
        valid.append(([(n, greedy[n] + 1) for n in nodes], f"a greedy {strategy} colouring (valid if it uses at most k colours)"))
    misses: list[Candidate] = [(gold[:-1], "a node left uncoloured"), (gold + gold[:1], "a node listed twice, same colour")]
    misses.append((gold + [(gold[0][0], gold[0][1] % k + 1)], "a node listed twice, two colours"))
    misses.append(([(n, 1) for n in nodes], "one colour for all"))
    # the prompt numbers the colours 1 to k: other labels fail even with the right count
    misses.append(([(n, COLOUR_WORDS[c - 1]) for n, c in gold], "colour words, not the numbers 1..k asked for"))
    misses.append(([(n, c - 1) for n, c in gold], "colours from 0, not 1..k"))
    misses.append(([(n, f"c{c}") for n, c in gold], "labels c1, c2 ..., not the numbers 1..k"))
    misses.append(([(n, k + 1 if c == max(colour.values()) else c) for n, c in gold], "colour k + 1: outside 1..k"))
    misses.append(([(n, i + 1) for i, n in enumerate(nodes)], "a colour per node"))
    for u, v in sorted(G.edges(), key=lambda e: (_key(e[0]), _key(e[1])))[:2]:
        misses.append(([(n, colour[v] if n == u else c) for n, c in gold], "two adjacent nodes share a colour"))
    rows = mapping_rows(problem, valid, misses, lambda pairs: truth.valid_coloring(G, pairs, k))
    names = truth.Names(problem.data)
    rows.append(Row(", ".join(f"{names.show(n)}: colour {c}" for n, c in gold), True, "'colour 2' as the value"))
    groups: dict[Any, list[str]] = {}
    for n, c in gold:
        groups.setdefault(c, []).append(names.show(n))
    rows.append(Row("; ".join(f"colour {c}: {', '.join(ns)}" for c, ns in groups.items()), False,
                    "grouped by colour: the prompt asks for node: colour pairs (keys must be nodes)"))
    return rows


def isomorphism_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    H = truth.graph_of(problem.data["params"]["second"])
    gold = [tuple(p) for p in problem.data["gold"]["answer"]]
    matcher = nx.algorithms.isomorphism.DiGraphMatcher if G.is_directed() else nx.algorithms.isomorphism.GraphMatcher
    valid: list[Candidate] = [(gold, "the reference isomorphism"), ([(a, b.upper()) for a, b in gold], "H's names in upper case")]
    for m in itertools.islice(matcher(G, H).isomorphisms_iter(), 3):
        valid.append(([(a, m[a]) for a, _ in gold], "an isomorphism from networkx's matcher"))
    image = dict(gold)
    keys = [a for a, _ in gold]
    misses: list[Candidate] = [(gold[:-1], "a node unmapped"), (gold[:-1] + [(gold[-1][0], gold[0][1])], "two nodes onto one")]
    for i, j in itertools.islice(itertools.combinations(range(len(gold)), 2), 6):
        swapped = dict(image)
        swapped[keys[i]], swapped[keys[j]] = image[keys[j]], image[keys[i]]
        misses.append(([(a, swapped[a]) for a in keys], "two images swapped (valid only if a symmetry)"))
    misses.append((list(zip(sorted(G, key=_key), sorted(H, key=_key))), "nodes matched in label order"))
    misses.append((gold + gold[:1], "a pair listed twice"))
    rows = mapping_rows(problem, valid, misses, lambda pairs: truth.valid_isomorphism(G, H, [(a, str(b).lower()) for a, b in pairs]))
    names = truth.Names(problem.data)
    rows.append(Row(", ".join(f"f({names.show(a)}) = {b}" for a, b in gold), True, "the prompt's f(u) = v notation"))
    rows.append(Row("{" + ", ".join(f"{b}: {names.show(a)}" for a, b in gold) + "}", False, "the inverse mapping, H to G"))
    return rows


def _fraction_text(value: Fraction) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def flow_text(names: truth.Names, value: Any, arcs: list[tuple[Any, Any, Any]], style: int = 0) -> str:
    head = ["value: ", "Value = ", "max flow value: ", "Maximum flow value: "][style % 4] + str(value)
    triples = [(names.show(u), names.show(v), str(f)) for u, v, f in arcs]
    if style % 4 == 1:
        body = "\n".join(f"{u} -> {v}: {f}" for u, v, f in triples)
    else:
        body = [", ", "", "; ", "\n"][style % 4].join(f"({u}, {v}, {f})" for u, v, f in triples)
    return f"{head}\n{body}"


def flow_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    names = truth.Names(problem.data)
    p = problem.data["params"]
    s, t = p["source"], p["sink"]
    best = nx.maximum_flow_value(G, s, t, capacity="weight")

    def arcs_of(flow: dict) -> list[tuple[Any, Any, int]]:
        return [(u, v, flow[u][v]) for u in sorted(flow, key=_key) for v in sorted(flow[u], key=_key) if flow[u][v] > 0]

    gold = arcs_of(nx.maximum_flow(G, s, t, capacity="weight")[1])
    other = arcs_of(nx.maximum_flow(G, s, t, capacity="weight", flow_func=nx.algorithms.flow.shortest_augmenting_path)[1])
    oracle = lambda value, arcs: truth.valid_flow(G, Fraction(value), [(u, v, Fraction(f)) for u, v, f in arcs], s, t)
    rows: list[Row] = []
    for style in range(4):
        rows.append(Row(flow_text(names, best, gold, style), oracle(best, gold), f"a maximum flow, syntax {style}"))
    rows += [
        Row(flow_text(names, best, other), oracle(best, other), "another maximum flow (shortest augmenting paths)"),
        Row(flow_text(names, f"{best}.0", gold), True, "the value as a decimal"),
        Row(flow_text(names, best, [(u, v, f"{f}/1") for u, v, f in gold]), True, "amounts as fractions"),
        Row(flow_text(names, best, gold[::-1]), True, "arcs in another order"),
        Row(f"value: {best}\n[" + ", ".join(f"({names.show(u)}, {names.show(v)}, {f})" for u, v, f in gold) + "]", True, "arcs in brackets"),
        Row(flow_text(names, best + 1, gold), False, "the stated value disagrees with the flow"),
        Row(f"value: {best}", oracle(best, []), "the value without a flow"),
        Row(flow_text(names, best, gold).split("\n", 1)[1], False, "the flow without the value line"),
        Row(f"value: {best} or {best + 1}\n" + flow_text(names, best, gold).split("\n", 1)[1], False, "a hedged value"),
        Row(flow_text(names, best, gold + gold), False, "the arcs listed twice"),
        Row("value: 0\n", best == 0, "the empty flow"),
        Row(f"value: {best}\n(" + names.show(s) + ", " + names.show(t) + f", {'9' * 500})", False, "a 500-digit amount"),
        Row(f"value: {'9' * 500}\n" + flow_text(names, best, gold).split("\n", 1)[1], False, "a 500-digit value"),
    ]
    spare = [(u, v, "-0") for u, v in sorted(G.edges(), key=lambda e: (_key(e[0]), _key(e[1]))) if not any(a[:2] == (u, v) for a in gold)][:2]
    if spare:
        rows.append(Row(flow_text(names, best, gold + spare), True, "arcs with zero flow (written -0) listed too"))
    if gold:
        half = [(u, v, Fraction(f, 2)) for u, v, f in gold]
        rows.append(Row(flow_text(names, Fraction(best, 2), half), False, "half a maximum flow: feasible, not maximum"))
        u, v, f = gold[0]
        plus = [(u, v, f + 1)] + gold[1:]
        rows.append(Row(flow_text(names, best, plus), oracle(best, plus), "one arc carries one unit more"))
        rows.append(Row(flow_text(names, best, [(b, a, f) for a, b, f in gold]), oracle(best, [(b, a, f) for a, b, f in gold]), "every arc reversed"))
        rows.append(Row(flow_text(names, best, gold[:-1]), oracle(best, gold[:-1]), "an arc dropped"))
        rows.append(Row(flow_text(names, best, [(u, v, -f)] + gold[1:]), False, "a negative amount"))
        # capacities are integers and amounts parse exactly: no tolerance is needed, so none may be exploited
        eps = Fraction(1, 10**7)
        shaved = [(a, b, _fraction_text(Fraction(x) * (1 - eps))) for a, b, x in gold]
        rows.append(Row(flow_text(names, _fraction_text(best * (1 - eps)), shaved), False,
                        "every amount shaved by 1e-7: feasible, but its value is below the maximum"))
        # 9e-7 units leak out of the source into each neighbour with spare capacity and vanish there
        # (conservation broken by less than the 1e-6 tolerance): the value then beats the maximum
        carried = {(a, b): Fraction(x) for a, b, x in gold}
        leaks = [(s, y) for y in sorted(G.successors(s), key=_key) if y != t and G[s][y]["weight"] - carried.get((s, y), 0) >= 1]
        if leaks:
            leaked = dict(carried)
            for arc in leaks:
                leaked[arc] = leaked.get(arc, Fraction(0)) + Fraction(9, 10**7)
            value = best + Fraction(9, 10**7) * len(leaks)
            rows.append(Row(flow_text(names, _fraction_text(value), [(a, b, _fraction_text(x)) for (a, b), x in leaked.items()]),
                            False, "9e-7 units leak into the source's neighbours: conservation broken, value above the maximum"))
        over = [(u, v, f"{f}.0000001")] + gold[1:]
        rows.append(Row(flow_text(names, best, over), False,
                        "one arc 1e-7 over its capacity (and conservation broken by 1e-7)"))
        rows.append(Row(f"Maximum flow: {best}\n" + flow_text(names, best, gold).split("\n", 1)[1], True,
                        "'Maximum flow: V' is an unambiguous value line"))
        rows.append(Row(f"The maximum flow value is {best}.\n" + flow_text(names, best, gold).split("\n", 1)[1], True,
                        "a sentence stating the value"))
    return rows + cheat_rows(flow_text(names, best, gold), flow_text(names, best + 1, gold), problem.prompt)


STRUCTURE_ROWS: dict[str, Callable[[assay.Problem, nx.Graph], list[Row]]] = {
    "graph/shortest_path": path_rows,
    "graph/weighted_shortest_path": path_rows,
    "graph/bfs_order": bfs_rows,
    "graph/dfs_order": dfs_rows,
    "graph/topological_sort": topological_rows,
    "graph/find_cycle": cycle_rows,
    "graph/eulerian_circuit": eulerian_rows,
    "graph/hamiltonian_path": hamiltonian_rows,
    "graph/travelling_salesman": tour_rows,
    "graph/maximum_independent_set": optimal_set_rows,
    "graph/maximum_clique": optimal_set_rows,
    "graph/minimum_vertex_cover": optimal_set_rows,
    "graph/minimum_dominating_set": optimal_set_rows,
    "graph/minimum_spanning_tree": mst_rows,
    "graph/bridges": bridge_rows,
    "graph/bipartite_matching": matching_rows,
    "graph/maximum_matching": matching_rows,
    "graph/maximum_weight_matching": matching_rows,
    "graph/minimum_edge_cover": edge_cover_rows,
    "graph/k_coloring": coloring_rows,
    "graph/isomorphism_mapping": isomorphism_rows,
    "graph/maximum_flow": flow_rows,
}

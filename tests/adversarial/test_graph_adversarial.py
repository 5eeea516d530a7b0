"""Adversarial tables for every graph task: right answers in forms nobody planned for, near misses,
and answers built to cheat, each with the verdict it must get and why.

Problems come from several seeds, every difficulty and every encoding. Each completion is built from
the problem's data; its expected verdict comes from networkx or brute force (``_graph_oracles``),
never from Assay's own graph helpers. Policy decisions (what a reasonable right answer is) are in
each row's ``why``. Rows tagged with a known bug id run in ``test_known_bug`` as strict xfails.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import _graph_oracles as truth
import networkx as nx
import pytest
from _graph_forms import (
    Row,
    cheat_rows,
    list_forms,
    number_words,
)
from _graph_structure_rows import STRUCTURE_ROWS

import assay
from assay.errors import ConfigError

ENCODINGS = ("edge_list", "adjacency", "incident", "friendship", "cities")
TASKS = assay.list_tasks("graph")
TOLERANCE = 1e-3  # a scale for "far off" rows; real answers are judged by the rounding the prompt asks for
HALF_UNIT = Fraction(1, 2000)  # "rounded to 3 decimal places": half a unit of the third decimal

# Known bugs in modules whose owner was still at work (see the report): bug id -> (tasks, reason).
# Rows tagged with the id are left out of test_adversarial_table and run in test_known_bug, xfail.
KNOWN_BUGS: dict[str, tuple[tuple[str, ...], str]] = {}


def _user_digraph(dag: bool) -> nx.DiGraph:
    """A weighted directed graph (or DAG) of a user, with string node ids."""
    rng = random.Random(7)
    graph = nx.DiGraph()
    names = [f"v{i}" for i in range(11)]
    graph.add_nodes_from(names)
    for i, u in enumerate(names):
        for j, v in enumerate(names):
            if i != j and (not dag or i < j) and rng.random() < 0.3:
                graph.add_edge(u, v, weight=rng.randint(1, 9))
    return graph


# graphs a user may pose questions on: real-world ones (string node ids; a 34-node int graph) and
# weighted directed ones with string ids (for flows, orders and strong components)
USER_GRAPHS = (
    ("florentine families", nx.florentine_families_graph()),
    ("karate club", nx.karate_club_graph()),
    ("a user's digraph", _user_digraph(dag=False)),
    ("a user's DAG", _user_digraph(dag=True)),
)
NP_HARD = {f"graph/{n}" for n in ["maximum_independent_set", "maximum_clique", "minimum_vertex_cover", "minimum_dominating_set"]}

# Which user graphs a task refuses (a ConfigError naming the rule), written out: any other refusal,
# or a listed graph that stops being refused, fails the task's test (it was swallowed before).
TAKES_DIRECTED = {f"graph/{n}" for n in [
    "bfs_order", "degree", "density", "dfs_order", "edge_count", "edge_exists", "eulerian_circuit", "find_cycle",
    "hamiltonian_path", "has_cycle", "is_tournament", "isomorphism_mapping", "max_flow_value", "maximum_flow",
    "neighbours", "node_count", "shortest_path", "strongly_connected_components", "topological_sort",
    "weakly_connected_components", "weighted_shortest_path",
]}
DIRECTED_ONLY = {f"graph/{n}" for n in [
    "is_tournament", "max_flow_value", "maximum_flow", "strongly_connected_components", "topological_sort",
    "weakly_connected_components",
]}
NOT_APPLICABLE = {  # (task, user graph) -> the rule the graph fails
    ("graph/bipartite_matching", "florentine families"): "bipartite",
    ("graph/bipartite_matching", "karate club"): "bipartite",
    ("graph/eulerian_circuit", "florentine families"): "Eulerian",
    ("graph/eulerian_circuit", "karate club"): "Eulerian",
    ("graph/eulerian_circuit", "a user's digraph"): "Eulerian",
    ("graph/eulerian_circuit", "a user's DAG"): "Eulerian",
    ("graph/find_cycle", "a user's DAG"): "cycle",
    ("graph/hamiltonian_path", "florentine families"): "Hamiltonian",
    ("graph/hamiltonian_path", "karate club"): "Hamiltonian",
    ("graph/hamiltonian_path", "a user's DAG"): "Hamiltonian",
    ("graph/topological_sort", "a user's digraph"): "acyclic",
    ("graph/travelling_salesman", "florentine families"): "3-13 nodes",
    ("graph/travelling_salesman", "karate club"): "3-13 nodes",
}


def refusal(task_id: str, name: str, graph: nx.Graph) -> str | None:
    """The rule a task must refuse a user graph by, or None when it must take it."""
    if graph.is_directed() and task_id not in TAKES_DIRECTED:
        return "undirected graphs only"
    if not graph.is_directed() and task_id in DIRECTED_ONLY:
        return "directed graphs only"
    return NOT_APPLICABLE.get((task_id, name))


def problems(task_id: str) -> list[assay.Problem]:
    """Every encoding once, every difficulty (rotating with the task), one extra seed, and the
    question asked on real-world graphs where the task takes them."""
    task = assay.get_task(task_id)
    offset = TASKS.index(task_id)
    out = []
    for i, encoding in enumerate(ENCODINGS):
        out.append(task.generate(1000 + 17 * i, difficulty=(i + offset) % 5 + 1, encoding=encoding))
    out.append(task.generate(3, difficulty=offset % 5 + 1, encoding=ENCODINGS[(offset + 2) % 5]))
    for k, (name, graph) in enumerate(USER_GRAPHS):
        if k == 1 and task_id in NP_HARD:
            continue  # brute-force truths on 34 nodes would take minutes
        rule = refusal(task_id, name, graph)
        if rule is None:  # a user graph that stops loading fails here, with the ConfigError
            out.append(task.generate(5 + k, graph=graph, encoding=ENCODINGS[(offset + k) % 5]))
        else:
            with pytest.raises(ConfigError, match=rule):
                task.generate(5 + k, graph=graph, encoding=ENCODINGS[(offset + k) % 5])
    return out


# -- scalar answers ---------------------------------------------------------------------------

UNITS = {
    "node_count": "nodes", "edge_count": "edges", "triangles": "triangles", "connected_components": "components",
    "weakly_connected_components": "weakly connected components", "strongly_connected_components": "components",
    "chromatic_number": "colours", "diameter": "edges", "radius": "hops", "max_flow_value": "units",
}


def other_node_rows(problem: assay.Problem, answer: str) -> list[Row]:
    """The right value under a label about a node the question does not ask about: refused (the value
    answers another question, however it happens to agree)."""
    params = problem.data["params"]
    asked = {params[k] for k in assay.get_task(problem.task).node_params}
    others = [n for n in problem.data["graph"]["nodes"] if n not in asked]
    if not others:
        return []
    shown = truth.Names(problem.data).show(others[0])
    return [
        Row(f"The value for node {shown} is {answer}.", False, "a label naming a node the question is not about"),
        Row(f"f({shown}) = {answer}", False, "the value as a function of a node the question is not about"),
    ]


def number_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    t = truth.number_truth(problem.task, G, problem.data["params"])
    rows = [
        Row(str(t), True, "the integer"),
        Row(f"{t}.0", True, "an integer written as a decimal"),
        Row(f"{t}.000", True, "trailing zeros"),
        Row(f"**{t}**", True, "bold"),
        Row(f"$ {t} $.", True, "math delimiters and a period"),
        Row(f"\\boxed{{{t}}}", True, "boxed inside the answer block"),
        Row(f"Answer: {t}", True, "a label before the number"),
        Row(f"The answer is {t}.", True, "a short sentence label"),
        Row(f"{t}e0", True, "e-notation of the same value"),
        Row(f"**Answer:** {t}", True, "a bold markdown label"),
        Row(f"#### {t}", True, "a GSM8K-style '####' line"),
        Row(f"### Answer\n{t}", True, "a markdown heading as the label"),
        Row(f"Answer 2: {t + 1}", False, "a numbered label hides which value is meant"),
        Row(f"+{t}", True, "an explicit plus sign"),
        Row(str(t + 1), False, "off by one (up)"),
        Row(f"{t}.5", False, "a half more"),
        Row(f"{t} or {t + 1}", False, "hedged between two values"),
        Row(f"{t}, {t + 1}", False, "two candidates"),
        Row(f"{t + 1}, {t}", False, "two candidates, the right one last"),
        Row(f"{t} {t}", False, "the number twice"),
        Row(f"~{t}", False, "a tilde says approximately"),
        Row(f"about {t}", False, "about"),
        Row(f"at least {t}", False, "a bound, not a value"),
        Row(f"{t}-{t + 1}", False, "a range"),
        Row(f"{t} + 0", False, "an expression, not a number"),
        Row(" ".join(str(i) for i in range(40)), False, "many numbers"),
        Row("1" + "0" * 100, False, "a 101-digit number"),
        Row("9" * 5000, False, "a 5000-digit number"),
        Row("1e999", False, "a huge exponent"),
        Row("nan", False, "NaN"),
        Row("inf", False, "infinity"),
        Row("-inf", False, "minus infinity"),
        Row("∞", False, "the infinity sign"),
        Row(f"{t}%", False, "a percentage is not a count"),
    ]
    if t >= 1:
        rows.append(Row(str(t - 1), False, "off by one (down)"))
        rows.append(Row(str(-t), False, "wrong sign"))
    else:
        rows += [Row("-0", True, "negative zero is zero"), Row("0.0", True, "zero as a decimal")]
    words = number_words(t)
    if words:
        rows.append(Row(words, False, "a number in words: the prompt asks for an integer (digits)"))
    symbol = {"chromatic_number": "\\chi(G)", "diameter": "diam(G)", "radius": "rad(G)", "triangles": "T(G)"}
    if problem.task.split("/")[1] in symbol:
        rows.append(Row(f"{symbol[problem.task.split('/')[1]]} = {t}", True, "the quantity written as a function of G"))
        rows.append(Row(f"{symbol[problem.task.split('/')[1]]} = {t + 1}", False, "a wrong value written as a function of G"))
    params = problem.data["params"]
    if "node" in params:
        shown = truth.Names(problem.data).show(params["node"])
        rows.append(Row(f"The value for node {shown} is {t}.", True, "a sentence naming the node the question is about"))
        rows.append(Row(f"The value for node {shown} is {t} or {t + 1}.", False, "the same sentence, hedged"))
    unit = UNITS.get(problem.task.split("/")[1])
    if unit:
        rows.append(Row(f"{t} {unit}", True, "the count with its unit"))
        rows.append(Row(f"{t + 1} {unit}", False, "a wrong count with its unit"))
    other_unit = "edges" if problem.task == "graph/triangles" else "triangles"
    rows.append(Row(f"{t} {other_unit}", False, "the right number counting something else: another question's answer"))
    return rows + other_node_rows(problem, str(t)) + cheat_rows(str(t), str(t + 1), problem.prompt)


def real_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    v = truth.real_truth(problem.task, G, problem.data["params"])
    exact = Fraction(v).limit_denominator(10_000)
    rational = abs(float(exact) - v) < 1e-12
    rows = [
        Row(f"{v:.3f}", True, "rounded to 3 places, as asked"),
        Row(f"{v:.4f}", True, "4 places"),
        Row(f"{v:.12f}", True, "12 places"),
        Row(f"Answer: {v:.3f}", True, "a label"),
        Row(f"{v:.3f}.", True, "a final period"),
        Row(f"{v + 0.01:.3f}", False, "off in the second decimal place"),
        Row(f"{v - 0.01:.3f}", False, "off in the second decimal place (down)"),
        Row(f"{v + 0.0025:.4f}", False, "off by 0.0025"),
        Row(f"{v + 0.00049:.5f}", True, "just inside half a unit of the third decimal"),
        Row(f"{v - 0.00049:.5f}", True, "just inside half a unit of the third decimal (down)"),
        Row(f"{v + 0.00051:.5f}", False, "just outside half a unit of the third decimal"),
        Row(f"{v - 0.00051:.5f}", False, "just outside half a unit of the third decimal (down)"),
        Row(f"{v:.3f} or {v + 0.1:.3f}", False, "hedged"),
        Row(f"{v + 0.1:.3f}, {v:.3f}", False, "two candidates"),
        Row(f"~{v:.3f}", False, "a tilde says approximately"),
        Row(f"≈ {v:.3f}", False, "approximately"),
        Row(f"about {v:.3f}", False, "about"),
        Row(f"{v * 100:.1f}%", False, "a percentage: another scale, not the decimal asked for"),
        Row(f"{v:.3f}".replace(".", ","), False, "a decimal comma: not in the grammar (reads like a thousands separator)"),
        Row("nan", False, "NaN"),
        Row("inf", False, "infinity"),
        Row("1e999", False, "a huge exponent"),
        Row("1" + "0" * 500, False, "a 501-digit number"),
    ]
    truth_value = exact if rational else Fraction(v)
    rounded = Fraction(f"{v:.3f}")
    for wrong in (rounded + Fraction(1, 1000), rounded - Fraction(1, 1000)):
        if abs(wrong - truth_value) > HALF_UNIT:  # at a tie (0.0625) both neighbours are correct roundings
            rows.append(Row(f"{float(wrong):.3f}", False, "a wrong last digit"))
    truncated = Fraction(math.floor(truth_value * 1000), 1000)
    rows.append(Row(f"{float(truncated):.3f}", abs(truncated - truth_value) <= HALF_UNIT,
                    "truncated to 3 places: right only where it equals rounding (the prompt asks for rounding)"))
    if v > 2 * TOLERANCE:
        rows.append(Row(f"{-v:.3f}", False, "wrong sign"))
        rows.append(Row("1/" + "7" * 300, False, "a tiny fraction with a 300-digit denominator"))
    else:
        rows.append(Row("-0", True, "negative zero for a zero value"))
    if abs(round(v, 1) - v) > 1.5 * TOLERANCE:
        rows.append(Row(f"{v:.1f}", False, "rounded to 1 place: too coarse"))
    if v:
        rows.append(Row(f"{v:.6e}", True, "scientific notation"))
    if rational:
        rows += [
            Row(f"{exact.numerator}/{exact.denominator}", True, "the exact fraction"),
            Row(f"\\frac{{{exact.numerator}}}{{{exact.denominator}}}", True, "a LaTeX fraction"),
            Row(f"{exact.numerator * 3}/{exact.denominator * 3}", True, "an unreduced fraction of the same value"),
            Row(f"{exact.numerator}/{exact.denominator} ≈ {v:.3f}", True, "the exact fraction and its rounding"),
            Row(f"{exact.numerator}/{exact.denominator} ≈ {v + 0.1:.3f}", False, "a fraction and a rounding that disagree"),
        ]
    return rows + other_node_rows(problem, f"{v:.3f}") + cheat_rows(f"{v:.3f}", f"{v + 0.25:.3f}", problem.prompt)


# The right word with a reason that negates something, which is no contradiction (True), and the right
# word with a sentence that contradicts it (False: a self-contradicting answer is never paid).
JUSTIFIED: dict[str, dict[bool, list[tuple[str, bool]]]] = {
    "is_bipartite": {
        True: [("Yes, because it has no odd cycle", True), ("Yes — it has no odd cycle, so it is bipartite", True),
               ("It has no odd cycle, so yes", True), ("Yes, an odd cycle does not exist", True),
               ("Yes, so it is not bipartite", False), ("Yes, it has an odd cycle", False),
               ("Yes, it isn’t bipartite", False), ("Yes, it is non-bipartite", False), ("Yes, it is nоt bipartite", False)],
        False: [("No, because it has an odd cycle", True), ("It has an odd cycle, so the answer is no.", True),
                ("No, a 2-colouring is impossible", True), ("No, it is bipartite", False), ("No, it is.", False),
                ("No, since it has no odd cycle", False)],
    },
    "has_cycle": {
        True: [("Yes, it is not a DAG", True), ("Yes, it is not acyclic", True), ("Yes, a cycle does not exist", False),
               ("Yes, it is acyclic", False)],
        False: [("No, it is acyclic", True), ("No, there is no directed cycle", True), ("No, it contains a cycle", False),
                ("No, because it is cyclic", False)],
    },
    "is_eulerian": {
        True: [("Yes, no node has odd degree and G is connected", True), ("Yes, node 3 has odd degree", False),
               ("Yes, an Eulerian circuit does not exist", False)],
        False: [("No, an Eulerian circuit does not exist", True), ("No, it has an Eulerian path, not a circuit", True),
                ("No, it is Eulerian", False)],
    },
    "is_regular": {
        True: [("Yes, no node has a different degree", True), ("Yes, it is irregular", False), ("Yes, it is not regular", False)],
        False: [("No, it is not regular", True), ("No, it is regular", False)],
    },
    "is_tournament": {
        True: [("Yes, no pair lacks an arc and none has two", True), ("Yes, it isn't a tournament", False)],
        False: [("No, it is not a tournament", True), ("No, it is a tournament", False)],
    },
    "edge_exists": {
        True: [("Yes, they are adjacent, so no detour is needed", True), ("Yes, there isn't an edge", False)],
        False: [("No, there is no edge between them", True), ("No, they are not adjacent", True), ("No, it does.", False)],
    },
}


def yes_no_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    b = truth.yes_no_truth(problem.task, G, problem.data["params"])
    sentences = [
        Row(text, agrees, "the right word with a reason" if agrees else "the right word contradicted by its own sentence")
        for text, agrees in JUSTIFIED[problem.task.split("/")[1]][b]
    ]
    right, wrong = ("yes", "no") if b else ("no", "yes")
    rows = [
        Row(right, True, "the word"),
        Row(right.upper(), True, "upper case"),
        Row(f"{right.capitalize()}.", True, "capitalised with a period"),
        Row(str(b).lower(), True, "true/false"),
        Row(f"**{right}**", True, "bold"),
        Row(f"Answer: {right}", True, "a label"),
        Row(f"\\text{{{right.capitalize()}}}", True, "a LaTeX text wrapper"),
        Row(f"**{right.capitalize()}**, that is the answer.", True, "the bold word and a clause"),
        Row(f"**Final answer:** {right}", True, "a bold label"),
        Row(wrong, False, "the opposite"),
        Row(str(not b), False, "the opposite as true/false"),
        Row("yes or no", False, "hedged"),
        Row(f"{right}, {wrong}", False, "both answers"),
        Row(f"{right} {right}", False, "the word twice"),
        Row(f"{right}/{wrong}", False, "both, slashed"),
        Row(f"{right}?", False, "a question, not an answer"),
        Row(right[0], False, "a single letter is not in the grammar (the prompt asks for yes or no)"),
        Row("1" if b else "0", False, "a digit is not yes or no"),
        Row("maybe", False, "maybe"),
        Row("no idea", False, "a refusal that starts with 'no'"),
        Row(f"not {wrong}", False, "'not' plus the opposite: the grammar takes a plain word"),
        Row(f"{right.capitalize()}, probably", False, "a hedge in the clause"),
        Row(f"{right.capitalize()}, but I am not sure", False, "a doubting clause"),
    ]
    if b:
        rows += [
            Row("Yes, it is.", True, "a short affirming clause"),
            Row("Yes it does", True, "a clause without a comma"),
            Row("Yes (the property holds).", True, "an explanation in parentheses"),
            Row("Yes, it is not.", False, "a yes whose clause negates: a contradiction"),
            Row("Yes, no", False, "yes then no"),
        ]
    else:
        rows += [
            Row("No, it is not.", True, "a negated clause agreeing with no"),
            Row("No it doesn't", True, "a negated clause without a comma"),
            Row("No. It fails the definition.", True, "a second sentence"),
            Row("No, yes it is", False, "no then yes"),
            Row("No, true", False, "no then true"),
        ]
    return rows + sentences + other_node_rows(problem, right) + cheat_rows(right, wrong, problem.prompt)


def node_set_rows(problem: assay.Problem, G: nx.Graph) -> list[Row]:
    names = truth.Names(problem.data)
    gold = sorted(truth.set_truth(problem.task, G, problem.data["params"]), key=str)
    outside = sorted((n for n in G if n not in set(gold)), key=str)
    shown = names.seq(gold)
    rng = random.Random(problem.id)
    rows = [Row(text, True, why) for text, why in list_forms(shown, sequence=False)] if gold else []
    if gold:
        shuffled = shown[:]
        rng.shuffle(shuffled)
        rows += [
            Row("[" + ", ".join(shown[::-1]) + "]", True, "reversed order (a set)"),
            Row("[" + ", ".join(shuffled) + "]", True, "shuffled order (a set)"),
            Row("[" + ", ".join(shown[:-1]) + "]", False, "one node missing"),
            Row("[" + ", ".join(shown + shown[:1]) + "]", False, "a node repeated"),
            Row("[" + ", ".join(shown) + "] [" + ", ".join(shown) + "]", False, "the list twice"),
            Row("[]", False, "empty when the set is not"),
            Row("none", False, "none when the set is not"),
            Row("[[" + ", ".join(shown) + "]]", False, "nested brackets"),
            Row(", ".join(shown) + ", etc", False, "etc."),
            Row("[" + ", ".join(shown + ["Nobody123"]) + "]", False, "an unknown name"),
            Row("[" + ", ".join(shown + ["987654"]) + "]", False, "an unknown id"),
            Row("[" + ", ".join(shown) + f"] ({len(shown) + 1} nodes)", False, "a stated count of nodes that contradicts the list"),
            Row("[" + ", ".join([shown[0]] * len(shown)) + "]", len(set(gold)) == 1 and len(gold) == 1,
                "one node repeated to the right size"),
        ]
        if names.named:
            rows.append(Row(", ".join(s.lower() for s in shown), True, "names in lower case"))
            # the prompt lists names in id order, so a hidden id names one node only: accepted
            rows.append(Row("[" + ", ".join(str(n) for n in gold) + "]", all(isinstance(n, int) for n in gold),
                            "hidden ids instead of names (unambiguous: ids follow the prompt's listing order)"))
            rows.append(Row(", ".join(s.upper() for s in shown), True, "names in upper case"))
        else:
            rows.append(Row(", ".join(f"node {s}" for s in shown), True, "'node 3' as the prompt calls nodes"))
        if "node" in problem.data["params"]:
            rows.append(Row(f"N({names.show(problem.data['params']['node'])}) = {{" + ", ".join(shown) + "}", True,
                            "written as N(v) = {...}"))
    else:
        rows += [
            Row("[]", True, "the empty list"), Row("none", True, "none"), Row("{}", True, "empty braces"),
            Row("∅", True, "the empty-set sign"), Row("There are none.", True, "a sentence saying none"),
            Row("Empty", True, "empty in words"),
        ]
    if outside:
        rows += [
            Row("[" + ", ".join(shown + names.seq(outside[:1])) + "]", False, "one extra node"),
            Row("[" + ", ".join(names.seq(sorted(G, key=str))) + "]", False, "every node of the graph"),
            Row("all nodes", False, "'all nodes' in words"),
        ]
        if gold:
            swapped = shown[:-1] + names.seq(outside[:1])
            rows.append(Row("[" + ", ".join(swapped) + "]", False, "one node swapped for an outsider"))
    reference = "[" + ", ".join(shown) + "]"
    wrong = "[" + ", ".join(names.seq(outside[:1] + gold[1:])) + "]"
    return rows + other_node_rows(problem, reference) + cheat_rows(reference, wrong, problem.prompt)


SCALAR_ROWS: dict[str, Callable[[assay.Problem, nx.Graph], list[Row]]] = {}
for _name in ["node_count", "edge_count", "degree", "triangles", "connected_components", "weakly_connected_components", "strongly_connected_components", "diameter", "radius", "wiener_index", "local_node_connectivity", "local_edge_connectivity", "max_flow_value", "chromatic_number"]:
    SCALAR_ROWS[f"graph/{_name}"] = number_rows
for _name in ["density", "jaccard", "adamic_adar", "resource_allocation", "clustering", "average_neighbour_degree", "degree_centrality", "closeness_centrality", "betweenness_centrality", "harmonic_centrality", "global_efficiency"]:
    SCALAR_ROWS[f"graph/{_name}"] = real_rows
for _name in ["edge_exists", "is_regular", "is_tournament", "has_cycle", "is_bipartite", "is_eulerian"]:
    SCALAR_ROWS[f"graph/{_name}"] = yes_no_rows
for _name in ["neighbours", "common_neighbours", "center", "periphery", "barycenter", "articulation_points"]:
    SCALAR_ROWS[f"graph/{_name}"] = node_set_rows

ROWS = {**SCALAR_ROWS, **STRUCTURE_ROWS}


# -- the tests --------------------------------------------------------------------------------


def all_rows(task_id: str) -> Iterator[tuple[assay.Problem | dict, Row]]:
    """Every row of every problem; every other problem is scored from its JSON row, as trainers do."""
    for k, problem in enumerate(problems(task_id)):
        G = truth.graph_of(problem.data["graph"])
        subject = json.loads(json.dumps(problem.to_row())) if k % 2 else problem
        for row in ROWS[task_id](problem, G):
            yield subject, row
        if k == 0:  # answers just under the size limit, against every parser once per task
            for row in near_limit_rows(problem.answer):
                yield subject, row


def near_limit_rows(reference: str) -> list[Row]:
    """Hostile answers of about 100 000 characters (the limit is 200 000): each must be refused, and
    fast; a quadratic pattern would make this test crawl."""
    return [
        Row(reference + " " + "9" * 100_000, False, "the answer, then a 100 000-digit run"),
        Row("[" + "1, " * 30_000 + "]", False, "a 30 000-item list"),
        Row(reference + " (total weight " + "1" * 100_000 + ")", False, "a stated weight of 100 000 digits"),
        Row("Answer: " * 12_000 + reference, False, "12 000 labels"),
        Row(reference + "\n" + "- " * 50_000, False, "50 000 bullet marks"),
    ]


def mismatch(subject: assay.Problem | dict, row: Row) -> str | None:
    verdict = assay.verify(subject, row.completion)
    problem = subject if isinstance(subject, assay.Problem) else assay.Problem.from_row(subject)
    ok = verdict.passed and verdict.score == 1.0 if row.expected else not verdict.passed and verdict.score == 0.0
    if ok:
        return None
    where = f"d={problem.meta['difficulty']} seed={problem.meta['seed']} {problem.data['encoding']}"
    return (
        f"{where} [{row.why}] {row.completion[:160]!r}: expected {'pass' if row.expected else 'fail'}, "
        f"got {verdict.reason} score={verdict.score}"
    )


def test_every_graph_task_has_a_table() -> None:
    assert sorted(ROWS) == sorted(TASKS)


@pytest.mark.parametrize("task_id", TASKS)
def test_adversarial_table(task_id: str) -> None:
    failures = []
    for problem, row in all_rows(task_id):
        if row.bug is not None and row.bug not in KNOWN_BUGS:
            failures.append(f"[{row.why}] is tagged {row.bug!r}, which KNOWN_BUGS does not list: it would never run")
        elif row.bug is None and (m := mismatch(problem, row)):
            failures.append(m)
    assert not failures, f"{len(failures)} wrong verdicts:\n" + "\n".join(failures[:25])


PARTIAL_TASKS = [t for t in TASKS if assay.get_task(t).partial_credit]


def _node_list_oracle(task_id: str, G: nx.Graph, params: dict[str, Any]) -> Callable[[list[Any]], bool]:
    """Whether a node list is a right answer to the task (False for every list in edge-set tasks)."""
    if task_id in SCALAR_ROWS:  # an exact node set
        wanted = truth.set_truth(task_id, G, params)
        return lambda nodes: set(nodes) == wanted
    if task_id in NP_HARD:
        return lambda nodes: truth.valid_node_set(task_id, G, nodes, {})
    return lambda nodes: False


def every_edge_right(task_id: str, G: nx.Graph) -> bool:
    """Whether listing every edge is itself a right answer (a star's edge cover, an edgeless matching...)."""
    edges = list(G.edges())
    if task_id == "graph/minimum_edge_cover":
        return truth.valid_edge_cover(G, edges)
    if task_id.endswith("matching"):
        return truth.valid_matching(G, edges, task_id == "graph/maximum_weight_matching")
    return False


@pytest.mark.parametrize("task_id", PARTIAL_TASKS)
def test_partial_credit_never_rewards_degenerate_answers(task_id: str) -> None:
    """With partial=True, every hack and every invalid answer still scores 0, a valid near miss
    scores below 1 without passing, and the reference scores 1 (DESIGN.md: partial credit is never
    reachable by a degenerate answer)."""
    task = assay.get_task(task_id)
    failures = []
    for k, encoding in enumerate(ENCODINGS[:3]):
        problem = task.generate(40 + k, difficulty=k + 2, encoding=encoding, partial=True)
        G = truth.graph_of(problem.data["graph"])
        names = truth.Names(problem.data)
        every = names.seq(sorted(G, key=str))
        edges = [(names.show(u), names.show(v)) for u, v in G.edges()]
        right = _node_list_oracle(task_id, G, problem.data["params"])
        nodes = sorted(G, key=str)
        degenerate = [
            ("[]", right([])), ("none", right([])), ("[" + ", ".join(every) + "]", right(nodes)),
            ("[" + ", ".join([every[0]] * len(every)) + "]", len(every) == 1 and right(nodes)),
            (", ".join(f"({u}, {v})" for u, v in edges), every_edge_right(task_id, G)),
            ("I don't know", False), (problem.prompt[:2000], False),
            (f"{problem.answer}\n{problem.answer}", False), (f"{problem.answer} or []", False),
        ]
        if task_id in ("graph/maximum_clique", "graph/maximum_independent_set"):
            degenerate.append((f"[{every[0]}]", right(nodes[:1])))  # the trivial answer: one node
        for text, expected_pass in degenerate:
            verdict = assay.verify(problem, f"<answer>{text}</answer>")
            if verdict.score != (1.0 if expected_pass else 0.0):
                failures.append(f"{encoding}: degenerate {text[:80]!r} scored {verdict.score} ({verdict.reason})")
        for row in ROWS[task_id](problem, G):
            verdict = assay.verify(problem, row.completion)
            if row.expected and verdict.score != 1.0:
                failures.append(f"{encoding}: [{row.why}] valid answer scored {verdict.score}")
            if not row.expected and (verdict.passed or verdict.score >= 1.0):
                failures.append(f"{encoding}: [{row.why}] wrong answer passed with score {verdict.score}")
            if not row.expected and verdict.score > 0 and verdict.reason not in ("wrong_answer", "suboptimal"):
                failures.append(f"{encoding}: [{row.why}] an {verdict.reason} answer earned {verdict.score}")
    assert not failures, "\n".join(failures[:20])


def _bug_cases() -> list[Any]:
    return [
        pytest.param(bug, marks=pytest.mark.xfail(strict=True, reason=reason), id=bug)
        for bug, (_, reason) in KNOWN_BUGS.items()
    ]


if KNOWN_BUGS:  # none open now: the four flow bugs found here were fixed (see git log)

    @pytest.mark.parametrize("bug", _bug_cases())
    def test_known_bug(bug: str) -> None:
        """Every row tagged with ``bug`` gets its expected verdict (fails while the bug is there)."""
        tagged = [(p, r) for task_id in KNOWN_BUGS[bug][0] for p, r in all_rows(task_id) if r.bug == bug]
        assert tagged, f"no row is tagged {bug}"
        failures = [m for problem, row in tagged if (m := mismatch(problem, row))]
        assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("word", ["or", "None", "and", "node", "maybe", "edges"])
def test_a_user_graph_whose_node_is_a_grammar_word_is_refused(word: str) -> None:
    """A node called "or" or "none" could never be named in an answer ("[a, or]" is a hedge, "none"
    the empty list), so the reference itself would fail: such a graph is refused up front."""
    graph = nx.Graph([("a", "b"), ("b", word), (word, "c")])
    with pytest.raises(ConfigError, match="grammar"):
        assay.get_task("graph/bridges").generate(1, graph=graph)
    renamed = nx.relabel_nodes(graph, {word: f"{word}1"})
    problem = assay.get_task("graph/bridges").generate(1, graph=renamed)
    assert assay.verify(problem, f"<answer>{problem.answer}</answer>").passed


@pytest.mark.parametrize("task_id", ["graph/bridges", "graph/neighbours", "graph/k_coloring", "graph/shortest_path"])
def test_a_user_graph_with_accented_names_is_answerable(task_id: str) -> None:
    """A real-world graph's names may have accents ("Zoë", "Élodie"): its reference, and the names in
    another case, pass; a Cyrillic look-alike letter does not name the node."""
    graph = nx.Graph([("a", "Zoë"), ("Zoë", "b"), ("b", "Élodie"), ("Élodie", "a2")])
    problem = assay.get_task(task_id).generate(1, graph=graph)
    assert assay.verify(problem, f"<answer>{problem.answer}</answer>").passed
    assert assay.verify(problem, f"<answer>{problem.answer.replace('Zoë', 'ZOË')}</answer>").passed
    if "Zoë" in problem.answer:
        cyrillic = problem.answer.replace("Zoë", "Zоë")  # a Cyrillic о
        assert not assay.verify(problem, f"<answer>{cyrillic}</answer>").passed

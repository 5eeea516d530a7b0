"""Real answers of graph tasks are judged by the rule the prompt states ("rounded to 3 decimal
places", an exact fraction also accepted): a value within half a unit of the third decimal of the
exact value passes (bounds included), nothing wider. Truncation passes only where it equals rounding.

One fixed graph, the exact values worked out by hand (and checked against the stored gold below):
a triangle 0-1-2, a square 1-2-3-5, a tail 3-4 and a leaf 6 on node 2.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest

import assay

G = nx.Graph([(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (1, 5), (5, 3), (2, 6)])

# task, params, exact value (by hand), rows of (answer, passes, why)
TABLE: list[tuple[str, dict, Fraction | float, list[tuple[str, bool, str]]]] = [
    ("graph/density", {}, Fraction(8, 21), [  # 8 edges of 21 pairs = 0.380952...
        ("0.381", True, "correctly rounded"),
        ("0.38095", True, "more digits of the exact value"),
        ("8/21", True, "the exact fraction"),
        ("16/42", True, "an unreduced fraction"),
        ("0.382", False, "wrong last digit (up)"),
        ("0.380", False, "wrong last digit (down), also the truncation"),
        ("0.38145", True, "0.000498 off: inside half a unit"),
        ("0.38146", False, "0.000508 off: just outside half a unit"),
    ]),
    ("graph/jaccard", {"u": 0, "v": 3}, Fraction(1, 4), [  # N(0) = {1, 2}, N(3) = {2, 4, 5}: 1 of 4
        ("0.25", True, "the exact decimal"),
        ("0.250", True, "3 places"),
        ("1/4", True, "the exact fraction"),
        ("0.251", False, "wrong last digit: 0.251 was accepted within 1e-3 before"),
        ("0.249", False, "wrong last digit (down)"),
        ("0.2505", True, "exactly half a unit off: the bound is included"),
        ("0.25051", False, "just outside half a unit"),
    ]),
    ("graph/resource_allocation", {"u": 0, "v": 3}, Fraction(1, 4), [  # common neighbour 2, degree 4
        ("0.250", True, "correctly rounded"),
        ("0.2500000", True, "more digits"),
        ("0.2495", True, "exactly half a unit below"),
        ("0.24949", False, "just outside half a unit below"),
        ("0.252", False, "wrong last digit"),
    ]),
    ("graph/adamic_adar", {"u": 0, "v": 3}, 0.7213475204444817, [  # 1 / ln 4 (irrational)
        ("0.721", True, "correctly rounded"),
        ("0.72135", True, "more digits"),
        ("0.722", False, "wrong last digit (up)"),
        ("0.720", False, "wrong last digit (down)"),
        ("0.72184", True, "0.000493 off"),
        ("0.72185", False, "0.000503 off: just outside half a unit"),
    ]),
    ("graph/clustering", {"node": 2}, Fraction(1, 6), [  # neighbours 0, 1, 3, 6: one link (0-1) of 6
        ("0.167", True, "correctly rounded"),
        ("0.16667", True, "more digits"),
        ("1/6", True, "the exact fraction"),
        ("0.166", False, "truncated: the prompt asks for rounding, and 0.166 is 0.00067 off"),
        ("0.168", False, "wrong last digit"),
        ("0.16716", True, "0.000493 off"),
        ("0.16717", False, "0.000503 off: just outside half a unit"),
    ]),
    ("graph/average_neighbour_degree", {"node": 0}, Fraction(7, 2), [  # neighbours 1 (degree 3), 2 (degree 4)
        ("3.5", True, "the exact decimal"),
        ("3.500", True, "3 places"),
        ("7/2", True, "the exact fraction"),
        ("3.501", False, "wrong last digit"),
        ("3.499", False, "wrong last digit (down)"),
        ("3.5005", True, "exactly half a unit off"),
        ("3.50051", False, "just outside half a unit"),
        ("3.49949", False, "just outside half a unit (down)"),
    ]),
    ("graph/degree_centrality", {"node": 2}, Fraction(2, 3), [  # degree 4 of 6 others
        ("0.667", True, "correctly rounded"),
        ("0.6667", True, "more digits"),
        ("2/3", True, "the exact fraction"),
        ("0.666", False, "truncated, 0.00067 off: the prompt asks for rounding"),
        ("0.668", False, "wrong last digit"),
        ("0.66716", True, "0.000493 off"),
        ("0.66717", False, "0.000503 off: just outside half a unit"),
    ]),
    ("graph/closeness_centrality", {"node": 4}, Fraction(3, 7), [  # distances 1, 2, 2, 3, 3, 3: 6 / 14
        ("0.429", True, "correctly rounded"),
        ("0.42857", True, "more digits"),
        ("3/7", True, "the exact fraction"),
        ("0.428", False, "truncated, 0.00057 off"),
        ("0.430", False, "wrong last digit"),
        ("0.42808", True, "0.000491 off"),
        ("0.42806", False, "0.000511 off: just outside half a unit"),
    ]),
    ("graph/harmonic_centrality", {"node": 4}, Fraction(3), [  # 1 + 1/2 + 1/2 + 3 * 1/3
        ("3", True, "the integer"),
        ("3.000", True, "3 places"),
        ("3.001", False, "wrong last digit"),
        ("2.999", False, "wrong last digit (down)"),
        ("3.0005", True, "exactly half a unit off"),
        ("3.00051", False, "just outside half a unit"),
        ("2.99949", False, "just outside half a unit (down)"),
    ]),
    ("graph/betweenness_centrality", {"node": 2}, Fraction(8, 15), [
        ("0.533", True, "correctly rounded"),
        ("0.53333", True, "more digits"),
        ("8/15", True, "the exact fraction"),
        ("0.534", False, "wrong last digit"),
        ("0.532", False, "wrong last digit (down)"),
        ("0.53383", True, "0.000497 off"),
        ("0.53384", False, "0.000507 off: just outside half a unit"),
    ]),
    ("graph/global_efficiency", {}, Fraction(83, 126), [  # 0.658730...
        ("0.659", True, "correctly rounded"),
        ("0.65873", True, "more digits"),
        ("83/126", True, "the exact fraction"),
        ("0.658", False, "truncated, 0.00073 off"),
        ("0.660", False, "wrong last digit"),
        ("0.65923", True, "0.0004998 off"),
        ("0.65924", False, "0.0005098 off: just outside half a unit"),
    ]),
]

ROWS = [(task, params, exact, *row) for task, params, exact, rows in TABLE for row in rows]


@pytest.fixture(scope="module")
def problems() -> dict[str, assay.Problem]:
    made = {}
    for task_id, params, exact, _ in TABLE:
        problem = assay.get_task(task_id).generate(0, graph=G, encoding="edge_list", **({"params": params} if params else {}))
        gold = problem.data["gold"]
        if isinstance(exact, Fraction):
            assert Fraction(gold["exact"]) == exact, task_id
        else:
            assert gold["value"] == pytest.approx(exact, abs=1e-11), task_id
        assert "rounded to 3 decimal places" in problem.prompt, task_id
        made[task_id] = problem
    return made


@pytest.mark.parametrize(("task_id", "params", "exact", "answer", "passes", "why"), ROWS)
def test_rounding_rule(problems: dict[str, assay.Problem], task_id: str, params: dict, exact: object, answer: str, passes: bool, why: str) -> None:
    verdict = assay.verify(problems[task_id], f"<answer>{answer}</answer>")
    assert verdict.passed is passes, f"{task_id} {answer}: {why} -> {verdict}"


@pytest.mark.parametrize(
    ("answer", "passes", "why"),
    [
        ("0.0625", True, "the exact decimal"),
        ("1/16", True, "the exact fraction"),
        ("0.063", True, "a tie, rounded half up"),
        ("0.062", True, "a tie, rounded half to even: both are correct roundings"),
        ("0.061", False, "wrong last digit"),
        ("0.064", False, "wrong last digit"),
    ],
)
def test_a_tie_accepts_both_roundings(answer: str, passes: bool, why: str) -> None:
    task = assay.get_task("graph/degree_centrality")
    problem = task.generate(0, graph=nx.path_graph(17), params={"node": 0}, encoding="edge_list")  # 1 / 16
    assert problem.data["gold"]["exact"] == "1/16"
    assert assay.verify(problem, f"<answer>{answer}</answer>").passed is passes, why

"""graph/maximum_flow and graph/max_flow_value: feasibility, value, the answer grammar."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest

import assay
from assay.generators.graph.flows import parse_flow
from assay.verifiers.graph import NodeNames, graph_from_payload

TASKS = ["graph/maximum_flow", "graph/max_flow_value"]


def _outcome(task, problem, text: str) -> str:
    verdict = task.check(problem, f"<answer>{text}</answer>")
    return "correct" if verdict.passed else verdict.detail.get("violation", verdict.reason)


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id: str, audit) -> None:
    assert audit(task_id, seeds=range(4)) == []


def test_value_matches_networkx() -> None:
    for difficulty in range(1, 6):
        for problem in assay.generate("graph/maximum_flow", 4, seed=9, difficulty=difficulty):
            graph = graph_from_payload(problem.data)
            params = problem.data["params"]
            value = nx.maximum_flow_value(graph, params["source"], params["sink"], capacity="weight")
            assert problem.data["gold"]["optimum"] == value > 0


def _network() -> nx.DiGraph:
    # s -> a -> t and s -> a -> b -> t share s -> a: any split of its 2 units is maximum
    graph = nx.DiGraph()
    graph.add_weighted_edges_from([("s", "a", 2), ("a", "t", 2), ("a", "b", 2), ("b", "t", 2), ("s", "b", 1)])
    return graph


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "correct", "one maximum flow"),
        ("value: 3\n(s, a, 2), (a, t, 1), (a, b, 1), (s, b, 1), (b, t, 2)", "correct", "another split"),
        ("value: 3\n(s, a, 2), (a, t, 1.5), (a, b, 0.5), (s, b, 1), (b, t, 1.5)", "correct", "fractional split"),
        ("value: 3\ns -> a: 2\na -> t: 2\ns -> b: 1\nb -> t: 1", "correct", "arrow lines"),
        ("Value = 3\n[(s, a, 2); (a, t, 2); (s, b, 1); (b, t, 1)]", "correct", "brackets and semicolons"),
        ("value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1), (a, b, 0)", "correct", "a zero arc listed"),
        ("value: 2\n(s, a, 2), (a, t, 2)", "suboptimal", "feasible, not maximum"),
        ("value: 4\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "wrong_value", "stated value is wrong"),
        ("value: 3\n(s, a, 2), (a, t, 2), (s, b, 1)", "conservation", "b keeps its unit"),
        ("value: 4\n(s, a, 3), (a, t, 3), (s, b, 1), (b, t, 1)", "over_capacity", "s->a over capacity"),
        ("value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1), (s, b, 1)", "repeated_edge", "an arc twice"),
        ("value: 3\n(s, t, 3)", "non_edge", "no such arc"),
        ("value: 3\n(a, s, 2), (t, a, 2), (b, s, 1), (t, b, 1)", "non_edge", "arcs reversed"),
        ("value: 3", "wrong_value", "the right value and no flow"),
        ("value: 0", "suboptimal", "the zero flow"),
        ("(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "unparseable", "no value line"),
        ("value: 3 or 4\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "unparseable", "hedged value"),
        ("value: 3\n(s, a, 2) or (a, t, 2)", "unparseable", "hedged arcs"),
        ("Final answer: value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "correct", "a label before the value line"),
        ("Final answer:\nvalue: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "correct", "a label on its own line"),
        ("The answer is value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1).", "correct", "a sentence label"),
        ("Maybe: value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "unparseable", "a hedge as the label"),
        ("Answer: value: 4\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "wrong_value", "a label does not hide a wrong value"),
        ("value: 3 units\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "correct", "the value with its unit"),
        ("value: 3\nFlows: (s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "correct", "a label before the arcs"),
        ("value: 3\nMaybe: (s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)", "unparseable", "a hedge as the arcs' label"),
        ("(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)\nvalue: 3", "correct", "the value line last"),
        ("(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)\nvalue: 4", "wrong_value", "the value line last, wrong"),
        ("value: 3\n(s, a, 2), (a, t, 2), (s, b, 1), (b, t, 1)\nvalue: 3", "unparseable", "the value line first and last"),
    ],
)
def test_maximum_flow_table(text: str, expected: str, why: str) -> None:
    task = assay.get_task("graph/maximum_flow")
    problem = task.generate(0, graph=_network(), params={"source": "s", "sink": "t"}, weighted=True, encoding="edge_list")
    assert problem.data["gold"]["optimum"] == 3
    assert _outcome(task, problem, text) == expected, why


def test_parse_flow_grammar() -> None:
    names = NodeNames([0, 1, 2], ["Ann", "Bo", "Cy"])
    assert parse_flow("value: 1\n(ann, Bo, 1/2), (Bo, Cy, 0.5)", names) == (
        Fraction(1),
        [(0, 1, Fraction(1, 2)), (1, 2, Fraction(1, 2))],
    )
    assert parse_flow("maximum flow value is 2\nAnn -> Bo: 2", names) == (Fraction(2), [(0, 1, Fraction(2))])
    for junk in ("value: x\n(0, 1, 1)", "value: 1\n(0, 1)", "value: 1\n(0, 1, 1) (0, 1", "value: 1\n(Zed, 1, 1)", "flow 1"):
        assert parse_flow(junk, names) is None, junk


def test_max_flow_value_is_a_number_task() -> None:
    task = assay.get_task("graph/max_flow_value")
    problem = task.generate(0, graph=_network(), params={"source": "s", "sink": "t"}, weighted=True)
    assert problem.answer == "3"
    assert task.check(problem, "<answer>3</answer>").passed
    assert not task.check(problem, "<answer>2</answer>").passed


def test_degenerate_user_params_are_refused() -> None:
    task = assay.get_task("graph/maximum_flow")
    with pytest.raises(assay.errors.ConfigError, match="cannot be reached"):
        task.generate(0, graph=_network(), params={"source": "t", "sink": "s"}, weighted=True)
    with pytest.raises(assay.errors.ConfigError, match="differ"):
        task.generate(0, graph=_network(), params={"source": "s", "sink": "s"}, weighted=True)

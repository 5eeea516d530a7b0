"""graph/maximum_flow and graph/max_flow_value: a maximum flow between two nodes of a network
whose edge weights are capacities; the flow is checked for feasibility and its value for optimality.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.errors import ConfigError
from assay.generators.graph.answers import NumberTask
from assay.generators.graph.base import SIZE_LEVELS, GraphConfig, GraphTask, node_phrase
from assay.generators.graph.structure import StructureTask
from assay.registry import Probe, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import MAX_ITEMS, NodeNames, clean, node_sort_key, strip_label
from assay.verifiers.graph import checks as graph_checks
from assay.verifiers.numbers import format_number, parse_number

FLOW_LEVELS = {
    level: replace(c, directed=True, weighted=True, max_weight=min(c.max_weight, 20))
    for level, c in SIZE_LEVELS.items()
}
FLOW_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "dag", "grid")

# "value: 5", "max flow value = 5", "Maximum flow: 5", "The maximum flow value is 5.", "Total flow: 5"
_VALUE_LINE = re.compile(
    r"^(?:the\s+)?(?:(?:maximum|max|total)\s+)?(?:flow\s+value|flow|value)\s*(?::|=|is)\s*(?P<value>[^\s;,]+?)(?:\s+units?)?\s*[.;,]?$",
    re.IGNORECASE,
)
_TUPLE = re.compile(r"\(([^()]*)\)")
_ARROW_ITEM = re.compile(r"^(?P<u>[^\s:=>-]+)\s*(?:->|→)\s*(?P<v>[^\s:=>-]+)\s*(?::|=)\s*(?P<f>\S+)$")


def parse_flow(text: str, names: NodeNames) -> tuple[Fraction, list[tuple[Any, Any, Fraction]]] | None:
    """``value: V`` on the first line, then the arcs that carry flow as ``(u, v, f)`` triples
    (separated by commas, semicolons or new lines, optionally in one pair of brackets) or as
    ``u -> v: f`` items; None for anything else.

    >>> parse_flow("value: 3\\n(0, 1, 3), (1, 2, 3)", NodeNames([0, 1, 2]))
    (Fraction(3, 1), [(0, 1, Fraction(3, 1)), (1, 2, Fraction(3, 1))])
    >>> parse_flow("value: 3\\n0 -> 1: 3; 1 -> 2: 3", NodeNames([0, 1, 2]))[1][1]
    (1, 2, Fraction(3, 1))
    >>> parse_flow("value: 3 or 4\\n(0, 1, 3)", NodeNames([0, 1])) is None
    True
    >>> parse_flow("Final answer: value: 3\\n(0, 1, 3)", NodeNames([0, 1]))[0]
    Fraction(3, 1)
    >>> parse_flow("Flows: (0, 1, 3)\\nvalue: 3 units", NodeNames([0, 1]))
    (Fraction(3, 1), [(0, 1, Fraction(3, 1))])
    """
    cleaned = clean(text)
    if cleaned is None or any(c.isdigit() and not c.isascii() for c in cleaned):
        return None  # full-width or other non-ASCII digits are no digits of the grammar
    text = cleaned
    lines = text.split("\n")
    if len(lines) > 1 and not _VALUE_LINE.match(lines[0].strip()) and _VALUE_LINE.match(lines[-1].strip()):
        text = "\n".join(lines[-1:] + lines[:-1])  # the value line last, after the arcs
    head, _, rest = text.partition("\n")
    match = _VALUE_LINE.match(head.strip())
    for _ in range(2):  # "Final answer: value: 5", "Answer:\nvalue: 5": up to two labels before the value line
        unlabelled = None if match else strip_label(text, names)
        if unlabelled is None:
            break
        text = unlabelled
        head, _, rest = text.partition("\n")
        match = _VALUE_LINE.match(head.strip())
    value = parse_number(match.group("value")) if match else None
    if value is None:
        return None
    rest = rest.strip()
    if rest and rest[0].isalpha() and ":" in rest[:40]:
        rest = strip_label(rest, names) or rest  # "Flows: (0, 1, 3), ..."
    if rest[:1] == "[" and rest[-1:] == "]":
        rest = rest[1:-1].strip()
    raw: list[tuple[str, str, str]] = []
    if "(" in rest:
        position = 0
        for found in _TUPLE.finditer(rest):
            if rest[position : found.start()].strip(" \t\n,;"):
                return None
            parts = [part.strip() for part in found.group(1).split(",")]
            if len(parts) != 3:
                return None
            raw.append((parts[0], parts[1], parts[2]))
            position = found.end()
            if len(raw) > MAX_ITEMS:
                return None
        if rest[position:].strip(" \t\n,;"):
            return None
    elif rest:
        for item in re.split(r"\s*[,;\n]\s*", rest):
            if not item:
                continue
            arrow = _ARROW_ITEM.match(item)
            if not arrow:
                return None
            raw.append((arrow.group("u"), arrow.group("v"), arrow.group("f")))
            if len(raw) > MAX_ITEMS:
                return None
    arcs = []
    for u_text, v_text, amount_text in raw:
        u, v, amount = names.resolve(u_text), names.resolve(v_text), parse_number(amount_text)
        if u is None or v is None or amount is None:
            return None
        arcs.append((u, v, amount))
    return value, arcs


class _FlowTask:
    """Shared generation: a network with a source and a sink that the source can reach."""

    def accept_graph(self, graph: nx.Graph) -> None:
        if any(w < 0 for *_, w in graph.edges(data="weight", default=1)):
            raise ConfigError("graph", "capacities (edge weights) must be non-negative", graph.number_of_edges())

    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        nodes = sorted(graph, key=node_sort_key)
        pairs = []
        depth = {}  # hops from source to sink: one breadth-first search per source gives them all
        for source in nodes:
            hops = nx.single_source_shortest_path_length(graph, source)
            for sink in nodes:
                if sink in hops and sink != source:
                    pairs.append((source, sink))
                    depth[(source, sink)] = hops[sink]
        if not pairs:
            raise ConfigError("graph", "no node reaches another: no flow to ask about", graph.number_of_edges())
        # prefer far pairs, whose flows use more of the network
        longest = max(depth.values())
        far = [pair for pair in pairs if depth[pair] >= min(longest, 3)]
        source, sink = rng.choice(far)
        return {"source": source, "sink": sink}

    def max_flow(self, graph: nx.Graph, params: Mapping[str, Any]) -> tuple[int, list[list[Any]]]:
        if params["source"] == params["sink"]:
            raise ConfigError("params", "source and sink must differ", dict(params))
        if not nx.has_path(graph, params["source"], params["sink"]):
            raise ConfigError("params", "the sink cannot be reached from the source: the maximum flow is 0", dict(params))
        value, flow = nx.maximum_flow(graph, params["source"], params["sink"], capacity="weight")
        arcs = [
            [u, v, flow[u][v]]
            for u in sorted(flow, key=node_sort_key)
            for v in sorted(flow[u], key=node_sort_key)
            if flow[u][v] > 0
        ]
        return value, arcs


def _network_text(graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> tuple[str, str]:
    return node_phrase(names, params["source"], encoding), node_phrase(names, params["sink"], encoding)


@register_task
class MaximumFlow(_FlowTask, StructureTask):
    id = "graph/maximum_flow"
    description = (
        "Give a maximum flow from a source to a sink in a network whose edge weights are capacities: its value "
        "and the flow on each edge; any maximum flow passes."
    )
    kind = "flow"
    levels = FLOW_LEVELS
    directions = (True,)
    weightings = (True,)
    models = FLOW_MODELS
    connected = True
    node_params = ("source", "sink")
    answer_format = "a first line 'value: V', then the edges that carry flow as (u, v, f) triples, e.g. (0, 1, 3), (1, 4, 2)"
    verification = (
        "Every listed arc must exist and be listed once, carry 0 <= f <= its capacity, and every node other than "
        "the source and sink must pass on exactly what it receives (unlisted arcs carry 0); the source's net "
        "outflow must equal the stated value and the maximum computed by networkx. Amounts may be fractions and "
        "compare exactly (capacities are integers), so no tolerance can be exploited."
    )
    limitations = ("Flow on an arc against its direction is not allowed (each arc is one-way).",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        value, arcs = self.max_flow(graph, params)
        return {"answer": arcs, "optimum": value}

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        source, sink = _network_text(graph, params, names, encoding)
        return (
            f"Treat the number given with each one-way edge (its weight) as its capacity. Find a maximum flow from {source} to "
            f"{sink}: the amount on each edge is between 0 and its capacity, every other node passes on exactly what "
            "it receives, and the total leaving the source (the flow value) is as large as possible. Any maximum flow "
            "is accepted. On the first line write 'value: V' with the flow value; then list every edge that carries "
            "flow as (u, v, f), meaning f units from u to v, for example:\nvalue: 5\n(0, 1, 3), (0, 2, 2), (1, 4, 3), (2, 4, 2)"
        )

    def parse(self, text: str, names: NodeNames) -> Any:
        return parse_flow(text, names)

    def render(self, structure: Any, names: NodeNames, style: int = 0) -> str:
        value, arcs = structure
        show = names.show
        head = ["value: ", "Value = ", "max flow value: ", "value: "][style % 4] + format_number(Fraction(value))
        triples = [(show(u), show(v), format_number(Fraction(f))) for u, v, f in arcs]
        if style % 4 == 1:
            body = "\n".join(f"{u} -> {v}: {f}" for u, v, f in triples)
        else:
            separator = [", ", "", "; ", "\n"][style % 4]
            body = separator.join(f"({u}, {v}, {f})" for u, v, f in triples)
            if style % 4 == 2:
                body = f"[{body}]"
        return f"{head}\n{body}"

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return self.render((gold["optimum"], gold["answer"]), names)

    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        stated, arcs = answer
        params, optimum = problem.data["params"], problem.data["gold"]["optimum"]
        capacities = nx.DiGraph()
        capacities.add_nodes_from(graph)
        for u, v, data in graph.edges(data=True):
            capacities.add_edge(u, v, capacity=data.get("weight", 1))
        verdict = graph_checks.check_flow(capacities, arcs, params["source"], params["sink"])
        if verdict.reason == "invalid":
            return verdict
        # the value of the flow given, exactly (amounts parse as Fractions)
        source = params["source"]
        value = sum((f for u, _, f in arcs if u == source), Fraction(0)) - sum((f for _, v, f in arcs if v == source), Fraction(0))
        if not graph_checks.close_values(stated, value):
            return Verdict.fail(
                "invalid", violation="wrong_value",
                message=f"the stated value {format_number(stated)[:40]} is not the value {format_number(value)[:40]} of the flow given",
            )
        return graph_checks.check_flow(capacities, arcs, params["source"], params["sink"], optimum=optimum)

    def probes(self, problem: Problem) -> list[Probe]:
        names = self.names_of(problem)
        graph = self.graph_of(problem)
        gold = problem.data["gold"]
        arcs, optimum = gold["answer"], gold["optimum"]
        show = names.show
        body = ", ".join(f"({show(u)}, {show(v)}, {f})" for u, v, f in arcs)
        probes = GraphTask.probes(self, problem)
        for style in range(1, 4):
            probes.append(Probe(wrap(self.render((optimum, arcs), names, style)), True, f"reference in syntax {style}"))
        for arcs_other, why in self.alternatives(problem, graph):
            probes.append(Probe(wrap(self.render((optimum, arcs_other), names)), True, why))
        probes += [
            Probe(wrap(f"value: {optimum}.0\n{body}"), True, "the value as a decimal"),
            Probe(wrap(f"value: {optimum + 1}\n{body}"), False, "the stated value disagrees with the flow"),
            Probe(wrap(f"value: {optimum}"), False, "the value without a flow"),
            Probe(wrap(body), False, "the flow without the value line"),
            Probe(wrap(f"value: {optimum} or {optimum + 1}\n{body}"), False, "a hedged value"),
            Probe(wrap(f"value: {optimum}\n{body}\n{body}"), False, "the arcs listed twice"),
            Probe(wrap(f"value: {optimum}\nvalue: {optimum}\n{body}"), False, "the value line twice"),
            Probe(wrap("value: 0\n"), False, "the empty flow"),
        ]
        if arcs:
            zero = [
                [u, v, 0]
                for u, v in sorted(graph.edges(), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
                if not any(a[0] == u and a[1] == v for a in arcs)
            ][:2]
            if zero:
                probes.append(Probe(wrap(self.render((optimum, arcs + zero), names)), True, "arcs with zero flow listed too"))
            halved = [[u, v, Fraction(f, 2)] for u, v, f in arcs]
            probes.append(Probe(wrap(self.render((Fraction(optimum, 2), halved), names)), False, "half a maximum flow: feasible, not maximum"))
            u, v, f = arcs[0]
            probes.append(Probe(wrap(self.render((optimum, [[u, v, f + 1]] + arcs[1:]), names)), False, "one arc carries one unit too many"))
            probes.append(Probe(wrap(self.render((optimum, [[v, u, f] for u, v, f in arcs]), names)), False, "every arc reversed"))
            if len(arcs) > 1:
                probes.append(Probe(wrap(self.render((optimum, arcs[:-1]), names)), False, "an arc's flow dropped: conservation broken"))
            probes.append(Probe(wrap(self.render((optimum, arcs + arcs[:1]), names)), False, "an arc listed twice"))
        return probes

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        params = problem.data["params"]
        found = []
        for algorithm in (nx.algorithms.flow.preflow_push, nx.algorithms.flow.shortest_augmenting_path):
            _, flow = nx.maximum_flow(graph, params["source"], params["sink"], capacity="weight", flow_func=algorithm)
            arcs = [[u, v, flow[u][v]] for u in sorted(flow, key=node_sort_key) for v in sorted(flow[u], key=node_sort_key) if flow[u][v] > 0]
            if arcs != problem.data["gold"]["answer"]:
                found.append((arcs, f"another maximum flow ({algorithm.__name__})"))
        return found[:1]


@register_task
class MaxFlowValue(_FlowTask, NumberTask):
    id = "graph/max_flow_value"
    units = frozenset("unit units".split())
    description = "The value of a maximum flow from a source to a sink in a network whose edge weights are capacities."
    levels = FLOW_LEVELS
    directions = (True,)
    weightings = (True,)
    models = FLOW_MODELS
    connected = True
    node_params = ("source", "sink")
    answer_format = "a single integer"
    verification = "Exact comparison with networkx's maximum_flow_value (capacity = edge weight)."
    limitations = ("Capacities are integers, so the value is an integer.",)

    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> str:
        return str(self.max_flow(graph, params)[0])

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        source, sink = _network_text(graph, params, names, encoding)
        return (
            f"Treat the number given with each one-way edge (its weight) as its capacity. What is the value of a maximum flow from "
            f"{source} to {sink}? {self.number_hint}"
        )

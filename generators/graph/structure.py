"""StructureTask: the base of graph tasks whose answer is a structure (a path, an order, a tree,
a set, a colouring, a mapping) checked for validity and optimality by ``verifiers.graph_checks``.

A subclass writes ``solve`` (gold = {"answer": the reference structure, ...}), ``question``,
``validate(problem, graph, answer) -> Verdict`` and optionally ``alternatives`` (other valid
answers: audit probes that must pass) and ``near_misses`` (almost-right answers that must fail).
The base parses the answer by ``kind``, renders structures in shown names, and adds the hacks
every structure task must refuse (empty, every node, a repeated item, the answer twice, hedged).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import networkx as nx

from assay.generators.graph.base import GraphTask
from assay.registry import Probe, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import NodeNames, node_sort_key, parse_edge_list, parse_mapping, parse_node_list

# kind -> how the answer is written
KINDS = ("sequence", "set", "edges", "mapping")

# Partial credit for optimisation tasks ("approximation"): a valid but suboptimal answer earns
# APPROXIMATION_CAP * (the share of the gap between the trivial answer and the optimum that it
# closes). The trivial answer (one node, every node, one edge...) so earns 0, and no suboptimal
# answer earns more than the cap.
APPROXIMATION_CAP = 0.5
APPROXIMATION_TEXT = (
    f"valid but suboptimal answers earn {APPROXIMATION_CAP} * (value - trivial) / (optimum - trivial), where "
    "trivial is the objective of the degenerate valid answer ({trivial}); invalid answers earn 0 (off unless "
    "partial=True)"
)


def approximation_credit(value: float, optimum: float, trivial: float) -> float:
    """The approximation component: 0 at (or beyond) the trivial value, APPROXIMATION_CAP just
    short of the optimum, linear in between.

    >>> approximation_credit(3, 5, 1), approximation_credit(1, 5, 1), approximation_credit(6, 4, 8)
    (0.25, 0.0, 0.25)
    """
    if optimum == trivial:
        return 0.0
    share = (value - trivial) / (optimum - trivial)
    return APPROXIMATION_CAP * min(max(share, 0.0), 1.0) if share < 1 else 0.0


class StructureTask(GraphTask):
    """A graph task answered by a structure; see the module docstring."""

    kind: ClassVar[str] = "sequence"
    format_hint: ClassVar[str] = ""
    can_be_empty: ClassVar[bool] = False  # the right answer may be the empty structure

    # -- to implement -------------------------------------------------------------------------
    def validate(self, problem: Problem, graph: nx.Graph, answer: Any) -> Verdict:
        raise NotImplementedError

    def alternatives(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        """Other valid answers (structures in node ids) with why they are valid."""
        return []

    def near_misses(self, problem: Problem, graph: nx.Graph) -> list[tuple[Any, str]]:
        """Almost-right answers (structures in node ids) that must fail, with why."""
        return []

    def trivial_value(self, problem: Problem, graph: nx.Graph) -> float | None:
        """The objective of the degenerate valid answer (for the approximation component)."""
        return None

    # -- parsing and rendering ----------------------------------------------------------------
    def parse(self, text: str, names: NodeNames) -> Any:
        if self.kind in ("sequence", "set"):
            return parse_node_list(text, names)
        if self.kind == "edges":
            return parse_edge_list(text, names, weights=True in self.weightings)
        if self.kind == "mapping":
            return parse_mapping(text, names)
        raise ValueError(f"unknown answer kind {self.kind!r}")

    def render(self, structure: Any, names: NodeNames, style: int = 0) -> str:
        """A structure in shown names; ``style`` picks one of the accepted syntaxes (0: canonical)."""
        show = names.show
        if self.kind in ("sequence", "set"):
            items = [show(n) for n in structure]
            if not items:
                return ["[]", "none", "{}", "[]"][style % 4]
            return [
                "[" + ", ".join(items) + "]",
                (" -> " if self.kind == "sequence" else ", ").join(items),
                " ".join(items),
                "{" + ", ".join(items) + "}" if self.kind == "set" else ",".join(items),
            ][style % 4]
        if self.kind == "edges":
            pairs = [(show(u), show(v)) for u, v in structure]
            if not pairs:
                return ["none", "[]", "None.", "no edges"][style % 4]
            return [
                ", ".join(f"({u}, {v})" for u, v in pairs),
                "[" + ", ".join(f"[{u}, {v}]" for u, v in pairs) + "]",
                ", ".join(f"{u}-{v}" for u, v in pairs),
                "\n".join(f"{u} {v}" for u, v in pairs),
            ][style % 4]
        if self.kind == "mapping":
            pairs = [(show(k), self.show_value(v, names)) for k, v in structure]
            return [
                "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}",
                "\n".join(f"{k}: {v}" for k, v in pairs),
                ", ".join(f"{k} = {v}" for k, v in pairs),
                "\n".join(f"{k} -> {v}" for k, v in pairs),
            ][style % 4]
        raise ValueError(f"unknown answer kind {self.kind!r}")

    def show_value(self, value: Any, names: NodeNames) -> str:
        """How a mapping value is written (default: as is)."""
        return str(value)

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return self.render(gold["answer"], names)

    # -- judging ------------------------------------------------------------------------------
    def judge(self, problem: Problem, text: str) -> Verdict:
        answer = self.parse(text, self.names_of(problem))
        if answer is None:
            return Verdict.fail("unparseable", message=f"not {self.answer_format}: {text[:200]!r}")
        graph = self.graph_of(problem)
        verdict = self.validate(problem, graph, answer)
        if verdict.reason == "suboptimal" and problem.data.get("partial"):
            trivial = self.trivial_value(problem, graph)
            if trivial is not None:
                credit = approximation_credit(verdict.detail["value"], verdict.detail["optimum"], trivial)
                return Verdict.fail("suboptimal", score=credit, approximation=credit, **verdict.detail)
        return verdict

    # -- audit probes -------------------------------------------------------------------------
    def probes(self, problem: Problem) -> list[Probe]:
        names = self.names_of(problem)
        graph = self.graph_of(problem)
        gold = problem.data["gold"]["answer"]
        partial = APPROXIMATION_CAP if problem.data.get("partial") and self.partial_credit else 0.0
        probes = super().probes(problem)
        for style in range(1, 4):
            probes.append(Probe(wrap(self.render(gold, names, style)), True, f"reference in syntax {style}"))
        if names.named and gold:
            probes.append(Probe(wrap(self.render(gold, names).lower()), True, "names in lower case"))
        alternatives = self.alternatives(problem, graph)
        for structure, why in alternatives:
            probes.append(Probe(wrap(self.render(structure, names)), True, f"alternative valid answer: {why}"))
        misses = self.near_misses(problem, graph)
        for structure, why in misses:
            probes.append(Probe(wrap(self.render(structure, names)), False, f"near miss: {why}", partial))
        every = list(problem.data["graph"]["nodes"])
        if not self.can_be_empty and gold:
            probes.append(Probe(wrap("[]"), False, "empty list", partial))
            probes.append(Probe(wrap("none"), False, "none"))
        if gold:
            probes.append(Probe(wrap(self.render(list(gold) + [gold[-1]], names)), False, "the last item repeated"))
            probes.append(Probe(wrap(self.render(gold, names) + "\n" + self.render(gold, names)), False, "the answer listed twice"))
            other = misses[0][0] if misses else (alternatives[0][0] if alternatives else None)
            if other is not None:
                probes.append(
                    Probe(wrap(f"{self.render(gold, names)} or {self.render(other, names)}"), False, "hedged between two answers")
                )
            probes.append(Probe(wrap(f"either {self.render(gold, names)}"), False, "a hedge word in front"))
        if self.kind in ("sequence", "set") and sorted(map(str, gold)) != sorted(map(str, every)):
            # every node in label order can be a valid path or cycle by chance (label order is
            # random in generated graphs, not in a user's): then it is no hack
            if self.kind == "set" or not self.validate(problem, graph, every).passed:
                probes.append(Probe(wrap(names.show_list(every)), False, "every node of the graph", partial))
        if self.kind in ("sequence", "set"):
            shown = [names.show(n) for n in gold]
            probes.append(Probe(wrap("[" + ", ".join(shown + ["Nobody123"]) + "]"), False, "an unknown name"))
            numbers = [n for n in every if isinstance(n, int)]
            if numbers:
                probes.append(Probe(wrap("[" + ", ".join(shown + [str(max(numbers) + 1)]) + "]"), False, "an unknown node id"))
        return probes


def int_copy(graph: nx.Graph) -> tuple[nx.Graph, list[Any]]:
    """``graph`` relabelled 0..n-1 in node_sort_key order, and the original node of each label.

    networkx routines that iterate sets of nodes give an order that depends on PYTHONHASHSEED
    when nodes are strings; run them on this copy and map back, so results are reproducible.

    >>> copy, back = int_copy(nx.Graph([("b", "a")]))
    >>> sorted(copy.edges()), back
    ([(0, 1)], ['a', 'b'])
    """
    back = sorted(graph, key=node_sort_key)
    index = {node: i for i, node in enumerate(back)}
    copy = graph.__class__()
    copy.add_nodes_from(range(len(back)))
    copy.add_edges_from(
        sorted(((index[u], index[v], data) for u, v, data in graph.edges(data=True)), key=lambda e: (e[0], e[1]))
    )
    return copy, back

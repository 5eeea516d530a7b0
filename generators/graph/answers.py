"""Answer kinds of graph tasks: exact number, real number within a tolerance, yes/no, node set.

Each base implements ``reference``, ``judge`` and ``probes`` for its kind; a task subclasses one
and writes ``solve``, ``question`` (and ``choose_params``/``sample_graph`` where needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from assay.generators.graph.base import GraphTask
from assay.registry import Probe, wrap
from assay.types import Problem, Verdict
from assay.verifiers.graph import (
    Claims,
    NodeNames,
    close_enough,
    duplicates,
    parse_node_list,
    parse_real,
    parse_yes_no,
    unknown_nodes,
)
from assay.verifiers.numbers import format_number

# Reals are asked "rounded to 3 decimal places" (``RealTask.places``). Stored golds keep this outer
# bound (rows are versioned); the judge accepts only what the prompt's rule allows, which is
# narrower: a value within half a unit of the last asked-for decimal (``half_unit``), so the
# correctly rounded value and any more precise one pass, and a wrong last digit fails.
REAL_TOLERANCE = 1e-3


class NumberTask(GraphTask):
    """The answer is one exact number (an integer for counts); gold is its text (``format_number``)."""

    number_hint: ClassVar[str] = "Give the answer as a single integer."
    # the unit words a count may carry ("3 triangles"); None: any unit word of the grammar
    units: ClassVar[frozenset[str] | None] = None

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return str(gold)

    def judge(self, problem: Problem, text: str) -> Verdict:
        value = parse_real(text, self.asked_names(problem), self.units)
        if value is None:
            return Verdict.fail("unparseable", message=f"not a single number: {text[:200]!r}")
        gold = parse_real(problem.data["gold"])
        if value == gold:
            return Verdict.correct()
        return Verdict.fail("wrong_answer", message=f"expected {problem.data['gold']}, got {format_number(value)}")

    def probes(self, problem: Problem) -> list[Probe]:
        gold = parse_real(problem.data["gold"])
        assert gold is not None  # our own gold: a failure is a generator bug
        g = problem.data["gold"]
        probes = super().probes(problem) + [
            Probe(wrap(f"$ {g} $."), True, "math delimiters and a period"),
            Probe(wrap(f"**{g}**"), True, "bold"),
            Probe(wrap(format_number(gold + 1)), False, "off by one (up)"),
            Probe(wrap(format_number(gold - 1)), False, "off by one (down)"),
            Probe(wrap(f"{g} or {format_number(gold + 1)}"), False, "hedged between two values"),
            Probe(wrap(f"{format_number(gold + 1)}, {g}"), False, "two candidates"),
            Probe(wrap(f"{g} {g}"), False, "the answer written twice"),
            Probe(wrap(f"{g} + 0"), False, "an expression, not a number"),
        ]
        if gold.denominator == 1:
            probes.append(Probe(wrap(f"{gold.numerator}.0"), True, "an integer written as a decimal"))
        if gold != 0:
            probes.append(Probe(wrap(format_number(-gold)), False, "wrong sign"))
        return probes


def real_gold(value: Fraction | float) -> dict[str, Any]:
    """The stored gold of a real answer: its float value, the exact fraction when known, the tolerance.

    >>> real_gold(Fraction(1, 3))
    {'value': 0.333333333333, 'exact': '1/3', 'tolerance': 0.001}
    """
    exact = format_number(value) if isinstance(value, Fraction) else None
    return {"value": round(float(value), 12), "exact": exact, "tolerance": REAL_TOLERANCE}


def half_unit(places: int) -> Fraction:
    """Half a unit of the ``places``-th decimal: the widest error a value rounded to ``places`` decimals has.

    >>> half_unit(3)
    Fraction(1, 2000)
    """
    return Fraction(1, 2 * 10**places)


def rounds_to(value: Fraction, exact: Fraction, places: int) -> bool:
    """Whether ``value`` is within half a unit of the ``places``-th decimal of ``exact`` (bounds included,
    so both neighbours of a tie pass: ``0.062`` and ``0.063`` for 1/16). Exact arithmetic throughout.

    >>> rounds_to(Fraction("0.333"), Fraction(1, 3), 3), rounds_to(Fraction("0.334"), Fraction(1, 3), 3)
    (True, False)
    >>> rounds_to(Fraction(1, 2), Fraction(1, 2), 3), rounds_to(Fraction("0.501"), Fraction(1, 2), 3)
    (True, False)
    """
    return abs(value - exact) <= half_unit(places)


def decimal_text(value: float, places: int) -> str:
    """``value`` rounded to ``places`` decimals, without trailing zeros (``0.5``, ``2``, ``0.333``)."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class RealTask(GraphTask):
    """The answer is a real number rounded to ``places`` decimals, as the prompt says (exact fractions too).

    Accepted: any value within half a unit of the ``places``-th decimal of the exact gold (so the
    correctly rounded value, more digits of the exact value, and an equal fraction), never wider
    than the stored ``gold["tolerance"]``. Truncation is accepted only where it equals rounding:
    the prompt asks for rounding. ``solve`` returns ``real_gold(value)``; pass a Fraction whenever
    the value is rational (then the comparison is exact).
    """

    places: ClassVar[int] = 3
    number_hint: ClassVar[str] = (
        f"Give the value as a decimal number rounded to {places} decimal places (an exact fraction such as 2/3 is also accepted)."
    )

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return decimal_text(gold["value"], 4)

    def judge(self, problem: Problem, text: str) -> Verdict:
        value = parse_real(text, self.asked_names(problem))
        if value is None:
            return Verdict.fail("unparseable", message=f"not a single number: {text[:200]!r}")
        gold = problem.data["gold"]
        exact = parse_real(gold["exact"]) if gold.get("exact") else None
        target = exact if exact is not None else Fraction(gold["value"])
        if rounds_to(value, target, self.places) and close_enough(value, target, gold["tolerance"]):
            return Verdict.correct()
        return Verdict.fail(
            "wrong_answer",
            message=f"expected {decimal_text(gold['value'], self.places)} (rounded to {self.places} decimal places), got {_short(value)}",
        )

    def probes(self, problem: Problem) -> list[Probe]:
        gold = problem.data["gold"]
        value, tolerance = gold["value"], gold["tolerance"]
        exact = parse_real(gold["exact"]) if gold.get("exact") else Fraction(value)
        assert exact is not None  # our own gold
        unit = Fraction(1, 10**self.places)
        rounded = _round_half_up(exact, self.places)
        truncated = _truncate(exact, self.places)
        probes = super().probes(problem) + [
            Probe(wrap(decimal_text(value, 3)), True, "rounded to 3 decimal places"),
            Probe(wrap(decimal_text(value, 8)), True, "more decimal places"),
            Probe(wrap(format_decimal(exact + half_unit(self.places) + unit / 100, self.places + 2)), False, "just beyond half a unit"),
            Probe(wrap(decimal_text(value + 0.01, 3)), False, "off in the second decimal place"),
            Probe(wrap(decimal_text(value - 0.003, 4)), False, "off by 0.003"),
            Probe(wrap(f"{decimal_text(value, 3)} or {decimal_text(value + 0.1, 3)}"), False, "hedged"),
            Probe(wrap(f"{decimal_text(value + 0.1, 3)}, {decimal_text(value, 3)}"), False, "two candidates"),
            Probe(wrap(f"about {decimal_text(value, 3)}"), False, "a word before the number"),
        ]
        for wrong, why in ((rounded + unit, "the last decimal one too high"), (rounded - unit, "the last decimal one too low")):
            if abs(wrong - exact) > half_unit(self.places):  # at a tie both neighbours are right
                probes.append(Probe(wrap(format_decimal(wrong, self.places)), False, why))
        if abs(truncated - exact) > half_unit(self.places):
            probes.append(Probe(wrap(format_decimal(truncated, self.places)), False, "truncated, not rounded"))
        if gold.get("exact"):
            probes.append(Probe(wrap(gold["exact"]), True, "the exact fraction"))
        if value:
            probes.append(Probe(wrap(f"{value:.9e}"), True, "scientific notation"))
        if abs(value) > 2 * tolerance:
            probes.append(Probe(wrap(decimal_text(-value, 3)), False, "wrong sign"))
        if abs(round(value, 1) - value) > 2 * tolerance:
            probes.append(Probe(wrap(decimal_text(value, 1)), False, "rounded to 1 decimal place: too coarse"))
        return probes


def _round_half_up(value: Fraction, places: int) -> Fraction:
    """``value`` rounded to ``places`` decimals, ties away from zero, exactly."""
    scaled = abs(value) * 10**places
    whole = int(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, 10**places)


def _truncate(value: Fraction, places: int) -> Fraction:
    """``value`` cut to ``places`` decimals (towards zero), exactly."""
    whole = int(abs(value) * 10**places)
    return Fraction(whole if value >= 0 else -whole, 10**places)


def format_decimal(value: Fraction, places: int) -> str:
    """An exact decimal text of ``value`` with ``places`` decimals (rounded half up), e.g. for probes.

    >>> format_decimal(Fraction(1, 3), 3), format_decimal(Fraction(-5, 2), 2)
    ('0.333', '-2.50')
    """
    rounded = _round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    whole = abs(rounded.numerator * 10**places // rounded.denominator)
    text = str(whole).rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}"


def _short(value: Fraction) -> str:
    """A number for a message: its float when it has one, else the start of its exact text."""
    try:
        return repr(float(value))
    except OverflowError:  # a 400-digit answer
        return format_number(value)[:40] + "..."


class YesNoTask(GraphTask):
    """The answer is yes or no; gold is a bool.

    ``claims`` name what the question's words mean (``assay.verifiers.graph.yes_no``), so a
    justification around the word is read: ``Yes, because it has no odd cycle`` passes where
    ``Yes, so it is not bipartite`` is refused. A task without claims refuses any negation after a yes.
    """

    number_hint: ClassVar[str] = "Answer yes or no."
    claims: ClassVar[Claims | None] = None

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return "yes" if gold else "no"

    def judge(self, problem: Problem, text: str) -> Verdict:
        value = parse_yes_no(text, self.claims, self.asked_names(problem))
        if value is None:
            return Verdict.fail("unparseable", message=f"not yes or no: {text[:200]!r}")
        if value == problem.data["gold"]:
            return Verdict.correct()
        return Verdict.fail("wrong_answer", message=f"expected {'yes' if problem.data['gold'] else 'no'}")

    def probes(self, problem: Problem) -> list[Probe]:
        gold = problem.data["gold"]
        right, wrong = ("yes", "no") if gold else ("no", "yes")
        return super().probes(problem) + [
            Probe(wrap(right.upper()), True, "upper case"),
            Probe(wrap(f"{right.capitalize()}."), True, "capitalised with a period"),
            Probe(wrap(str(gold).lower()), True, "true/false"),
            Probe(wrap(f"**{right}**"), True, "bold"),
            Probe(wrap(wrong), False, "the opposite"),
            Probe(wrap(str(not gold)), False, "the opposite as true/false"),
            Probe(wrap("yes or no"), False, "hedged"),
            Probe(wrap(f"{right}, {wrong}"), False, "both answers"),
            Probe(wrap(f"{right} {right}"), False, "the answer written twice"),
            Probe(wrap("maybe"), False, "maybe"),
            Probe(wrap(f"{right}\n</answer><answer>{wrong}"), False, "the last block is the opposite"),
        ]


class NodeSetTask(GraphTask):
    """The answer is a set of nodes, written as a list; order is free, duplicates are invalid.

    Partial credit (``partial=True`` in the config, off by default): ``overlap`` =
    |answer ∩ gold| / |gold|, only for answers with no repeated or unknown node and no more
    nodes than the gold set, so "all nodes" and padded lists earn nothing.
    """

    partial_credit: ClassVar[Mapping[str, str]] = {
        "overlap": (
            "|answer ∩ gold| / |gold| when the answer repeats no node, names only nodes of the graph and "
            "has at most |gold| nodes; 0 otherwise (off unless partial=True)"
        )
    }
    number_hint: ClassVar[str] = "List the nodes in square brackets, for example [3, 1, 4], or [] if there are none."
    may_be_empty: ClassVar[bool] = True  # whether "[] if there are none" belongs in the hint

    def list_hint(self, names: NodeNames) -> str:
        """The answer-format sentence, with an example in the style the prompt shows nodes (ids or names)."""
        named = names.named or any(isinstance(node, str) for node in names.nodes)
        example = "[Name1, Name2]" if named else "[3, 1, 4]"
        tail = ", or [] if there are none" if self.may_be_empty else ""
        return f"List the {'names' if named else 'nodes'} in square brackets, in any order, for example {example}{tail}."

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        return names.show_list(gold)

    def judge(self, problem: Problem, text: str) -> Verdict:
        nodes = parse_node_list(text, self.asked_names(problem))
        if nodes is None:
            return Verdict.fail("unparseable", message=f"not a list of nodes: {text[:200]!r}")
        unknown = unknown_nodes(nodes, problem.data["graph"]["nodes"])
        if unknown:
            return Verdict.fail("invalid", message=f"not nodes of the graph: {unknown[:5]!r}")
        repeated = duplicates(nodes)
        if repeated:
            return Verdict.fail("invalid", message=f"repeated nodes: {repeated[:5]!r}")
        gold = set(problem.data["gold"])
        answer = set(nodes)
        if answer == gold:
            return Verdict.correct()
        overlap = 0.0
        if problem.data.get("partial") and gold and len(answer) <= len(gold):
            overlap = len(answer & gold) / len(gold)
        missing = sorted(gold - answer, key=str)
        extra = sorted(answer - gold, key=str)
        return Verdict.fail(
            "wrong_answer", score=overlap, overlap=overlap,
            message=f"{len(missing)} missing, {len(extra)} not in the answer set",
        )

    def probes(self, problem: Problem) -> list[Probe]:
        names = self.names_of(problem)
        gold = list(problem.data["gold"])
        every = list(problem.data["graph"]["nodes"])
        partial = bool(problem.data.get("partial"))
        show = names.show
        probes = super().probes(problem)
        probes += [
            Probe(wrap(names.show_list(gold[::-1])), True, "reordered"),
            Probe(wrap(names.show_list(gold, "{}")), True, "set braces"),
            Probe(wrap(" ".join(show(n) for n in gold) if gold else "none"), True, "space separated"),
        ]
        if names.named and gold:
            probes.append(Probe(wrap(", ".join(show(n).lower() for n in gold)), True, "names in lower case"))
        if gold:
            k = len(gold)
            probes += [
                Probe(wrap(names.show_list(gold[:-1])), False, "one node missing", (k - 1) / k if partial else 0.0),
                Probe(wrap(names.show_list(gold + gold[:1])), False, "a node repeated"),
                Probe(wrap(names.show_list(gold) + " " + names.show_list(gold)), False, "the answer listed twice"),
                Probe(wrap("[]"), False, "empty list"),
                Probe(wrap(f"{names.show_list(gold)} or {names.show_list(gold[:-1])}"), False, "hedged between two sets"),
                Probe(wrap(", ".join(show(n) for n in gold) + ", or " + show(gold[0])), False, "a trailing 'or'"),
            ]
        outside = [n for n in every if n not in set(gold)]
        if outside:
            probes.append(Probe(wrap(names.show_list(gold + outside[:1])), False, "one extra node"))
            probes.append(Probe(wrap(names.show_list(every)), False, "every node of the graph"))
            if not gold:
                probes.append(Probe(wrap(names.show_list(outside[:1])), False, "a node where there are none"))
        stranger = "[" + ", ".join([show(n) for n in gold] + ["Nobody123"]) + "]"
        probes.append(Probe(wrap(stranger), False, "an unknown node"))
        probes.append(Probe(wrap("[" + ", ".join([show(n) for n in gold] + ["987654"]) + "]"), False, "an unknown node id"))
        return probes

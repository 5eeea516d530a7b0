"""math/arithmetic: evaluate an integer/fraction expression with order of operations, exactly.

The template task (see generators/README.md): one file holds the frozen config, the levels (one
config per difficulty; the level text is derived from them), the generator (``build``), the
checker (``check``) and the audit probes (``probes``); tests/generators/math/test_arithmetic.py
is its test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bools, require_int
from assay.generators.math.answers import BY_OWN_GRAMMAR, MathTask, read_answer
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.parse import ParseError, parse
from assay.verifiers.numbers import format_number, parse_number

OPERATORS = ("+", "-", "*", "/")
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


@dataclass(frozen=True)
class ArithmeticConfig(TaskConfig):
    """What a level sets; a caller may override any field (``generate(..., operands=4)``)."""

    operands: int = 3  # numbers in the expression
    depth: int = 1  # deepest nesting of parenthesised sub-expressions
    magnitude: int = 10  # largest absolute value of an integer operand
    fractions: bool = False  # some operands are fractions such as (3/4)
    negatives: bool = False  # operands may be negative
    division: bool = True  # "/" may appear between sub-expressions

    def __post_init__(self) -> None:
        require_int("operands", self.operands, 2, 40)
        require_int("depth", self.depth, 0, 10)
        require_int("magnitude", self.magnitude, 2, 10**12)
        require_bools(self, ("fractions", "negatives", "division"))


@dataclass(frozen=True)
class _Node:
    text: str
    value: Fraction
    operator: str | None  # None for a leaf


def _leaf(rng: random.Random, config: ArithmeticConfig) -> _Node:
    if config.fractions and rng.random() < 0.3:
        denominator = rng.randint(2, min(12, config.magnitude))
        numerator = rng.randint(1, denominator * 2)
        value = Fraction(numerator, denominator)
        if config.negatives and rng.random() < 0.3:
            value = -value
        text = f"({'-' if value < 0 else ''}{numerator}/{denominator})"
        return _Node(text, value, None)
    value = Fraction(rng.randint(1, config.magnitude))
    if config.negatives and rng.random() < 0.3:
        return _Node(f"({-value.numerator})", -value, None)
    return _Node(str(value.numerator), value, None)


def _combine(rng: random.Random, left: _Node, right: _Node, config: ArithmeticConfig) -> _Node:
    choices = [op for op in OPERATORS if config.division or op != "/"]
    if right.value == 0:
        choices = [op for op in choices if op != "/"]
    operator = rng.choice(choices)
    value = {
        "+": lambda: left.value + right.value,
        "-": lambda: left.value - right.value,
        "*": lambda: left.value * right.value,
        "/": lambda: left.value / right.value,
    }[operator]()
    # parenthesise a child only where precedence or left-associativity demands it
    left_text = f"({left.text})" if left.operator and PRECEDENCE[left.operator] < PRECEDENCE[operator] else left.text
    needs = right.operator and (
        PRECEDENCE[right.operator] < PRECEDENCE[operator]
        or (PRECEDENCE[right.operator] == PRECEDENCE[operator] and operator in "-/")
    )
    right_text = f"({right.text})" if needs else right.text
    return _Node(f"{left_text} {operator} {right_text}", value, operator)


def _expression(rng: random.Random, operands: int, depth: int, config: ArithmeticConfig) -> _Node:
    if operands == 1:
        return _leaf(rng, config)
    if depth > 0 and operands >= 3 and rng.random() < 0.6:
        # a nested group: split into two sub-expressions, each possibly parenthesised
        split = rng.randint(1, operands - 1)
        left = _expression(rng, split, depth - 1, config)
        right = _expression(rng, operands - split, depth - 1, config)
        return _combine(rng, left, right, config)
    node = _leaf(rng, config)
    for _ in range(operands - 1):
        node = _combine(rng, node, _leaf(rng, config), config)
    return node


def _is_list(candidate: str) -> bool:
    """Whether the math grammar reads ``candidate`` as several items ("0, 174"; "1,234" is one number)."""
    try:
        return parse(candidate)[0] == "list"
    except ParseError:
        return False


@register_task
class Arithmetic(MathTask[ArithmeticConfig]):
    id = "math/arithmetic"
    version = 1
    description = (
        "Evaluate an arithmetic expression over integers and fractions with the usual order of "
        "operations; the answer is its exact value."
    )
    answer_format = "an integer or a fraction p/q (\\frac{p}{q} and exact decimals also accepted)"
    verification = (
        "The final answer (read by the answer rule above) is parsed by a strict number grammar (integer, "
        "p/q, \\frac{p}{q}, terminating decimal) and compared exactly with the Fraction gold; an "
        "expression, two numbers or any other text is unparseable."
    )
    limitations = (
        "Mixed numbers such as '1 1/2' are refused as ambiguous.",
        "A decimal is accepted only when it equals the gold exactly (0.333 is not 1/3).",
    )
    Config = ArithmeticConfig
    levels = {
        1: ArithmeticConfig(operands=3, depth=0, magnitude=10, division=False),
        2: ArithmeticConfig(operands=4, depth=1, magnitude=20),
        3: ArithmeticConfig(operands=5, depth=2, magnitude=50, fractions=True),
        4: ArithmeticConfig(operands=6, depth=2, magnitude=100, fractions=True, negatives=True),
        5: ArithmeticConfig(operands=8, depth=3, magnitude=1000, fractions=True, negatives=True),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: ArithmeticConfig) -> Draft:
        node = _expression(rng, config.operands, config.depth, config)
        gold = format_number(node.value)
        prompt = (
            f"Evaluate the following expression exactly, using the usual order of operations.\n\n"
            f"{node.text}\n\n"
            f"Give the result as an integer or a fraction in lowest terms (for example -7/3). "
            f"{ANSWER_INSTRUCTION}"
        )
        return Draft(prompt=prompt, answer=gold, data={"expression": node.text, "gold": gold})

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = read_answer(problem, completion, problem.data["expression"])
        if isinstance(candidate, Verdict):
            return candidate
        if _is_list(candidate):  # "0, 174" is two candidates, never the number 174 with a separator
            return Verdict.fail("several_answers", message=f"several numbers: {candidate[:200]!r}")
        value = parse_number(candidate)
        if value is None:
            return Verdict.fail("unparseable", message=f"not a single exact number: {candidate[:200]!r}")
        gold = parse_number(problem.data["gold"])
        if value == gold:
            return Verdict.correct()
        return Verdict.fail("wrong_answer", message=f"expected {problem.data['gold']}, got {format_number(value)}")

    def probes(self, problem: Problem) -> list[Probe]:
        gold = parse_number(problem.data["gold"])
        assert gold is not None  # our own gold: a failure here is a generator bug
        probes = [
            Probe(f"The value is \\boxed{{{problem.answer}}}.", True, "boxed form"),
            Probe(wrap(f"\\frac{{{gold.numerator}}}{{{gold.denominator}}}"), True, "LaTeX fraction"),
            Probe(wrap(f"{gold.numerator * 3}/{gold.denominator * 3}"), True, "equal but not in lowest terms"),
            Probe(wrap(f"$ {problem.answer} $."), True, "math delimiters and a final period"),
            Probe(wrap(format_number(gold + 1)), False, "off by one"),
            Probe(wrap(problem.data["expression"]), False, "the unevaluated expression"),
            Probe(wrap(f"{problem.answer} or {format_number(gold + 1)}"), False, "hedged between two values"),
            Probe(wrap(f"{problem.answer}, {format_number(gold + 1)}"), False, "a list of candidates"),
            Probe(f"<answer>{format_number(gold + 1)}</answer>\n<answer>x</answer>", False, "last block is junk"),
            Probe(f"{wrap(problem.answer)}\nActually, {wrap(format_number(gold + 2))}", False,
                  "self-corrected to a wrong value"),
        ]
        if gold != 0:
            probes.append(Probe(wrap(format_number(-gold)), False, "wrong sign"))
        if gold.denominator != 1:
            truncated = format_number(Fraction(gold.numerator // gold.denominator))
            probes.append(Probe(wrap(truncated), False, "truncated to an integer"))
            approx = f"{float(gold):.3f}"
            if parse_number(approx) != gold:
                probes.append(Probe(wrap(approx), False, "a rounded decimal of a non-terminating fraction"))
        if (gold * 10**6).denominator == 1:
            probes.append(Probe(wrap(_decimal(gold)), True, "exact decimal"))
        return probes


def _decimal(value: Fraction) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator * 10**6 // value.denominator, 10**6)
    return f"{sign}{whole}.{rest:06d}".rstrip("0").rstrip(".") if rest else f"{sign}{whole}"

"""Shared parts of the math tasks: exact LaTeX rendering, config checks, the delegating checks
and the audit probes that every number-, tuple-, set- and matrix-valued math task registers.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from assay.verifiers import math as math_verifier
from assay.verifiers.math.extract import extract_final
from assay.verifiers.math.probes import probes_for
from assay.verifiers.numbers import format_number, parse_number

from assay.errors import ConfigError
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, Task, TaskConfig, wrap
from assay.types import Problem, Verdict

INTEGER_HINT = "Give the answer as an integer."
EXACT_HINT = "Give the exact value as an integer or a fraction in lowest terms (for example -7/3)."


# -- config validation -------------------------------------------------------------------------
def check_range(name: str, value: object, low: int, high: int) -> None:
    """Raise ConfigError unless ``value`` is an int in [low, high].

    >>> check_range("terms", 3, 1, 5)
    """
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(name, f"must be an integer between {low} and {high}", value)


def check_flag(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` is a bool."""
    if not isinstance(value, bool):
        raise ConfigError(name, "must be true or false", value)


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    """Raise ConfigError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}", value)


# -- exact LaTeX rendering ---------------------------------------------------------------------
def latex_number(value: Fraction | int) -> str:
    """An exact number as MATH-style LaTeX.

    >>> latex_number(Fraction(-3, 4)), latex_number(5)
    ('-\\\\frac{3}{4}', '5')
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def inline_number(value: Fraction | int) -> str:
    """An exact number for running prompt text inside $...$: a fraction in parentheses when negative."""
    text = latex_number(value)
    return f"\\left({text}\\right)" if value < 0 else text


def decimal_text(value: Fraction) -> str | None:
    """The exact decimal of ``value``, or None when it does not terminate.

    >>> decimal_text(Fraction(-5, 8)), decimal_text(Fraction(1, 3))
    ('-0.625', None)
    """
    value = Fraction(value)
    denominator, places = value.denominator, 0
    while denominator % 10 == 0 or denominator % 2 == 0 or denominator % 5 == 0:
        if denominator % 10 == 0:
            denominator //= 10
        elif denominator % 2 == 0:
            denominator //= 2
        else:
            denominator //= 5
        places += 1
    if denominator != 1:
        return None
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return ("-" if value < 0 else "") + text


def latex_monomial(coefficient: Fraction, power: int, variable: str = "x", first: bool = False) -> str:
    """One term ``c x^k`` with its sign: ``- \\frac{1}{2} x^{3}`` (``first``: no leading ``+``)."""
    coefficient = Fraction(coefficient)
    if power == 0:
        body = latex_number(abs(coefficient))
    else:
        monomial = variable if power == 1 else f"{variable}^{{{power}}}"
        body = monomial if abs(coefficient) == 1 else f"{latex_number(abs(coefficient))} {monomial}"
    if first:
        return f"-{body}" if coefficient < 0 else body
    return f"- {body}" if coefficient < 0 else f"+ {body}"


def latex_polynomial(coefficients: Sequence[Fraction | int], variable: str = "x") -> str:
    """A polynomial from coefficients (constant first) in descending powers.

    >>> latex_polynomial([1, -2, 3])
    '3 x^{2} - 2 x + 1'
    >>> latex_polynomial([0, Fraction(-1, 2)])
    '-\\\\frac{1}{2} x'
    """
    terms = [(k, Fraction(c)) for k, c in enumerate(coefficients) if c != 0]
    if not terms:
        return "0"
    parts = []
    for index, (power, coefficient) in enumerate(reversed(terms)):
        parts.append(latex_monomial(coefficient, power, variable, first=index == 0))
    return " ".join(parts)


def latex_matrix(rows: Sequence[Sequence[Fraction | int]]) -> str:
    """A matrix as ``\\begin{pmatrix} ... \\end{pmatrix}``.

    >>> latex_matrix([[1, 2], [3, Fraction(1, 2)]])
    '\\\\begin{pmatrix} 1 & 2 \\\\\\\\ 3 & \\\\frac{1}{2} \\\\end{pmatrix}'
    """
    body = " \\\\ ".join(" & ".join(latex_number(v) for v in row) for row in rows)
    return f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"


def latex_tuple(items: Sequence[str]) -> str:
    """An ordered tuple of already-rendered items: ``(2, -1)``."""
    return "(" + ", ".join(items) + ")"


# -- matrices written by a model: a bounded grammar, never an evaluator ---------------------------
_MATRIX = re.compile(r"^\\begin\{([pbB]?matrix|array)\}(\{[lcr|]*\})?(?P<body>.*)\\end\{\1\}$", re.DOTALL)
MAX_MATRIX_TEXT = 20_000


def parse_number_matrix(text: str) -> list[list[Fraction]] | None:
    """Rows of exact numbers from ``\\begin{pmatrix}..\\end{pmatrix}`` (bmatrix, matrix, array too;
    never vmatrix, a determinant) or ``[[1, 2], [3, 4]]``, optionally after one scalar factor; None
    when it is anything else.

    >>> parse_number_matrix(r"\\begin{pmatrix} 1 & \\frac{1}{2} \\\\ 0 & -3 \\end{pmatrix}")
    [[Fraction(1, 1), Fraction(1, 2)], [Fraction(0, 1), Fraction(-3, 1)]]
    >>> parse_number_matrix(r"\\frac{1}{2}\\begin{pmatrix} 2 & 4 \\end{pmatrix}")
    [[Fraction(1, 1), Fraction(2, 1)]]
    >>> parse_number_matrix(r"\\begin{pmatrix} 1 \\end{pmatrix}\\begin{pmatrix} 2 \\end{pmatrix}") is None
    True
    """
    if not isinstance(text, str) or len(text) > MAX_MATRIX_TEXT:
        return None
    text = text.replace("\\left", "").replace("\\right", "").strip().strip("$").strip().rstrip(".").strip()
    if text[:1] in "[(" and text[1:].lstrip().startswith("\\begin") and text[-1:] in "])":
        text = text[1:-1].strip()  # \left[ \begin{array}...\end{array} \right]
    scale = Fraction(1)
    start = text.find("\\begin{")
    if start < 0:
        start = text.find("[[")
    if start > 0:
        prefix = text[:start].strip()
        if prefix.endswith(("\\cdot", "\\times", "*")):
            prefix = prefix.rsplit("\\", 1)[0] if prefix.endswith(("\\cdot", "\\times")) else prefix[:-1]
        factor = parse_number(prefix)
        if factor is None:
            return None
        scale, text = factor, text[start:]
    rows: list[list[str]]
    match = _MATRIX.match(text)
    if match:
        body = match.group("body").strip()
        rows = [[cell for cell in row.split("&")] for row in re.split(r"\\\\(?:\[[^\]]*\])?", body) if row.strip()]
        if any(r"\begin" in body or r"\end" in cell for row in rows for cell in row):
            return None
    elif text.startswith("[[") and text.endswith("]]"):
        inner = text[2:-2]
        rows = [row.split(",") for row in re.split(r"\]\s*,\s*\[", inner)]
        if any("[" in c or "]" in c for row in rows for c in row):
            return None
    else:
        return None
    values: list[list[Fraction]] = []
    for row in rows:
        parsed = [parse_number(cell) for cell in row]
        if not parsed or any(v is None for v in parsed):
            return None
        values.append([v * scale for v in parsed if v is not None])
    if not values or len({len(row) for row in values}) != 1:
        return None
    return values


# -- delegation to the math verifier -----------------------------------------------------------
_DELIMITED = re.compile(r"^(?:\$\$(.*)\$\$|\$(.*)\$|\\\((.*)\\\)|\\\[(.*)\\\])\.?$", re.DOTALL)


def final_answer(completion: str, question: str = "") -> str | None:
    """The final answer as the math verifier finds it (``math_extract.extract_final``), for tasks
    with their own grammar: several boxes in a row come back joined by commas ("1, 2"), which no
    single-answer grammar reads, so ``\\boxed{0} or \\boxed{7}`` is never the last box alone.
    Math delimiters around the whole answer are dropped, and so is the ``question`` restated before
    an ``=`` (``\\gcd(12, 18) = 6`` is the answer 6); None when there is no answer.

    >>> final_answer(r"so $\\boxed{12}$"), final_answer(r"\\boxed{0} or \\boxed{7}")
    ('12', '0, 7')
    >>> final_answer("<answer>$x + 1$</answer>"), final_answer("no answer") is None
    ('x + 1', True)
    >>> final_answer(r"\\boxed{\\gcd(12, 18) = 6}", question=r"\\gcd(12,18)")
    '6'
    """
    text = extract_final(completion).text
    if text is None:
        return None
    text = text.strip()
    match = _DELIMITED.match(text)
    if match is not None:
        text = next(group for group in match.groups() if group is not None).strip()
    if question:
        text = after_question(text, question)
    return text or None


_SPACING = re.compile(r"\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|\\displaystyle|\\[,;:! ]|\s+")
_RELATION = re.compile(r"[=<>]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|in)(?![a-zA-Z])")
_LONE_MATRIX = re.compile(r"^\\begin\{([pbBvV]?matrix)\}.*\\end\{\1\}$", re.DOTALL)


def _squeezed(text: str) -> str:
    return _SPACING.sub("", text).replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")


def _top_level(text: str) -> str:
    """``text`` with every braced group emptied: the ``=`` of ``\\sum_{k=1}`` is no relation."""
    depth, kept = 0, []
    for char in text:
        depth += char == "{"
        if depth == 0:
            kept.append(char)
        depth -= char == "}" and depth > 0
    return "".join(kept)


def after_question(text: str, question: str) -> str:
    """``text`` without a restatement of ``question`` before an ``=``: "question = answer" is the
    answer, as a grader reads it. Only a question that is an expression with the answer as its
    value qualifies: never one holding a relation (an equation to solve) or a lone matrix (whose
    eigenvalues are asked), which would make "question = answer" a false statement.

    >>> after_question(r"\\left(1+2\\right) = 3", "(1 + 2)"), after_question("x + 1 = 3", "x + 1 = 2")
    ('3', 'x + 1 = 3')
    """
    lone_matrix = _LONE_MATRIX.match(question.strip()) is not None and question.count("\\begin") == 1
    if len(text) > 5000 or _RELATION.search(_top_level(question)) or lone_matrix:
        return text
    target = _squeezed(question)
    for index, char in enumerate(text):
        if char == "=" and _squeezed(text[:index]) == target:
            return text[index + 1 :].strip()
    return text


def delegate(problem: Problem, completion: str) -> Verdict:
    """The math verifier's verdict on ``completion`` against ``data["gold"]``, with the options
    stored in ``data["verify_options"]`` (fields of ``assay.verifiers.math.MathOptions``)."""
    options = math_verifier.MathOptions(**(problem.data.get("verify_options") or {}))
    question = problem.data.get("question") or ""
    if question:
        text = final_answer(completion)
        if text is not None and text != after_question(text, question):
            completion = wrap(after_question(text, question))  # "question = answer": the answer
    return math_verifier.verify(completion, problem.data["gold"], options=options)


_MATRIX_NAME = re.compile(r"^\s*\$?\s*(?:\\mathbf\{[A-Z]\}|[A-Z]{1,3})(?:\^\{?-1\}?)?\s*=\s*")  # "A^{-1} = ", "AB = "


def check_matrix(problem: Problem, completion: str) -> Verdict:
    """Exact entry-by-entry comparison with ``data["matrix"]`` of an answer written as one matrix
    of numbers (an optional scalar factor allowed); a product or power of matrices left
    unevaluated is not an answer, so this does not go to the generic verifier, whose CAS would
    evaluate it."""
    candidate = final_answer(completion, problem.data.get("question") or "")
    if candidate is None:
        return Verdict.fail("no_answer")
    value = parse_number_matrix(_MATRIX_NAME.sub("", candidate, count=1))
    if value is None:
        return Verdict.fail("unparseable", message="the answer must be a single matrix of numbers")
    gold = [[Fraction(v) for v in row] for row in problem.data["matrix"]]
    if len(value) != len(gold) or len(value[0]) != len(gold[0]):
        return Verdict.fail("wrong_answer", message=f"expected a {len(gold)}x{len(gold[0])} matrix")
    if value != gold:
        return Verdict.fail("wrong_answer")
    return Verdict.correct()


def matrix_probes(problem: Problem, question: str) -> list[Probe]:
    """Probes of a matrix-valued answer stored in ``data["matrix"]``."""
    rows = [[Fraction(v) for v in row] for row in problem.data["matrix"]]
    body = lambda m: " \\\\ ".join(" & ".join(latex_number(v) for v in r) for r in m)
    plain = "[" + ", ".join("[" + ", ".join(format_number(v) for v in r) + "]" for r in rows) + "]"
    off = [list(r) for r in rows]
    off[-1][-1] += 1
    probes = extraction_probes(problem.answer) + [
        Probe(wrap(f"\\begin{{bmatrix}} {body(rows)} \\end{{bmatrix}}"), True, "bmatrix"),
        Probe(wrap(f"\\left[\\begin{{array}}{{{'c' * len(rows[0])}}} {body(rows)} \\end{{array}}\\right]"), True, "array in brackets"),
        Probe(wrap(plain), True, "nested list"),
        Probe(wrap(latex_matrix(off)), False, "one entry off by one"),
        Probe(wrap(latex_matrix([[-v for v in r] for r in rows])), False, "every sign flipped") if any(v for r in rows for v in r) else Probe(wrap(latex_matrix(off)), False, "off"),
        Probe(wrap(question), False, "the question copied (unevaluated)"),
        Probe(wrap(f"{problem.answer} \\text{{ or }} {latex_matrix(off)}"), False, "hedged"),
        Probe(wrap(latex_matrix(rows[:-1])) if len(rows) > 1 else wrap(latex_matrix([r[:-1] for r in rows])), False, "a row missing"),
        Probe(wrap(""), False, "empty"),
    ]
    transposed = [list(column) for column in zip(*rows)]
    if transposed != rows:
        probes.append(Probe(wrap(latex_matrix(transposed)), False, "transposed"))
    denominator = 1
    for r in rows:
        for v in r:
            denominator = math.lcm(denominator, v.denominator)
    if denominator > 1:
        scaled = [[v * denominator for v in r] for r in rows]
        probes.append(Probe(wrap(f"\\frac{{1}}{{{denominator}}} {latex_matrix(scaled)}"), True, "a scalar factored out"))
    return probes


# -- probes ------------------------------------------------------------------------------------
def merged(*groups: list[Probe]) -> list[Probe]:
    """Probe lists joined, keeping the first probe of each completion (the verifier's generic
    probes and a task's own overlap)."""
    seen: set[str] = set()
    out: list[Probe] = []
    for group in groups:
        for probe in group:
            if probe.completion not in seen:
                seen.add(probe.completion)
                out.append(probe)
    return out


def extraction_probes(gold: str) -> list[Probe]:
    """Answer-location probes for tasks with their own checker (no value-level assumptions)."""
    return [
        Probe(f"The result is $\\boxed{{{gold}}}$.", True, "boxed form"),
        Probe(f"\\fbox{{{gold}}}", True, "fbox form"),
        Probe(wrap("nothing") + "\nOn reflection: " + wrap(gold), True, "self-corrected to the right answer"),
        Probe("Reasoning omitted.\n\\boxed{}", False, "empty box"),
        Probe(wrap("\\text{anything}"), False, "text instead of a value"),
        Probe("I am not sure.", False, "no answer at all"),
        Probe(wrap(gold) + "\n" + "x" * 20000 + wrap(""), False, "last answer block is empty"),
    ]


def number_probes(problem: Problem) -> list[Probe]:
    """Generic probes of a number-valued task whose gold is ``data["gold"]``."""
    gold_text = problem.data["gold"]
    gold = parse_number(gold_text)
    if gold is None:
        raise ValueError(f"number gold {gold_text!r} does not parse")  # a generator bug
    wrong = latex_number(gold + 1)
    probes = [
        Probe(f"So the result is \\boxed{{{gold_text}}}.", True, "boxed form"),
        Probe(wrap(f"${gold_text}$."), True, "math delimiters and a final period"),
        Probe(wrap(format_number(gold)), True, "plain p/q form"),
        Probe(wrap(latex_number(gold + 1)), False, "off by one"),
        Probe(wrap(f"{gold_text} or {wrong}"), False, "hedged between two values"),
        Probe(wrap(f"{gold_text}, {wrong}"), False, "a list of candidates"),
        Probe(wrap(""), False, "empty answer block"),
        Probe("\\boxed{}", False, "empty box"),
        Probe(wrap(gold_text) + "\nWait, I made an error. " + wrap(latex_number(gold + 2)), False,
              "self-corrected to a wrong value"),
    ]
    if gold.denominator != 1:
        probes.append(Probe(wrap(f"\\frac{{{gold.numerator * 3}}}{{{gold.denominator * 3}}}"), True,
                            "equal fraction not in lowest terms"))
        probes.append(Probe(wrap(str(gold.numerator // gold.denominator)), False, "truncated to an integer"))
        exact = decimal_text(gold)
        if exact is None:
            probes.append(Probe(wrap(f"{float(gold):.4f}"), False, "rounded decimal of a repeating fraction"))
        else:
            probes.append(Probe(wrap(exact), True, "exact terminating decimal"))
    if gold != 0:
        probes.append(Probe(wrap(latex_number(-gold)), False, "wrong sign"))
    if gold not in (0, 1, -1):
        probes.append(Probe(wrap(latex_number(1 / gold)), False, "reciprocal"))
    question = problem.data.get("question")
    if question:
        probes.append(Probe(wrap(question), False, "the question copied as the answer"))
    return probes


# -- task bases --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Posed:
    """What a task's ``pose`` returns: the problem text, the exact value and extra payload."""

    text: str
    value: Fraction
    question: str = ""  # the object asked about, as text (copied-question probe)
    data: Mapping[str, Any] = field(default_factory=dict)


class LevelledTask(Task):
    """A task whose configs per difficulty live in the class attribute ``LEVELS``."""

    LEVELS: ClassVar[Mapping[int, TaskConfig]]

    def config_for(self, difficulty: int) -> TaskConfig:
        return self.LEVELS[difficulty]


class NumberTask(LevelledTask):
    """A task whose answer is one exact number; subclasses implement ``pose``.

    The check delegates to ``assay.verifiers.math.verify`` with ``literal_answers``: the answer
    must be written as a number, so a copied question that a CAS would evaluate earns nothing.
    """

    hint: ClassVar[str] = EXACT_HINT
    decimal_gold: ClassVar[bool] = False  # write a terminating gold as a decimal, not a fraction
    answer_format = "an integer or a fraction p/q (\\frac{p}{q} and exact decimals also accepted)"
    verification = (
        "Delegated to assay.verifiers.math.verify against the exact LaTeX gold with literal_answers "
        "on: the final answer must be written as a number (integer, fraction, exact decimal, mixed "
        "number); an unevaluated expression earns nothing."
    )
    limitations = (
        (
            "The answer must be written as a number: an expression equal to the gold (2 + 3, a copied "
            "question) scores 0, as does a rounded decimal of a non-terminating value."
        ),
    )
    timeout_s = 10.0

    def pose(self, rng: random.Random, config: Any) -> Posed:
        raise NotImplementedError

    def build(self, rng: random.Random, config: Any) -> Draft:
        posed = self.pose(rng, config)
        gold = (decimal_text(posed.value) if self.decimal_gold else None) or latex_number(posed.value)
        prompt = f"{posed.text}\n\n{self.hint} {ANSWER_INSTRUCTION}"
        data = {"gold": gold, "question": posed.question, "verify_options": {"literal_answers": True}, **posed.data}
        return Draft(prompt=prompt, answer=gold, data=data)

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        return merged(probes_for(problem.answer), number_probes(problem), self.more_probes(problem))

    def more_probes(self, problem: Problem) -> list[Probe]:
        return []


def pick(rng: random.Random, low: int, high: int, *, nonzero: bool = False, exclude: Sequence[int] = ()) -> int:
    """A uniform integer in [low, high], optionally not 0 and not in ``exclude`` (bounded retries)."""
    for _ in range(1000):
        value = rng.randint(low, high)
        if (not nonzero or value != 0) and value not in exclude:
            return value
    raise RuntimeError(f"no integer in [{low}, {high}] satisfies the constraints")  # a generator bug


def signed(value: Fraction | int) -> str:
    """``+ 3`` or ``- 3`` for writing a term after another."""
    value = Fraction(value)
    return f"- {latex_number(-value)}" if value < 0 else f"+ {latex_number(value)}"


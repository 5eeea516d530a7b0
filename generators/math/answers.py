"""Reading and checking math answers: the final answer as the math verifier finds it, the
delegation to ``assay.verifiers.math.verify``, the bounded matrix grammar, and ``NumberTask``,
the base of every task whose answer is one exact number.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from assay.generators.math.formatting import decimal_text, latex_number
from assay.generators.math.probes import merged, number_probes
from assay.registry import ANSWER_INSTRUCTION, ConfigT, Draft, Probe, Task, wrap
from assay.types import Problem, Verdict
from assay.verifiers import math as math_verifier
from assay.verifiers.math.probes import probes_for
from assay.verifiers.numbers import parse_number

INTEGER_HINT = "Give the answer as an integer."
EXACT_HINT = "Give the exact value as an integer or a fraction in lowest terms (for example -7/3)."


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
_STYLE = re.compile(r"\\(?:displaystyle|textstyle|scriptstyle)(?![a-zA-Z])")  # size only: no meaning
_DELIMITED = re.compile(r"^(?:\$\$(.*)\$\$|\$(.*)\$|\\\((.*)\\\)|\\\[(.*)\\\])\.?$", re.DOTALL)


def answer_options(problem: Problem) -> math_verifier.MathOptions:
    """The math verifier's options stored in a row (``data["verify_options"]``; none: defaults)."""
    return math_verifier.MathOptions(**(problem.data.get("verify_options") or {}))


def final_answer(completion: str, question: str = "", *, require_answer_block: bool = False) -> str | None:
    """The final answer as the math verifier reads it (``math_verifier.read_final``: the answer
    rule, with the fallback to the final statement unless ``require_answer_block``), for tasks
    with their own grammar: several boxes in a row come back joined by commas ("1, 2"), which no
    single-answer grammar reads, so ``\\boxed{0} or \\boxed{7}`` is never the last box alone.
    Math delimiters around the whole answer are dropped, and so is the ``question`` restated before
    an ``=`` (``\\gcd(12, 18) = 6`` is the answer 6); None when there is no answer, or a box is
    hedged or retracted ("\\boxed{5}, but it may be 7": see ``read_answer``).

    >>> final_answer(r"so $\\boxed{12}$"), final_answer(r"\\boxed{0} or \\boxed{7}")
    ('12', '0, 7')
    >>> final_answer("<answer>$x + 1$</answer>"), final_answer("no answer") is None
    ('x + 1', True)
    >>> final_answer(r"\\boxed{\\gcd(12, 18) = 6}", question=r"\\gcd(12,18)")
    '6'
    >>> final_answer("Adding them we get $12$."), final_answer("we get $12$.", require_answer_block=True)
    ('12', None)
    """
    found = math_verifier.read_final(completion, require_answer_block=require_answer_block)
    if found.source in ("hedge", "retracted"):
        return None
    text = found.text
    if text is None:
        return None
    text = _STYLE.sub("", text).strip()
    match = _DELIMITED.match(text)
    if match is not None:
        text = next(group for group in match.groups() if group is not None).strip()
    if question:
        text = after_question(text, question)
    return text or None


def read_answer(problem: Problem, completion: str, question: str = "") -> str | Verdict:
    """The final answer of ``completion`` under the row's answer rule (its ``verify_options``), for
    a task's own grammar, or the failing Verdict: "several_answers" for a hedged or retracted box,
    "no_answer" when there is none.

    >>> from assay import generate
    >>> problem = generate("math/arithmetic", 1)[0]
    >>> read_answer(problem, "so we get $12$."), read_answer(problem, r"\\boxed{5}, but it may be 7").reason
    ('12', 'several_answers')
    """
    block = answer_options(problem).require_answer_block
    found = math_verifier.read_final(completion, require_answer_block=block)
    if found.source in ("hedge", "retracted"):
        return Verdict.fail("several_answers", message="the final box is hedged or retracted by another value")
    text = final_answer(completion, question, require_answer_block=block)
    if text is None:
        rule = "a \\boxed{} or <answer> block" if block else "a \\boxed{}, <answer> block or final statement"
        return Verdict.fail("no_answer", message=f"no final answer found ({rule})")
    if any(char.isdecimal() and not char.isascii() for char in text):
        # the math verifier's policy: full-width, Arabic-Indic and other look-alike digits are no digits
        return Verdict.fail("unparseable", message="digits must be ASCII (look-alike digits are refused)")
    return text


_SPACING = re.compile(r"\\\\|\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|\\displaystyle|\\[,;:! ]|\s+")  # a row break kept whole
_RELATION = re.compile(r"[=<>]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|in)(?![a-zA-Z])")
_LONE_MATRIX = re.compile(r"^\\begin\{([pbBvV]?matrix)\}.*\\end\{\1\}$", re.DOTALL)


def _squeezed(text: str) -> str:
    squeezed = _SPACING.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else "", text)  # a row break then a space stays a row break
    return squeezed.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")


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
    options = answer_options(problem)
    question = problem.data.get("question") or ""
    if question:
        text = final_answer(completion, require_answer_block=options.require_answer_block)
        if text is not None and text != after_question(text, question):
            completion = wrap(after_question(text, question))  # "question = answer": the answer
    return math_verifier.verify(completion, problem.data["gold"], options=options)


_MATRIX_NAME = re.compile(r"^\s*\$?\s*(?:\\mathbf\{[A-Z]\}|[A-Z]{1,3})(?:\^\{?-1\}?)?\s*=\s*")  # "A^{-1} = ", "AB = "


def check_matrix(problem: Problem, completion: str) -> Verdict:
    """Exact entry-by-entry comparison with ``data["matrix"]`` of an answer written as one matrix
    of numbers (an optional scalar factor allowed); a product or power of matrices left
    unevaluated is not an answer, so this does not go to the generic verifier, whose CAS would
    evaluate it."""
    candidate = read_answer(problem, completion, problem.data.get("question") or "")
    if isinstance(candidate, Verdict):
        return candidate
    value = parse_number_matrix(_MATRIX_NAME.sub("", candidate, count=1))
    if value is None:
        return Verdict.fail("unparseable", message="the answer must be a single matrix of numbers")
    gold = [[Fraction(v) for v in row] for row in problem.data["matrix"]]
    if len(value) != len(gold) or len(value[0]) != len(gold[0]):
        return Verdict.fail("wrong_answer", message=f"expected a {len(gold)}x{len(gold[0])} matrix")
    if value != gold:
        return Verdict.fail("wrong_answer")
    return Verdict.correct()


# -- task bases --------------------------------------------------------------------------------
# What decides a math task once its final answer is read (``Task.decided_by``, on every math card)
BY_VERIFIER = "`assay.verifiers.math.verify`, with the options in the row's `verify_options`"
BY_VERIFIER_THEN_FORM = (
    "`assay.verifiers.math.verify` (options in the row's `verify_options`), then the task's own check of the "
    "answer's written form"
)
BY_OWN_GRAMMAR = "the task's own answer grammar and exact comparison; `assay.verifiers.math.verify` is not called"
BY_OWN_THEN_VERIFIER = (
    "the task's own answer grammar and exact comparison, and `assay.verifiers.math.verify` for an answer that "
    "grammar cannot read"
)


class MathTask(Task[ConfigT]):
    """Base of every math task: declares the answer rule its check applies (``answer_rule``, the
    math verifier's fallback unless a task's rows set ``require_answer_block``) and what decides
    (``decided_by``: one of the ``BY_*`` texts); both are printed on the task's card."""

    answer_rule = math_verifier.FALLBACK_RULE
    decided_by = BY_VERIFIER


@dataclass(frozen=True)
class Posed:
    """What a task's ``pose`` returns: the problem text, the exact value and extra payload."""

    text: str
    value: Fraction
    question: str = ""  # the object asked about, as text (copied-question probe)
    data: Mapping[str, Any] = field(default_factory=dict)


class NumberTask(MathTask[ConfigT]):
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

    def pose(self, rng: random.Random, config: ConfigT) -> Posed:
        raise NotImplementedError

    def build(self, rng: random.Random, config: ConfigT) -> Draft:
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



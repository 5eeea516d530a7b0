"""Math answer verification for any math data (ours, MATH, GSM8K, AIME): ``verify(completion, gold)``.

Audit probes for a gold answer (equivalent forms, near misses, hacks): ``probes.probes_for``.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assay.extract import final_response
from assay.types import AnswerRule, Verdict
from assay.verifiers.math.compare import AnswerTooLarge, Judge, Options, is_multiple
from assay.verifiers.math.extract import (
    Extracted,
    extract_final,
    fallback,
    gather_boxes,
)
from assay.verifiers.math.nodes import List, Node, Set
from assay.verifiers.math.parse import ParseError, TooLarge, normalise, parse
from assay.verifiers.math.shapes import intervals_of

logger = logging.getLogger(__name__)

MathOptions = Options
CAS_CACHE_SIZE = 4096
_CAS_CACHE: dict[tuple, tuple[str, object]] = {}
_CAS_CACHE_LOCK = threading.Lock()
DEFAULT_OPTIONS = Options()
_IN_POOL_WORKER = "ASSAY_POOL_WORKER"


@dataclass(frozen=True)
class _Gold:
    ast: Node | None
    text: str


@lru_cache(maxsize=4096)
def _parse_gold(gold: str) -> _Gold:
    found = extract_final(gold)
    # a gold may be a whole solution: MATH's boxed answer, GSM8K's "#### 72" line
    text = found.text if found.text is not None else gold
    try:
        return _Gold(parse(text), text)
    except ParseError:
        return _Gold(None, text)


CONVENTIONS: tuple[str, ...] = (
    (
        "The final answer is the last \\boxed{}/\\fbox{} or <answer> block, whichever ends last (a later "
        "self-correction wins; a later 'the final answer is ...' with another value makes it ambiguous (0); another value "
        "after the box in its sentence, '5, but it may be 7', is a hedge); boxes of a list gold's members given one by "
        "one are gathered; without a box or block, a closing 'the answer is ...' sentence, an 'Answer:' line, "
        "'#### n', a 'Final Answer' heading, and at last the final statement's value (require_answer_block=True: "
        "a box or block only)."
    ),
    (
        "Numbers are exact: 0.25 equals 1/4 but 0.333 is not 1/3; a decimal gold with k >= 2 places is matched "
        "by an exact non-terminating answer that rounds to it (1/3 for 0.33); no tolerance unless rel_tol is set."
    ),
    (
        "Percent: 25% matches 25%, 25 and 0.25; degrees: 30^\\circ matches 30 and \\pi/6 (a radian gold takes a degree "
        "answer converted only: (\\pi/6)^\\circ is not \\pi/6); e is Euler's number, i the imaginary unit."
    ),
    (
        "Units on both sides are converted to a common unit for length, mass, time and volume (500 cm is 5 m; 5 km is "
        "not 5 m; units of different kinds never match); a bare number matches a gold with a unit."
    ),
    (
        "(a, b) is ordered; {a, b}, 'a, b' and 'a or b' are unordered and match item for item; intervals keep open/closed "
        "ends and match the equivalent inequality; x = 3 matches 3; every side of a chain a = 2 = 3 must be the answer."
    ),
    (
        "Congruences (policy): x \\equiv 3 \\pmod{7} is a residue class and answers only a residue-class gold, not "
        "the integer 3: a question whose gold is one integer asks for that integer (graders differ here). "
        "Any representative names the class: x \\equiv 10 \\pmod{7} answers x \\equiv 3 \\pmod{7}."
    ),
    "Several different values for a single-valued gold, expression bombs and over-long answers score 0.",
    (
        "Decorations (\\color, \\underline, \\mathbf) are transparent, hidden text is refused, digits are ASCII; "
        "a gold F(x) + C (F with a lower-case variable) accepts any antiderivative with a constant of any name."
    ),
    (
        "Expressions are compared symbolically (sympy, in a killed-on-timeout worker): constants exactly (simplification, "
        "or a precision that grows to 5000 digits: pi + e^{-100} is not pi), rational functions exactly, other expressions "
        "with variables by agreement at points over the whole real line, at small integers, and on both sides of every "
        "point where the gold changes form, in its domain; a floor or ceiling the gold lacks, a part of the answer "
        "negligible at every point (a bump e^{-10^8 (x - c)^2}) or a function steepened by a constant >= 1000 the gold "
        "lacks (1 - tanh^2(10^6 (x - c))) needs a symbolic proof."
    ),
)


# The two ways ``verify`` reads the final answer; a task names the one its check uses (its card says it).
FALLBACK_RULE = AnswerRule(
    "fallback",
    "the last \\boxed{} or <answer> block (a later self-correction wins; a hedge or a retracted box scores 0); "
    "without one, a closing 'the answer is ...' sentence, an 'Answer:' line, '#### n', a 'Final Answer' heading, "
    "and at last the final statement's value, as math-verify reads MATH and GSM8K solutions",
)
BLOCK_RULE = AnswerRule(
    "require_answer_block",
    "the last \\boxed{} or <answer> block only (a later self-correction wins; a hedge or a retracted box scores 0); "
    "a completion without one scores 0 (no_answer), whatever its prose says",
)
_BLOCK_SOURCES = ("boxed", "answer", "hedge", "retracted")


def answer_rule(options: Options = DEFAULT_OPTIONS) -> AnswerRule:
    """The answer rule ``verify`` applies under ``options``.

    >>> answer_rule().name, answer_rule(Options(require_answer_block=True)).name
    ('fallback', 'require_answer_block')
    """
    return BLOCK_RULE if options.require_answer_block else FALLBACK_RULE


def read_final(completion: str, *, require_answer_block: bool = False) -> Extracted:
    """The final answer of a completion as ``verify`` reads it under the answer rule: the last box
    or answer block (``extract_final``), else, unless ``require_answer_block``, the fallback to a
    marked sentence, a heading or the final statement's value. ``source`` "none" when there is none.

    >>> read_final("We add 3 and 4 to get 7.").text
    '7'
    >>> read_final("We add 3 and 4 to get 7.", require_answer_block=True).source
    'none'
    >>> read_final(r"so \\boxed{7}", require_answer_block=True).text
    '7'
    """
    completion = final_response(completion)
    found = extract_final(completion)
    if require_answer_block:
        return found if found.source in _BLOCK_SOURCES else Extracted(None, "none")
    return fallback(completion) if found.source == "none" else found


def verify(completion: str, gold: str, *, options: Options = DEFAULT_OPTIONS) -> Verdict:
    """Score a completion against a gold answer written as text (LaTeX or plain).

    Pipeline, cheapest first: extraction (``extract``) -> a bounded grammar
    (``lexer``, ``parse``) -> exact arithmetic and structure (``exact``,
    ``compare``) in this process -> sympy (``cas``) only for what exact arithmetic
    cannot decide, in a persistent pool of killable workers (``worker``), or in this process
    when it is an ``assay.executors.pool`` worker (``ASSAY_POOL_WORKER=1``: the pool kills the whole item at
    its deadline; staying in-process saves a second layer of processes per pool worker and the
    pipe, about 0.1 ms per symbolic comparison, measured 25-40% on an all-symbolic mix). Outcomes
    of sympy are cached (RL batches repeat answers). A gold outside the grammar is matched by its
    exact text, else by math-verify in the same worker.

    Conventions (``CONVENTIONS`` holds them for data cards):

    - The final answer is the last ``\\boxed{}``/``\\fbox{}`` or ``<answer>`` block, whichever ends
      last (a later self-correction wins); boxes separated only by commas, "and", "or" form one
      answer of several parts; a later closing statement of another value makes the box ambiguous
      (score 0), and so does another value after the box in its sentence ("5, but it may be 7",
      "5 (or 6)"); the members of a list gold boxed one by one with reasoning between them are
      gathered. Without a box or block, a closing "the answer is ..." sentence (Minerva's "Final
      Answer: The final answer is 7.78." included), an "Answer: ..." line, GSM8K's "#### ..." line,
      a "Final Answer" heading followed by the value, "12 is the answer", and at last the final
      statement's value; ``Options(require_answer_block=True)`` reads boxes and blocks only.
    - Numbers are exact: ``0.25`` equals ``1/4``; ``0.333`` does not equal ``1/3`` (decimals never
      match an exact gold approximately unless ``rel_tol`` is set). A gold written as a decimal with
      k >= 2 places is matched by an exact answer that rounds to it at k places when that answer's
      decimal expansion does not terminate (``1/3`` against ``0.33``, ``\\sqrt{2}`` against
      ``1.41``, also ``33.3`` with three significant digits); a terminating answer must equal it
      exactly (``0.54`` is not ``0.5``), and a coarser gold is exact (``1/3`` is not ``0.3``).
    - Percent: ``25\\%`` matches ``25\\%``, ``25`` and ``0.25`` (and ``1/4``); a gold ``0.25`` also
      accepts ``25\\%``. Degrees: ``30^\\circ`` matches ``30`` and ``\\pi/6``; a radian gold takes a
      degree answer only converted (``(\\pi/6)^\\circ`` is not ``\\pi/6``). ``\\pi``, ``pi`` and
      ``π`` are the same constant; ``e`` is Euler's number and ``i`` the imaginary unit.
    - Units: when both sides name a unit of length, mass, time or volume they are converted to a
      common unit (``500 cm`` is ``5 m``, ``1.5 hours`` is ``90 min``, ``\\$5`` is ``500 cents`` and not
      ``5 cents``; ``5 km`` is not ``5 m``);
      other names must agree; a bare number matches a gold with a unit and vice versa.
    - Structures: ``(a, b)`` is ordered (and may stand for an open interval when the other side is an
      interval or inequality); ``\\{a, b\\}`` and bare lists ``a, b`` / ``a or b`` are unordered and must
      match item for item (a repeated item is not the same answer); a scalar before a matrix is taken into
      its entries (``\\frac{1}{5}\\begin{pmatrix}...\\end{pmatrix}``); a column or row vector matches a
      tuple; intervals keep their open/closed ends and match the equivalent inequality either way
      (``x \\ge 2`` vs ``[2, \\infty)``); ``x = 3`` matches ``3`` and vice versa (an unsolved
      ``x + 1 = 4`` does not); in a chain
      ``a = 2 = 3`` every side must be the answer; a mixed number ``2\\frac{1}{2}`` or ``2 1/2`` is 5/2 (never the
      product 1; with an improper fraction, ``2\\frac{3}{2}``, 7/2 or 3, it is refused as ambiguous); ``\\infty``
      inside arithmetic (``1/\\infty``, ``0 \\cdot \\infty``) is no value; ``\\log``
      without a base is the natural logarithm.
    - Names in a chain are dropped where plain values stand (``a + b + c = 12``, ``f(2) = 5``,
      ``\\text{area} = 5``), never between expressions (``x^2 + 1 = x^2`` is false, not ``x^2``);
      conditions joined by commas or "and" intersect (``x \\le 2, x \\ne -7``); systems may come in
      ``cases``/``aligned``.
    - Congruences (a policy: graders differ): ``x \\equiv 3 \\pmod{7}`` and ``3 \\pmod{7}`` are
      residue classes and answer only a residue-class gold (any representative of the class:
      ``x \\equiv 10 \\pmod{7}`` answers ``x \\equiv 3 \\pmod{7}``); against a plain gold ``3`` they score 0.
      Reason: a class names infinitely many integers, and a question whose gold is one integer (the
      least residue of a CRT system, an inverse, a power mod n) asks for that integer; a grader that
      reads the class as its least residue follows the other convention and is not wrong.
    - Named values ``y = 0, x = -3`` answer the point ``(-3, 0)`` in alphabetical order of the
      names; ``\\emptyset`` and "no solution" are the same answer; a gold ``F(x) + C`` with a
      lower-case variable in F is an antiderivative: the answer needs a constant (``C``, ``K``, ...)
      and may differ by any constant (``C + 1`` and ``A + B + C`` name a quantity C instead).
    - Text is read as written: ``\\color{red}``, ``\\textcolor``, ``\\underline``, ``\\mathbf`` are
      transparent, white or ``\\phantom`` text is refused; digits are ASCII (full-width and other
      look-alikes are refused), superscripts are exponents, ``½`` is a fraction, ``five`` is 5,
      ``1 000 000`` and ``32,\\!348`` are numbers; words after a number that qualify it ("or more",
      "(approximately)", "maybe") make the answer unparseable, not a unit.
    - Several different values for a single-valued gold (``1 or 2``, two boxes, a list of
      candidates) score 0 ("several_answers"). Expression bombs (``10^{10^{10^{10}}}``, ``(10^7)!``,
      1 MB of LaTeX) are refused ("too_large"/"unparseable") before anything is evaluated.
    - Symbolic equivalence: sympy on expressions built from the AST; closed-form constants are
      decided exactly (the difference simplifies to 0, or stays zero while the precision grows to
      5000 digits: ``\\pi + e^{-100}`` is not ``\\pi``); expressions with variables by agreement at
      points covering the real line (negatives, near zero, large) and both sides of every point
      where the gold changes form (``|x - 5|`` is not ``5 - x``), counted in the gold's domain, and at small
      integers and 1/2 exactly; a difference that is a rational function is cancelled exactly; a floor or ceiling
      the gold lacks, a part of the answer below 10^-20 of it at every point (a bump ``e^{-10^8 (x - c)^2}`` that
      no finite set of points can be trusted to hit, or a constant ``e^{-2000}``), or a function steepened by a
      constant >= 1000 when the gold has none (``1 - \\tanh^2(10^6 (x - c))``, a bump spread over a sum) pays
      only when sympy simplifies the difference to 0.

    Reasons: "correct", "wrong_answer", "several_answers", "no_answer", "unparseable",
    "too_large", "timeout", "cas_error" (the sympy worker crashed on this answer),
    "unsupported_gold"; ``detail["stage"]`` says which stage decided.

    >>> verify("so \\\\boxed{1/2}", "\\\\frac{1}{2}").passed
    True
    >>> verify("<answer>x \\\\ge 2</answer>", "[2, \\\\infty)").passed
    True
    >>> verify("<answer>1 or 2</answer>", "2").reason
    'several_answers'
    """
    if not isinstance(completion, str) or not isinstance(gold, str):
        raise TypeError("verify takes a completion and a gold answer as str")
    found = read_final(completion, require_answer_block=options.require_answer_block)
    if options.require_answer_block and found.source == "none":
        return Verdict.fail("no_answer", message="no \\boxed{} or <answer> block (require_answer_block)")
    if found.text is None or not found.text.strip():
        return Verdict.fail("no_answer", message="no \\boxed{}, <answer> block or final answer sentence found")
    answer_text: str = found.text
    if found.source == "hedge":
        return Verdict.fail("several_answers", message="the final box is followed by another candidate value")
    if found.source == "retracted":
        return Verdict.fail("several_answers", message="a later statement gives another value than the last box")
    reference = _parse_gold(gold)
    gold_items = reference.ast.items if isinstance(reference.ast, (List, Set)) else ()
    if found.source == "boxed" and gold_items and found.boxes < len(gold_items):
        # the members of a list gold boxed one by one, with reasoning between them
        gathered = gather_boxes(final_response(completion), len(gold_items))  # never a box in the thoughts
        if gathered is not None:
            answer_text = gathered
    try:
        answer = parse(answer_text)
    except TooLarge as error:
        return Verdict.fail("too_large", message=f"answer refused: {error}")
    except ParseError as error:
        if reference.ast is None:
            return _unsupported_gold(reference.text, answer_text, options)
        return Verdict.fail("unparseable", message=f"{error}: {answer_text[:200]!r}")
    if reference.ast is None:
        return _unsupported_gold(reference.text, answer_text, options)
    return _judge(reference.ast, answer, options)


def _unsupported_gold(gold_text: str, answer_text: str, options: Options) -> Verdict:
    """A gold outside the grammar: its exact normalised text, else math-verify in a worker."""
    if normalise(answer_text) == normalise(gold_text):
        return Verdict.correct(stage="text")
    if _looks_like_a_bomb(answer_text):
        return Verdict.fail("too_large", message="answer refused: numbers too large for an unchecked comparison")
    if options.use_cas and options.math_verify_fallback:
        outcome = _run_symbolic(gold_text, answer_text, options, kind="fallback")
        if outcome[0] == "ok":
            return Verdict.correct(stage="math-verify") if outcome[1] else Verdict.fail("wrong_answer", stage="math-verify")
        if outcome[0] == "timeout":
            return Verdict.fail("timeout", message="math-verify fallback timed out", timeout_s=options.cas_timeout_s)
    return Verdict.fail("unsupported_gold", message=f"gold outside the grammar and not matched: {gold_text[:200]!r}")


_BOMB_SIGNS = (
    re.compile(r"\d{7,}"),  # a number of seven digits or more
    re.compile(r"\^\s*\{?\s*-?\d{4,}"),  # an exponent of a thousand or more
    re.compile(r"\^\s*\{[^{}]*\^"),  # a tower a^{b^c}
    re.compile(r"\\(?:sum|prod)\s*_\s*\{[^{}]*\}\s*\^\s*\{[^{}]*(?:\^|\d{4,})"),  # a sum of 10^9 terms
    re.compile(r"\d{3,}\s*\)?\s*!"),  # a factorial of a hundred or more
)


def _looks_like_a_bomb(text: str) -> bool:
    """A cheap screen before an answer outside the grammar goes to math-verify (which would evaluate
    it, up to the kill): big numbers, big exponents, towers, long sums, big factorials."""
    return len(text) > 6000 or any(pattern.search(text) for pattern in _BOMB_SIGNS)


def _judge(gold: Node, answer: Node, options: Options) -> Verdict:
    try:
        result = Judge(options).equal(gold, answer)
    except AnswerTooLarge as error:
        return Verdict.fail("too_large", message=f"answer refused: {error}")
    stage = "exact"
    if result is None and options.use_cas:
        stage = "cas"
        outcome = _symbolic(gold, answer, options)
        if outcome[0] == "ok":
            result = bool(outcome[1])
        elif outcome[0] == "too_large":
            return Verdict.fail("too_large", message=f"answer refused: {outcome[1]}")
        elif outcome[0] == "timeout":
            return Verdict.fail("timeout", message="symbolic comparison timed out", timeout_s=options.cas_timeout_s)
        elif outcome[0] == "died":
            return Verdict.fail("cas_error", message=str(outcome[1]))
        else:
            logger.debug("sympy could not compare: %s", outcome[1])
            return Verdict.fail("wrong_answer", message=f"not shown equivalent ({outcome[1]})", stage=stage)
    if result:
        return Verdict.correct(stage=stage)
    if isinstance(answer, List) and not is_multiple(gold) and intervals_of(gold) is None:
        return Verdict.fail("several_answers", message="several answers given for a single-valued gold")
    return Verdict.fail("wrong_answer", stage=stage)


def _symbolic(gold: Node, answer: Node, options: Options) -> tuple[str, object]:
    """The CAS outcome, cached: RL batches repeat the same answer to the same problem often."""
    key = (gold, answer, options)
    cached = _CAS_CACHE.get(key)
    if cached is not None:
        return cached
    outcome = _run_symbolic(gold, answer, options)
    if outcome[0] in ("ok", "too_large"):  # never cache a timeout: the machine may just be busy
        with _CAS_CACHE_LOCK:
            if len(_CAS_CACHE) >= CAS_CACHE_SIZE:
                _CAS_CACHE.pop(next(iter(_CAS_CACHE)))
            _CAS_CACHE[key] = outcome
    return outcome


def _run_symbolic(gold: Any, answer: Any, options: Options, kind: str = "judge") -> tuple[str, object]:
    from assay.verifiers.math import worker as math_worker

    if os.environ.get(_IN_POOL_WORKER) == "1":
        # inside assay.executors.pool the whole item is killed at its deadline, so sympy may run here
        run = math_worker.run_inline if kind == "judge" else math_worker.run_fallback
        return run(gold, answer, options)
    pool = math_worker.shared_pool()
    return pool.judge(gold, answer, options) if kind == "judge" else pool.fallback(gold, answer, options)


if os.environ.get(_IN_POOL_WORKER) == "1":
    # comparisons run in this process in a pool worker: import sympy now, at the worker's start,
    # rather than inside the deadline of its first item that needs it (seconds on a busy machine)
    from assay.verifiers.math import cas as _cas  # noqa: F401

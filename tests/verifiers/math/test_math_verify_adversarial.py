"""Adversarial rows written by the helper session "mathv" (2026-12-06): right answers in forms the
other tables did not try, near misses and cheats, each row a wrong verdict of the code before it
(or its near miss, so a fix cannot overreach). (gold, completion, expected, why).
"""

from __future__ import annotations

import pytest

from assay.verifiers.math import Options, verify


def B(answer: str) -> str:
    return f"Working it out step by step.\nSo the answer is $\\boxed{{{answer}}}$."


THOUGHTS = [  # a box written while thinking is never part of the answer, not even when boxes are gathered
    ("-6, -2", "<think>maybe \\boxed{7}</think>The answer is $\\boxed{-6, -2}$.", True, "a list gold, a stray box in the thoughts"),
    ("-6, -2", "<think>first root \\boxed{-6}</think>So $x = \\boxed{-2}$.", False, "half a list boxed in the thoughts"),
    ("-6, -2", "<think>hmm</think>So $x = \\boxed{-6}$ and $x = \\boxed{-2}$.", True, "both roots boxed after the thoughts"),
]

BUMPS = [  # an expression equal to the gold at every test point but not everywhere
    ("x^2 - 3x + 2", B(r"x^2 - 3x + 2 + e^{-10^{6} x^2}"), False, "a narrow bump at 0"),
    ("x^2 - 3x + 2", B(r"x^2 - 3x + 2 + e^{-10^{6}(x-3)^2}"), False, "a narrow bump at 3"),
    ("x^2 - 3x + 2", B(r"x^2 - 3x + 2 + \lfloor \frac{1}{1+x^2} \rfloor"), False, "a floor that is 1 at 0 only"),
    ("x^2 - 3x + 2", B(r"x^2 - 3x + 2 + \lfloor \frac{1}{1+100(x-1.5)^2} \rfloor"), False, "a floor step between points"),
    ("e^x", B(r"e^x + e^{-(10^{4})^{2}(x-1.2345)^2}"), False, "a bump far from every point"),
    ("e^x", B(r"e^x\left(1 + e^{-(10^{4})^{2}(x-1.2345)^2}\right)"), False, "a bump as a factor"),
    ("e^x", B(r"\sqrt{e^{2x} + e^{-(10^{4})^{2}(x-1.2345)^2}}"), False, "a bump under a root"),
    ("e^x", B(r"e^x + (10^{-100})^{20}\sin x"), False, "a term below any working precision"),
    ("e^x", B(r"e^x(1 + e^{-2000})"), False, "a factor 1 + e^{-2000}"),
    (r"\sin x", B(r"\sin(x)(1 + e^{-1000})"), False, "a factor 1 + e^{-1000}"),
    ("xy", B(r"xy + e^{-10^{6}(x^2+y^2)}"), False, "a bump at the origin of two variables"),
    ("x^2 + C", B(r"x^2 + e^{-10^{6}x^2} + C"), False, "an antiderivative with a bump"),
    ("x^2 + C", B(r"x^2 + \lfloor \frac{1}{1+x^2} \rfloor + C"), False, "an antiderivative with a step"),
    ("x^2 + C", B(r"x^2 + 0 \cdot C"), False, "a constant of integration multiplied by 0"),
    ("x^2 + C", B(r"x^2 + 2C"), True, "a constant of integration doubled is still one"),
    ("e^x", B(r"e^x + 1 - \tanh^{2}(10^{6}(x-1.2345))"), False, "a sech^2 bump spread over a sum"),
    ("e^x", B(r"e^x + 1 - \tanh(e^{e^{3}}(x-1.2345)^2)"), False, "a steep function through a constant tower"),
    ("e^x", B(r"\sinh(10^{6}x)"), False, "a steep wrong answer, told at the points (no slow proof attempt)"),
    # near misses of the rule: right answers that stay right
    (r"\tanh(1000x)", B(r"\frac{e^{2000x}-1}{e^{2000x}+1}"), True, "a steep gold, a steep answer"),
    (r"\cos(2000x)", B(r"1 - 2\sin^{2}(1000x)"), True, "a steep identity sympy proves"),
    ("x^2 - 3x + 2", B(r"x^2 - 3x + 2 + \ln(e^{x}) - x"), True, "an identity exact at the integer points"),
    (r"e^{-100x^2}", B(r"(e^{-x^2})^{100}"), True, "a narrow gaussian the gold has too"),
    (r"\lfloor x \rfloor", B(r"\lfloor x \rfloor"), True, "a floor the gold has"),
    (r"\lfloor x \rfloor + 1", B(r"\lceil x \rceil"), False, "ceiling is not floor + 1 at the integers"),
    ("x e^{-x}", B(r"\frac{x}{e^{x}}"), True, "a function tiny at the far points only"),
    (r"\frac{x^{50}-1}{x-1}", B("+".join(f"x^{{{k}}}" for k in range(50))), True, "a rational identity decided exactly"),
]

INFINITY = [  # \infty inside arithmetic is a limit's shorthand, not a value
    ("0", B(r"\frac{1}{\infty}"), False, "one over infinity for 0"),
    ("0", B(r"\frac{5}{\infty}"), False, "five over infinity for 0"),
    (r"\infty", B(r"+\infty"), True, "plus infinity is infinity"),
    (r"-\infty", B(r"-\infty"), True, "minus infinity"),
    (r"[2, \infty)", B(r"x \ge 2"), True, "infinity as an interval's end"),
]

FORMS = [  # plain-text forms: mixed numbers, the root sign before a number, a degree sign written ^o
    (r"\frac{5}{2}", B("2 1/2"), True, "a plain mixed number"),
    ("1", B("2 1/2"), False, "a mixed number is not a product"),
    (r"-\frac{3897}{40}", B("-97 17/40"), True, "a negative plain mixed number"),
    (r"\frac{7}{2}", B("2 3/2"), False, "an improper fraction after a whole number is no mixed number"),
    (r"\frac{7}{2}", B(r"2\frac{3}{2}"), False, "nor in LaTeX: 7/2 or 3 is ambiguous"),
    ("3", B(r"2\frac{3}{2}"), False, "2\\frac{3}{2} read as a product is refused too"),
    (r"\frac{5}{2}", B(r"2\frac{1}{2}"), True, "a LaTeX mixed number stays"),
    (r"2\sqrt{19}", B("2√19"), True, "the root sign before a number"),
    (r"2\sqrt{19}", B("√76"), True, "the root sign before an unsimplified number"),
    (r"\sqrt{19} x", B("√19x"), True, "the root sign takes the number only"),
    (r"\sqrt{19 x}", B("√19x"), False, "the root sign takes the number only, not the product"),
    (r"\sqrt{x}", B("√x"), True, "the root sign before a letter"),
    (r"30^\circ", B("30^o"), True, "a degree sign written ^o"),
    (r"\frac{\pi}{6}", B("30^{o}"), True, "a degree sign written ^{o}, against radians"),
    (r"30^\circ", B("60^o"), False, "a wrong angle written ^o"),
]

SETS = [  # set-builder notation over the reals, logic symbols, a union split at a point it contains
    (r"[-8, \infty)", B(r"\{x \in \mathbb{R} : x \geq -8\}"), True, "set-builder notation over the reals"),
    (r"[-8, \infty)", B(r"\{x \in \mathbb{R} \mid x > -8\}"), False, "set-builder over the reals, open end"),
    (r"[-8, \infty)", B(r"\{x \in \mathbb{Z} : x \geq -8\}"), False, "set-builder over the integers is another set"),
    (r"(-\infty, -2) \cup (0, 2]", B(r"x < -2 \lor 0 < x \le 2"), True, "\\lor between conditions"),
    (r"(1, 3)", B(r"x > 1 \land x < 3"), True, "\\land between conditions"),
    (r"(1, 3)", B(r"x > 1 \wedge x < 4"), False, "\\wedge between conditions, wrong bound"),
    ("5", B(r"5 \vee 6"), False, "\\vee between two values is a hedge"),
    (r"(-\infty, -2) \cup (0, 2]", B(r"(-\infty,-2)\cup(0,1]\cup(1,2]"), True, "a union split at a point it keeps"),
    (r"(-\infty, -2) \cup (0, 2]", B(r"(-\infty,-2)\cup(0,1)\cup(1,2]"), False, "a union split at a point it drops"),
    (r"[0, 1] \cup [1, 2]", B("[0, 2]"), True, "a gold split at a point it keeps"),
    (r"(-\infty, 0) \cup (0, \infty)", B(r"(-\infty, 0] \cup (0, \infty)"), False, "the point 0 put back"),
]

LITERAL = [  # literal_answers: scientific notation is a number as written
    ("224", B(r"2.24 \times 10^2"), True, "scientific notation"),
    ("0.00224", B(r"2.24 \cdot 10^{-3}"), True, "scientific notation, a negative exponent"),
    ("224", B(r"22.4 \times 10^1"), False, "a mantissa of 10 or more is a product"),
    ("224", B(r"10^2 \times 2.24"), False, "the power first is a product"),
    ("224", B(r"2.24 \times 10^{2} + 0"), False, "scientific notation in an expression"),
    ("3", B("--3"), False, "a double minus is an operation"),
    ("3", B("-(-3)"), False, "a negated negative is an operation"),
    ("-3", B("-3"), True, "one minus is a number"),
]

WORDS = [  # no box: the final statement's value written in words
    ("12", "Adding the parts, the total is twelve.", True, "a number word closes the solution"),
    ("24", "So she has twenty-four.", True, "a hyphenated number word"),
    ("13", "Adding the parts, the total is twelve.", False, "a number word, wrong"),
    ("12", "It is twelve or thirteen.", False, "two number words, hedged"),
    ("1", "The answer is the one above.", False, "'one' as a pronoun is no value"),
    ("5", B(r"\text{answer} = 5"), True, "a box naming the answer, then its value"),
    ("5", B(r"\text{answer} = 6"), False, "a box naming the answer, then a wrong value"),
    # no box: a negated, questioned or guessed final statement states no answer
    ("5", "The answer isn't 5.", False, "a negated final statement"),
    ("5", "After all that, 5 is not the answer.", False, "a value denied"),
    ("5", "Is the answer 5?", False, "a question"),
    ("5", "Hmm, the answer could be 5.", False, "a guess of one value"),
    ("5", "I think the answer is 5.", True, "a plain claim stays an answer"),
    ("5", "Adding them, we get 5.", True, "a plain final statement stays an answer"),
]

DOMAINS = [  # a point is in an expression's real domain only when every root and logarithm in it is real
    (r"\sqrt{x}\sqrt{x+1}", B(r"\sqrt{x^2+x}"), True, "a product of roots, real only for x >= 0"),
    (r"\sqrt{x}\sqrt{x+1}", B(r"-\sqrt{x^2+x}"), False, "a product of roots, the wrong sign"),
    (r"\sqrt{x^2+x}", B(r"\sqrt{x}\sqrt{x+1}"), True, "the answer with the smaller domain, as ln x^2 against 2 ln x"),
    (r"\sqrt{x-3}\sqrt{5-x}", B(r"\sqrt{(x-3)(5-x)}"), True, "a domain between two breakpoints gets test points"),
    (r"\sqrt{x-3.5}\sqrt{3.6-x}", B(r"\sqrt{(x-3.5)(3.6-x)}"), True, "a narrow domain between two breakpoints"),
    (r"\sqrt{x-3}\sqrt{5-x}", B(r"-\sqrt{(x-3)(5-x)}"), False, "a narrow domain, the wrong sign"),
    # a sum that cancels at a far point is looked at again at the precision it needs (or not at all)
    (r"\cosh^2 x - \sinh^2 x", B("1"), True, "a hyperbolic identity cancelling 6878 digits at x = -7919"),
    ("1", B(r"\cosh^2 x - \sinh^2 x"), True, "the same identity as the answer"),
    (r"\cosh^2 x - \sinh^2 x", B(r"1 + 10^{-30}"), False, "a hyperbolic identity, a tiny constant away"),
    ("x^3", B(r"x^3 + 10^{-5}x^4 + \cosh^2 x - \sinh^2 x - 1"), False, "a cancelling gadget does not hide a wrong term"),
]

MONEY = [  # a gold in dollars keeps its unit: cents convert, other currencies do not match
    (r"\$5", B(r"5\text{ cents}"), False, "cents for dollars"),
    (r"\$5", B(r"500\text{ cents}"), True, "cents converted"),
    (r"\$5", B(r"5\text{ euros}"), False, "another currency"),
    (r"\$5", B("5"), True, "a bare number for dollars"),
    (r"\$32,\!348", B(r"\$32,348"), True, "dollars with separators"),
    ("12.5", B(r"\$12.50."), True, "dollars and a full stop against a bare gold"),
]

_M = r"\begin{pmatrix}1&2\\3&4\end{pmatrix}"
MATRICES = [  # a scalar before a matrix is taken into its entries; a product of matrices stays no answer
    (_M, B(r"\frac{1}{2}\begin{pmatrix}2&4\\6&8\end{pmatrix}"), True, "a fraction pulled out of a matrix"),
    (_M, B(r"2 \cdot \begin{pmatrix}0.5&1\\1.5&2\end{pmatrix}"), True, "a factor times a matrix"),
    (_M, B(r"\frac{1}{2}\begin{pmatrix}2&4\\6&9\end{pmatrix}"), False, "a factor times a wrong matrix"),
    (_M, B(r"\begin{pmatrix}1&0\\0&1\end{pmatrix}\begin{pmatrix}1&2\\3&4\end{pmatrix}"), False, "a product of matrices"),
    ("(2, 4)", B(r"2\begin{pmatrix}1\\2\end{pmatrix}"), True, "a factor times a column vector"),
]

TABLE = THOUGHTS + BUMPS + INFINITY + FORMS + SETS + WORDS + DOMAINS + MONEY + MATRICES


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_adversarial(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold)
    assert verdict.passed is expected, (why, verdict)
    assert verdict.reason != "timeout", (why, "decided, not timed out")


@pytest.mark.parametrize("gold, completion, expected, why", LITERAL, ids=[row[3] for row in LITERAL])
def test_literal_answers(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold, options=Options(literal_answers=True))
    assert verdict.passed is expected, (why, verdict)

"""Adversarial table for ``assay.verifiers.math.verify``: right answers in forms nobody planned for,
near misses and cheats, each row (gold, completion, expected, why), graded as MATH/GSM8K/AIME would.

Policy decisions (what counts as right when graders could differ) are written in each row's ``why``
and summed up in ``POLICY``. Every row is also put to math-verify (in a killable child process,
never imported by the verifier); ``MATH_VERIFY_WRONG`` records the rows it gets wrong, so the two
are compared on the same rows (``test_assay_is_wrong_less_often_than_math_verify``).
"""

from __future__ import annotations

import threading
import time

import pytest
from test_math_support import math_verify_passes
from assay.verifiers.math import verify

POLICY = """
- Percent golds: 50% accepts 50%, 50, 0.5 and 1/2 (a percent or a fraction of one); a plain gold
  0.5 accepts 50%; a plain gold 3 accepts 3% (GSM8K writes percents without the sign).
- Degrees: a gold in degrees accepts the bare number and the radian value; a radian gold accepts
  the value with a degree sign but never the bare degree number (pi/3 is not 60).
- Units: the names must agree when both sides give one (no conversion); a missing unit is fine.
  Words after the number that qualify it ("or more", "approximately", "(not sure)") are not a unit.
- Unevaluated expressions equal to the gold (17 \\cdot 23 for 391) pass by default; tasks that ask
  for a value set ``literal_answers`` (see test_math_tasks_adversarial.py). A copied question with a
  "?" or an operator outside the grammar (\\gcd, \\min) is not an answer.
- A repeated item ("3, 3", {3, 3}) is not the single answer 3: repeated items are a degenerate hedge.
- Hidden or decorated text: \\phantom and \\color{white} hide content and are refused; visible
  decorations (\\color{red}, \\textcolor, \\underline, \\mathbf) are transparent.
- Digits are ASCII: full-width, Arabic-Indic and mathematical-bold digits are refused as look-alikes;
  superscripts ² and ³ are exponents; vulgar fractions (½) are fractions.
- A box is the formal answer: an unboxed sentence after the last box does not replace it.
- Expression bombs are refused even when they would cancel (10^{10^{10}} - 10^{10^{10}} + 5).
- (a, b) as a gold may be a point or an open interval (documented ambiguity): 1 < x < 2 matches it.
"""


def B(answer: str) -> str:
    """A completion that boxes ``answer`` after some reasoning."""
    return f"We work it out carefully.\nTherefore the answer is $\\boxed{{{answer}}}$."


def A(answer: str) -> str:
    """A completion with an answer block."""
    return f"Reasoning omitted.\n<answer>{answer}</answer>"


def bug(gold: str, completion: str, expected: bool, why: str, reason: str):
    """A row the verifier gets wrong today: a strict xfail naming the fault."""
    return pytest.param(gold, completion, expected, why, marks=pytest.mark.xfail(strict=True, reason=reason), id=why)


# Faults found in the fourth round (the verifier's engineer still at work): strict xfails.
BLACK_ON_BLACK = "lexer: \\colorbox{black}{\\color{black}4} hides the answer (same colour as its background) and passes"
NINETY_TEN = "lexer: number words add any tens and units: 'ninety-ten' reads as 100"
MORE_WORDS = "lexer: 'a hundred' and 'one half' are not read as numbers"
REVERSED_LABEL = "compare: '5 = a + b' (the label on the right) fails while 'a + b = 5' passes"
BOX_HEDGE = "math_extract.final_boxes: boxes apart are grouped only across ', and or' gaps; '(or \\boxed{2})', 'Alternatively, it could be', 'or possibly', '/', '\\lor', 'might also be' let the last box win alone"
SENTENCE_HEDGE = "math_extract._last_sentence: 'The answer is $5$ (or $6$).' keeps the first math span and drops the hedge"
SENTENCE_CLAUSE = "math_extract._last_sentence: 'the final answer is 5, which is odd.' reads '5, which is odd' (a list)"
NESTED_TEXT = "lexer: \\text{\\textbf{5}} and \\text{The answer is } 5 inside a box are not read"
SETMINUS_INTERVAL = "compare: \\mathbb{R} \\setminus [-2, 2] is not the union (-inf, -2) U (2, inf)"


ROWS = [
    # -- fractions and numbers in many spellings ------------------------------------------------
    (r"\frac{1}{2}", B(r"\dfrac12"), True, "dfrac with single-token arguments"),
    ("0.5", B(r"\tfrac{1}{2}"), True, "tfrac against a decimal gold"),
    (r"\frac{1}{2}", B("2^{-1}"), True, "a negative power"),
    (r"\frac{1}{2}", B("0.5"), True, "a terminating decimal"),
    (r"\frac{1}{2}", B(".5"), True, "a decimal without its leading zero"),
    (r"\frac{1}{2}", B("1/2"), True, "a plain slash fraction"),
    (r"\frac{1}{2}", B(r"\frac{1}{2}."), True, "a sentence period inside the box"),
    (r"\frac{1}{2}", B(r"\frac{1}{2}\,"), True, "trailing thin space"),
    (r"\frac{1}{2}", B(r"-(-\frac{1}{2})"), True, "a double negative"),
    (r"\frac{1}{2}", B(r"\frac{1}{-2}"), False, "sign in the denominator"),
    (r"-\frac{1}{2}", B(r"\frac{1}{-2}"), True, "a negative denominator"),
    (r"-\frac{1}{2}", B(r"-\left(\frac{1}{2}\right)"), True, "minus a parenthesised fraction"),
    (r"-\frac{1}{2}", B("- 0.5"), True, "a spaced minus"),
    (r"-\frac{1}{2}", B("\u22120.5"), True, "a unicode minus"),
    (r"-\frac{1}{2}", B(r"\frac{1}{2}"), False, "wrong sign"),
    ("0", B("-0"), True, "negative zero"),
    ("0", B("0.0"), True, "zero as a decimal"),
    ("2", B("02"), True, "a leading zero"),
    ("2", B("2.00"), True, "trailing zeros"),
    ("2", B(r"\frac{4}{2}"), True, "an unreduced fraction"),
    ("2", B(r"2.\overline{0}"), True, "a repeating zero"),
    ("1", B(r"0.\overline{9}"), True, "0.999... is 1"),
    ("1", B("0.999"), False, "three nines are not 1"),
    (r"\frac{1}{3}", B(r"0.333\ldots"), False, "an ellipsis does not say which digits repeat (policy)"),
    (r"\frac{1}{3}", B("0.33"), False, "a rounded decimal of an exact gold"),
    (r"\frac{2}{3}", B("0.67"), False, "a rounded-up decimal of an exact gold"),
    (r"\frac{2}{3}", B("0.6667"), False, "four places of an exact gold"),
    (r"\frac{3}{2}", B(r"1\frac{1}{2}"), True, "a mixed number"),
    (r"\frac{3}{2}", B(r"1 \frac{1}{2}"), True, "a mixed number with a space"),
    (r"\frac{3}{2}", B(r"1\tfrac12"), True, "a mixed number with tfrac"),
    (r"\frac{3}{2}", B(r"1\frac{1}{3}"), False, "a wrong mixed number"),
    (r"\frac{1}{2}", B("\u00bd"), True, "a vulgar fraction (policy)"),
    (r"\frac{1}{2^{98}}", B(r"\frac{1}{2^{99}}"), False, "tiny different values (math-verify rounds to 6 places)"),
    ("7", B("8"), False, "off by one"),
    ("3", B("34"), False, "digits concatenated"),
    ("3", B("3.0000000001"), False, "a near miss above"),
    ("3", B("2.9999999999"), False, "a near miss below"),
    ("3", B("3 + 10^{-20}"), False, "an expression a hair away"),
    ("1", B("1+10^{-1000}"), False, "an offset smaller than any float"),
    ("0", B("10^{-1000}"), False, "a tiny nonzero value against zero"),
    ("0", B("0.0000000001"), False, "a tiny decimal against zero"),
    # -- thousands separators and scientific notation ------------------------------------------
    ("1000", B("1{,}000"), True, "LaTeX comma separator"),
    ("1000", B(r"1\,000"), True, "thin-space separator"),
    ("1000000", B(r"1\,000\,000"), True, "two thin-space separators"),
    ("1000", B("1~000"), True, "tie separator"),
    ("1000", B("1 000"), True, "plain space separator (SI style)"),
    (r"10,\!000", B("10000"), True, "MATH's ,\\! separator in the gold"),
    ("10000", B(r"10,\!000"), True, "MATH's ,\\! separator in the answer"),
    ("1,234", B("1234"), True, "a gold with a comma separator"),
    ("1234", B("1,234"), True, "an answer with a comma separator"),
    ("1234", B("1.234"), False, "a European separator reads as a decimal point"),
    ("1000", B("10,00"), False, "a misplaced comma is a list"),
    ("300000", B(r"3 \times 10^{5}"), True, "scientific notation"),
    ("300000", B(r"3 \cdot 10^5"), True, "scientific notation with cdot"),
    ("300000", B(r"3.0 \times 10^{5}"), True, "scientific notation with a decimal mantissa"),
    ("300000", B(r"3 \times 10^{6}"), False, "scientific notation off by a power"),
    ("0.0015", B(r"1.5 \times 10^{-3}"), True, "negative exponent"),
    # -- radicals, pi, e, logarithms -------------------------------------------------------------
    (r"\frac{\sqrt{2}}{2}", B(r"\sqrt{2}/2"), True, "sqrt(2)/2 plain"),
    (r"\frac{\sqrt{2}}{2}", B(r"1/\sqrt{2}"), True, "1/sqrt(2)"),
    (r"\frac{\sqrt{2}}{2}", B(r"\frac{1}{\sqrt2}"), True, "unrationalised denominator"),
    (r"\frac{\sqrt{2}}{2}", B(r"\frac{\sqrt2}{2}"), True, "sqrt without braces"),
    (r"\frac{\sqrt{2}}{2}", B(r"\sqrt{\frac12}"), True, "root of a half"),
    (r"\frac{\sqrt{2}}{2}", B(r"2^{-1/2}"), True, "a fractional power"),
    (r"\frac{\sqrt{2}}{2}", B(r"\frac{\sqrt{3}}{2}"), False, "sqrt(3)/2"),
    (r"\frac{\sqrt{2}}{2}", B("0.7071"), False, "a decimal of an irrational gold"),
    (r"8\sqrt{2}", B(r"\sqrt{128}"), True, "an unsimplified radical"),
    (r"8\sqrt{2}", B(r"8 \cdot \sqrt{2}"), True, "explicit product"),
    (r"8\sqrt{2}", B("8 * sqrt(2)"), True, "plain-text radical"),
    (r"8\sqrt{2}", B(r"8\sqrt{3}"), False, "wrong radicand"),
    (r"\sqrt{2}", B(r"\sqrt[2]{2}"), True, "explicit square-root index"),
    (r"\sqrt{2}", B(r"-\sqrt{2}"), False, "the negative root"),
    (r"\sqrt{2}", B("1.414213562373095"), False, "sixteen digits of an irrational"),
    (r"2\pi", B(r"\pi \cdot 2"), True, "commuted pi"),
    (r"2\pi", B(r"\tau"), False, "tau is a variable here (policy)"),
    (r"\pi", B(r"\pi r^2"), False, "a formula instead of a value"),
    ("e", B(r"\exp(1)"), True, "exp(1)"),
    ("e^{-1}", B(r"\frac{1}{e}"), True, "1/e"),
    (r"\ln 2", B(r"\log 2"), True, "log without a base is natural (documented)"),
    (r"\log_2 8", B("3"), True, "a logarithm gold"),
    ("0", B(r"\sin(10^{100}\pi)"), True, "sine of a huge multiple of pi is exactly 0"),
    # -- degrees and radians -----------------------------------------------------------------------
    (r"60^\circ", B(r"\frac{\pi}{3}"), True, "degrees gold, radian answer"),
    (r"\frac{\pi}{3}", B(r"60^\circ"), True, "radian gold, degree answer"),
    (r"\frac{\pi}{3}", B("60"), False, "radian gold, bare degree number (policy)"),
    (r"150^\circ", B("150"), True, "degree sign left out"),
    (r"150^\circ", B(r"150\degree"), True, "\\degree"),
    (r"150^\circ", B("150\u00b0"), True, "unicode degree sign"),
    (r"150^\circ", B(r"\frac{5\pi}{6}"), True, "radians for a degree gold"),
    (r"150^\circ", B(r"30^\circ"), False, "the supplement"),
    (r"\frac{\pi}{4}", B("0.785"), False, "a decimal of pi/4"),
    (r"\left( 3, \frac{\pi}{2} \right)", B(r"(3, \pi/2)"), True, "polar coordinates"),
    (r"\left( 3, \frac{\pi}{2} \right)", B(r"(3, -\pi/2)"), False, "polar coordinates, wrong angle"),
    # -- equations, chains, self-corrections --------------------------------------------------------
    ("3", B("x=3"), True, "x=3 for 3"),
    ("3", B("x = 3 = 3"), True, "a consistent chain"),
    ("3", B("2 + 1 = 3"), True, "the computation shown"),
    ("3", B("x = 2 = 3"), False, "a chain with a wrong side (math-verify takes the last side)"),
    ("3", B("x = 3 = 2"), False, "a chain ending wrong"),
    ("3", B("2 + 2 = 3"), False, "a false computation ending in the gold"),
    ("391", B(r"17 \cdot 23 = 390"), False, "a computation with a wrong result"),
    ("3", B(r"\sqrt{9} = \pm 3"), False, "a chain with a plus-minus side"),
    ("3", r"\boxed{3} Wait, that's wrong. The answer is \boxed{4}.", False, "corrected to a wrong value"),
    ("3", r"\boxed{4} Hmm, no. Recomputing: \boxed{3}", True, "corrected to the right value"),
    ("3", r"\boxed{4} Wait, that's wrong. The answer is 3.", False, "a box beats a later unboxed sentence (policy)"),
    ("3", r"So the answer is \boxed{3}. Let me double-check: yes, 3.", True, "a double check after the box"),
    ("3", "<answer>3</answer><answer>4</answer>", False, "the last answer block wins"),
    ("3", "<answer>4</answer><answer>3</answer>", True, "the last answer block is right"),
    ("3", r"\boxed{3} <answer>3</answer>", True, "a box and a block that agree"),
    # -- tuples, sets, lists -----------------------------------------------------------------------
    ("(3,-2)", B(r"\left( 3 , -2 \right)"), True, "left/right with spaces"),
    ("(3,-2)", B("(-2, 3)"), False, "a swapped ordered pair"),
    ("(3,-2)", B(r"\{3, -2\}"), False, "a set for an ordered pair"),
    ("(1,2)", B("[1, 2]"), False, "a closed interval for a point"),
    ("(1,2)", B("1 < x < 2"), True, "(a, b) may be an open interval (documented ambiguity)"),
    (r"\{1,2\}", B("2, 1"), True, "a set as a reversed list"),
    (r"\{1,2\}", B(r"\{2,1\}"), True, "a reordered set"),
    (r"\{1,2\}", B(r"\{1\}"), False, "one root missing"),
    (r"\{1,2\}", B(r"\{1, 2, 2\}"), False, "a root repeated"),
    (r"\{1,2,3\}", B(r"\{1,2\}"), False, "one of three roots missing"),
    ("1, 2", B("x=1, x=2"), True, "roots as equations"),
    ("1, 2", B("x_1=1, x_2=2"), True, "subscripted roots"),
    ("1, 2", B(r"x=1 \text{ and } x=2"), True, "roots joined by and"),
    ("1, 2", r"The roots are $\boxed{1}$ and $\boxed{2}$.", True, "one box per root"),
    (r"\{3,4\}", B(r"x \in \{3, 4\}"), True, "membership in the solution set"),
    ("3", B(r"x \in \{3, 4\}"), False, "membership in a candidate set"),
    (r"\emptyset", B(r"\{\}"), True, "empty braces"),
    (r"\emptyset", B(r"\varnothing"), True, "varnothing"),
    (r"\emptyset", B(r"\text{no solution}"), True, "no solution for the empty set"),
    (r"\text{no solution}", B(r"\emptyset"), True, "the empty set for no solution"),
    (r"\emptyset", B("0"), False, "zero is not the empty set"),
    # -- intervals and inequalities ----------------------------------------------------------------
    (r"(-\infty, 3]", B(r"x \le 3"), True, "a ray as an inequality"),
    (r"(-\infty, 3]", B(r"x \leq 3"), True, "leq"),
    (r"(-\infty, 3]", B(r"(-\infty,3)"), False, "open instead of closed end"),
    (r"(-\infty, 3]", B(r"(-\inf, 3]"), True, "\\inf for infinity in an interval"),
    (r"(-\infty, 3]", B(r"(-\text{inf}, 3]"), True, "inf as text"),
    (r"[-2,7]", B(r"-2 \le x \le 7"), True, "a double inequality"),
    (r"[-2,7]", B("[-2, 7)"), False, "half-open instead of closed"),
    ("[1,3]", B("(1,3]"), False, "open left end"),
    ("(1,3)", B("(3,1)"), False, "a reversed interval"),
    ("[1,2]", B("(1, 2)"), False, "open for closed"),
    (r"(-\infty,-2)\cup(2,\infty)", B(r"x<-2 \text{ or } x>2"), True, "a union as inequalities joined by or"),
    (r"(-\infty,-2)\cup(2,\infty)", B(r"(-\infty,-2]\cup[2,\infty)"), False, "closed ends in a union"),
    (r"(-\infty,-2)\cup(2,\infty)", B(r"(2,\infty)"), False, "half of a union"),
    (r"\infty", B(r"+\infty"), True, "plus infinity"),
    (r"\infty", B(r"\inf"), True, "\\inf for infinity"),
    (r"\infty", B(r"-\infty"), False, "minus infinity"),
    # -- matrices and vectors ----------------------------------------------------------------------
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}"), True, "bmatrix"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\left[\begin{array}{cc}1 & 2 \\ 3 & 4\end{array}\right]"), True,
        "an array in brackets"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B("[[1,2],[3,4]]"), True, "a nested list"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\begin{pmatrix}1&2\end{pmatrix}"), False, "a row missing"),
    (r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}", B(r"\langle 1, -2 \rangle"), True, "angle-bracket vector"),
    (r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}", B(r"\begin{pmatrix} -2 \\ 1 \end{pmatrix}"), False, "entries swapped"),
    (r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}", B(r"\{1, -2\}"), False, "a set for a vector"),
    # -- complex numbers ---------------------------------------------------------------------------
    ("2+3i", B(r"2+3\mathrm{i}"), True, "roman i"),
    ("2+3i", B(r"2+3\,i"), True, "thin space before i"),
    ("2+3i", B("3i+2"), True, "imaginary part first"),
    ("2+3i", B("2+3j"), False, "j is a variable (policy)"),
    ("2+3i", B("2-3i"), False, "the conjugate"),
    ("i", B(r"\mathrm{i}"), True, "roman i alone"),
    ("i", B(r"\imath"), True, "dotless i"),
    ("-1", B("i^2"), True, "i squared"),
    ("1+i", B(r"\sqrt{2}e^{i\pi/4}"), True, "polar form"),
    (r"\frac{1}{2}+\frac{\sqrt{3}}{2}i", B(r"e^{i\pi/3}"), True, "Euler form"),
    # -- percent -------------------------------------------------------------------------------------
    (r"50\%", B("0.5"), True, "percent gold, fraction of one (policy)"),
    (r"50\%", B(r"\frac12"), True, "percent gold, a half (policy)"),
    (r"50\%", B("50"), True, "percent gold, sign left out"),
    ("50", B(r"50\%"), True, "plain gold, percent answer"),
    ("0.5", B(r"50\%"), True, "fraction gold, percent answer"),
    ("0.03", B(r"3\%"), True, "3% as a fraction of one"),
    ("3", B(r"3\%"), True, "GSM8K percent gold without its sign (policy)"),
    (r"50\%", B("0.05"), False, "five percent"),
    (r"50\%", B("5"), False, "a tenth of the percent"),
    (r"50\%", B(r"5\%"), False, "another percent"),
    # -- units and money -----------------------------------------------------------------------------
    ("3", B(r"3\text{ cm}"), True, "a unit added"),
    ("3", B(r"3 \mbox{cm}"), True, "an mbox unit"),
    ("4", B(r"4 \text{ square units}"), True, "square units"),
    ("5", B(r"\$5"), True, "a dollar sign"),
    ("5", B("5 dollars"), True, "dollars spelt out"),
    (r"\$5", B("5"), True, "a dollar gold"),
    (r"\$18.90", B("18.9"), True, "cents without the trailing zero"),
    (r"\$18.90", B(r"\$19"), False, "money rounded to the dollar"),
    (r"5\text{ km}", B(r"5\text{ m}"), False, "another unit (math-verify strips units)"),
    (r"5 \text{ km}", B(r"5 \text{kilometers}"), True, "a unit spelt out"),
    (r"5 \text{ km}", B(r"5000 \text{ m}"), False, "a converted unit (documented: never converted)"),
    (r"11\text{ inches}", B("11 in"), True, "inches abbreviated"),
    (r"11\text{ inches}", B("11 feet"), False, "feet for inches"),
    ("5", B(r"5\text{ or more}"), False, "'or more' is a qualifier, not a unit"),
    ("5", B(r"5\text{ or fewer}"), False, "'or fewer' is a qualifier, not a unit"),
    ("3", B(r"3\text{ (approximately)}"), False, "'(approximately)' is a qualifier"),
    ("5", B(r"5\text{ (not sure)}"), False, "'(not sure)' is a hedge"),
    ("5", B(r"5 \text{ (or 6)}"), False, "a second value hidden in a unit"),
    ("5", B(r"5 \text{ maybe}"), False, "'maybe' is a hedge"),
    # -- multiple choice and words ---------------------------------------------------------------------
    ("B", B(r"\text{(B)}"), True, "a choice letter in text"),
    ("B", B("(B)"), True, "a choice letter in parentheses"),
    ("B", B(r"\textbf{(B)}"), True, "a bold choice letter"),
    (r"\textbf{(C)}", B("C"), True, "a bold choice gold"),
    (r"\text{(C)}", B("(c)"), True, "a lower-case choice letter (policy)"),
    ("(B)", B("B"), True, "a bare choice letter"),
    ("(B)", B(r"\text{(C)}"), False, "another choice"),
    ("(B)", B(r"\text{(A) or (B)}"), False, "two choices"),
    ("(B)", B("AB"), False, "two letters"),
    ("(B)", B(r"\text{(A)(B)(C)(D)(E)}"), False, "every choice"),
    (r"\text{Devon}", B(r"\text{devon}"), True, "a name in another case"),
    (r"\text{Devon}", B(r"\text{Devin}"), False, "another name"),
    ("5", B(r"\text{five}"), True, "a number word"),
    ("5", B("five"), True, "a bare number word"),
    ("12", B(r"\text{twelve}"), True, "twelve"),
    ("21", B(r"\text{twenty-one}"), True, "a hyphenated number word"),
    ("5", B(r"\text{six}"), False, "another number word"),
    # -- expressions ----------------------------------------------------------------------------------
    ("x^2+7x+10", B("(x+2)(x+5)"), True, "factored form of the gold"),
    ("x^2+7x+10", B("(x+2)(x+6)"), False, "wrong factor"),
    ("x^2", B("x**2"), True, "python power"),
    (r"\frac{x}{2}", B(r"\frac{1}{2}x"), True, "coefficient in front"),
    (r"\frac{x+1}{2}", B("x+1/2"), False, "precedence: x + 1/2"),
    (r"\frac{x+1}{2}", B("(x+1)/2"), True, "parenthesised numerator"),
    ("x^2 + C", B("x^2"), False, "an antiderivative without its constant (policy)"),
    ("x^2 + C", B("x^2 + K"), True, "another name for the constant"),
    ("x^2", B("x^2 + C"), False, "a constant where none belongs"),
    # -- extraction ---------------------------------------------------------------------------------
    (r"\frac{1}{2}", A(r"\(\frac{1}{2}\)"), True, "inline math delimiters in the block"),
    (r"\frac{1}{2}", A(r"\[\frac{1}{2}\]"), True, "display delimiters in the block"),
    (r"\frac{1}{2}", A(r"$$\frac{1}{2}$$"), True, "double-dollar delimiters in the block"),
    (r"\frac{1}{2}", r"The answer is \(\frac{1}{2}\).", True, "a sentence with inline delimiters"),
    (r"\frac{1}{2}", "The answer is **1/2**.", True, "a bold final sentence"),
    (r"\frac{1}{2}", "**Answer:** $\\frac12$", True, "a bold Answer: line"),
    ("3", "Final Answer: The final answer is $3$. I hope it is correct.", True, "Minerva-style ending"),
    ("3", "**Final Answer**\n\n\\[\\boxed{3}\\]", True, "a displayed box"),
    ("2", "\\boxed{2\n}", True, "a newline inside the box"),
    ("2", "\\boxed {2}", True, "a space before the brace"),
    ("2", "\\boxed2", True, "a box without braces"),
    ("2", "<ANSWER>2</ANSWER>", True, "upper-case tags"),
    ("2", "<answer>\n2\n</answer>", True, "newlines in the block"),
    ("3", r"\boxed{3}" + "\n\nSome more thinking text without boxes." * 3, True, "reasoning after the box"),
    # -- hedges and cheats ------------------------------------------------------------------------------
    ("3", B(""), False, "an empty box"),
    ("3", B(r"\boxed{}"), False, "a nested empty box"),
    ("3", r"\boxed{3}\boxed{}", False, "an empty box after the answer"),
    ("3", B(r"\ "), False, "a box holding a space"),
    ("3", "<answer></answer>", False, "an empty answer block"),
    ("3", r"\boxed{3} and \boxed{4}", False, "two different boxes"),
    ("3", r"Candidates: \boxed{1}, \boxed{2}, \boxed{3}", False, "boxed candidates"),
    ("3", r"<answer>\boxed{3}\boxed{4}</answer>", False, "two boxes in the block"),
    ("3", "<answer>3 or 4</answer>", False, "a hedge in the block"),
    ("3", "The answer is 3 or 4.", False, "a hedge in the sentence"),
    ("3", B("1 or 2 or 3"), False, "an or-list"),
    ("3", B(r"3 \text{ or } 4"), False, "a text or"),
    ("3", B(r"3 \vee 4"), False, "a logical or"),
    ("3", B("3, 4"), False, "a comma list"),
    ("3", B("3;4"), False, "a semicolon list"),
    ("3", B(r"3 \quad 4"), False, "two values spaced apart"),
    ("3", B("3, 3"), False, "a repeated answer (policy)"),
    ("3", B(r"\{3, 3\}"), False, "a set with a repeated answer (policy)"),
    ("3", B(r"\{3, 4\}"), False, "a candidate set"),
    ("3", B("[3, 4]"), False, "an interval of candidates"),
    ("3", B(r"x=3 \text{ or } x = -3"), False, "two roots for one answer"),
    ("3", B(r"\pm 3"), False, "plus or minus the answer"),
    ("3", B(r"\text{anything}"), False, "text anything"),
    ("3", B(r"\text{the answer}"), False, "text 'the answer'"),
    ("3", B(r"\text{3 or 4}"), False, "a hedge inside text"),
    ("3", B("x"), False, "a variable"),
    ("3", B("n"), False, "another variable"),
    ("3", B("?"), False, "a question mark"),
    ("3", B(r"\infty"), False, "infinity"),
    ("3", B(r"\emptyset"), False, "the empty set"),
    ("3", B(r"\mathbb{R}"), False, "all reals"),
    ("3", B(r"(-\infty, \infty)"), False, "every number"),
    ("3", B(r"\text{all real numbers}"), False, "every number in words"),
    ("3", B(r"x \ge 3"), False, "an inequality"),
    ("3", B(r"3 \neq 4"), False, "a true statement"),
    ("3", B(r"\approx 3"), False, "approximately"),
    ("3", B(r"x \approx 3"), False, "approximately equal"),
    ("3", B(r"3 | 4"), False, "a bar between values"),
    ("3", B("3/4/5"), False, "a chain of slashes"),
    ("391", r"The problem: \boxed{17 \cdot 23 = ?}", False, "the question copied with a question mark"),
    ("391", B(r"17 \cdot 23"), True, "an unevaluated product (default policy; see literal_answers)"),
    ("3", B(r"\gcd(6, 9)"), False, "an operator outside the grammar is not a value (policy)"),
    ("3", B(r"\min(3, 4)"), False, "min of candidates (policy)"),
    # -- hidden text, macros and look-alikes ------------------------------------------------------------
    ("3", B(r"\phantom{4}3"), False, "phantom text is refused whatever it hides (policy)"),
    ("4", B(r"\phantom{4}3"), False, "the answer hidden in a phantom"),
    ("3", B(r"\vphantom{4}3"), False, "a vphantom is refused too (policy)"),
    ("4", B(r"\color{white}{4}3"), False, "the answer in white"),
    ("4", B(r"\textcolor{white}{4}"), False, "the answer only in white (policy)"),
    ("3", B(r"{\color{red}3}"), True, "a red answer is still the answer"),
    ("3", B(r"\textcolor{red}{3}"), True, "a textcolor answer"),
    ("3", B(r"\underline{3}"), True, "an underlined answer"),
    ("3", B(r"\mathbf{3}"), True, "a bold answer"),
    ("3", B(r"\displaystyle 3"), True, "displaystyle"),
    ("3", B(r"\def\x{3}\x"), False, "a \\def macro"),
    ("3", B(r"\newcommand{\x}{3}\x"), False, "a \\newcommand macro"),
    ("3", B(r"\renewcommand{\pi}{3}\pi"), False, "a redefined pi"),
    ("3", B("\uff13"), False, "a full-width digit (look-alike policy)"),
    ("3", B("\u0663"), False, "an Arabic-Indic digit (look-alike policy)"),
    ("3", B("\U0001d7d1"), False, "a mathematical bold digit (look-alike policy)"),
    ("3", B("\u0417"), False, "Cyrillic Ze for 3"),
    ("0", B("\u041e"), False, "Cyrillic O for 0"),
    ("1", B("l"), False, "the letter l for 1"),
    ("3", "\\boxed{\u200b3}", True, "a zero-width space before the answer"),
    ("3", "\\boxed{3\u200b4}", False, "a zero-width space between digits"),
    ("x^2", B("x\u00b2"), True, "a superscript two"),
    ("9", B("3\u00b2"), True, "three squared with a superscript"),
    ("3", B("\u00b3"), False, "a superscript three alone is no number"),
    # -- bombs (refused, never evaluated, never a timeout) ----------------------------------------------
    ("5", B("10^{10^{10^{10}}}"), False, "a power tower"),
    ("5", B("9^{9^{9^9}}"), False, "a tower of nines"),
    ("5", B("(10^7)!"), False, "a huge factorial"),
    ("5", B(r"10^{10^{10}} - 10^{10^{10}} + 5"), False, "a bomb that would cancel is still refused (policy)"),
    ("5", B("\\frac{" * 50 + "5" + "}{1}" * 50), False, "fifty nested fractions"),
    ("5", B("\\frac{" * 8 + "5" + "}{1}" * 8), True, "eight nested fractions"),
    ("5", B("(" * 20 + "5" + ")" * 20), True, "twenty parentheses"),
    ("5", B("\\sqrt{" * 40 + "5" + "}" * 40), False, "forty nested roots"),
    ("5", B(r"5^{1/10^{100}}"), False, "a root of enormous index"),
    ("5", B("2^{2^{2^{2}}} - 65531"), True, "a small tower computed exactly"),
    ("5", B(r"\Gamma(10^{10})"), False, "a huge gamma value"),
    ("0", B(r"\sin(10^{10^{10}})"), False, "a trig bomb"),
    ("5", B(r"\binom{10^{9}}{5 \cdot 10^{8}}"), False, "a binomial bomb"),
    ("5", B(r"5" + r"\cdot 1" * 500), True, "a long product of ones"),
    ("5", B("+".join(["1"] * 4) + "+1"), True, "a short sum"),
    ("5", B(r"\left(" * 100 + "5" + r"\right)" * 100), False, "a hundred left/right pairs"),
    ("5", "$" * 100000 + r"\boxed{5}", True, "a hundred thousand dollar signs before the answer"),
    ("5", "\\boxed{" + "{" * 100000 + "5", False, "a hundred thousand open braces"),
    ("5", r"\boxed{5}" + "}" * 100000, True, "a hundred thousand stray closing braces"),
    ("5", B(r"\text{" + "a" * 500000 + "}"), False, "half a megabyte of text in the box"),
    # -- second round ----------------------------------------------------------------------------------
    ("1", B(r"\text{one or two}"), False, "a hedge in number words"),
    ("21", B(r"\text{twenty one}"), True, "a spaced number word"),
    ("0", B(r"\text{zero}"), True, "zero in words"),
    ("0", B(r"\text{none}"), False, "'none' is not the count 0 (policy)"),
    ("5", B(r"\text{fifth}"), False, "an ordinal is not the number"),
    ("5", B(r"\text{five or more}"), False, "a qualifier after a number word"),
    ("500", B(r"\text{five hundred}"), True, "five hundred in words"),
    ("2024", B(r"\text{two thousand and twenty-four}"), True, "a year in words"),
    ("-5", B(r"\text{negative five}"), True, "a negative number in words"),
    ("3", B(r"{\color{white}4}3"), False, "a white digit before the visible answer"),
    ("3", B(r"\color{white}3"), False, "the whole answer in white"),
    ("4", B(r"\color{White}{4}"), False, "White with a capital"),
    ("4", B(r"\color[rgb]{1,1,1}{4}"), False, "white as rgb"),
    ("4", B(r"\color{#FFFFFF}{4}"), False, "white as a hex colour"),
    ("4", B(r"\color{white!100}{4}"), False, "white as a xcolor mix"),
    ("4", B(r"\textcolor[HTML]{FFFFFF}{4}"), False, "white as HTML"),
    ("3", B(r"\textcolor{black}{3}"), True, "black text"),
    ("3", B(r"\colorbox{yellow}{3}"), True, "a highlighted answer"),
    ("3", B(r"\smash{3}"), True, "a smashed answer is visible"),
    ("3", B(r"\tiny 3"), True, "a tiny answer is visible"),
    ("3", r"\framebox{3}", True, "a framebox"),
    ("4", B(r"\llap{4}3"), False, "an overlapping digit"),
    ("4", B(r"\hspace{-1cm}4"), False, "negative space"),
    ("4", B(r"\scalebox{0}{4}3"), False, "a digit scaled to nothing"),
    ("12", B("\u202e21"), False, "a right-to-left override shows 21 as 12"),
    ("21", B("\u202e21"), False, "a right-to-left override is refused"),
    ("3", B("\u20603"), True, "a word joiner"),
    ("3", B("\ufeff3"), True, "a byte-order mark"),
    ("3", B("3\u00ad"), True, "a soft hyphen"),
    ("8", B("2\u00b3"), True, "two cubed with a superscript"),
    ("1000000000", B("10\u2079"), True, "ten to the ninth with a superscript"),
    (r"\frac{1}{x}", B("x\u207b\u00b9"), True, "a superscript minus one"),
    (r"\frac{3}{2}", B("1\u00bd"), True, "a vulgar mixed number"),
    (r"\frac{1}{3}", B("\u2153"), True, "a vulgar third"),
    ("1", B("\u00bd\u00bd"), False, "two vulgar halves side by side"),
    ("12", B("1 2"), False, "two digits apart are not a number"),
    ("1000", B("100 0"), False, "a group of one digit"),
    ("100", B("1 00"), False, "a group of two digits"),
    ("(1, 500)", B("(1 500)"), False, "a digit group is not a pair"),
    ("1, 500", B("1 500"), False, "a digit group is not two roots"),
    ("1500", B("1, 500"), False, "a comma and a space make a list"),
    ("C", B("D"), False, "choice C is no constant of integration"),
    ("C", B("K"), False, "choice C against K"),
    ("x^2 + C", B("x^2 + Cx"), False, "Cx is not a constant"),
    ("x^2 + C", B("x^2 + x"), False, "x is not a constant"),
    ("x^2 + C", B("x^2 + y"), False, "another variable is not a constant"),
    ("x^2 + C", B("x^2 + C_1"), True, "a subscripted constant"),
    ("x^2 + C", B("x^2 + c"), True, "a lower-case constant"),
    ("x^2 + C", B("x^2 + 2C"), True, "a multiple of the constant"),
    ("x^2 + C", B("C"), False, "the constant alone"),
    ("x^2 + C", B("2x + C"), False, "the derivative plus a constant"),
    ("x^2 + C", B("x^2 + x + C"), False, "an extra term"),
    (r"\ln|x| + C", B(r"\ln(2x) + C"), True, "a shifted logarithm"),
    (r"\{0\}", B(r"\emptyset"), False, "the empty set for {0}"),
    (r"\emptyset", B(r"\{0\}"), False, "{0} for the empty set"),
    (r"\text{no solution}", B("0"), False, "zero for no solution"),
    ("[1, 2]", B("[[1, 2]]"), False, "a nested list for an interval"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B("[[1,2],[3,5]]"), False, "a nested list with a wrong entry"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B("[[1,2,3],[4]]"), False, "a ragged nested list"),
    ("0", B(r"\sin(10^{100})"), False, "sine of a huge number is not 0"),
    ("0", B(r"\cos(10^{100}\pi)"), False, "cosine of a huge even multiple of pi is 1"),
    ("1", B(r"\cos(10^{100}\pi)"), True, "cosine of a huge even multiple of pi"),
    ("1", B("e^{100} - e^{100} + 1"), True, "cancellation of large terms"),
    ("1", B("e^{100} - e^{100} + 1 + 10^{-50}"), False, "cancellation and a tiny offset"),
    (r"\log_{10} 100", B("2"), True, "a common logarithm gold"),
    ("2", B(r"\lg 100"), True, "lg is base ten"),
    ("2", B(r"\log 100"), False, "log without a base is natural, not common (documented)"),
    ("60", B(r"\frac{\pi}{3}"), False, "radians for a plain degree-less gold (policy)"),
    ("3", "\\text{\\boxed{3}}", True, "a box inside text"),
    ("3", "\\boxed{\\boxed{3}\\boxed{4}}", False, "two boxes inside a box"),
    ("3", "The answer is **3** or **4**.", False, "a bold hedge"),
    ("5", B(r"5\text{ exactly}"), True, "'exactly' is no hedge"),
    ("5", B(r"5\text{ (rounded)}"), False, "a rounded value"),
    ("5", B(r"\text{about } 5"), False, "'about' before the number"),
    ("5", B(r"5\text{ at most}"), False, "'at most' after the number"),
    ("5", B("5^{+}"), False, "five plus"),
    ("5", B(r"5\text{ or so}"), False, "'or so'"),
    ("5", B(r"5\text{ if } x > 0"), False, "a conditional answer"),
    ("5", B(r"5 \text{ km or 6 km}"), False, "a hedge inside the unit"),
    ("5", B(r"5\text{ish}"), False, "'ish'"),
    ("5", B(r"5\text{, approximately}"), False, "', approximately'"),
    ("5", B(r"5 \text{ units}^2"), True, "units squared"),
    (r"\text{Yes}", B("yes"), True, "yes in lower case"),
    (r"\text{Yes}", B(r"\text{No}"), False, "no for yes"),
    (r"\text{Yes}", B(r"\text{Yes or no}"), False, "yes or no"),
    # -- third round: MATH-style labels and sets ---------------------------------------------------------
    (r"(-\infty, -3) \cup (-3, \infty)", B(r"\mathbb{R} \setminus \{-3\}"), True, "the reals minus a point"),
    (r"(-\infty, -3) \cup (-3, \infty)", B(r"x \neq -3"), True, "a union as x != a"),
    (r"x \neq -3", B(r"(-\infty, -3) \cup (-3, \infty)"), True, "x != a as a union"),
    (r"[0, \infty)", B(r"[0, +\infty)"), True, "plus infinity as an endpoint"),
    ("y = 2x + 3", B("2x - y + 3 = 0"), True, "a line in general form"),
    ("(x-1)^2 + (y+2)^2 = 9", B("x^2 - 2x + y^2 + 4y - 4 = 0"), True, "a circle expanded"),
    ("(x-1)^2 + (y+2)^2 = 9", B("x^2 - 2x + y^2 + 4y - 5 = 0"), False, "another circle expanded"),
    ("1011_2", B("1011_2"), True, "a base-2 numeral"),
    ("1011_2", B("1011_{2}"), True, "a braced base subscript"),
    ("1011_2", B("11"), False, "the value in base ten for a base-2 numeral (policy)"),
    ("1011_2", B("1010_2"), False, "another base-2 numeral"),
    ("33", B("033"), True, "an AIME answer with leading zero"),
    (r"\frac{\pi}{4}", B(r"0.25\pi"), True, "a decimal coefficient of pi"),
    (r"\sqrt[3]{4}", B("2^{2/3}"), True, "cube root of 4 as a power of 2"),
    ("(1, 2), (3, 4)", B("(3, 4), (1, 2)"), True, "points in another order"),
    ("(1, 2), (3, 4)", B("(1, 2)"), False, "a point missing"),
    ("(1, 2), (3, 4)", B("(2, 1), (4, 3)"), False, "points with coordinates swapped"),
    ("(1, 2), (3, 4)", B(r"\{(1, 2), (3, 4)\}"), True, "a set of points"),
    ("3", B("2x = 6"), False, "an equation not solved"),
    ("5", B("f(2) = 6"), False, "a function value, wrong"),
    ("12", B("a + b + c = 12"), True, "the asked sum restated"),
    ("5", B("f(2) = 5"), True, "a function value named"),
    ("5", B(r"\text{area} = 5"), True, "a text label"),
    ("30", B(r"\angle ABC = 30^\circ"), True, "an angle named"),
    (r"\frac{1}{2}", B(r"P(A) = \frac{1}{2}"), True, "a probability named"),
    ("5", B("a_5 = 5"), True, "a term named"),
    ("1234.56", B(r"\$1,234.56"), True, "money with separators"),
    ("-5", B(r"-\$5"), True, "negative money"),
    ("10.5", B(r"10 \text{ hours and } 30 \text{ minutes}"), False, "hours and minutes for a decimal (policy)"),
    ("5", B(r"e^{e^{e^{e^{10}}}}"), False, "a tower of e"),
    ("5", B(r"\sqrt{10^{10^{10}}}"), False, "the root of a tower"),
    ("1", B(r"\frac{10^{10^{10}}}{10^{10^{10}}}"), False, "a ratio of towers is refused (policy)"),
    ("x", B(r"x^{x^{x^{x^{x}}}}"), False, "a symbolic tower"),
    ("1", B(r"(-1)^{10^{100}}"), True, "minus one to a huge even power"),
    ("1", B(r"(1+10^{-100})^{10^{100}}"), False, "a power close to e"),
    ("0", B(r"\sin(" * 50 + "x" + ")" * 50), False, "fifty nested sines"),
    ("x+1", B(r"\frac{(x+1)^{40}}{(x+1)^{39}}"), True, "large powers that cancel"),
    ("2", B(r"(\sqrt{2}+\sqrt{3})^{20} - (\sqrt{2}+\sqrt{3})^{20} + 2"), True, "radical powers that cancel"),
    ("5", B(r"5 + 0 \cdot 10^{10^{10}}"), False, "zero times a bomb is refused (policy)"),
    ("5", B(r"\sum_{k=1}^{10^{9}} k!"), False, "a sum bomb"),
    (r"\sum_{k=1}^{10} k", B(r"\sum_{k=1}^{10^{9}} k!"), False, "a sum bomb against a gold outside the grammar"),
    (r"\sum_{k=1}^{10} k", B("55"), True, "a gold outside the grammar"),
    # -- fourth round: the new label, colour, word and set-difference rules -----------------------------------
    ("4", B("x + 1 = 5"), False, "a label with a constant term is an equation, not the answer"),
    ("5", B(r"\text{anything} = 5"), True, "any text label before the value"),
    ("5", B("a = 5, b = 6"), False, "a system for a single value"),
    ("5", B(r"a + b = 5 \text{ or } 6"), False, "a labelled hedge"),
    ("5", B(r"a + b = 5 \text{ or } a + b = 6"), False, "two labelled values"),
    ("5", B("f(2) = 5 = f(3)"), False, "a chain naming a second function value"),
    ("0.5", B(r"P(A) = 0.5 = 50\%"), True, "a consistent chain through a percent"),
    ("5", B("ab = 5"), True, "a product named"),
    ("5", B("a^2 + b^2 = 5"), True, "an expression named"),
    ("5", B(r"x^2 = 25 \implies x = 5"), False, "an implication is not an answer"),
    bug("5", B("5 = a + b"), True, "the label on the right", REVERSED_LABEL),
    ("4", B(r"\color{#FEFEFE}{4}"), False, "near-white hex"),
    ("4", B(r"\color{yellow!0}{4}"), False, "a zero-percent mix is white"),
    ("4", B(r"\color{black!0}{4}"), False, "black at zero percent is white"),
    ("4", B(r"\color{red!50}{4}"), False, "every xcolor mix is refused (policy)"),
    ("4", B(r"\definecolor{w}{rgb}{1,1,1}\color{w}{4}"), False, "a colour defined as white"),
    ("4", B(r"\colorbox{white}{\color{white}4}"), False, "white on white"),
    bug("4", B(r"\colorbox{black}{\color{black}4}"), False, "black on black", BLACK_ON_BLACK),
    ("101", B(r"\text{one hundred one}"), True, "one hundred one"),
    ("1000000", B(r"\text{one million}"), True, "one million"),
    bug("100", B(r"\text{a hundred}"), True, "a hundred", MORE_WORDS),
    bug(r"\frac12", B(r"\text{one half}"), True, "one half in words", MORE_WORDS),
    ("25", B(r"\text{twenty five six}"), False, "two numbers in words"),
    ("5", B(r"\text{five five}"), False, "a number word twice"),
    ("123", B(r"\text{one two three}"), False, "digits spelt one by one"),
    ("5", B(r"\text{minus minus five}"), False, "two minus words"),
    bug("100", B(r"\text{ninety-ten}"), False, "ninety-ten is no number", NINETY_TEN),
    ("5", B(r"\text{" + "thousand " * 300 + "}"), False, "a word bomb"),
    ("5", B("10" + "\u2079" * 7), False, "a superscript bomb"),
    ("16", B("2\u2074"), True, "two to the fourth with a superscript"),
    (r"(-\infty,-3)\cup(-3,3)\cup(3,\infty)", B(r"\mathbb{R} \setminus \{-3, 3\}"), True, "the reals minus two points"),
    bug(r"(-\infty,-2)\cup(2,\infty)", B(r"\mathbb{R} \setminus [-2, 2]"), True, "the reals minus an interval", SETMINUS_INTERVAL),
    (r"[0,2)\cup(2,5]", B(r"[0, 5] \setminus \{2\}"), True, "an interval minus a point"),
    (r"(-\infty,\infty)", B(r"\mathbb{R} \setminus \{\}"), True, "the reals minus nothing"),
    (r"(-\infty,-3)\cup(-3,\infty)", B(r"\mathbb{R} \setminus \{3\}"), False, "the reals minus the wrong point"),
    ("-1", B(r"(-1)^{10^{100}+1}"), True, "minus one to a huge odd power"),
    ("i", B(r"i^{10^{100}+1}"), True, "i to a huge power"),
    ("1", B(r"(-1)^{10^{100}+1}"), False, "minus one to a huge odd power is not 1"),
    (r"\sum_{k=1}^{10} k", B(r"10^{10^{10^{10}}}"), False, "a tower against a gold outside the grammar"),
    (r"\sum_{k=1}^{10} k", B(r"\prod_{k=1}^{10^{9}} k"), False, "a product bomb against a gold outside the grammar"),
    (r"\sum_{k=1}^{10} k", B(r"\int_0^{10^{10}} e^{x^2} dx"), False, "an integral bomb against a gold outside the grammar"),
    ("x^2 + C", B("x^2 + D x"), False, "a constant times x"),
    (r"\frac{1}{2}e^{2x} + C", B(r"e^{2x}/2 + K"), True, "an exponential antiderivative"),
    (r"-\cos x + C", B(r"1 - \cos x + C"), True, "a shifted antiderivative"),
    (r"-\cos x + C", B(r"\sin x + C"), False, "another antiderivative"),
    (r"\sin^2 x + C", B(r"-\frac{1}{2}\cos 2x + C"), True, "antiderivatives that differ by a constant"),
    (r"\sin^2 x + C", B(r"-\frac{1}{2}\cos 2x"), False, "a shifted antiderivative without its constant (policy)"),
    ("2C", B("2D"), False, "2C is not an integration constant here"),
    # -- fifth round: extraction of hedged boxes and sentences ----------------------------------------------------
    bug("2", r"The answer is \boxed{1}. Alternatively, it could be \boxed{2}.", False, "an alternative box", BOX_HEDGE),
    bug("2", r"\boxed{1} or possibly \boxed{2}", False, "'or possibly' between boxes", BOX_HEDGE),
    bug("2", r"\boxed{1} (or \boxed{2})", False, "a second box in parentheses", BOX_HEDGE),
    bug("2", r"\boxed{1}/\boxed{2}", False, "boxes split by a slash", BOX_HEDGE),
    bug("2", r"\boxed{1} \lor \boxed{2}", False, "boxes joined by a logical or", BOX_HEDGE),
    bug("2", r"\boxed{1}. But it might also be \boxed{2}.", False, "'it might also be'", BOX_HEDGE),
    bug("2", r"\boxed{1}. Another possible answer is \boxed{2}.", False, "'another possible answer'", BOX_HEDGE),
    ("2", r"Either \boxed{1} or \boxed{2}", False, "either one box or the other"),
    ("2", r"\boxed{1} \boxed{2}", False, "two boxes side by side"),
    ("2", r"\boxed{1}\quad\text{or}\quad\boxed{2}", False, "or between quads"),
    ("2", r"\boxed{1}. Wait, that's wrong; it's \boxed{2}.", True, "a correction after 'wait'"),
    ("2", r"\boxed{1}. Hmm, let me recheck. Actually the answer is \boxed{2}.", True, "a correction after a recheck"),
    ("2", r"\boxed{1 \text{ or } 2}", False, "or inside one box"),
    ("5", r"\boxed{5}. Remember to put the answer in \boxed{}.", False, "an echoed empty box is the last box (policy)"),
    ("5", "<answer>5</answer> <answer>", True, "an unterminated block after the answer"),
    ("5", "<think>maybe \\boxed{4}?</think> The answer is 5.", False, "a box in the thoughts beats a later sentence (policy)"),
    bug("5", B(r"\text{The answer is } 5"), True, "a sentence inside the box", NESTED_TEXT),
    bug("5", B(r"\text{\textbf{5}}"), True, "bold inside text", NESTED_TEXT),
    ("(5, 6)", B(r"x=5 \text{ and } y=6"), True, "a system joined by and"),
    ("5", "**Final Answer:** 5", True, "a bold Final Answer line"),
    ("5", "ANSWER: 5", True, "an upper-case Answer line"),
    ("5", "The answer is 5 cm.", True, "a sentence with a unit"),
    ("5", "The answer is x = 5.", True, "a sentence with an equation"),
    bug("5", "So the final answer is 5, which is odd.", True, "a sentence with a trailing clause", SENTENCE_CLAUSE),
    ("5", "The answer is 5 or maybe 6.", False, "a sentence with 'or maybe'"),
    ("5", "The answer is 5. The answer is 6.", False, "the last of two sentences"),
    bug("5", "The answer is $5$ (or $6$).", False, "a hedge in parentheses in the sentence", SENTENCE_HEDGE),
    ("5", "\\boxed{5}" + " " * 1000000, True, "a megabyte of spaces after the box"),
    ("5", "\\boxed{555}", False, "the digit repeated"),
    ("5", "\\boxed{\\boxed{\\boxed{\\boxed{5}}}}", True, "four nested boxes"),
    ("5", "\\boxed{" * 200 + "5" + "}" * 200, False, "two hundred nested boxes are refused (policy)"),
    ("5", "\\fbox{\\boxed{5}}", True, "a box in an fbox"),
    ("5", "\\boxed{5}\\boxed{5}\\boxed{5}", True, "the same box three times"),
    ("1, 2", "\\boxed{1}\\boxed{2}\\boxed{1}", True, "a repeated box in a group is the same answer (policy)"),
]

_PLAIN = [row.values if hasattr(row, "values") else row for row in ROWS]
IDS = [row[3] for row in _PLAIN]
ROW_LIMIT_S = 30.0  # a row that has not answered by then hangs; refusals take milliseconds


@pytest.fixture(scope="module", autouse=True)
def warm_cas_pool() -> None:
    """Start the sympy workers once, so no row pays their start-up."""
    verify(B(r"\sqrt{8}"), r"2\sqrt{2}")


def _bounded(call, limit_s: float = ROW_LIMIT_S):
    """Run ``call`` in a thread; fail, instead of hanging the suite, when it does not return."""
    result: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit_s)
    if errors:
        raise errors[0]
    assert result, f"verify did not return within {limit_s} s"
    return result[0]


@pytest.mark.parametrize("gold, completion, expected, why", ROWS, ids=IDS)
def test_row(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = _bounded(lambda: verify(completion, gold))
    assert verdict.passed is expected, f"{why}: {verdict}"
    assert verdict.score == (1.0 if expected else 0.0)
    assert verdict.reason != "timeout", f"{why}: must be decided or refused, not timed out"


def test_rows_are_many_unique_and_balanced() -> None:
    assert len(IDS) == len(set(IDS)), "row ids (the why) must be unique"
    assert len(_PLAIN) >= 200
    assert sum(1 for row in _PLAIN if row[2]) >= 80 and sum(1 for row in _PLAIN if not row[2]) >= 80


def test_bombs_are_refused_fast_in_this_process() -> None:
    """Refusals never reach sympy: the whole set of bombs is decided by the grammar and exact limits."""
    bombs = ["10^{10^{10^{10}}}", "9^{9^{9^9}}", "(10^7)!", r"\binom{10^{9}}{5 \cdot 10^{8}}", "1+" * 300000 + "5"]
    start = time.perf_counter()
    reasons = [_bounded(lambda b=b: verify(B(b), "5")).reason for b in bombs]
    assert all(reason in ("too_large", "unparseable") for reason in reasons), reasons
    assert time.perf_counter() - start < ROW_LIMIT_S


# -- the same rows put to math-verify ---------------------------------------------------------------
# ids of the rows math-verify 0.9 gets wrong (gold wrapped in $...$, best of its parse configs),
# checked row by row below; regenerate with ``python tests/adversarial/test_math_adversarial.py``.
MATH_VERIFY_WRONG: frozenset[str] = frozenset({
    "'(approximately)' is a qualifier",
    "'(not sure)' is a hedge",
    "', approximately'",
    "'another possible answer'",
    "'at most' after the number",
    "'ish'",
    "'it might also be'",
    "'maybe' is a hedge",
    "'or fewer' is a qualifier, not a unit",
    "'or more' is a qualifier, not a unit",
    "'or so'",
    '(a, b) may be an open interval (documented ambiguity)',
    '0.999... is 1',
    'Euler form',
    '\\degree',
    '\\inf for infinity',
    '\\inf for infinity in an interval',
    'a bare number word',
    'a bold final sentence',
    'a box without braces',
    'a byte-order mark',
    'a chain with a plus-minus side',
    'a chain with a wrong side (math-verify takes the last side)',
    "a correction after 'wait'",
    'a correction after a recheck',
    'a dollar gold',
    'a double inequality',
    'a false computation ending in the gold',
    'a framebox',
    'a hedge in parentheses in the sentence',
    'a hedge in the sentence',
    'a hedge inside the unit',
    'a highlighted answer',
    'a hundred',
    'a hyphenated number word',
    'a lower-case constant',
    'a multiple of the constant',
    'a negative number in words',
    'a nested list',
    'a nested list for an interval',
    'a number word',
    'a ray as an inequality',
    'a red answer is still the answer',
    'a repeated answer (policy)',
    'a repeating zero',
    'a root repeated',
    'a rounded value',
    'a second value hidden in a unit',
    'a sentence inside the box',
    'a sentence period inside the box',
    "a sentence with 'or maybe'",
    'a set for an ordered pair',
    'a set with a repeated answer (policy)',
    'a shifted antiderivative',
    'a shifted logarithm',
    'a smashed answer is visible',
    'a soft hyphen',
    'a space before the brace',
    'a spaced number word',
    'a subscripted constant',
    'a superscript minus one',
    'a superscript two',
    'a textcolor answer',
    'a union as inequalities joined by or',
    'a union as x != a',
    'a vulgar fraction (policy)',
    'a vulgar mixed number',
    'a vulgar third',
    'a word joiner',
    'a year in words',
    'a zero-width space before the answer',
    'an exponential antiderivative',
    'an implication is not an answer',
    'an operator outside the grammar is not a value (policy)',
    'an underlined answer',
    'an unterminated block after the answer',
    'angle-bracket vector',
    'another name for the constant',
    'another unit (math-verify strips units)',
    'antiderivatives that differ by a constant',
    'approximately',
    'approximately equal',
    'black text',
    'bold inside text',
    'cents without the trailing zero',
    'corrected to the right value',
    'degrees gold, radian answer',
    'dollars spelt out',
    'dotless i',
    'feet for inches',
    'five hundred in words',
    'i squared',
    'i to a huge power',
    'inches abbreviated',
    'inf as text',
    'leq',
    'lg is base ten',
    'log without a base is natural (documented)',
    'log without a base is natural, not common (documented)',
    'min of candidates (policy)',
    'no solution for the empty set',
    'one half in words',
    'one hundred one',
    'one million',
    'plain space separator (SI style)',
    'plain-text radical',
    'polar form',
    'python power',
    'radian gold, degree answer',
    'radians for a degree gold',
    'roman i',
    'sixteen digits of an irrational',
    'ten to the ninth with a superscript',
    'the empty set for no solution',
    'the label on the right',
    'the last answer block is right',
    'the reals minus nothing',
    'thin space before i',
    'thin-space separator',
    'three squared with a superscript',
    'tie separator',
    'tiny different values (math-verify rounds to 6 places)',
    'twelve',
    'two cubed with a superscript',
    'two hundred nested boxes are refused (policy)',
    'two thin-space separators',
    'two to the fourth with a superscript',
    'unicode degree sign',
    'upper-case tags',
    'varnothing',
    'zero in words',
})


# rows on which math-verify's verdict depends on its own 1 s alarms, so on the machine's load: not compared
MATH_VERIFY_TIMING = frozenset({"twenty parentheses", "a long product of ones", "fifty nested fractions"})


@pytest.mark.parametrize("gold, completion, expected, why", _PLAIN, ids=IDS)
def test_math_verify_row(gold: str, completion: str, expected: bool, why: str) -> None:
    if why in MATH_VERIFY_TIMING:
        pytest.skip("math-verify's verdict here depends on its 1 s alarms (machine load)")
    verdict = math_verify_passes(gold, completion)
    assert (verdict is expected) is (why not in MATH_VERIFY_WRONG), f"math-verify said {verdict} on {why!r}"


def test_assay_is_wrong_less_often_than_math_verify() -> None:
    assay_wrong = [p.values[3] for p in ROWS if hasattr(p, "marks") and p.marks]
    assert len(assay_wrong) < len(MATH_VERIFY_WRONG), (len(assay_wrong), len(MATH_VERIFY_WRONG))


if __name__ == "__main__":  # print the ids math-verify gets wrong, for MATH_VERIFY_WRONG
    wrong = sorted(why for gold, completion, expected, why in _PLAIN
                   if why not in MATH_VERIFY_TIMING and math_verify_passes(gold, completion) is not expected)
    print(len(wrong), "of", len(_PLAIN))
    print("\n".join(repr(w) + "," for w in wrong))

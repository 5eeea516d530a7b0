"""The math verifier's table: (gold, completion, expected, why), from equivalent forms to bombs.

Rows marked "math-verify fault" are the known mistakes of math-verify that this verifier must get right.
"""

from __future__ import annotations

import threading
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.errors import ConfigError
from assay.verifiers.math import Options, verify


def B(answer: str) -> str:
    """A completion that boxes ``answer`` after some reasoning."""
    return f"Let me think step by step. The computation gives the result.\nSo the answer is $\\boxed{{{answer}}}$."


def A(answer: str) -> str:
    return f"Reasoning omitted.\n<answer>{answer}</answer>"


TABLE = [
    # -- exact numbers ----------------------------------------------------------------------
    ("3", B("3"), True, "integer"),
    ("3", B("3.0"), True, "a decimal equal to the integer"),
    ("3", B("+3"), True, "explicit plus sign"),
    ("-3", B("\u22123"), True, "unicode minus"),
    ("-5", B("5"), False, "wrong sign"),
    ("3", B("4"), False, "off by one"),
    ("1/2", B(r"\frac{1}{2}"), True, "plain fraction against LaTeX"),
    (r"\frac{1}{2}", B(r"\dfrac{2}{4}"), True, "\\dfrac, not in lowest terms"),
    (r"\frac{1}{2}", B(r"\tfrac12"), True, "\\tfrac with single-token arguments"),
    (r"\frac{1}{2}", B(r"\left(\frac{1}{2}\right)"), True, "\\left( \\right)"),
    (r"-\frac{7}{3}", B(r"\frac{-7}{3}"), True, "sign inside the numerator"),
    (r"-\frac{7}{3}", B("-7/3"), True, "plain negative fraction"),
    (r"\frac{1}{3}", B("0.333"), False, "a rounded decimal of an exact gold"),
    (r"\frac{1}{3}", B("0.3333333333"), False, "a long rounded decimal is still not exact"),
    (r"\frac{1}{3}", B(r"0.\overline{3}"), True, "repeating decimal (math-verify fault)"),
    (r"\frac{1}{6}", B(r"0.1\overline{6}"), True, "repeating decimal with a fixed part"),
    ("0.33", B(r"\frac{1}{3}"), True, "exact answer rounds to the decimal gold"),
    ("1.41", B(r"\sqrt{2}"), True, "irrational answer rounds to the decimal gold"),
    ("0.5", B("0.54"), False, "a terminating decimal must equal a decimal gold"),
    ("0.3", B(r"\frac{1}{3}"), False, "a one-place decimal gold is exact: 1/3 is not 0.3"),
    ("2.7", B("e"), False, "a one-place decimal gold is exact: e is not 2.7"),
    ("2.72", B("e"), True, "a two-place decimal gold stands for a rounded value"),
    ("0.5", B(r"\frac{27}{50}"), False, "a terminating fraction must equal a decimal gold"),
    ("0.5", B("0.50"), True, "trailing zero"),
    ("1000000", B("1,000,000"), True, "thousands separators"),
    ("1000", B(r"1\!000"), True, "negative thin space"),
    ("1234.5", B("1,234.5"), True, "separators with a decimal part"),
    (r"\$32,\!348", B("32348"), True, "MATH's thousands separator with \\!"),
    (r"11,\! 111,\! 111,\! 100", B("11111111100"), True, "MATH's separators with \\! and spaces"),
    # bench/math_heldout.py showed this refused: a negative thin space pulls digits together
    ("42", B(r"4\!2"), True, "a negative thin space between digits"),
    ("42", B(r"4 \! \! 2"), True, "negative thin spaces between digits, with blanks"),
    ("4", B(r"4\!2"), False, "digits pulled together make another number"),
    (r"\sin x", B(r"\sin\!x"), True, "a negative thin space after a command still separates it"),
    (r"32,\!348", B("32, 348"), False, "two numbers are not one with a separator"),
    (r"\frac{1}{2^{99}}", B(r"2^{-99}"), True, "tiny equal values"),
    ("0.5", B("0.5000000001"), False, "a near miss in the tenth place"),
    (r"\frac{5}{14}", "Simplifying, the answer is 20/56.", True, "final sentence with a period (math-verify fault: 56. as a float)"),
    (r"\frac{5}{14}", B("20/56."), True, "a sentence period inside the box"),
    (r"\frac{5}{2}", B(r"2\frac{1}{2}"), True, "a mixed number"),
    ("7", B("7."), True, "trailing period"),
    ("12", B(r"\$12"), True, "dollar sign"),
    ("12", B(r"\$12.00"), True, "dollars and cents"),
    ("6", B("3!"), True, "factorial"),
    ("10", B(r"\binom{5}{2}"), True, "binomial coefficient"),
    ("10", B(r"\dbinom{5}{3}"), True, "\\dbinom"),
    ("1024", B("2^{10}"), True, "a power"),
    ("1024", B("2^10"), True, "a power without braces"),
    ("3", B("2+1"), True, "an expression equal to the gold (see literal_answers)"),
    # -- radicals, pi, logarithms, complex numbers -------------------------------------------
    (r"2\sqrt{2}", B(r"\sqrt{8}"), True, "simplified radical"),
    (r"2\sqrt{2}", B("2.828"), False, "decimal against an exact irrational"),
    (r"\frac{\sqrt{3}}{2}", B(r"\frac{1}{2}\sqrt{3}"), True, "coefficient order"),
    (r"\frac{\sqrt{3}}{2}", B(r"\frac{\sqrt{3}}{3}"), False, "wrong denominator"),
    (r"\frac{\sqrt{3}}{2}", B(r"\sin(60^\circ)"), True, "a trig value in degrees"),
    (r"\sqrt[3]{2}", B("2^{1/3}"), True, "cube root as a power"),
    ("-2", B(r"\sqrt[3]{-8}"), True, "the real cube root of a negative number"),
    (r"\pi", B("pi"), True, "pi spelt out"),
    (r"\pi", B("\u03c0"), True, "unicode pi"),
    (r"2\pi", B("6.28"), False, "a decimal of 2 pi against the exact gold"),
    (r"\frac{\pi}{2}", B(r"\pi/2"), True, "pi over two, plain"),
    (r"\frac{\pi}{2}", B(r"\frac{\pi}{3}"), False, "a different multiple of pi"),
    (r"\ln 8", B(r"3\ln 2"), True, "logarithm rules"),
    (r"3", B(r"\log_2 8"), True, "logarithm with a base"),
    (r"e^2", B(r"\mathrm{e}^{2}"), True, "roman e"),
    ("3+4i", B("4i+3"), True, "complex number, terms reordered"),
    ("3+4i", B("3-4i"), False, "complex conjugate"),
    ("-1", B(r"e^{i\pi}"), True, "Euler's identity (math-verify fault)"),
    ("i", B(r"\sqrt{-1}"), True, "square root of -1"),
    ("25", B("(3+4i)(3-4i)"), True, "product of conjugates"),
    ("3-4i", B(r"\overline{3+4i}"), True, "complex conjugate with \\overline"),
    ("3+4i", B(r"\overline{3+4i}"), False, "a conjugate is not the number"),
    ("|z|^2", B(r"z\overline{z}"), True, "a number times its conjugate"),
    ("6-8i", B(r"2\overline{3+4i}"), True, "an integer before \\overline is a factor, not a repeating decimal"),
    (r"\frac{1}{3}", B(r".\overline{3}"), True, "a repeating decimal without its leading zero"),
    (r"\frac{611}{495}", B(r"1.2\overline{34}"), True, "a repeating block after fixed digits"),
    (r"\frac{6109}{4950}", B(r"1.2\overline{34}"), False, "a repeating block read wrongly"),
    (r"\{1, 2\}", B(r"\begin{pmatrix}0.\overline1e5"), False, "a repeating decimal in a broken matrix (fuzzing found a crash)"),
    # -- expressions -------------------------------------------------------------------------
    ("x^2+2x+1", B("(x+1)^2"), True, "factored form"),
    ("x^2+2x+1", B("(x-1)^2"), False, "wrong sign inside the square"),
    ("2x", B("x+x"), True, "collected terms"),
    ("2x", B("2y"), False, "another variable"),
    (r"\frac{x}{2}", B("0.5x"), True, "an exact decimal coefficient"),
    ("1", B(r"\sin^2 x + \cos^2 x"), True, "trig identity"),
    ("e^{2x}", B("(e^x)^2"), True, "power of an exponential"),
    (r"\frac{1}{x}", B("x^{-1}"), True, "negative exponent"),
    (r"\frac{x^2-1}{x-1}", B("x+1"), True, "a cancelled rational expression"),
    ("x^3", B("x^2"), False, "wrong degree"),
    ("3x^2 + 2x", B(r"2x + 3x^{2}"), True, "reordered polynomial"),
    (r"\sqrt{x^2}", B("|x|"), True, "absolute value"),
    ("ab", B("ba"), True, "commuted product"),
    ("|x|", B("x"), False, "x is not |x| (they differ for negative x)"),
    (r"2\ln x", B(r"\ln(x^2)"), True, "equal wherever both are real"),
    ("x^2 - y^2", B("(x-y)(x+y)"), True, "two variables factored"),
    ("x^2 - y^2", B("(x-y)^2"), False, "two variables, wrong factorisation"),
    # -- tuples, sets, lists -----------------------------------------------------------------
    ("(1, 2)", B("(1,2)"), True, "ordered pair"),
    ("(1, 2)", B("(2, 1)"), False, "an ordered pair reversed"),
    ("(1, 2, 3)", B(r"\left(1, 2, 3\right)"), True, "triple with \\left \\right"),
    ("(1, 2)", B("1, 2"), True, "a point without its parentheses, in order"),
    (r"(\frac{1}{2}, -3)", B("(0.5, -3)"), True, "a pair with a decimal entry"),
    (r"\{1, 2\}", B("2, 1"), True, "a set as an unordered list"),
    (r"\{1, 2\}", B(r"\{1, 2, 3\}"), False, "an extra element"),
    ("1, 2", B("1"), False, "an answer missing"),
    ("1, 2", B("1, 1, 2"), False, "an answer repeated"),
    ("1, -3", B("x = 1 \\text{ or } x = -3"), True, "roots as equations joined by or"),
    ("1, -3", r"So $x = \boxed{-3}$ or $x = \boxed{1}$.", True, "two boxes for two roots"),
    (r"3 \pm \sqrt{2}", B(r"3+\sqrt{2}, 3-\sqrt{2}"), True, "plus-minus expanded"),
    (r"3+\sqrt{2}, 3-\sqrt{2}", B(r"3 \pm \sqrt{2}"), True, "plus-minus against the two roots"),
    (r"3+\sqrt{2}, 3-\sqrt{2}", B(r"3 + \sqrt{2}"), False, "only one of two roots"),
    (r"\frac{1 \pm \sqrt{5}}{2}", B(r"\frac{1+\sqrt5}{2}, \frac{1-\sqrt5}{2}"), True, "plus-minus inside a fraction"),
    (r"\frac{1+\sqrt5}{2}, \frac{1-\sqrt5}{2}", B(r"x = \frac{1 \pm \sqrt{5}}{2}"), True, "plus-minus in an equation"),
    (r"\frac{1 \pm \sqrt{5}}{2}", B(r"\frac{1+\sqrt5}{2}"), False, "one reading of a plus-minus gold"),
    (r"\frac{\sqrt3}{2}, -\frac{\sqrt3}{2}", B(r"\pm\frac{\sqrt3}{2}"), True, "a leading plus-minus"),
    ("5", B(r"\pm 1 \pm 2 \pm 3 \pm 4"), False, "many plus-minus signs: sixteen candidates"),
    ("5", B(r"\{5\}"), True, "a one-element solution set"),
    (r"(2, \infty)", B(r"\{x \mid x > 2\}"), True, "set-builder notation"),
    (r"(-\infty, 2]", B(r"\{x : x \le 2\}"), True, "set-builder notation with a colon"),
    (r"(2, \infty)", B(r"\{x \mid x > 3\}"), False, "set-builder notation, wrong bound"),
    # -- intervals and inequalities ----------------------------------------------------------
    (r"[2, \infty)", B(r"x \ge 2"), True, "interval against inequality (math-verify fault)"),
    (r"x \ge 2", B(r"[2, \infty)"), True, "inequality against interval (math-verify fault)"),
    (r"[2, \infty)", B(r"(2, \infty)"), False, "open instead of closed end"),
    (r"(1, 5]", B(r"1 < x \le 5"), True, "double inequality"),
    (r"(1, 5]", B(r"[1, 5]"), False, "closed instead of open end"),
    (r"(1, 5]", B(r"5 \ge x > 1"), True, "double inequality written downwards"),
    (r"(-\infty, 3)", B("x < 3"), True, "a ray"),
    (r"(-\infty, 3)", B("3 > x"), True, "a ray with the variable on the right"),
    (r"(-\infty, 3)", B(r"x \le 3"), False, "closed ray"),
    (r"(-\infty, 1) \cup (3, \infty)", B(r"x < 1 \text{ or } x > 3"), True, "union as inequalities"),
    (r"(-\infty, 1) \cup (3, \infty)", B(r"(3, \infty) \cup (-\infty, 1)"), True, "union in another order"),
    (r"(-\infty, 1) \cup (3, \infty)", B(r"(-\infty, 1)"), False, "half of a union"),
    (r"(1, 3)", B(r"x > 1 \text{ and } x < 3"), True, "two inequalities joined by and"),
    (r"\mathbb{R}", B(r"(-\infty, \infty)"), True, "all reals"),
    (r"(1, 2) \cup (3, 4)", B("(1,2) U (3,4)"), True, "a union written with a capital U"),
    (r"2\left|x\right|", B("2|x|"), True, "absolute value as an implicit factor"),
    ("6", B(r"2\lfloor 3.5 \rfloor"), True, "floor as an implicit factor"),
    (r"[\frac{1}{2}, 2]", B("[0.5, 2]"), True, "interval with a decimal endpoint"),
    (r"[\sqrt{2}, 3)", B(r"[2^{1/2}, 3)"), True, "interval with a symbolic endpoint"),
    # -- matrices -----------------------------------------------------------------------------
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\begin{bmatrix}1&2\\3&4\end{bmatrix}"), True, "bmatrix against pmatrix"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\begin{pmatrix}1&3\\2&4\end{pmatrix}"), False, "transposed"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B(r"\begin{pmatrix}1&2\\3&5\end{pmatrix}"), False, "one entry wrong"),
    (r"\begin{pmatrix}1\\2\end{pmatrix}", B("(1, 2)"), True, "column vector against a tuple"),
    (r"\begin{pmatrix}\frac{1}{2}&0\\0&1\end{pmatrix}", B(r"\begin{pmatrix}0.5&0\\0&1\end{pmatrix}"), True, "matrix with a decimal entry"),
    # -- equations ----------------------------------------------------------------------------
    ("x = 3", B("3"), True, "equation gold, bare answer"),
    ("3", B("x = 3"), True, "bare gold, equation answer"),
    ("x = 3", B("y = 3"), False, "another variable"),
    ("y = 2x + 1", B("y = 1 + 2x"), True, "reordered right-hand side"),
    ("y = 2x + 1", B("2x + 1"), True, "right-hand side only"),
    ("x^2 + y^2 = 1", B("2x^2 + 2y^2 = 2"), True, "an equation scaled"),
    ("x^2 + y^2 = 1", B("x^2 + y^2 = 2"), False, "another circle"),
    ("3", B("a = 2 = 3"), False, "a chain whose sides differ (math-verify takes the last side)"),
    ("2", B(r"x = \frac{4}{2} = 2"), True, "a consistent chain"),
    ("x = 1, y = 2", B("(1, 2)"), True, "a system's solution as a pair"),
    ("x = 1, y = 2", B("y = 2, x = 1"), True, "a system's solution in another order"),
    ("x = 1, y = 2", B("x = 2, y = 1"), False, "values swapped between variables"),
    ("x = 1, y = 2", B("(x, y) = (1, 2)"), True, "a system's solution as a tuple equation"),
    ("(1, 2)", B("(x, y) = (1, 2)"), True, "a point given as a tuple equation"),
    ("(1, 2)", B("(x, y) = (2, 1)"), False, "a point given as a tuple equation, swapped"),
    ("(-3, 0)", B("y = 0, x = -3"), True, "a point given as named values in another order"),
    ("(-3, 0)", B("y = -3, x = 0"), False, "a point given as named values, swapped"),
    ("(4, 4, 1)", B("z = 1, x = 4, y = 4"), True, "a triple given as named values"),
    ("y = -\\frac{1}{2}x + 3", B("x + 2y = 6"), True, "a line in another form"),
    # -- percent, degrees, units ------------------------------------------------------------------
    (r"25\%", B(r"25\%"), True, "percent"),
    (r"25\%", B("0.25"), True, "percent as a fraction of one"),
    (r"25\%", B("25"), True, "percent without the sign"),
    ("0.25", B(r"25\%"), True, "a fraction of one answered as a percent"),
    (r"25\%", B(r"2.5\%"), False, "wrong percent"),
    (r"33.3\%", B(r"\frac{1}{3}"), True, "a rounded percent gold against the exact fraction"),
    (r"50\%", B(r"\frac{1}{2}"), True, "a percent gold against a fraction of one"),
    (r"50\%", B(r"\frac{1}{3}"), False, "a percent gold against a wrong fraction"),
    (r"-34\%", B(r"-34\%"), True, "a negative percent"),
    ("-34", B(r"-34\%"), True, "a negative percent against the bare number"),
    (r"-30^\circ", B(r"-\frac{\pi}{6}"), True, "a negative angle in degrees against radians"),
    (r"30^\circ", B("30"), True, "degrees without the sign"),
    (r"30^\circ", B(r"\frac{\pi}{6}"), True, "degrees against radians"),
    ("30", B(r"30^{\circ}"), True, "degree sign on the answer only"),
    (r"30^\circ", B(r"60^\circ"), False, "a different angle"),
    (r"\frac{\pi}{6}", B(r"30^\circ"), True, "radians gold, degrees answer"),
    (r"30^\circ", B("30 degrees"), True, "degrees spelt out"),
    (r"5\text{ cm}", B("5"), True, "unit left out"),
    ("5", B(r"5 \text{ cm}"), True, "unit added"),
    (r"5\text{ cm}", B("5 centimeters"), True, "unit spelt out"),
    (r"12\text{ cm}^2", B(r"12 \text{ cm}^2"), True, "squared unit"),
    (r"12\text{ cm}^2", B(r"12 \text{ cm}"), False, "squared unit against a plain one"),
    (r"\$5.00", B("5"), True, "money"),
    (r"5\text{ m}", B("5 m"), True, "a one-letter unit written plainly"),
    (r"5\text{ m}", B("5 s"), False, "a one-letter unit of another quantity"),
    (r"5\text{ m}", B("6 m"), False, "the right unit, the wrong number"),
    ("5", B(r"\text{5 apples}"), True, "a number and its unit inside one \\text"),
    (r"5\text{ km}", B(r"\text{5 m}"), False, "a number and another unit inside one \\text"),
    # -- text answers -------------------------------------------------------------------------
    (r"\text{Monday}", B("Monday"), True, "a word"),
    (r"\text{Monday}", B(r"\text{Tuesday}"), False, "another word"),
    ("(B)", B(r"\text{(B)}"), True, "multiple choice letter"),
    ("B", B("C"), False, "another choice"),
    (r"\text{DNE}", B(r"\text{does not exist}"), True, "DNE spelt out"),
    (r"\text{no solution}", B(r"\text{No solutions}"), True, "no solution(s)"),
    (r"\text{no solution}", B(r"\text{one solution}"), False, "another verdict"),
    (r"\infty", B(r"\text{infinity}"), True, "infinity as a word"),
    # -- extraction ---------------------------------------------------------------------------
    ("3", r"First \boxed{2}. Wait, I made an error: \boxed{3}", True, "self-correction: the last box wins"),
    ("3", r"\boxed{3}. Hmm, actually \boxed{2}", False, "self-corrected to a wrong value (math-verify fault)"),
    ("3", "<answer>3</answer>", True, "answer block"),
    ("3", r"<answer>3</answer> but then \boxed{4}", False, "a later box beats the answer block"),
    ("3", r"\boxed{4} ... <answer>3</answer>", True, "a later answer block beats a box"),
    ("3", "The final answer is 3.", True, "final answer sentence"),
    ("3", "So, the answer is: 3", True, "answer sentence with a colon"),
    ("3", "I believe it is 3", True, "no marked answer: the final statement's value (require_answer_block refuses it)"),
    ("3", "So the answer is $3$, which matches the estimate.", True, "math span inside a final sentence"),
    ("3", "So the answer is $4$, which matches the estimate.", False, "math span inside a final sentence, wrong"),
    ("3", r"\fbox{3}", True, "\\fbox (math-verify fault)"),
    ("3", r"\boxed{\boxed{3}}", True, "nested boxes"),
    ("3", r"<answer>\boxed{3}</answer>", True, "a box inside the answer block"),
    ("3", r"<answer>$3$</answer>", True, "math delimiters in the answer block"),
    ("3", r"<answer>The answer is $3$.</answer>", True, "a sentence in the answer block"),
    (r"\frac{1}{2}", r"\boxed{\frac{1}{2}}", True, "nested braces"),
    (r"\boxed{\frac{1}{2}}", B("0.5"), True, "a gold written as a box"),
    (r"$\frac{1}{2}$", B("1/2"), True, "a gold in math delimiters"),
    ("3", r"\boxed{3}\boxed{3}", True, "the same box twice"),
    ("5", r"\boxed{5}" + " \\boxed{" * 1000, True, "unbalanced boxes after the answer are ignored"),
    # -- hedges and hacks ---------------------------------------------------------------------
    ("3", B("1 or 3"), False, "hedged between two values"),
    ("3", r"\boxed{1} or \boxed{3}", False, "two different boxed answers"),
    ("3", B("1, 2, 3, 4, 5"), False, "a list of candidates"),
    ("3", r"\boxed{3} \boxed{4}", False, "two adjacent boxes"),
    ("3", B("3 = 4"), False, "an equation of two values"),
    ("3", B(r"3 \approx 3.0"), False, "approximately"),
    (r"\frac{1}{2}", B(r"\frac{1}{2} + 10^{-100}"), False, "a tiny offset"),
    ("x", B("x + 10^{-30}"), False, "an expression a tiny constant away"),
    ("1", B(r"\sin^2 x + \cos^2 x + 10^{-30}"), False, "an identity a tiny constant away"),
    (r"\pi", B(r"\pi + 10^{-40}"), False, "pi a tiny constant away"),
    (r"\pi", B("3.14159265358979323846264338327950288419716939937510582097494"), False, "sixty digits of pi are not pi"),
    (r"\cos\frac{\pi}{12}", B(r"\frac{\sqrt{6}+\sqrt{2}}{4}"), True, "a trig value in radicals"),
    ("3", B("1/0"), False, "division by zero"),
    ("3", B("(-3)!"), False, "factorial of a negative number"),
    ("3", "", False, "empty completion"),
    # -- plain-text and dataset conventions ----------------------------------------------------
    (r"\frac{\sqrt{3}}{2}", B("sqrt(3)/2"), True, "plain sqrt with parentheses"),
    ("0.0015", B("1.5e-3"), True, "scientific notation"),
    ("300000", B("3E5"), True, "capital E notation"),
    ("5", B("1e99999"), False, "a scientific-notation bomb"),
    ("5", B(r"\frac1e5"), False, "scientific notation as a TeX argument (fuzzing found a crash)"),
    (r"[1, 2)", B(r"x \in [1, 2)"), True, "membership in an interval"),
    ("2x+1", B("f(x) = 2x+1"), True, "function notation on the left"),
    (r"\frac{x}{2}", B(r"f^{-1}(x) = \frac{x}{2}"), True, "an inverse function's equation"),
    ("f'(x) = 2x", B("f'(x) = 2x"), True, "a derivative's equation"),
    ("42", "Let me compute.\nAnswer: 42\n", True, "an 'Answer:' line"),
    ("7", "Working...\n**Answer:** 7.", True, "a bold 'Answer:' line"),
    ("1234", "Natalia sold 48 clips.\n#### 1,234", True, "GSM8K's #### line"),
    ("1234", "Natalia sold 48 clips.\n#### 1,235", False, "GSM8K's #### line, wrong"),
    ("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "So she sold \\boxed{72} clips.", True, "a whole GSM8K solution as the gold"),
    (r"Thus the area is $\boxed{\frac{9}{2}}$.", "<answer>4.5</answer>", True, "a whole MATH solution as the gold"),
    # -- MATH-style golds --------------------------------------------------------------------
    (r"36\pi\text{ cubic units}", B(r"36\pi"), True, "a unit of two words"),
    (r"(3,\frac{\pi}{2})", B(r"(3, 90^\circ)"), True, "polar coordinates with the angle in degrees"),
    (r"(3,\frac{\pi}{2},\frac{\pi}{4})", B(r"(3,\frac{\pi}{4},\frac{\pi}{2})"), False, "spherical coordinates swapped"),
    ("3.5", B(r"\frac 72"), True, "\\frac with a space and single-digit arguments"),
    (r"(x - 2)^2 + (y + 3)^2 = 16", B("x^2 - 4x + y^2 + 6y = 3"), True, "a circle expanded"),
    ("3x - 2y + z = 4", B("-6x + 4y - 2z + 8 = 0"), True, "a plane scaled and rearranged"),
    ("3x - 2y + z = 4", B("3x - 2y + z = 5"), False, "a parallel plane"),
    (r"\text{(A)}, \text{(C)}", B("C, A"), True, "several choices in another order"),
    (r"\arctan 2", B(r"\tan^{-1}(2)"), True, "inverse tangent written as a power"),
    # -- antiderivatives: any name for the constant, any shift of it -----------------------------
    ("x^2 + C", B("x^2 + 5 + C"), True, "a shifted constant"),
    (r"\frac{1}{2}\sin^2 x + C", B(r"-\frac{1}{4}\cos 2x + C"), True, "antiderivatives a constant apart"),
    (r"\ln|x| + C", B(r"\ln|2x| + C"), True, "logarithms a constant apart"),
    (r"e^x + C", B(r"e^{x+1} + C"), False, "antiderivatives a factor apart"),
    ("x^2 + C", B("x^2 + 10^{-30}x + C"), False, "antiderivatives a tiny non-constant apart"),
    ("a + b + c", B("a + b + k"), False, "a lower-case c in a gold is a variable, not a constant"),
    # -- decorations, look-alikes, words -----------------------------------------------------------
    ("1000000", B("1 000 000"), True, "SI digit groups"),
    (r"\pi", B(r"\pi + 10^{20} - 10^{20}"), True, "the float screen does not judge cancellation"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", B("[[1,3],[2,4]]"), False, "a nested list transposed"),
    # -- second adversarial round ------------------------------------------------------------------
    ("x^2 + C", B("x^2 + 2"), False, "a number is not an arbitrary constant"),
    (r"(-\infty, -3) \cup (-3, \infty)", B(r"\mathbb{R} \setminus \{3\}"), False, "the reals minus another point"),
    (r"[0, 1) \cup (1, 2]", B(r"[0, 2] \setminus \{1\}"), True, "an interval minus an inner point"),
    ("2", B("x + 1 = 3"), False, "an unsolved equation is not the value of x"),
    # -- third adversarial round -------------------------------------------------------------------
    ("x^2", B("x^2 + 1 = x^2"), False, "a false equation between expressions ending in the gold"),
    ("x^2", B("x = x^2 = x^2 + 1"), False, "a false chain between expressions"),
    ("5", B("f(2) = 5 = f(3)"), True, "a chain naming two function values, both 5"),
    ("2", r"\boxed{1}. But wait, I made an arithmetic slip: \boxed{2}.", True, "'but wait' is a correction"),
    (r"(-\infty,-7)\cup(-7,2]", B(r"x \le 2, x \neq -6"), False, "conditions joined by a comma, another point"),
    ("[2, 5)", B(r"x \ge 2, x < 5"), True, "two bounds joined by a comma"),
    ("(1, 3)", B("x > 1, x < 4"), False, "two bounds joined by a comma, one wrong"),
    (r"3 \pmod{7}", B(r"x \equiv 3 \pmod{7}"), True, "a congruence"),
    (r"3 \pmod{7}", B("3"), True, "a residue class gold answered by its residue"),
    (r"3 \pmod{7}", B(r"3 \pmod{8}"), False, "a residue with another modulus"),
    # bench/math_heldout.py showed the first one refused: a class has many representatives
    (r"x \equiv 2 \pmod{5}", B(r"x \equiv 7 \pmod{5}"), True, "another representative of the same class"),
    (r"x \equiv 2 \pmod{5}", B(r"x \equiv -3 \pmod{5}"), True, "a negative representative"),
    (r"3 \pmod{7}", B(r"x \equiv 10 \pmod{7}"), True, "a representative, the gold without a variable"),
    (r"x \equiv 2 \pmod{5}", B(r"x \equiv 3 \pmod{5}"), False, "another class"),
    (r"x \equiv 2 \pmod{5}", B(r"x \equiv 2 \pmod{10}"), False, "a smaller class (another modulus)"),
    (r"x \equiv 2 \pmod{5}", B(r"y \equiv 7 \pmod{5}"), False, "the class of another variable"),
    (r"x \equiv 2 \pmod{5}", B("7"), False, "a representative that is no class (the policy)"),
    (r"x \equiv 2 \pmod{5}", B(r"x \equiv \frac{7}{1} \pmod{5}"), False, "a fraction is not read as a representative"),
    (r"(-\infty, 1) \cup (3, \infty)", B(r"(-\infty, 1), (3, \infty)"), True, "a union written as a list of intervals"),
    (r"\frac{1}{2}", B(r"\text{one half}"), True, "one half in words"),
    (r"(-\infty, -2) \cup (2, \infty)", B(r"\mathbb{R} \setminus [-2, 2]"), True, "the reals minus an interval"),
    (r"(-\infty, -2) \cup (2, \infty)", B(r"\mathbb{R} \setminus (-2, 2)"), False, "the reals minus an open interval"),
    ("1", r"\boxed{1} (or \boxed{2})", False, "a second box in parentheses"),
    ("2", r"\boxed{1}. Alternatively, it could be \boxed{2}", False, "an alternative box"),
    ("2", r"\boxed{1} / \boxed{2}", False, "boxes split by a slash"),
    ("2", r"\boxed{1}. Wait, that is wrong: \boxed{2}", True, "a correction between boxes"),
    # -- golds outside the grammar: exact text, then math-verify in the worker -------------------
    (r"\overline{z}", B(r"\overline{z}"), True, "unsupported gold, same text"),
    (r"\sum_{k=1}^n k", B(r"\frac{n(n+1)}{2}"), True, "unsupported gold, math-verify fallback"),
    (r"\sum_{k=1}^n k", B("5"), False, "unsupported gold, wrong answer"),
    ("1:2", B("2:3"), False, "a ratio, wrong"),
    (r"\begin{pmatrix} -1 \\ 2 \end{pmatrix}", B("(-1, 2)"), True, "matrix rows with spaces around \\\\"),
    (r"\frac{\pi}{2}", B(r"\cos^{-1} 0"), True, "inverse cosine written as a power"),
    # -- expression bombs (must be refused, never evaluated) --------------------------------------
    ("5", B(r"\binom{100000}{50000}"), False, "huge binomial coefficient"),
    ("x", B("(x+y+z+w)^{2000}"), False, "a polynomial too large to expand"),
    ("5", B("9" * 5000), False, "a 5000-digit number"),
    ("5", B("(" * 5000 + "5" + ")" * 5000), False, "deep nesting"),
    ("5", B(r"\frac{" * 20000), False, "unbalanced fractions"),
    ("5", B(r"x^{10^{10}}"), False, "huge symbolic exponent"),
    ("5", B("2^{2^{2^{2^{2^{2}}}}}"), False, "a six-level tower of twos"),
    ("x", B("(x+1)^{100000}"), False, "a huge polynomial power"),
    ("5", B("1+" * 300000 + "5"), False, "1 MB of LaTeX"),
    ("1", B(" + ".join(f"\\frac{{1}}{{{p}^{{{190000 // p.bit_length()}}}}}" for p in (3, 5, 7, 11, 13, 17, 19, 23))),
     False, "a sum of fractions whose denominators multiply (quadratic gcd work)"),
    ("5", B("2^{-199999}"), False, "a tiny power of two against an integer"),
    (r"\frac{1}{3}", B("2^{-199999}"), False, "a tiny power of two against a fraction"),
    ("5", B("-" * 1100 + "5"), False, "a thousand minus signs"),
    ("5", B("5" + "!" * 1100), False, "a thousand factorials"),
    ("5", B("3" + "\\%" * 1000), False, "a thousand percent signs"),
    ("5", B("2^" + "-" * 1000 + "5"), False, "a thousand signs in an exponent"),
    ("5", B("\\sqrt{" * 300 + "2" + "}" * 300), False, "nested roots"),
    ("5", B("{" * 400 + "5" + "}" * 400), False, "nested braces"),
    ("5", "x" * 1_000_000 + r"\boxed{5}", True, "an answer after 1 MB of text"),
    ("5", r"\boxed{1} " * 50000 + r"\boxed{5}", False, "100000 boxes: a list of candidates"),
]


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_table(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = _bounded(lambda: verify(completion, gold))
    assert verdict.passed is expected, f"{why}: {verdict}"
    assert verdict.score == (1.0 if expected else 0.0)
    assert verdict.reason != "timeout", f"{why}: an answer must be refused, not time out"


def _bounded(call, limit_s: float = 120.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) when it does not return."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(limit_s)
    assert result, f"verify did not return within {limit_s} s"
    return result[0]


def test_table_is_large_and_balanced() -> None:
    assert len(TABLE) >= 150
    assert sum(1 for row in TABLE if row[2]) >= 60 and sum(1 for row in TABLE if not row[2]) >= 60


# -- options ------------------------------------------------------------------------------------
OPTION_TABLE = [
    (r"\frac{1}{3}", B("0.3333"), Options(rel_tol=1e-3), True, "a tolerance accepts a close decimal"),
    (r"\frac{1}{3}", B("0.34"), Options(rel_tol=1e-3), False, "but not a far one"),
    (r"2\sqrt{2}", B("2.8284"), Options(rel_tol=1e-4), True, "a tolerance against an irrational gold"),
    ("391", B(r"17 \cdot 23"), Options(literal_answers=True), False, "literal answers: no expression"),
    ("391", B("391"), Options(literal_answers=True), True, "literal answers: the number"),
    (r"\frac{5}{2}", B(r"2\frac{1}{2}"), Options(literal_answers=True), True, "literal answers: a mixed number"),
    (r"-\frac{1}{2}", B(r"\frac{-3}{6}"), Options(literal_answers=True), True, "literal answers: a signed numerator"),
    (r"-\frac{1}{2}", B("-3/6"), Options(literal_answers=True), True, "literal answers: a signed plain fraction"),
    (r"-\frac{1}{2}", B("-0.5"), Options(literal_answers=True), True, "literal answers: a negative decimal"),
    ("-1", B("(-1)^3"), Options(literal_answers=True), False, "literal answers: a power is an expression"),
    (r"5\text{ km}", B(r"5\text{ m}"), Options(compare_units=False), True, "units ignored when asked"),
    ("0.33", B(r"\frac{1}{3}"), Options(decimal_gold_rounding=False), False, "no rounding to a decimal gold"),
    (r"\sqrt{2}", B("2^{1/2}"), Options(use_cas=False), False, "without the CAS an undecided answer fails"),
]


@pytest.mark.parametrize("gold, completion, options, expected, why", OPTION_TABLE, ids=[r[4] for r in OPTION_TABLE])
def test_options(gold: str, completion: str, options: Options, expected: bool, why: str) -> None:
    assert verify(completion, gold, options=options).passed is expected, why


def test_bad_options_raise_config_error() -> None:
    with pytest.raises(ConfigError):
        Options(rel_tol=2.0)
    with pytest.raises(ConfigError):
        Options(cas_timeout_s=0)
    with pytest.raises(ConfigError):
        Options(literal_answers="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        Options(rel_tol="0.1")  # type: ignore[arg-type]


def test_reasons_are_stable_codes() -> None:
    assert verify(B("1 or 2"), "2").reason == "several_answers"
    assert verify("nothing here", "2").reason == "no_answer"
    assert verify(B("(10^7)!"), "2").reason == "too_large"
    assert verify(B("2 +* 3"), "2").reason == "unparseable"
    assert verify(B("3"), "2").reason == "wrong_answer"
    assert verify(B(r"\sqrt{4}"), "2").reason == "correct"


def test_non_string_input_is_a_caller_bug() -> None:
    with pytest.raises(TypeError):
        verify(None, "2")  # type: ignore[arg-type]


# -- properties ---------------------------------------------------------------------------------
_PIECES = [
    "1", "2", "0", "3.5", "x", "y", "i", "e", "\\pi", "\\frac", "\\sqrt", "{", "}", "(", ")", "[", "]", "\\{",
    "\\}", "+", "-", "^", "_", "!", ",", "=", "<", "\\le", "\\cup", "\\infty", "\\text{ cm}", "\\text{or}", "or",
    "\\%", "^\\circ", "\\left(", "\\right)", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "|", "\\pm",
    "\\sin", "\\log_", "\\binom", "\\overline", "0.", "\\boxed{", "\\mathbb{R}", " ", "\\cdot", "'", "1e5",
    "\\mid", ":", "\\in", "\\$", "{,}", "\\!",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join),
    gold=st.sampled_from(["3", r"\frac{1}{2}", "x^2+1", r"[2,\infty)", r"\{1,2\}", "(1,2)", "x=3", r"25\%", r"3\pm 1"]),
)
def test_any_answer_gets_a_verdict_never_an_exception(answer: str, gold: str) -> None:
    for completion in (f"\\boxed{{{answer}}}", f"<answer>{answer}</answer>", f"The answer is {answer}"):
        verdict = verify(completion, gold, options=Options(cas_timeout_s=2))
        assert verdict.score in (0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(numerator=st.integers(-10**6, 10**6), denominator=st.integers(1, 10**4))
def test_every_form_of_a_fraction_passes_and_a_neighbour_fails(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    gold = f"\\frac{{{value.numerator}}}{{{value.denominator}}}" if value.denominator > 1 else str(value.numerator)
    forms = [f"{value.numerator}/{value.denominator}", f"{value.numerator * 7}/{value.denominator * 7}"]
    if value < 0:
        forms.append(f"-\\dfrac{{{-value.numerator}}}{{{value.denominator}}}")
    for form in forms:
        assert verify(B(form), gold).passed, form
    neighbour = value + Fraction(1, 7 * value.denominator)
    assert not verify(B(f"{neighbour.numerator}/{neighbour.denominator}"), gold).passed

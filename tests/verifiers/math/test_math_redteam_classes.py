"""Classes of wrong answers paid and right answers refused found by an outside red team (issue 10,
math classes 1 to 5): rows written fresh here, (gold, completion, expected, why), with near misses.
"""

from __future__ import annotations

import pytest

from assay.verifiers.math import Options, verify


def B(answer: str) -> str:
    return f"Working through the algebra carefully.\nTherefore the answer is $\\boxed{{{answer}}}$."


IDENTITIES = [  # class 1: test points over the whole line and both sides of the gold's breakpoints
    ("|x - 5|", B("5 - x"), False, "equal only left of 5"),
    ("|x - 5|", B("x - 5"), False, "equal only right of 5"),
    ("|x - 5|", B(r"\sqrt{(x-5)^2}"), True, "the same function"),
    (r"\sqrt{x^2 - 10x + 25}", B("5 - x"), False, "a square root of a square, one branch"),
    (r"\sqrt{x^2 - 10x + 25}", B("|x - 5|"), True, "a square root of a square is the absolute value"),
    ("|x + 4|", B("x + 4"), False, "equal only right of -4"),
    ("|x + 4|", B("|-x - 4|"), True, "the absolute value of the negation"),
    ("|2x - 700|", B("700 - 2x"), False, "a breakpoint far from zero"),
    (r"\frac{|x|}{x}", B("1"), False, "the sign function is not 1"),
    (r"\sqrt{x^2}", B("x"), False, "the square root of a square is not x"),
    (r"x^3", B(r"x^3 + 10^{-5}x^4"), False, "a tiny term that only large x reveal"),
    (r"\frac{x^2 - 1}{x - 1}", B("x + 1"), True, "equal away from the hole"),
    (r"2\ln x", B(r"\ln(x^2)"), True, "compared in the gold's domain x > 0"),
    (r"\sqrt{x - 5}\cdot\sqrt{x - 5}", B("x - 5"), True, "a gold real only for x >= 5 is compared there"),
    (r"\tan x", B(r"\frac{\sin x}{\cos x}"), True, "a trigonometric identity"),
]

CONSTANTS = [  # class 2: closed-form constants decided exactly
    (r"\pi", B(r"\pi + e^{-100}"), False, "a constant that agrees to 43 digits"),
    (r"\pi", B(r"\pi - e^{-1000}"), False, "a constant that agrees to 434 digits"),
    (r"\pi", B(r"\pi + 10^{-60}"), False, "a rational nudge below the old precision"),
    (r"\sqrt{2}", B(r"\sqrt{2} + \frac{1}{10^{80}}"), False, "a nudge of an irrational"),
    (r"\frac{\sqrt{6} - \sqrt{2}}{4}", B(r"\sin\frac{\pi}{12}"), True, "an exact trigonometric value"),
    (r"\sqrt{5 + 2\sqrt{6}}", B(r"\sqrt{2} + \sqrt{3}"), True, "a denested radical"),
    (r"\ln 6", B(r"\ln 2 + \ln 3"), True, "a sum of logarithms"),
    (r"\cos\frac{\pi}{5}", B(r"\frac{1 + \sqrt{5}}{4}"), True, "the golden ratio's half"),
    ("3.14", B(r"\pi"), True, "a numeric gold keeps its rounding rule"),
]

OVER = [  # class 4: TeX's \over
    (r"\frac{1}{2}", B(r"{1 \over 2}"), True, "\\over inside a group"),
    (r"\frac{1}{2}", B(r"1 \over 2"), True, "\\over as the whole box"),
    (r"\frac{1}{3}", B(r"{1 \over 2}"), False, "\\over with the wrong value"),
    (r"\frac{x + 1}{2}", B(r"{x + 1 \over 2}"), True, "\\over takes everything before it in the group"),
    (r"\frac{x}{2} + 1", B(r"{x + 1 \over 2}"), False, "\\over is not a tight binding"),
]

UNITS = [  # class 5: units on both sides converted
    (r"5\text{ m}", B(r"500\text{ cm}"), True, "centimetres for metres"),
    (r"500\text{ cm}", B(r"5\text{ m}"), True, "metres for centimetres"),
    (r"500\text{ cm}", B(r"5\text{ km}"), False, "kilometres are not metres"),
    (r"2\text{ kg}", B(r"2000\text{ g}"), True, "grams for kilograms"),
    (r"2\text{ kg}", B(r"2000\text{ s}"), False, "units of different kinds"),
    (r"90\text{ min}", B(r"1.5\text{ hours}"), True, "hours for minutes"),
    (r"1\text{ ft}", B(r"12\text{ inches}"), True, "inches for feet"),
    (r"1\text{ ft}", B(r"0.3\text{ m}"), False, "a rounded conversion is not exact"),
    (r"2\text{ l}", B(r"2000\text{ ml}"), True, "millilitres for litres"),
    (r"1\text{ m}^2", B(r"10000\text{ cm}^2"), True, "square units convert squared"),
    (r"1\text{ m}^2", B(r"100\text{ cm}^2"), False, "square units converted linearly"),
    (r"1000\text{ cm}^3", B(r"1\text{ l}"), True, "cubic centimetres are millilitres"),
    (r"5\text{ apples}", B(r"5\text{ pears}"), False, "unknown units keep the name rule"),
    (r"30^\circ", B(r"\frac{\pi}{6}\text{ rad}"), True, "radians for degrees"),
    (r"5\text{ m}", B("5"), True, "a unit on one side keeps today's rule"),
]

FINAL_ANSWER = [  # class 3: the final answer is not always the last box
    ("5", r"So we get $\boxed{4}$, but let me recheck: 2 + 3 is 5. The final answer is 5.", False,
     "a retracted box with the new value unboxed: ambiguous"),
    ("5", r"So we get $\boxed{4}$, but let me recheck: 2 + 3 is 5. The final answer is $\boxed{5}$.", True,
     "a retracted box, the new value boxed"),
    ("4", r"So we get $\boxed{4}$, but let me recheck: 2 + 3 is 5. The final answer is 5.", False,
     "a retracted box no longer pays"),
    ("4", r"So we get $\boxed{4}$. The final answer is 4.", True, "a closing sentence that agrees"),
    ("4", r"So we get $\boxed{4}$. Therefore the answer is the number of apples.", True, "a closing sentence in words"),
    ("5", r"The count is $\boxed{5}$, but if we count the endpoints it is 7.", False, "a hedge after a comma"),
    ("5", r"The count is $\boxed{5}$ (or 6).", False, "a hedge in parentheses"),
    ("5", r"The count is $\boxed{5}$ (since 2 + 3 = 5).", True, "a reason in parentheses is no hedge"),
    ("5", r"The count is $\boxed{5}$, or equivalently 10/2.", True, "an equivalent form is no hedge"),
    ("5", "The answer is 5, but if we count the endpoints it is 7.", False, "a hedge in the closing sentence"),
    ("5", "The answer is 5, which is odd.", True, "a remark in the closing sentence"),
    ("2, -5", r"From the first factor, $x = \boxed{2}$. Now the second factor $x + 5 = 0$ gives $x = \boxed{-5}$.",
     True, "roots boxed one by one"),
    (r"\{2, -5\}", r"First $x = \boxed{2}$; then, solving the other factor carefully, $x = \boxed{-5}$.", True,
     "roots boxed one by one against a set"),
    ("2, -5", r"From the first factor, $x = \boxed{2}$. Wait, that is wrong; $x = \boxed{-5}$.", False,
     "a retraction between boxes is not a second root"),
    ("2, -5", r"First $x = \boxed{2}$; then the other factor gives $x = \boxed{-4}$.", False, "one root wrong"),
    ("2", r"From the first factor, $x = \boxed{2}$. The second factor gives $x = \boxed{-5}$.", False,
     "two roots boxed for a one-value gold"),
    ("12", "The parts add up.\n\n**Final Answer**\n\n12", True, "a bold heading, then the value"),
    (r"\frac{1}{2}", "Done.\n### Final Answer\n$\\frac{1}{2}$", True, "a markdown heading, then the value"),
    ("13", "The parts add up.\n\n**Final Answer**\n\n12", False, "a heading with the wrong value"),
    ("12", "Adding the parts, so 12 is the answer.", True, "'12 is the answer' without a box"),
    ("12", "Adding the parts we get 5 + 7 = 12.", True, "the final statement's value"),
    ("12", "It is 12 or maybe 13.", False, "a hedged final statement"),
    ("12", "I do not know.", False, "no value at all"),
]

TABLE = IDENTITIES + CONSTANTS + OVER + UNITS + FINAL_ANSWER


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_red_team_classes(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold)
    assert verdict.passed is expected, (why, verdict)


STRICT = Options(require_answer_block=True)


@pytest.mark.parametrize("completion, expected", [
    ("Adding the parts, so 12 is the answer.", False),
    ("The answer is 12.", False),
    ("**Final Answer**\n\n12", False),
    (r"So $\boxed{12}$.", True),
    ("<answer>12</answer>", True),
])
def test_require_answer_block_reads_boxes_and_blocks_only(completion: str, expected: bool) -> None:
    verdict = verify(completion, "12", options=STRICT)
    assert verdict.passed is expected and (expected or verdict.reason == "no_answer"), verdict

"""Final-answer extraction of the math verifier: (completion, expected text, source, why).

Judging is tested elsewhere; here only what text is taken as the answer, and that it is linear.
"""

from __future__ import annotations

import pytest

from assay.verifiers.math.extract import boxes, extract_final

ROWS = [
    (r"so \boxed{3}", "3", "boxed", "one box"),
    (r"\boxed{2} then, correcting myself, \boxed{3}", "3", "boxed", "the last box wins"),
    (r"\boxed{\frac{1}{2}}", r"\frac{1}{2}", "boxed", "nested braces"),
    (r"\fbox{7}", "7", "boxed", "fbox"),
    (r"\boxed 7.", "7", "boxed", "an unbraced single token"),
    (r"\boxed{\boxed{4}}", r"\boxed{4}", "boxed", "the outer of nested boxes"),
    (r"$x = \boxed{1}$ or $x = \boxed{2}$", "1, 2", "boxed", "two boxes joined by 'or' are one answer"),
    (r"\boxed{1}, \boxed{2} and \boxed{3}", "1, 2, 3", "boxed", "a list of boxes"),
    (r"\boxed{2}\boxed{2}", "2", "boxed", "the same box twice"),
    (r"\boxed{1}. Another thought. \boxed{2}", "1, 2", "boxed", "a short gap without a correction: candidates"),
    (r"\boxed{1}. Wait, that is wrong. \boxed{2}", "2", "boxed", "a correction between boxes: the last wins"),
    ("\\boxed{1}. " + "Long reasoning follows here. " * 4 + "\\boxed{2}", "2", "boxed", "boxes far apart are not one answer"),
    (r"\boxed{}", "", "boxed", "an empty box"),
    (r"\boxed{5} \boxed{", "5", "boxed", "an unclosed box after the answer"),
    (r"\boxed{\{1, 2\}}", r"\{1, 2\}", "boxed", "escaped braces inside a box"),
    ("<answer>3</answer>", "3", "answer", "an answer block"),
    (r"\boxed{4} ... <answer>3</answer>", "3", "answer", "an answer block after a box"),
    (r"<answer>3</answer> ... \boxed{4}", "4", "boxed", "a box after an answer block"),
    (r"<answer>x = \boxed{3}</answer>", "3", "answer", "a box inside the answer block"),
    ("<answer>The answer is $3$.</answer>", "3", "answer", "a sentence inside the answer block"),
    ("The final answer is $\\frac{1}{2}$.", "\\frac{1}{2}", "sentence", "a final answer sentence"),
    ("So the answer is 42. We are done", "42", "sentence", "an answer sentence followed by more text"),
    ("Final answer: 12", "12", "sentence", "final answer with a colon"),
    ("Work.\nAnswer: 42\n", "42", "sentence", "an Answer: line"),
    ("Work.\n#### 1,234", "1,234", "sentence", "GSM8K's #### line"),
    ("I have no idea.", None, "none", "nothing to extract"),
]


@pytest.mark.parametrize("completion, text, source, why", ROWS, ids=[r[3] for r in ROWS])
def test_extract_final(completion: str, text: str | None, source: str, why: str) -> None:
    found = extract_final(completion)
    assert (found.text, found.source) == (text, source), why


def test_brace_matching_is_linear_on_hostile_input() -> None:
    # 200 000 unclosed boxes: a per-box scan to the end would be quadratic (minutes); one pass is not
    assert boxes("\\boxed{" * 200_000) == []
    found = extract_final("\\boxed{" * 200_000 + "\\boxed{5}")
    assert found.text == "5"

"""Audit probes from ``probes_for`` and the AST -> LaTeX printer, checked by the verifier itself.

Every probe must get its expected verdict; every rendered gold must parse back to an equal answer.
"""

from __future__ import annotations

import pytest
from test_math_verify import TABLE, B

from assay.verifiers.math import verify
from assay.verifiers.math.latex import to_latex
from assay.verifiers.math.parse import ParseError, parse
from assay.verifiers.math.probes import probes_for

PROBE_GOLDS = [
    "3", "-7/3", r"\frac{1}{3}", "0.25", r"2\sqrt{2}", r"\frac{\pi}{6}", "x^2+2x+1", r"\{1, 2\}", "1, -3",
    "(1, 2)", r"[2, \infty)", r"(-\infty, 3)", r"(1, 5]", r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", "3+4i",
    r"x \ge 2", r"\text{Monday}", r"5\text{ cm}", r"25\%", r"30^\circ", "0", r"3 \pm \sqrt{2}", "y = 2x + 1",
    r"(-\infty, 1) \cup (3, \infty)", r"\begin{pmatrix} -1 \\ 2 \end{pmatrix}", r"\frac{1 \pm \sqrt{5}}{2}",
    r"\text{DNE}", r"\frac{n(n+1)}{2}", r"\sqrt[3]{2}", "(x-2)(x+3)", r"\$32,\!348", r"8\text{ inches}",
]


@pytest.mark.parametrize("gold", PROBE_GOLDS)
def test_probes_for_get_their_expected_verdicts(gold: str) -> None:
    probes = probes_for(gold)
    assert any(p.expect_pass for p in probes) and any(not p.expect_pass for p in probes)
    for probe in probes:
        verdict = verify(probe.completion, gold)
        assert verdict.passed is probe.expect_pass, f"{probe.why}: {probe.completion[-120:]!r} -> {verdict}"


# golds of the table that are not one expression for ``parse``: each is scored by another path
# (ratios, GSM8K solutions, boxed sentences, big operators, lists of choices). Any other gold that
# stops parsing fails test_every_other_gold_parses, instead of dropping out of the rendering test.
UNPARSED = {
    "1:2": "a ratio, compared as a ratio",
    "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72": "a GSM8K solution: its answer follows ####",
    r"Thus the area is $\boxed{\frac{9}{2}}$.": "a solution sentence: its answer is the box",
    r"\sum_{k=1}^n k": "a big operator outside the grammar",
    r"\sum_{k=1}^{10} k": "a big operator outside the grammar",
    r"\text{(A)}, \text{(C)}": "multiple-choice letters",
}
# golds of rows that live in the adversarial tables only (tests/adversarial/_math_rows_*.py), still
# parsed and rendered here
ADVERSARIAL_GOLDS = [
    "(1, 2), (3, 4)", "1000000000", "100", "2024", "21", "33", "4", "500", "9", r"\emptyset", r"\frac{1}{2^{98}}", r"\ln 2",
    r"\sum_{k=1}^{10} k",
]
GOLDS = sorted({row[0] for row in TABLE} | set(PROBE_GOLDS) | set(ADVERSARIAL_GOLDS))
PARSED = [gold for gold in GOLDS if gold not in UNPARSED]


@pytest.mark.parametrize("gold", PARSED)
def test_every_other_gold_parses(gold: str) -> None:
    parse(gold)  # a ParseError here is a regression of the parser


@pytest.mark.parametrize("gold", sorted(UNPARSED))
def test_the_listed_golds_still_do_not_parse(gold: str) -> None:
    assert gold in GOLDS, "no longer in the table: remove it from UNPARSED"
    with pytest.raises(ParseError):
        parse(gold)  # if it parses now, remove it from UNPARSED so the rendering test covers it


@pytest.mark.parametrize("gold", PARSED)
def test_latex_rendering_parses_back_to_an_equal_answer(gold: str) -> None:
    rendered = to_latex(parse(gold))
    assert verify(B(rendered), gold).passed, rendered

"""Adversarial table for ``assay.verifiers.math.verify``: right answers in forms nobody planned for,
near misses and cheats, each row (gold, completion, expected, why), graded as MATH/GSM8K/AIME would.

Policy decisions (what counts as right when graders could differ) are written in each row's ``why``
(rows that follow a policy say "policy") and summed up in ``POLICY``. These rows tuned the verifier
(it passes them by construction), so they compare nothing: correctness against math-verify is
measured on the held-out table by ``bench/math_verify.py``, and math-verify's own record on these
rows lives there too (``bench/math_verify_record.py``).
"""

from __future__ import annotations

import threading
import time

import pytest
from _math_rows_cheats import CHEAT_ROWS, LATER_ROWS
from _math_rows_forms import FORM_ROWS
from _math_support import B

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
- Congruences: x \\equiv 3 \\pmod{7} is a residue class and does not answer the integer 3 (the
  verifier's documented convention, with its reason; graders differ).
"""


ROWS = FORM_ROWS + CHEAT_ROWS + LATER_ROWS
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
        except BaseException as error:  # noqa: BLE001 - re-raised below, in the test's thread
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

"""Adversarial rows written by the helper session "mathv" (2026-12-06): right answers in forms the
other tables did not try, near misses and cheats, each row a wrong verdict of the code before it
(or its near miss, so a fix cannot overreach). (gold, completion, expected, why).
"""

from __future__ import annotations

import pytest

from assay.verifiers.math import verify


def B(answer: str) -> str:
    return f"Working it out step by step.\nSo the answer is $\\boxed{{{answer}}}$."


THOUGHTS = [  # a box written while thinking is never part of the answer, not even when boxes are gathered
    ("-6, -2", "<think>maybe \\boxed{7}</think>The answer is $\\boxed{-6, -2}$.", True, "a list gold, a stray box in the thoughts"),
    ("-6, -2", "<think>first root \\boxed{-6}</think>So $x = \\boxed{-2}$.", False, "half a list boxed in the thoughts"),
    ("-6, -2", "<think>hmm</think>So $x = \\boxed{-6}$ and $x = \\boxed{-2}$.", True, "both roots boxed after the thoughts"),
]

TABLE = THOUGHTS


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_adversarial(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold)
    assert verdict.passed is expected, (why, verdict)

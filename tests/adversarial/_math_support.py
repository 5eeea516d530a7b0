"""Support for the math adversarial tables (no tests here): completion builders and known faults.

math-verify's verdicts on these tables are no test of Assay: they live in bench/math_verify.py.
"""

from __future__ import annotations

import pytest


# -- completions and rows ------------------------------------------------------------------------
def B(answer: str) -> str:
    """A completion that boxes ``answer`` after some reasoning."""
    return f"We work it out carefully.\nTherefore the answer is $\\boxed{{{answer}}}$."


def A(answer: str) -> str:
    """A completion with an answer block."""
    return f"Reasoning omitted.\n<answer>{answer}</answer>"


def bug(gold: str, completion: str, expected: bool, why: str, reason: str):
    """A row the verifier gets wrong today: a strict xfail naming the fault."""
    return pytest.param(gold, completion, expected, why, marks=pytest.mark.xfail(strict=True, reason=reason), id=why)

"""Math answer verification (placeholder: exact numbers only, until the full verifier lands).

``verify(completion, gold) -> Verdict`` is the stable signature.
"""

from __future__ import annotations

from assay.extract import extract_answer
from assay.types import Verdict
from assay.verifiers.numbers import parse_number


def verify(completion: str, gold: str) -> Verdict:
    """Score a completion against a gold answer written as text (LaTeX or plain).

    >>> verify("so \\\\boxed{1/2}", "\\\\frac{1}{2}").passed
    True
    """
    candidate = extract_answer(completion, allow_boxed=True)
    if candidate is None:
        return Verdict.fail("no_answer")
    value, expected = parse_number(candidate), parse_number(gold)
    if value is None:
        return Verdict.fail("unparseable")
    if expected is None:
        return Verdict.fail("unsupported_gold", message="placeholder verifier handles exact numbers only")
    return Verdict.correct() if value == expected else Verdict.fail("wrong_answer")

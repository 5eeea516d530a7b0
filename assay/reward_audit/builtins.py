"""Built-in rewards to audit by name: ``math-verify`` (the math_verify package's ``parse`` and
``verify``, as most math RL recipes call it). Assay's own verifier is the built-in ``assay``.
"""

from __future__ import annotations

from math_verify import parse, verify  # at load time: the first call must not pay the import


def math_verify_reward(completion: str, answer: str) -> float:
    """1.0 when math-verify finds the completion's answer equal to the gold, else 0.0.

    The gold is parsed inside ``$...$`` (it is LaTeX or plain text); the completion as it comes.

    >>> math_verify_reward("The answer is $\\\\boxed{\\\\frac{1}{2}}$.", "0.5")
    1.0
    """
    gold = parse(f"${answer}$") or parse(answer)
    return 1.0 if verify(gold, parse(completion)) else 0.0

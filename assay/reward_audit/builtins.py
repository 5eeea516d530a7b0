"""Built-in rewards to audit by name: ``math-verify`` (the math_verify package's ``parse`` and
``verify``, as most math RL recipes call it). Assay's own verifier is the built-in ``assay``.
"""

from __future__ import annotations

from math_verify import parse, verify  # at load time: the first call must not pay the import

OPEN, CLOSE = "<answer>", "</answer>"


def boxed_answer_blocks(completion: str) -> str:
    """The completion with each ``<answer>X</answer>`` shown as ``\\boxed{X}`` (a linear scan).

    math-verify looks for boxes and LaTeX, not for the answer tags Assay's prompts ask for; without
    this it would refuse most reference answers, which measures the format, not the grader.

    >>> boxed_answer_blocks("so <answer>1/2</answer>.")
    'so \\\\boxed{1/2}.'
    """
    out: list[str] = []
    start = 0
    while True:
        opening = completion.find(OPEN, start)
        if opening < 0:
            break
        closing = completion.find(CLOSE, opening + len(OPEN))
        if closing < 0:
            break
        out += [completion[start:opening], "\\boxed{", completion[opening + len(OPEN) : closing], "}"]
        start = closing + len(CLOSE)
    out.append(completion[start:])
    return "".join(out)


def math_verify_reward(completion: str, answer: str) -> float:
    """1.0 when math-verify finds the completion's answer equal to the gold, else 0.0.

    The gold is parsed inside ``$...$`` (it is LaTeX or plain text), as training code does; the
    completion with its answer blocks shown as boxes (``boxed_answer_blocks``).

    >>> math_verify_reward("The answer is <answer>\\\\frac{1}{2}</answer>.", "0.5")
    1.0
    """
    gold = parse(f"${answer}$") or parse(answer)
    return 1.0 if verify(gold, parse(boxed_answer_blocks(completion))) else 0.0

"""A long word after a short one once made the lexer's unit pattern backtrack exponentially
(issue 19): each case runs in a child process that is killed when it takes too long.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = {
    "a 40-letter word before a number": r"\boxed{x " + "a" * 40 + " 1}",
    "a 100,000-letter word before a number": r"\boxed{x " + "a" * 100_000 + " 1}",
    "50,000 one-letter units": r"\boxed{5 " + "m " * 50_000 + "}",
    "words and spaces alternating": r"\boxed{x " + "ab " * 30_000 + "1}",
    # commands read inside one another: each level rescanned its argument, and 600 levels of \text
    # ran out of Python's stack (a RecursionError, not a verdict)
    "600 nested \\text": "<answer>" + r"\text{" * 600 + "5" + "}" * 600 + "</answer>",
    "600 nested \\mathbf": "<answer>" + r"\mathbf{" * 600 + "5" + "}" * 600 + "</answer>",
    "300 nested \\textcolor": "<answer>" + r"\textcolor{red}{" * 300 + "5" + "}" * 300 + "</answer>",
    "2,900 nested braces in a box": r"\boxed{" + "{" * 2900 + "5" + "}" * 2900 + "}",
    "a megabyte answer block": "<answer>" + "1+" * 500_000 + "1</answer>",
}


@pytest.mark.parametrize("completion", list(CASES.values()), ids=list(CASES))
def test_long_words_get_a_verdict_quickly(completion: str) -> None:
    script = (
        "import sys\nfrom assay.verifiers.math import verify\n"
        "verdict = verify(sys.stdin.read(), '5')\nprint(verdict.reason)\n"
    )
    # 20 s covers a cold interpreter on a loaded machine; the old pattern needed minutes at 30 letters
    done = subprocess.run([sys.executable, "-c", script], input=completion, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"unparseable", "too_large", "wrong_answer", "no_answer"}


def test_nesting_is_refused_before_it_is_read() -> None:
    """In this process: nesting past the parser's depth is refused by one scan, whatever the
    command (a deeply nested answer once cost a second per answer before its refusal)."""
    from assay.verifiers.math import verify

    for opening in (r"\text{", r"\mathbf{", r"\underline{", "{", "("):
        closing = ")" if opening == "(" else "}"
        assert verify("<answer>" + opening * 61 + "5" + closing * 61 + "</answer>", "5").reason == "too_large"
        assert verify("<answer>" + opening * 3 + "5" + closing * 3 + "</answer>", "5").passed, opening

"""assay.verifiers.terminal.shell: the linear estimate of bash's brace-expansion work, and verify
refusing a script bash would spend minutes expanding (issue 19)."""

from __future__ import annotations

import time

import pytest

from assay.verifiers.terminal import verify
from assay.verifiers.terminal.shell import MAX_BRACE_COST, brace_expansion_cost

# (script, cost, why): the cost is the sum of len(word) ** 2 over words with an unquoted brace
ROWS = [
    ("wc -l < a.txt > n.txt", 0, "no brace at all"),
    ("mkdir -p out/{a,b}", 81, "one brace word: out/{a,b}"),
    ("awk '{print $1}' x.txt", 0, "braces in single quotes are not expanded"),
    ('echo "{a,b}" "${HOME}"', 0, "braces in double quotes, and a parameter expansion"),
    ("a${x}{b,c}", 100, "a brace after a parameter expansion still counts, with the whole word"),
    ("\\{a,b\\}", 0, "escaped braces"),
    ("\\\\{", 9, "an escaped backslash, then a real brace"),
    ("# {{{ fold\necho {a,b}", 25, "a comment counts nothing"),
    ("x#{a,b}", 49, "a # inside a word is not a comment"),
    ('"a\\"{"{', 49, "an escaped quote does not close the string"),
    ("$'\\'{'{", 49, "$'...' strings take backslash escapes"),
    ("'\\'{", 16, "plain single quotes take none"),
    ("cat <<E; echo {x}\n{{{{\nE\n", 9, "a here-doc body is not expanded"),
    ('cat <<-"E" >f\n\t{{{\n\tE\necho {a}', 9, "<<- with a quoted delimiter and tab-indented end"),
    ("a\\\n{b}", 36, "a backslash-newline joins the word to the next line"),
    ("f() { echo {1..3}; }", 1 + 36, "a function body: its { is a word of its own"),
]


@pytest.mark.parametrize("script, cost, why", ROWS, ids=[row[2] for row in ROWS])
def test_brace_expansion_cost_rows(script: str, cost: int, why: str) -> None:
    assert brace_expansion_cost(script) == cost, why


HOSTILE = {
    "open braces": "{" * 100_000,
    "nested braces": "{" * 10_000 + "x" + "}" * 10_000,
    "braces between quoted spaces": '{" "' * 25_000,
    "braces across line continuations": "a\\\n{" * 10_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_brace_words_are_refused_before_any_sandbox(name: str) -> None:
    started = time.monotonic()
    verdict = verify(f"```bash\n{HOSTILE[name]}\n```", {"tree": [], "tests": [{"kind": "file", "path": "n.txt", "equals": "1"}]})
    assert (verdict.passed, verdict.reason) == (False, "invalid")
    assert "brace expansion" in verdict.detail["message"]
    assert time.monotonic() - started < 10, "a linear pass, not a sandbox held to its timeout"
    assert brace_expansion_cost(HOSTILE[name]) > MAX_BRACE_COST


def test_the_cost_is_linear_to_compute() -> None:
    """Doubling a hostile script about doubles the time of the estimate (a generous 4x bar plus
    noise: quadratic would be 4x at every doubling, 64x over three)."""
    def took(size: int) -> float:
        script = ('${x}"a"\\{ ' * (size // 11)) + "{"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            brace_expansion_cost(script)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = took(12_500), took(100_000)
    assert large < 16 * small + 0.05, (small, large)

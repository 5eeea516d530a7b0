"""assay.verifiers.code: a completion's Python run against hidden tests in the sandbox, judged here.

``verify(completion, tests)`` extracts the last ```python block (or <answer> block), runs it in
one warm sandbox run per test set (a supervisor forks the workers that run the candidate), and
compares each returned value, sent back as tagged JSON of built-in types, type-strictly in this
process. Expected outputs never enter the sandbox; exit codes and printed markers mean nothing.
"""

from __future__ import annotations

import ast
import logging
import textwrap
from collections.abc import Mapping
from typing import Any

from assay.extract import extract_answer, fenced_block, final_response
from assay.types import Verdict
from assay.verifiers.code import values
from assay.verifiers.code.asserts import asserts_to_tests, parse_assert
from assay.verifiers.code.execution import SandboxRun, run_suite
from assay.verifiers.code.suite import TestSuite, judge_call, judge_stdout, read_tests

__all__ = ["MAX_SOURCE_CHARS", "asserts_to_tests", "extract_code", "parse_assert", "read_tests", "verify", "verify_suite"]

logger = logging.getLogger(__name__)

MAX_SOURCE_CHARS = 200_000
PARTIAL_COMPONENT = "pass_fraction"


def extract_code(completion: str) -> str | None:
    """The candidate program: the last <answer> block or fenced python block, whichever ends last;
    a fenced block inside the <answer> block is unwrapped.

    >>> extract_code("Here:\\n```python\\ndef f():\\n    return 1\\n```")
    'def f():\\n    return 1'
    >>> extract_code("no code") is None
    True
    """
    found = extract_answer(final_response(completion), fence="python")
    if found is None:
        return None
    inner = fenced_block(found, "python")
    code = inner[0] if inner is not None else found
    return code if code.strip() else None


def verify(
    completion: str,
    tests: Mapping[str, Any] | TestSuite,
    *,
    timeout_s: float = 10.0,
    memory_mb: int = 512,
    test_timeout_s: float | None = None,
    partial_credit: bool = False,
    backend: str | None = None,
) -> Verdict:
    """Scores a completion's program against ``tests`` (see ``read_tests`` for the formats).

    ``timeout_s`` bounds the whole run, ``test_timeout_s`` each test (default: the tests'
    ``test_timeout_s``, else 2 s); ``memory_mb`` bounds address space. Score 1 when every test
    passes; with ``partial_credit`` the named component ``pass_fraction`` is the score otherwise.
    A malformed ``tests`` mapping raises DatasetError.

    >>> tests = {"entry_point": "add", "calls": [{"args": [1, 2], "expected": 3}, {"args": [-1, 1], "expected": 0}]}
    >>> verify("```python\\ndef add(a, b):\\n    return a + b\\n```", tests).passed
    True
    >>> verify("```python\\ndef add(a, b):\\n    return a - b\\n```", tests).reason
    'wrong_answer'
    """
    suite = tests if isinstance(tests, TestSuite) else read_tests(tests)
    code = extract_code(completion) if isinstance(completion, str) else None
    if code is None:
        return Verdict.fail("no_answer", message="no ```python block or <answer> block found")
    if suite.mode == "call":
        code = _defining_block(completion, code, suite)
    return verify_suite(code, suite, timeout_s=timeout_s, memory_mb=memory_mb, test_timeout_s=test_timeout_s,
                        partial_credit=partial_credit, backend=backend)


def verify_suite(
    code: str,
    suite: TestSuite,
    *,
    timeout_s: float = 10.0,
    memory_mb: int = 512,
    test_timeout_s: float | None = None,
    partial_credit: bool = False,
    backend: str | None = None,
) -> Verdict:
    """Scores program text (already extracted) against a read TestSuite.

    >>> suite = read_tests({"stdio": [{"stdin": "2\\n", "stdout": "4\\n"}]})
    >>> verify_suite("print(int(input()) ** 2)", suite).passed
    True
    """
    if len(code) > MAX_SOURCE_CHARS:
        return Verdict.fail("too_long", message=f"program of {len(code)} characters exceeds {MAX_SOURCE_CHARS}")
    joined = suite.prefix + "\n" if suite.prefix else ""  # what the sandbox runs: a prefix may open the function
    try:
        ast.parse(joined + code)  # parsing only, never run here: a syntax error needs no sandbox
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        dedented = textwrap.dedent(code)  # a fence indented in a markdown list item indents every line
        if dedented == code or _parses(joined + dedented) is None:
            return Verdict.fail("syntax_error", message=f"the program does not parse: {str(error)[:200]}")
        code = dedented
    per_test = test_timeout_s or suite.test_timeout_s or min(2.0, timeout_s)
    run = run_suite(code, suite, total_s=timeout_s, test_s=per_test, memory_mb=memory_mb,
                    stop_on_failure=not partial_credit, backend=backend)
    return _verdict(suite, run, partial_credit)


MAX_EARLIER_BLOCKS = 16  # earlier fenced blocks searched for the entry point's definition


def _parses(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _defines(code: str, name: str) -> bool:
    """Whether a program binds ``name`` at its top level (def, class, assignment or import).

    >>> _defines("import math\\ndef f(x):\\n    return x", "f"), _defines("print(f(2))", "f")
    (True, False)
    """
    tree = _parses(code) or _parses(textwrap.dedent(code))
    if tree is None:
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name.split(".")[0]) == name for a in node.names):
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                return True
    return False


def _defining_block(completion: str, code: str, suite: TestSuite) -> str:
    """The program judged in call mode: the last block, unless it does not define the entry point
    and an earlier fenced python block does (a solution followed by a usage example block); then
    the last block that defines it. A prefix that defines the entry point keeps the last block."""
    name = suite.entry_point.split(".")[0]
    if _defines(code, name) or (suite.prefix and _defines(suite.prefix, name)):
        return code
    text = final_response(completion)
    for _ in range(MAX_EARLIER_BLOCKS):
        found = fenced_block(text, "python")
        if found is None:
            break
        body, end = found
        if body.strip() and body is not code and body != code and _defines(body, name):
            return body
        start = text.rfind(body, 0, end) if body else -1
        if start <= 0:
            break
        text = text[:start]  # its opening fence line is left unclosed there: it opens nothing
    return code


_STATUS_REASONS = {
    "error": "runtime_error",
    "exited": "runtime_error",
    "timeout": "time_limit",
    "too_large": "output_limit",
    "output_limit": "output_limit",
    "protocol": "runtime_error",
    "harness_error": "harness_error",
}


def _verdict(suite: TestSuite, run: SandboxRun, partial_credit: bool) -> Verdict:
    timing: dict[str, Any] = {"wall_s": round(run.wall_s, 4), "backend": run.backend}
    if run.failure is not None:
        reason, message = run.failure
        return Verdict.fail(reason, message=message, **timing)
    passed = 0
    first: dict[str, Any] | None = None
    total = len(suite)
    results = (list(run.results) + [None] * total)[:total]
    for index, result in enumerate(results):
        ok, why = _judge(suite, index, result)
        if ok:
            passed += 1
        elif first is None:
            first = {"test": index, **why}
    detail: dict[str, Any] = {"tests_passed": passed, "tests": total, PARTIAL_COMPONENT: passed / total, **timing}
    if passed == total:
        return Verdict.correct(**detail)
    assert first is not None
    score = passed / total if partial_credit else 0.0
    return Verdict.fail(first.pop("reason"), score=score, message=first.pop("message"), first_failure=first, **detail)


def _judge(suite: TestSuite, index: int, result: Any) -> tuple[bool, dict[str, str]]:
    if not isinstance(result, dict):
        return False, {"reason": "not_run", "message": f"test {index} did not run (an earlier failure or the total time limit)"}
    status = result.get("status")
    if suite.mode == "stdio":
        if status != "ok":
            why = _STATUS_REASONS.get(str(status), "runtime_error")
            return False, {"reason": why, "message": f"test {index}: {status} (exit code {result.get('exit')})"}
        stdout = result.get("stdout")
        if not isinstance(stdout, str):
            return False, {"reason": "harness_error", "message": f"test {index}: no output recorded"}
        if judge_stdout(suite, suite.stdio[index].stdout, stdout):
            return True, {}
        return False, {"reason": "wrong_answer", "message": f"test {index}: wrong output {stdout[:80]!r}"}
    if status != "ok":
        why = _STATUS_REASONS.get(str(status), "runtime_error")
        return False, {"reason": why, "message": f"test {index}: {status}: {str(result.get('error', ''))[:200]}"}
    try:
        actual = values.check(result.get("value"))
    except values.ValueFormatError as error:
        return False, {"reason": "runtime_error", "message": f"test {index}: malformed result ({error})"}
    test = suite.calls[index]
    if judge_call(test, actual):
        return True, {}
    if actual[0] == "opaque":
        return False, {"reason": "wrong_type", "message": f"test {index}: returned a {actual[1][:60]}, not a built-in value"}
    shown = "truthy" if test.expected is None else values.render(test.expected)
    return False, {"reason": "wrong_answer", "message": f"test {index}: expected {shown}, got {values.render(actual)}"}

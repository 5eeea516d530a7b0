"""assay.verifiers.terminal: score a shell script by the state it leaves, with tests judged outside the sandbox.

The script runs in a fresh sandbox at the task's initial tree; the final tree is copied out as an
archive (links not followed) and the completion tests read it here; a test that must run something
the agent wrote runs it in another fresh sandbox built from that archive, and only its output
comes back. Nothing the agent leaves in the sandbox (conftest.py, aliases, PATH changes, fake
binaries, edited tests) is ever run by the grader.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from assay.errors import SandboxError
from assay.extract import extract_answer, fenced_block, final_response
from assay.types import Verdict
from assay.verifiers.terminal.checks import Snapshot, evaluate, validate_tests
from assay.verifiers.terminal.sandboxed import (
    SCRIPT_TIMEOUT_S,
    run_command_test,
    run_script,
)
from assay.verifiers.terminal.shell import MAX_BRACE_COST, brace_expansion_cost
from assay.verifiers.terminal.tree import build_archive

__all__ = ["extract_script", "judge", "unix_line_breaks", "verify"]

logger = logging.getLogger(__name__)
MAX_SCRIPT_CHARS = 100_000
_FENCE_LINE = re.compile(r"^[ \t]*```", re.MULTILINE)


def extract_script(completion: str) -> str | None:
    """The script of a completion: the last fenced bash/sh block or ``<answer>`` block, whichever
    ends last; a bash (or untagged) fence inside the answer block is unwrapped, with any prose around it
    (a line starting with three backticks is never meant as shell). A script whose every line break
    is CRLF (a completion that went through a Windows-style transport) gets LF line breaks: bash
    would read each CR as part of the last word of its line (``> out.txt\r`` writes another file).
    A script with both kinds keeps its bytes (a CR there may be meant).

    >>> extract_script("First:\\n```bash\\nls\\n```\\nthen\\n```bash\\nwc -l a.txt > n.txt\\n```")
    'wc -l a.txt > n.txt'
    >>> extract_script("<answer>\\n```sh\\necho hi\\n```\\n</answer>")
    'echo hi'
    >>> extract_script("```bash\\r\\nwc -l a.txt > n.txt\\r\\necho done\\r\\n```\\r\\n")
    'wc -l a.txt > n.txt\\necho done'
    >>> extract_script("no script") is None
    True
    """
    script = extract_answer(final_response(completion), fence="bash")
    if script is None:
        return None
    if _FENCE_LINE.search(script):  # "<answer>Here it is:\n```bash\n...\n```</answer>": the fence's body runs
        inner = fenced_block(script + "\n", "bash")
        if inner is not None:
            script = inner[0]
    return unix_line_breaks(script)


def unix_line_breaks(script: str) -> str:
    """``script`` with LF line breaks where every one of its line breaks is CRLF (a trailing CR
    whose LF went to the closing fence included); a script with both kinds keeps its bytes.

    >>> unix_line_breaks("cd data\\r\\nls > out.txt\\r"), unix_line_breaks("ls\\npwd\\r\\n")
    ('cd data\\nls > out.txt', 'ls\\npwd\\r\\n')
    """
    crlf = script.count("\r\n")
    if crlf == script.count("\n") and (crlf or script.endswith("\r")):
        return script.replace("\r\n", "\n").removesuffix("\r")
    return script


def judge(environment: Mapping[str, Any], archive: bytes, *, backend: str | None = None) -> Verdict:
    """The Verdict for a final tree (a tar archive): every test must pass; with
    ``environment["partial_credit"]`` a failing tree scores the fraction passed of the tests the
    initial tree fails."""
    tests = validate_tests(environment.get("tests"))
    try:
        snapshot = Snapshot.from_tar(archive)
    except Exception as error:  # noqa: BLE001 - a broken archive is the agent's tree, not our bug
        return Verdict.fail("invalid", message=f"the final tree could not be read: {error}")
    outputs = {}
    for index, spec in enumerate(tests):
        if spec["kind"] == "command":
            outputs[index] = run_command_test(archive, spec, backend=backend)
    results = evaluate(tests, snapshot, outputs)
    passed = sum(result["passed"] for result in results)
    failed = [f"{r['name']}: {r['message']}" for r in results if not r["passed"]]
    detail = {"tests_passed": passed, "tests": len(results), "failed": failed[:10]}
    if not failed:
        return Verdict.correct(**detail)
    score = partial_score(environment, results) if environment.get("partial_credit") else 0.0
    return Verdict.fail("wrong_answer", score=score, message=failed[0], **detail)


def partial_score(environment: Mapping[str, Any], results: list[dict[str, Any]]) -> float:
    """The fraction passed of the tests the initial tree fails (a test that doing nothing passes, such as
    "the input is unchanged", earns nothing), so a degenerate script scores 0."""
    initial = evaluate(environment["tests"], Snapshot.from_tar(build_archive(environment["tree"])), {})
    progress = [index for index, result in enumerate(initial) if not result["passed"]]
    if not progress:
        return 0.0
    return sum(results[index]["passed"] for index in progress) / len(progress)


def verify(completion: str, environment: Mapping[str, Any], *, backend: str | None = None) -> Verdict:
    """Runs the completion's script from the initial tree in a fresh sandbox and scores the state it
    leaves with the completion tests: 1.0 when all pass.

    ``environment`` is a terminal problem's data: ``{"tree": [...], "tests": [...]}``, optionally
    ``"timeout_s"`` and ``"partial_credit"``. ``backend``: docker, bwrap or process (default: the
    strongest that works here).

    >>> env = {"tree": [{"path": "a.txt", "type": "file", "text": "x\\ny\\n"}],
    ...        "tests": [{"kind": "file", "path": "n.txt", "equals": "2"}]}
    >>> verify("```bash\\nwc -l < a.txt > n.txt\\n```", env).passed  # doctest: +SKIP
    True
    """
    script = extract_script(completion)
    if script is None:
        return Verdict.fail("no_answer", message="no fenced bash block or <answer> block found")
    if not script.strip():
        return Verdict.fail("no_answer", message="the script is empty")
    if len(script) > MAX_SCRIPT_CHARS:
        return Verdict.fail("invalid", message=f"the script is longer than {MAX_SCRIPT_CHARS} characters")
    if brace_expansion_cost(script) > MAX_BRACE_COST:  # bash would spend seconds to minutes expanding it
        return Verdict.fail("invalid", message="the script has a word too long for bash's brace expansion "
                            "(thousands of characters with unquoted braces)")
    started = time.monotonic()
    try:
        run = run_script(environment["tree"], script, backend=backend, timeout_s=float(environment.get("timeout_s", SCRIPT_TIMEOUT_S)))
        verdict = judge(environment, run.archive, backend=backend)
    except SandboxError as error:
        if "too many entries" in str(error) or "too much data" in str(error) or "nested deeper" in str(error):
            return Verdict.fail("invalid", message=f"the final tree is too big to judge: {error}")
        logger.warning("terminal sandbox failed: %s", error)
        return Verdict.fail("sandbox_error", message=str(error))
    detail = {**verdict.detail, "script_status": run.status, "script_exit_code": run.exit_code,
              "wall_s": round(time.monotonic() - started, 3)}
    return Verdict(verdict.score, verdict.passed, verdict.reason, detail)

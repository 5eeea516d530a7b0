"""One sandbox run per test set: the harness program, the request it reads, the reply it writes.

The request carries the program and the tests' inputs only; the reply is checked for shape here
before any value in it is compared.
"""

from __future__ import annotations

import json
import logging
import marshal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import SandboxError
from assay.sandbox import Limits, run_python
from assay.verifiers.code.suite import TestSuite

logger = logging.getLogger(__name__)

HARNESS_SOURCE = (Path(__file__).parent / "harness_program.py").read_text()
# Compiling the harness costs more than a warm run itself; the sandbox gets it compiled (marshal, for
# this interpreter's cache tag) and compiles the source only when its Python differs.
_HARNESS_CODE = marshal.dumps(compile(HARNESS_SOURCE, "harness_program.py", "exec"))
_HARNESS_BYTES = HARNESS_SOURCE.encode()
_CACHE_TAG = sys.implementation.cache_tag or "none"
BOOTSTRAP = """import marshal, os, sys
chunks = []
while True:
    chunk = os.read(0, 1 << 20)
    if not chunk:
        break
    chunks.append(chunk)
data = b"".join(chunks)
head, _, rest = data.partition(b"\\n")
tag, code_size, source_size = head.decode().split(" ")
code_size, source_size = int(code_size), int(source_size)
if tag == sys.implementation.cache_tag:
    program = marshal.loads(rest[:code_size])
else:
    program = compile(rest[code_size:code_size + source_size], "harness_program.py", "exec")
namespace = {"__name__": "assay_harness"}
exec(program, namespace)
namespace["main"](rest[code_size + source_size:])
"""
GRACE_S = 2.0  # beyond the harness's own total deadline, before the sandbox kills it
VALUE_BYTES = 4 << 20  # largest reply of one test (its returned value or its stdout)
REPLY_BYTES = 32 << 20
SANDBOX_RETRIES = 1  # a failure of the sandbox itself (not the program) is retried once, on a fresh runner


@dataclass(frozen=True)
class SandboxRun:
    """What came back: per-test results (None where a test never ran) or why there are none."""

    results: list[Any] = field(default_factory=list)
    failure: tuple[str, str] | None = None  # (reason, message) when the run as a whole failed
    wall_s: float = 0.0
    backend: str = ""


def build_request(code: str, suite: TestSuite, *, total_s: float, test_s: float, stop_on_failure: bool) -> dict[str, Any]:
    """The harness's stdin: program, inputs and limits, never the expected outputs.

    >>> from assay.verifiers.code.suite import read_tests
    >>> suite = read_tests({"entry_point": "f", "calls": [{"args": [1], "expected": 99}]})
    >>> request = build_request("def f(x): return x", suite, total_s=5, test_s=1, stop_on_failure=True)
    >>> "99" in json.dumps(request)
    False
    """
    source = suite.prefix + "\n" + code if suite.prefix else code
    request: dict[str, Any] = {
        "mode": suite.mode,
        "source": source,
        "total_s": total_s,
        "test_s": test_s,
        "stop_on_failure": stop_on_failure,
        "value_bytes": VALUE_BYTES,
        "output_bytes": VALUE_BYTES,
    }
    if suite.mode == "call":
        request["entry"] = suite.entry_point
        request["calls"] = [{"args": test.args, "kwargs": test.kwargs} for test in suite.calls]
    else:
        request["stdins"] = [test.stdin for test in suite.stdio]
    return request


def run_suite(code: str, suite: TestSuite, *, total_s: float, test_s: float, memory_mb: int,
              stop_on_failure: bool, backend: str | None = None) -> SandboxRun:
    """Runs the harness once for the whole test set and reads its reply."""
    request = build_request(code, suite, total_s=total_s, test_s=test_s, stop_on_failure=stop_on_failure)
    started = time.perf_counter()
    stdin = b"".join([f"{_CACHE_TAG} {len(_HARNESS_CODE)} {len(_HARNESS_BYTES)}\n".encode(), _HARNESS_CODE,
                      _HARNESS_BYTES, json.dumps(request).encode()])
    for attempt in range(1 + SANDBOX_RETRIES):
        try:
            result = run_python(
                BOOTSTRAP, stdin=stdin, timeout_s=total_s + GRACE_S, memory_mb=memory_mb,
                backend=backend, limits=Limits(output_bytes=REPLY_BYTES, pids=64),
            )
        except SandboxError as error:
            return SandboxRun(failure=("sandbox_error", str(error)[:300]), wall_s=time.perf_counter() - started)
        if result.status != "sandbox_error":
            break
        logger.warning("sandbox error (attempt %d): %s", attempt + 1, result.message[:300])
    wall = time.perf_counter() - started
    if result.status == "sandbox_error":
        return SandboxRun(failure=("sandbox_error", result.message[:300]), wall_s=wall, backend=result.backend)
    reply = _reply(result.stdout)
    if reply is None:
        if result.status == "timeout":
            return SandboxRun(failure=("time_limit", f"the program ran past the total limit of {total_s} s"), wall_s=wall, backend=result.backend)
        if result.status == "memory":
            return SandboxRun(failure=("memory_limit", "the run exceeded its memory limit"), wall_s=wall, backend=result.backend)
        logger.debug("harness gave no reply: status %s, stderr %s", result.status, result.stderr[-500:])
        return SandboxRun(failure=("harness_error", f"the test harness gave no reply ({result.status})"), wall_s=wall, backend=result.backend)
    if "crash" in reply:
        return SandboxRun(failure=("harness_error", f"the test harness failed: {str(reply['crash'])[:200]}"), wall_s=wall, backend=result.backend)
    load = reply.get("load")
    if isinstance(load, dict) and load.get("status") != "loaded":
        status = load.get("status")
        reason = {"timeout": "time_limit", "too_large": "output_limit"}.get(str(status), "runtime_error")
        if status == "load_error" and str(load.get("error", "")).startswith("no function named"):
            reason = "missing_function"
        return SandboxRun(failure=(reason, f"loading the program: {status}: {str(load.get('error', ''))[:200]}"),
                          wall_s=wall, backend=result.backend)
    return SandboxRun(results=reply["results"], wall_s=wall, backend=result.backend)


def _reply(stdout: str) -> dict[str, Any] | None:
    """The harness's one-line reply, when well formed."""
    lines = stdout.strip().split("\n")
    if len(lines) != 1:
        return None
    try:
        reply = json.loads(lines[0])
    except (ValueError, RecursionError):  # the supervisor bounds depth; this is the second fence
        return None
    if not isinstance(reply, dict) or reply.get("harness") != 1:
        return None
    if "crash" in reply:
        return reply
    if not isinstance(reply.get("results"), list):
        return None
    return reply

"""math-verify in a persistent child interpreter, killed when one comparison overruns its deadline.

math-verify bounds itself with ``signal.alarm`` (main thread only, whole seconds, blind to long C
calls such as a huge integer power), so the benchmark's correctness runs put it in a child process.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys

DEADLINE_S = 10.0  # one comparison beyond math-verify's own alarms, start-up excluded
STARTUP_S = 120.0

_CHILD = r"""
import json, sys
from math_verify import parse, verify
for line in sys.stdin:
    gold, completion, limit = json.loads(line)
    try:
        parsed_gold = []
        if "$" not in gold and "boxed" not in gold:
            parsed_gold = parse("$" + gold + "$", parsing_timeout=limit)
        if not parsed_gold:
            parsed_gold = parse(gold, parsing_timeout=limit)
        answer = parse(completion, parsing_timeout=limit)
        result = bool(verify(parsed_gold, answer, timeout_seconds=limit))
    except Exception:
        result = False
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
"""


class _MathVerifyChild:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.fresh = True

    def _kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def passes(self, gold: str, completion: str, limit_s: int = 1) -> bool:
        """math-verify's verdict with its own ``limit_s`` second alarms; past our deadline, a rejection."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process is not None and self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([gold, completion, limit_s]) + "\n")
        self.process.stdin.flush()
        limit = STARTUP_S if self.fresh else DEADLINE_S + 2 * limit_s
        ready, _, _ = select.select([self.process.stdout], [], [], limit)
        if not ready:
            self._kill()
            return False
        line = self.process.stdout.readline()
        self.fresh = False
        if not line:
            self._kill()
            return False
        return bool(json.loads(line))


_ORACLE = _MathVerifyChild()


def math_verify_passes(gold: str, completion: str, limit_s: int = 1) -> bool:
    """Whether math-verify accepts ``completion`` for ``gold`` (the gold wrapped in ``$...$``, its
    usual form in training code), its parse and compare each bounded by its own ``limit_s`` alarm."""
    return _ORACLE.passes(gold, completion, limit_s)

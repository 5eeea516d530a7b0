"""A persistent pool of sympy worker processes with a hard, kill-enforced deadline per comparison.

Workers are fresh interpreters in their own sessions (never forks of a threaded trainer); one past
its deadline is killed with its process group and replaced. No ``signal.alarm`` anywhere.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from multiprocessing.connection import Connection

from assay.executors.pipe_worker import PipeWorker
from assay.verifiers.math.compare import Options
from assay.verifiers.math.nodes import Node

logger = logging.getLogger(__name__)

MEMORY_LIMIT_MB = 2048  # address space of one sympy worker (ASSAY_MATH_WORKER_MEMORY_MB overrides)
STARTUP_TIMEOUT_S = 120.0
MAX_REQUESTS_PER_WORKER = 20_000  # importing sympy on a loaded machine; not counted in an item's budget


class _CasWorker(PipeWorker):
    def __init__(self) -> None:
        super().__init__("assay.verifiers.math.worker")
        self.ready = False
        self.served = 0

    def wait_ready(self) -> bool:
        if not self.ready:
            if not self.inbox.poll(STARTUP_TIMEOUT_S):
                return False
            try:
                self.ready = self.inbox.recv() == "ready"
            except (EOFError, OSError):
                return False
        return self.ready


class CasPool:
    """Up to ``size`` sympy workers, started on first use and reused; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: list[_CasWorker] = []
        self._started = 0
        self._condition = threading.Condition()
        self._owner = os.getpid()

    def judge(self, gold: Node, answer: Node, options: Options) -> tuple[str, object]:
        """("ok", bool), ("too_large", message), ("error", message) (sympy could not decide),
        ("died", message) (the worker crashed on this input) or ("timeout", seconds)."""
        return self._request(("judge", gold, answer, options), options)

    def fallback(self, gold_text: str, answer_text: str, options: Options) -> tuple[str, object]:
        """math-verify on a gold this grammar does not read (``run_fallback``), in a worker."""
        return self._request(("fallback", gold_text, answer_text, options), options)

    def _request(self, message: tuple, options: Options) -> tuple[str, object]:
        worker = self._acquire()
        healthy = False
        try:
            if not worker.wait_ready():
                # the environment is broken, not the answer: an exception, never a score of 0
                raise RuntimeError(f"the sympy worker did not start (exit status {worker.process.poll()})")
            worker.outbox.send(message)
            started = time.monotonic()
            if not worker.inbox.poll(options.cas_timeout_s):
                return ("timeout", round(time.monotonic() - started, 3))
            reply = worker.inbox.recv()
            healthy = True
            return reply
        except (EOFError, OSError, BrokenPipeError) as error:
            return ("died", f"sympy worker died: {error}")
        finally:
            self._release(worker, healthy)

    def _acquire(self) -> _CasWorker:
        with self._condition:
            if os.getpid() != self._owner:  # forked: the workers belong to the parent
                self._idle, self._started, self._owner = [], 0, os.getpid()
            while not self._idle and self._started >= self.size:
                self._condition.wait()
            if self._idle:
                return self._idle.pop()
            self._started += 1
        try:
            return _CasWorker()
        except OSError:
            with self._condition:
                self._started -= 1
                self._condition.notify()
            raise

    def _release(self, worker: _CasWorker, healthy: bool) -> None:
        worker.served += 1
        if healthy and worker.served >= MAX_REQUESTS_PER_WORKER:
            healthy = False  # a fresh interpreter now and then: sympy's caches only grow
        if not healthy:
            worker.kill()
        with self._condition:
            if healthy:
                self._idle.append(worker)
            else:
                self._started -= 1
            self._condition.notify()

    def close(self) -> None:
        with self._condition:
            workers, self._idle = self._idle, []
            self._started -= len(workers)
        for worker in workers:
            worker.kill()


_POOL: CasPool | None = None
_POOL_LOCK = threading.Lock()


def shared_pool() -> CasPool:
    """The process-wide pool (size: ``ASSAY_MATH_WORKERS`` or min(4, CPU count))."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            size = int(os.environ.get("ASSAY_MATH_WORKERS", "0")) or max(1, min(4, os.cpu_count() or 1))
            _POOL = CasPool(size)
            atexit.register(_POOL.close)
        return _POOL


def run_inline(gold: Node, answer: Node, options: Options) -> tuple[str, object]:
    """One comparison with sympy in this process (only where something outside kills on timeout).

    >>> from assay.verifiers.math.parse import parse
    >>> run_inline(parse(r"\\sqrt{2}"), parse("2^{1/2}"), Options())
    ('ok', True)
    """
    from sympy.polys.polyerrors import BasePolynomialError

    from assay.verifiers.math.cas import judge_with_cas
    from assay.verifiers.math.compare import AnswerTooLarge
    from assay.verifiers.math.parse import ParseError, TooLarge

    try:
        return ("ok", judge_with_cas(gold, answer, options))
    except (AnswerTooLarge, TooLarge) as error:
        return ("too_large", str(error))
    except (
        ParseError, ArithmeticError, ValueError, TypeError, RecursionError, AttributeError, LookupError,
        NotImplementedError, BasePolynomialError,
    ) as error:
        # sympy raises all of these on inputs it cannot handle: the answer is not shown equal
        return ("error", f"{type(error).__name__}: {error}"[:500])


def run_fallback(gold_text: str, answer_text: str, options: Options) -> tuple[str, object]:
    """math-verify on a gold outside this grammar (``\\sum``, ratios...), run only where a kill
    bounds it; its own signal.alarm timeouts are switched off (they break off the main thread)."""
    try:
        from math_verify import parse as mv_parse
        from math_verify import verify as mv_verify
    except ImportError:
        return ("error", "math-verify is not installed")
    logging.getLogger("math_verify").setLevel(logging.ERROR)  # it warns that timeouts are off: we kill
    try:
        gold = mv_parse(f"${gold_text}$", parsing_timeout=0)
        answer = mv_parse(f"${answer_text}$", parsing_timeout=0)
        if not gold or not answer:
            return ("error", "math-verify read nothing")
        return ("ok", bool(mv_verify(gold, answer, timeout_seconds=None)))
    except (ArithmeticError, ValueError, TypeError, RecursionError, AttributeError) as error:
        return ("error", f"{type(error).__name__}: {error}"[:500])


def _limit_memory() -> None:
    """Cap this worker's address space, so a memory bomb ends in MemoryError, not in the OOM killer."""
    megabytes = int(os.environ.get("ASSAY_MATH_WORKER_MEMORY_MB", str(MEMORY_LIMIT_MB)))
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))
    except (ImportError, ValueError, OSError) as error:  # not on this platform: the kill still bounds time
        logger.debug("no memory limit for the sympy worker: %s", error)


def serve(read_fd: int, write_fd: int) -> None:
    """The worker loop: ("judge" | "fallback", gold, answer, options) in, the reply out."""
    import assay.verifiers.math.cas  # noqa: F401  (import sympy before saying ready)

    _limit_memory()

    inbox = Connection(read_fd, writable=False)
    outbox = Connection(write_fd, readable=False)
    outbox.send("ready")
    while True:
        try:
            kind, gold, answer, options = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            reply = run_inline(gold, answer, options) if kind == "judge" else run_fallback(gold, answer, options)
        except MemoryError:
            reply = ("too_large", "the comparison ran out of memory")
        outbox.send(reply)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))

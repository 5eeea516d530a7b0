"""The worker process of ``assay.pool``: reads batches of items from a pipe, writes Verdicts back.

Started as ``python -m assay._worker READ_FD WRITE_FD`` in its own session, so the pool can kill
it, and everything it started, when an item runs past its deadline.
"""

from __future__ import annotations

import importlib
import os
import resource
import sys
from multiprocessing.connection import Connection


# A verifier that blows up (a parser fed a pathological answer) raises MemoryError and costs its
# item a verifier_error, instead of pushing the whole machine into swap or the OOM killer.
MEMORY_LIMIT_ENV = "ASSAY_WORKER_MEMORY_MB"
DEFAULT_MEMORY_MB = 8192


def limit_memory() -> None:
    megabytes = int(os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_MB))
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(read_fd: int, write_fd: int) -> None:
    from assay.pool import READY
    from assay.registry import list_tasks
    from assay.scoring import safe_verify

    limit_memory()
    inbox = Connection(read_fd, writable=False)
    outbox = Connection(write_fd, readable=False)
    list_tasks()  # import every built-in task once, before the first item
    outbox.send((READY, None))
    while True:
        try:
            kind, payload = inbox.recv()
        except (EOFError, OSError):
            return  # the pool went away
        if kind == "import":
            for module in payload:
                importlib.import_module(module)
        elif kind == "items":
            for index, problem, completion in payload:
                outbox.send((index, safe_verify(problem, completion)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

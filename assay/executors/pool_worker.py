"""The worker process of ``assay.executors.pool``: reads batches of items from a pipe, writes
Verdicts back.

Started as ``python -m assay.executors.pool_worker READ_FD WRITE_FD`` in its own session, so the
pool can kill it, and everything it started, when an item runs past its deadline.
"""

from __future__ import annotations

import os
import resource
from multiprocessing.connection import Connection

# A verifier that blows up (a parser fed a pathological answer) raises MemoryError and costs its
# item a verifier_error, instead of pushing the whole machine into swap or the OOM killer.
MEMORY_LIMIT_ENV = "ASSAY_WORKER_MEMORY_MB"
DEFAULT_MEMORY_MB = 8192


def limit_memory() -> None:
    megabytes = int(os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_MB))
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main() -> None:
    from assay.executors.pipe_worker import serve
    from assay.executors.pool import READY
    from assay.registry import list_tasks
    from assay.scoring import safe_verify

    limit_memory()
    list_tasks()  # import every built-in task once, before the first item

    def items(payload: list, outbox: Connection) -> None:
        for index, problem, completion in payload:
            outbox.send((index, safe_verify(problem, completion)))

    serve({"items": items}, greeting=(READY, None))


if __name__ == "__main__":
    main()

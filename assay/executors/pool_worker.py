"""The worker process of ``assay.executors.pool``: reads batches of items from a pipe, writes
Verdicts back.

Started as ``python -m assay.executors.pool_worker READ_FD WRITE_FD`` in its own session, so the
pool can kill it, and everything it started, when an item runs past its deadline.
"""

from __future__ import annotations

import gc
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
    from assay.executors.pool import PROGRESS_FD_ENV, ProgressSlot, decode, encode
    from assay.registry import list_tasks
    from assay.scoring import safe_verify
    from assay.types import Problem

    limit_memory()
    slot = ProgressSlot.attach(int(os.environ[PROGRESS_FD_ENV]))
    # import every built-in task once, before the first item (verifiers that import something heavy
    # lazily, such as the math verifier's sympy, import it at once in here: see ASSAY_POOL_WORKER)
    list_tasks()
    # The imports are permanent: a collection that rescans them on every cycle (each decoded chunk
    # and each verifier makes thousands of objects) cost more than parsing a graph problem's row.
    gc.freeze()
    problems: dict[int, Problem] = {}  # this batch's problems, each parsed once
    current_batch = [-1]

    def items(payload: bytes, outbox: Connection) -> None:
        batch, serial, rows, chunk = decode(payload)
        if batch != current_batch[0]:
            problems.clear()
            current_batch[0] = batch
        for problem_slot, row in rows:
            problems[problem_slot] = Problem(*row)
        results = []
        for position, (problem_slot, completion) in enumerate(chunk):
            slot.write(serial, position)  # the pool's clock for this item starts here
            verdict = safe_verify(problems[problem_slot], completion)
            results.append((verdict.score, verdict.passed, verdict.reason, verdict.detail))
        outbox.send(("done", (serial, encode(results))))

    serve({"items": items}, greeting=("ready", None))


if __name__ == "__main__":
    main()

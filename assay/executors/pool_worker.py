"""The worker process of ``assay.executors.pool``: reads chunks of items from a pipe, writes
their Verdicts back, one bytes message each way per chunk (tagged by its first byte).

Started as ``python -m assay.executors.pool_worker READ_FD WRITE_FD`` in its own session, so the
pool can kill it, and everything it started, when an item runs past its deadline.
"""

from __future__ import annotations

import gc
import importlib
import os
import resource
import sys
import time
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
    from assay.executors.pool import CHUNK, DONE, IMPORT, PROGRESS_FD_ENV, READY, ProgressSlot, decode, encode
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
    current_batch = -1
    new_problem = object.__new__
    inbox = Connection(int(sys.argv[1]), writable=False)
    outbox = Connection(int(sys.argv[2]), readable=False)
    outbox.send_bytes(READY)
    while True:
        try:
            message = inbox.recv_bytes()
        except (EOFError, OSError):
            return  # the pool went away
        kind, body = message[:1], memoryview(message)[1:]
        if kind == IMPORT:
            for module in decode(body):
                importlib.import_module(module)
            continue
        if kind != CHUNK:
            raise ValueError(f"unknown message {bytes(kind)!r}")
        started = time.perf_counter()
        gc.disable()  # decoding makes many containers and no cycles: nothing for the collector
        try:
            batch, serial, encoded_rows, slots, completions = decode(body)
            rows = [(problem_slot, decode(row)) for problem_slot, row in encoded_rows]  # each row encoded apart
        finally:
            gc.enable()
        del message, body, encoded_rows
        if batch != current_batch:
            problems.clear()
            current_batch = batch
        for problem_slot, (problem_id, task, prompt, answer, data, meta) in rows:
            # the fields as the pool read them from a Problem: no need to build it through __init__
            problem = problems[problem_slot] = new_problem(Problem)
            problem.__dict__.update(id=problem_id, task=task, prompt=prompt, answer=answer, data=data, meta=meta)
        results = []
        for position, (problem_slot, completion) in enumerate(zip(slots, completions)):
            slot.write(serial, position)  # the pool's clock for this item starts here
            verdict = safe_verify(problems[problem_slot], completion)
            results.append((verdict.score, verdict.passed, verdict.reason, verdict.detail))
        outbox.send_bytes(DONE + encode((serial, time.perf_counter() - started, results)))


if __name__ == "__main__":
    main()

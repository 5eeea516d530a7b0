"""The worker process of corpus generation: reads chunks of generation jobs from a pipe, writes
the Problems (or the error) back. Started as ``python -m assay._generation_worker READ WRITE``.

A plain subprocess rather than multiprocessing's spawn, which re-runs the caller's main script.
"""

from __future__ import annotations

import importlib
import sys
from multiprocessing.connection import Connection


def main(read_fd: int, write_fd: int) -> None:
    from assay.corpus import run_chunk

    inbox = Connection(read_fd, writable=False)
    outbox = Connection(write_fd, readable=False)
    while True:
        try:
            kind, payload = inbox.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if kind == "import":
            for module in payload:
                importlib.import_module(module)
        elif kind == "jobs":
            number, jobs = payload
            outbox.send((number, run_chunk(jobs)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

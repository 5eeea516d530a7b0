"""A Python worker process that talks to its parent over two pipes, and the worker-side loop.

Used by the verifier pool, corpus generation and the math verifier's CAS workers: fresh
interpreters (never forks of a threaded caller), each in its own session so a kill takes the
worker's whole process group.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any


class PipeWorker:
    """``python -m MODULE READ_FD WRITE_FD`` with ``inbox`` (worker -> parent) and ``outbox``
    (parent -> worker) connections carrying pickled messages; ``pass_fds`` are more descriptors
    the worker inherits (the pool's shared progress slot).

    >>> worker = PipeWorker("assay.executors.pipe_worker")
    >>> worker.outbox.send(("echo", 42)); worker.inbox.recv()
    42
    >>> worker.close()
    """

    def __init__(self, module: str, *, env: Mapping[str, str] | None = None, pass_fds: tuple[int, ...] = ()) -> None:
        parent_read, worker_write = os.pipe()
        worker_read, parent_write = os.pipe()
        environment = dict(os.environ)
        # the worker imports what this process imports, installed or not
        environment["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        environment.update(env or {})
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", module, str(worker_read), str(worker_write)],
                pass_fds=(worker_read, worker_write, *pass_fds),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=environment,
            )
        finally:
            os.close(worker_read)
            os.close(worker_write)
        self.inbox = Connection(parent_read, writable=False)
        self.outbox = Connection(parent_write, readable=False)

    def kill(self) -> None:
        """Kill the worker and everything in its process group, at once."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self._close_pipes()

    def close(self, timeout_s: float = 5.0) -> None:
        """Let the worker finish (it exits at the end of its input), killing it after ``timeout_s``."""
        self.outbox.close()
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def _close_pipes(self) -> None:
        for connection in (self.inbox, self.outbox):
            if not connection.closed:
                connection.close()


def serve(
    handlers: Mapping[str, Callable[[Any, Connection], None]], *, greeting: Any = None, argv: list[str] | None = None
) -> None:
    """The worker side: send ``greeting`` (when not None), then read ``(kind, payload)`` messages
    until the parent goes away, calling ``handlers[kind](payload, outbox)``; an
    ``("import", [modules])`` message is built in."""
    argv = sys.argv if argv is None else argv
    inbox = Connection(int(argv[1]), writable=False)
    outbox = Connection(int(argv[2]), readable=False)
    if greeting is not None:
        outbox.send(greeting)
    while True:
        try:
            kind, payload = inbox.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if kind == "import":
            for module in payload:
                importlib.import_module(module)
        else:
            handlers[kind](payload, outbox)


if __name__ == "__main__":
    serve({"echo": lambda payload, outbox: outbox.send(payload)})

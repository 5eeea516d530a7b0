"""Scoring items with a user's reward in worker processes: a kill-enforced timeout per call, a
crashed or hung worker replaced, a failed batch call retried item by item.

One bad item (an exception, a hang, a crash, a memory blow-up, a non-numeric return) becomes an
``Observation`` with an error; it never stops the run.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.errors import AssayError
from assay.executors.pipe_worker import PipeWorker
from assay.reward_audit.conventions import BATCHED, MEMORY_ENV

logger = logging.getLogger(__name__)

LOAD_TIMEOUT_S = 120.0  # importing a reward may import torch, sympy, math-verify...
OK, ERROR, TIMEOUT = "ok", "error", "timeout"


class RewardLoadError(AssayError):
    """The user's reward could not be loaded (a wrong path, name, import error...)."""


@dataclass(frozen=True)
class RewardSpec:
    """What to load in the worker: a Python callable (``target`` a module or a file, ``function``
    its name) or an HTTP reward server (``url``); ``convention`` None means detect it."""

    kind: str  # "python" or "http"
    target: str = ""
    function: str = ""
    url: str = ""
    convention: str | None = None
    name: str = ""  # what reports call it (a built-in's name); default the reference itself

    def describe(self) -> str:
        if self.name:
            return self.name
        return self.url if self.kind == "http" else f"{self.target}:{self.function}"


@dataclass(frozen=True)
class Observation:
    """What the reward did with one item: a reward, or an error ("error" or "timeout") and why."""

    reward: float | None
    status: str = OK
    message: str = ""


class _Slot:
    """One worker process with the reward loaded; replaced after a kill."""

    def __init__(self, spec: RewardSpec, memory_mb: int, timeout_s: float) -> None:
        self.spec, self.memory_mb, self.timeout_s = spec, memory_mb, timeout_s
        self.worker: PipeWorker | None = None
        self.convention = ""

    def start(self) -> str:
        self.worker = PipeWorker("assay.reward_audit.worker", env={MEMORY_ENV: str(self.memory_mb)})
        payload = {"kind": self.spec.kind, "target": self.spec.target, "function": self.spec.function,
                   "url": self.spec.url, "convention": self.spec.convention, "timeout_s": self.timeout_s}
        self.worker.outbox.send(("load", payload))
        if not self.worker.inbox.poll(LOAD_TIMEOUT_S):
            self.kill()
            raise RewardLoadError(f"loading {self.spec.describe()} took over {LOAD_TIMEOUT_S:g} s")
        try:
            status, value = self.worker.inbox.recv()
        except (EOFError, OSError):
            code = self.worker.process.wait()
            self.kill()
            raise RewardLoadError(f"the worker died while loading {self.spec.describe()} (exit status {code})") from None
        if status != "ready":
            self.kill()
            raise RewardLoadError(f"cannot load {self.spec.describe()}: {value}")
        self.convention = value
        return value

    def kill(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close(timeout_s=2.0)
            self.worker = None

    def _died(self) -> str:
        assert self.worker is not None
        code = self.worker.process.poll()
        self.kill()
        if code is not None and code < 0:
            return f"the reward crashed the worker (signal {-code})"
        return f"the reward crashed the worker (exit status {code})"

    def each(self, items: Sequence[Mapping[str, Any]], done: Callable[[int, Observation], None]) -> None:
        """Score items one call each; a hang or a crash is charged to its item and the rest go on
        in a fresh worker."""
        pending = list(items)
        while pending:
            if self.worker is None:
                self.start()
            assert self.worker is not None
            self.worker.outbox.send(("each", pending))
            while pending:
                item = pending[0]
                if not self.worker.inbox.poll(self.timeout_s):
                    self.kill()
                    done(item["index"], Observation(None, TIMEOUT, f"no reward within {self.timeout_s:g} s (killed)"))
                    pending.pop(0)
                    break
                try:
                    index, reward, error = self.worker.inbox.recv()
                except (EOFError, OSError):
                    done(item["index"], Observation(None, ERROR, self._died()))
                    pending.pop(0)
                    break
                pending.pop(0)
                done(index, Observation(reward) if error is None else Observation(None, ERROR, error))

    def batch(self, items: Sequence[Mapping[str, Any]], done: Callable[[int, Observation], None]) -> None:
        """Score items in one call; when the call fails as a whole, score them one by one so the
        failure lands on the items that cause it."""
        if self.worker is None:
            self.start()
        assert self.worker is not None
        budget = self.timeout_s * max(1.0, len(items) / 4)
        self.worker.outbox.send(("batch", list(items)))
        failed = ""
        if not self.worker.inbox.poll(budget):
            self.kill()
            failed = f"timeout after {budget:g} s"
        else:
            try:
                _, rewards, error = self.worker.inbox.recv()
            except (EOFError, OSError):
                failed = self._died()
            else:
                if error is None:
                    for item, (reward, message) in zip(items, rewards):
                        done(item["index"], Observation(reward) if message is None else Observation(None, ERROR, message))
                    return
                failed = error
        if len(items) == 1:
            status = TIMEOUT if failed.startswith("timeout") else ERROR
            done(items[0]["index"], Observation(None, status, failed))
            return
        logger.info("a batch call of %d items failed (%s): scoring them one by one", len(items), failed)
        for item in items:
            self.batch([item], done)


def score_items(
    spec: RewardSpec,
    items: Sequence[dict[str, Any]],
    *,
    workers: int = 2,
    timeout_s: float = 10.0,
    memory_mb: int = 4096,
    batch_size: int = 16,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Observation], str]:
    """Score every item (dicts with ``index``, ``completion``, ``answer``, ``prompt``, ``label``,
    ``task``) with the reward; returns one Observation per item, in order, and the convention used.

    Raises RewardLoadError when the reward cannot be loaded at all.
    """
    if not items:
        return [], spec.convention or ""
    first = _Slot(spec, memory_mb, timeout_s)
    convention = first.start()  # fail fast, once, on a reward that does not load
    batched = convention in BATCHED
    size = batch_size if batched else max(1, min(64, len(items) // (workers * 4) or 1))
    work: queue.Queue[list[dict[str, Any]]] = queue.Queue()
    for start in range(0, len(items), size):
        work.put(list(items[start : start + size]))
    results: dict[int, Observation] = {}
    lock = threading.Lock()
    failures: list[BaseException] = []

    def done(index: int, observation: Observation) -> None:
        with lock:
            results[index] = observation
        if progress is not None:
            progress(1)

    def run(slot: _Slot) -> None:
        try:
            while True:
                try:
                    chunk = work.get_nowait()
                except queue.Empty:
                    return
                (slot.batch if batched else slot.each)(chunk, done)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            failures.append(error)
        finally:
            slot.close()

    slots = [first] + [_Slot(spec, memory_mb, timeout_s) for _ in range(max(1, workers) - 1)]
    threads = [threading.Thread(target=run, args=(slot,), daemon=True) for slot in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    missing = [item["index"] for item in items if item["index"] not in results]
    for index in missing:  # cannot happen unless a worker thread died: reported, not hidden
        results[index] = Observation(None, ERROR, "never scored")
    return [results[item["index"]] for item in items], convention

"""The reward server's core behind ``assay serve``: OpenRLHF's remote reward protocol, /verify, /health.

``RewardCore`` holds what every transport shares: the limits, the ``Batcher`` that pools the items of
concurrent requests into shared ``verify_batch`` calls (so many one-sample requests are still scored
in parallel), and the protocol's checks. ``RewardServer`` (``assay.envs.asgi``: uvicorn + FastAPI,
the ``serve`` extra) is the server; ``assay.envs.server_threading.ThreadingRewardServer`` is the
former standard-library one, kept for the comparison in ``bench/server.py``.
"""

from __future__ import annotations

import json  # noqa: F401  (used by the docstring examples)
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from assay.envs.openrlhf import extra_logs, responses
from assay.envs.problems import LABEL_HINT, message_text, to_problem
from assay.errors import ConfigError, DatasetError
from assay.executors.pool import WorkerPool
from assay.scoring import prepare_item, verify_batch
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerLimits:
    """Bounds on what one request may ask: body size, item count, wall time, concurrency."""

    max_body_bytes: int = 64 * 1024 * 1024
    max_items: int = 8192
    # items not scored by then answer "timeout"; below the clients' own give-up time (OpenRLHF's
    # remote reward client: 180 s, then it retries), so a client never re-sends work still running
    request_timeout_s: float = 150.0
    read_timeout_s: float = 30.0  # a client that stops sending mid-body is dropped
    max_concurrent: int = 1024  # requests in flight beyond this get 503
    keep_alive_s: float = 75.0  # an idle connection stays open this long (longer than clients' pools keep it)

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_items", "max_concurrent"):
            if getattr(self, name) < 1:
                raise ConfigError(name, "must be at least 1", getattr(self, name))
        for name in ("request_timeout_s", "read_timeout_s", "keep_alive_s"):
            if not getattr(self, name) > 0:
                raise ConfigError(name, "must be positive", getattr(self, name))


class BadRequest(Exception):
    """A request the client must fix: answered with ``status`` and the message."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


class Batcher:
    """Collects items from concurrent requests and scores them together.

    ``submit`` returns one Future per item; ``submit_group`` fills a ``Group`` and wakes its
    owner once per batch. Each of ``dispatchers`` threads takes whatever is queued (about
    ``max_batch`` items, waiting ``linger_s`` for more after the first) and scores it; with the
    "process" executor each dispatcher owns its worker pool, so while one batch waits for a slow
    item to finish or be killed, the next batch is already being scored. A failure of a whole
    batch (a bug in Assay) is retried item by item, so one bad item never fails the others.
    """

    def __init__(self, *, workers: int | None = None, timeout_s: float | None = None, executor: str = "process",
                 dispatchers: int = 2, max_batch: int = 1024, linger_s: float = 0.002) -> None:
        if dispatchers < 1:
            raise ConfigError("dispatchers", "must be at least 1", dispatchers)
        self.workers = workers
        self.timeout_s = timeout_s
        self.executor = executor
        self.max_batch = max_batch
        self.linger_s = linger_s
        # one queue entry per request (a list of its items), not per item
        self._queue: queue.Queue[list[_Item] | None] = queue.Queue()
        self._pools: list[WorkerPool] = []
        self._threads = [threading.Thread(target=self._run, name=f"assay-batcher-{n}", daemon=True) for n in range(dispatchers)]
        for thread in self._threads:
            thread.start()

    def submit(self, problems: Sequence[Problem], completions: Sequence[str]) -> list[Future]:
        futures: list[Future] = [Future() for _ in problems]
        self._put(list(zip(problems, completions, futures)))
        return futures

    def submit_group(self, group: Group, records: Sequence[Any], completions: Sequence[str]) -> None:
        """Score each (record, completion) into ``group.verdicts``: a record is a problem row (JSON
        text or object) read in the dispatcher thread, an unreadable one scores ``invalid_problem``.
        The group's ``wake`` is called from a dispatcher thread once all its slots are filled,
        together with the other groups the batch finished that share that ``wake``."""
        self._put([(record, completion, (group, slot)) for slot, (record, completion) in enumerate(zip(records, completions))])

    def _put(self, items: list[_Item]) -> None:
        for start in range(0, len(items), self.max_batch):
            self._queue.put(items[start:start + self.max_batch])

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10)
        for pool in self._pools:
            pool.close()

    def _run(self) -> None:
        pool = None
        if self.executor == "process":
            pool = WorkerPool(self.workers or os.cpu_count() or 1)
            self._pools.append(pool)
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = list(first)
            deadline = time.monotonic() + self.linger_s
            while len(batch) < self.max_batch:
                try:
                    items = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if items is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.extend(items)
            self._score(batch, pool)

    def _verify(self, problems: list[Problem], completions: list[str], pool: WorkerPool | None) -> list[Verdict]:
        if pool is None:
            return verify_batch(problems, completions, workers=self.workers, timeout_s=self.timeout_s, executor=self.executor)
        # verify_batch's own checks, then this dispatcher's pool (the shared one would serialise us)
        verdicts: list[Verdict | None] = [None] * len(problems)
        todo = []
        for index, (problem, completion) in enumerate(zip(problems, completions)):
            _, early = prepare_item(problem, completion)
            if early is None:
                todo.append(index)
            else:
                verdicts[index] = early
        if todo:
            scored = pool.run([problems[i] for i in todo], [completions[i] for i in todo], self.timeout_s)
            for index, verdict in zip(todo, scored):
                verdicts[index] = verdict
        return verdicts  # type: ignore[return-value]

    def _score(self, batch: list[_Item], pool: WorkerPool | None) -> None:
        finished: dict[Callable[[list[Group]], None], list[Group]] = {}

        def settle(sink: Future | tuple[Group, int], verdict: Verdict) -> None:
            if isinstance(sink, Future):
                sink.set_result(verdict)
            elif sink[0].fill(sink[1], verdict):
                finished.setdefault(sink[0].wake, []).append(sink[0])

        problems, completions, sinks = [], [], []
        for record, completion, sink in batch:
            if not isinstance(sink, Future):  # a group's record: read here, off the server's event loop
                try:
                    record = to_problem(record)
                except (DatasetError, TypeError) as error:
                    settle(sink, sink[0].unreadable(error))
                    continue
            problems.append(record)
            completions.append(completion)
            sinks.append(sink)
        try:
            verdicts = self._verify(problems, completions, pool)
        except Exception:  # a bug in Assay: logged, then each item alone so only its own fails
            logger.exception("scoring a batch of %d items failed; retrying item by item", len(problems))
            verdicts = []
            for problem, completion in zip(problems, completions):
                try:
                    verdicts.append(self._verify([problem], [completion], pool)[0])
                except Exception as error:
                    logger.exception("scoring problem %s failed", problem.id)
                    verdicts.append(Verdict.fail("verifier_error", message=f"{type(error).__name__}: {error}"[:2000]))
        for sink, verdict in zip(sinks, verdicts):
            settle(sink, verdict)
        for wake, groups in finished.items():
            for group in groups:
                group.warn()
            try:
                wake(groups)
            except Exception:  # a closed event loop (the server is stopping): nobody waits any more
                logger.debug("waking %d finished requests failed", len(groups), exc_info=True)


def unreadable(error: Exception) -> Verdict:
    """The verdict of an item whose label or problem holds no problem row, saying what it must hold."""
    return Verdict.fail("invalid_problem", message=f"{str(error)[:2000]}; {LABEL_HINT}")


class Group:
    """The items of one request, scored by a ``Batcher`` (``submit_group``) into ``verdicts``.

    ``wake(groups)`` is called once the last slot is filled (``done`` is then True); ``waiter``
    is what it resolves (an asyncio future). Unreadable items are counted, and ``warn`` logs them
    once for the request (a wrong label column makes every item invalid).

    >>> group = Group(2, wake=print)
    >>> group.fill(0, Verdict.fail("no_answer")), group.fill(1, group.unreadable(ValueError("18"))), group.done
    (False, True, True)
    """

    __slots__ = ("verdicts", "left", "wake", "waiter", "invalid", "first_error", "_lock")

    def __init__(self, size: int, *, wake: Callable[[list[Group]], None], waiter: Any = None) -> None:
        self.verdicts: list[Verdict | None] = [None] * size
        self.left = size
        self.wake = wake
        self.waiter = waiter
        self.invalid = 0
        self.first_error = ""
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        return self.left <= 0

    def fill(self, slot: int, verdict: Verdict) -> bool:
        """Store one verdict; True for the fill that completes the group."""
        self.verdicts[slot] = verdict
        with self._lock:
            self.left -= 1
            return self.left == 0

    def unreadable(self, error: Exception) -> Verdict:
        with self._lock:
            self.invalid += 1
            self.first_error = self.first_error or str(error)[:300]
        return unreadable(error)

    def warn(self) -> None:
        if self.invalid:
            logger.warning("%d of %d items hold no readable problem (first: %s); %s",
                           self.invalid, len(self.verdicts), self.first_error, LABEL_HINT)


_Item = tuple[Any, str, "Future | tuple[Group, int]"]


#: The routes, for the 404 message and log (``POST /`` is ``/get_reward``: a bare ``--remote_rm_url``).
ROUTES = ("POST /get_reward", "POST /", "POST /verify", "GET /health", "GET /docs", "GET /openapi.json")


def not_found_message(method: str, path: str) -> str:
    """The 404 text: what was asked and which routes exist.

    >>> not_found_message("POST", "/reward")
    'no route POST /reward; the routes are POST /get_reward, POST /, POST /verify, GET /health, GET /docs, GET /openapi.json'
    """
    return f"no route {method} {path}; the routes are {', '.join(ROUTES)}"


class RewardCore:
    """The protocol shared by the servers: items in, verdicts out, through one ``Batcher``.

    ``get_reward``/``verify`` take the parsed JSON body (checked here, ``BadRequest`` when wrong)
    and block until scored; ``submit_group`` lets an asynchronous server be woken instead, once
    per batch. Labels and problems are rows (JSON strings or objects).

    >>> import assay
    >>> core = RewardCore(executor="inline")
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> core.get_reward({"query": [f"<answer>{p.answer}</answer>", "x"], "labels": [json.dumps(p.to_row()), "18"]})["reasons"]
    ['correct', 'invalid_problem']
    >>> core.close()
    """

    def __init__(self, *, workers: int | None = None, timeout_s: float | None = None, executor: str = "process",
                 limits: ServerLimits | None = None, dispatchers: int = 2) -> None:
        self.limits = limits or ServerLimits()
        self.batcher = Batcher(workers=workers, timeout_s=timeout_s, executor=executor, dispatchers=dispatchers)
        self.started = time.time()
        self.requests = 0

    def close(self) -> None:
        self.batcher.close()

    def prepare(self, records: Sequence[Any], completions: Sequence[str]) -> tuple[list[Verdict | None], list[int], list[Future]]:
        """Submit the readable items: (verdicts with the unreadable ones filled, their indices, futures)."""
        verdicts: list[Verdict | None] = [None] * len(records)
        problems, texts, where = [], [], []
        first_error = None
        for index, (record, completion) in enumerate(zip(records, completions)):
            try:
                problem = to_problem(record)
            except (DatasetError, TypeError) as error:
                verdicts[index] = unreadable(error)
                first_error = first_error or str(error)[:300]
                continue
            problems.append(problem)
            texts.append(completion)
            where.append(index)
        if first_error is not None:  # once per request: a wrong label column makes every item invalid
            logger.warning("%d of %d items hold no readable problem (first: %s); %s",
                           len(records) - len(where), len(records), first_error, LABEL_HINT)
        return verdicts, where, self.batcher.submit(problems, texts)

    def submit_group(self, records: Sequence[Any], completions: Sequence[str], wake: Callable[[list[Group]], None],
                     waiter: Any = None) -> Group:
        """Submit a request's items as one ``Group`` (records read, and unreadable ones scored
        ``invalid_problem``, in a dispatcher thread); ``wake`` is called from a dispatcher thread
        when it is done, unless it is done already (no items)."""
        group = Group(len(records), wake=wake, waiter=waiter)
        if records:
            self.batcher.submit_group(group, records, completions)
        return group

    def timed_out(self) -> Verdict:
        return Verdict.fail("timeout", message=f"not scored within the request bound of {self.limits.request_timeout_s:g} s")

    def score(self, records: Sequence[Any], completions: Sequence[str]) -> list[Verdict]:
        """Verdicts for (record, completion) pairs, through the shared batcher, within the
        request's time bound; a record that holds no problem scores ``invalid_problem``."""
        verdicts, where, futures = self.prepare(records, completions)
        deadline = time.monotonic() + self.limits.request_timeout_s
        for index, future in zip(where, futures):
            try:
                verdicts[index] = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                verdicts[index] = self.timed_out()
        return verdicts  # type: ignore[return-value]

    @staticmethod
    def reward_reply(verdicts: Sequence[Verdict]) -> dict[str, Any]:
        rewards = [v.score for v in verdicts]
        return {"rewards": rewards, "scores": list(rewards), "extra_logs": extra_logs(verdicts),
                "reasons": [v.reason for v in verdicts],
                "errors": [v.detail.get("message") if v.reason == "invalid_problem" else None for v in verdicts]}

    def get_reward(self, body: Any) -> dict[str, Any]:
        queries, prompts, labels = self.check_reward(body)
        return self.reward_reply(self.score(labels, responses(queries, prompts)))

    def check_reward(self, body: Any) -> tuple[list[str], list[str], list[Any]]:
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object with query, prompts and labels")
        queries = _string_list(body, "query")
        labels = body.get("labels")
        if not isinstance(labels, list) or len(labels) != len(queries):
            raise BadRequest(f"labels must be a list as long as query ({len(queries)}), one problem row per item")
        prompts = body.get("prompts") or []
        if not isinstance(prompts, list) or any(not isinstance(p, str) for p in prompts):
            raise BadRequest("prompts must be a list of strings")
        self.check_count(len(queries))
        return queries, prompts, labels

    def verify(self, body: Any) -> dict[str, Any]:
        problems, texts = self.check_verify(body)
        return {"verdicts": [v.to_dict() for v in self.score(problems, texts)]}

    def check_verify(self, body: Any) -> tuple[list[Any], list[str]]:
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object with problems and completions")
        if "problem" in body or "completion" in body:
            body = {"problems": [body.get("problem")], "completions": [body.get("completion")]}
        problems = body.get("problems")
        if not isinstance(problems, list):
            raise BadRequest("problems must be a list of problem rows")
        completions = body.get("completions")
        if not isinstance(completions, list) or len(completions) != len(problems):
            raise BadRequest(f"completions must be a list as long as problems ({len(problems)})")
        try:
            texts = [message_text(c) for c in completions]
        except TypeError as error:
            raise BadRequest(f"completions: {error}") from None
        self.check_count(len(problems))
        return problems, texts

    def health(self) -> dict[str, Any]:
        from assay import __version__
        from assay.registry import list_tasks

        return {"status": "ok", "version": __version__, "tasks": len(list_tasks()),
                "uptime_s": round(time.time() - self.started, 1), "requests": self.requests}

    def check_count(self, count: int) -> None:
        if count > self.limits.max_items:
            raise BadRequest(f"{count} items exceed the limit of {self.limits.max_items} per request",
                             HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


def _string_list(body: dict, name: str) -> list[str]:
    value = body.get(name)
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        raise BadRequest(f"{name} must be a list of strings")
    return value


def __getattr__(name: str) -> Any:
    # RewardServer lives with its web stack (the ``serve`` extra), imported only when asked for
    if name == "RewardServer":
        from assay.envs.asgi import RewardServer

        return RewardServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def serve(host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Run the reward server until SIGTERM or Ctrl-C (``assay serve``); see ``assay.envs.asgi.serve``."""
    from assay.envs.asgi import serve as serve_asgi

    serve_asgi(host, port, **options)

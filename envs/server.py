"""The HTTP reward server behind ``assay serve``: OpenRLHF's remote reward protocol, /verify, /health.

Standard library only (``http.server.ThreadingHTTPServer``); items of concurrent requests are pooled
into shared ``verify_batch`` calls, so many one-sample requests are still scored in parallel.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assay.envs.openrlhf import extra_logs, responses
from assay.envs.problems import message_text, to_problem
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
    request_timeout_s: float = 300.0  # items not scored by then answer "timeout"
    read_timeout_s: float = 30.0  # a client that stops sending mid-body is dropped
    max_concurrent: int = 256  # requests in flight beyond this get 503

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_items", "max_concurrent"):
            if getattr(self, name) < 1:
                raise ConfigError(name, "must be at least 1", getattr(self, name))
        for name in ("request_timeout_s", "read_timeout_s"):
            if not getattr(self, name) > 0:
                raise ConfigError(name, "must be positive", getattr(self, name))


class BadRequest(Exception):
    """A request the client must fix: answered with ``status`` and the message."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


class Batcher:
    """Collects items from concurrent requests and scores them together.

    ``submit`` returns one Future per item. Each of ``dispatchers`` threads takes whatever is
    queued (up to ``max_batch`` items, waiting ``linger_s`` for more after the first) and scores
    it; with the "process" executor each dispatcher owns its worker pool, so while one batch
    waits for a slow item to finish or be killed, the next batch is already being scored. A
    failure of a whole batch (a bug in Assay) is retried item by item, so one bad item never
    fails the others.
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
        self._queue: queue.Queue[tuple[Problem, str, Future] | None] = queue.Queue()
        self._pools: list[WorkerPool] = []
        self._threads = [threading.Thread(target=self._run, name=f"assay-batcher-{n}", daemon=True) for n in range(dispatchers)]
        for thread in self._threads:
            thread.start()

    def submit(self, problems: Sequence[Problem], completions: Sequence[str]) -> list[Future]:
        futures = []
        for problem, completion in zip(problems, completions):
            future: Future = Future()
            self._queue.put((problem, completion, future))
            futures.append(future)
        return futures

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
            batch = [first]
            deadline = time.monotonic() + self.linger_s
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
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

    def _score(self, batch: list[tuple[Problem, str, Future]], pool: WorkerPool | None) -> None:
        try:
            verdicts = self._verify([b[0] for b in batch], [b[1] for b in batch], pool)
        except Exception:  # a bug in Assay: logged, then each item alone so only its own fails
            logger.exception("scoring a batch of %d items failed; retrying item by item", len(batch))
            verdicts = []
            for problem, completion, _ in batch:
                try:
                    verdicts.append(self._verify([problem], [completion], pool)[0])
                except Exception as error:
                    logger.exception("scoring problem %s failed", problem.id)
                    verdicts.append(Verdict.fail("verifier_error", message=f"{type(error).__name__}: {error}"[:2000]))
        for (_, _, future), verdict in zip(batch, verdicts):
            future.set_result(verdict)


class RewardServer:
    """The server: ``start()`` in a background thread (tests, notebooks) or ``serve_forever()``.

    Routes: ``POST /get_reward`` (OpenRLHF: ``{"query", "prompts", "labels"}`` ->
    ``{"rewards", "scores", "extra_logs"}``), ``POST /verify`` (``{"problems": [...],
    "completions": [...]}`` or one ``problem``/``completion`` -> ``{"verdicts": [...]}``),
    ``GET /health``. Labels and problems are rows (JSON strings or objects).

    >>> server = RewardServer(port=0, executor="inline").start()
    >>> import urllib.request
    >>> json.load(urllib.request.urlopen(server.url + "/health"))["status"]
    'ok'
    >>> server.stop()
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, *, workers: int | None = None,
                 timeout_s: float | None = None, executor: str = "process", limits: ServerLimits | None = None,
                 dispatchers: int = 2) -> None:
        self.limits = limits or ServerLimits()
        self.batcher = Batcher(workers=workers, timeout_s=timeout_s, executor=executor, dispatchers=dispatchers)
        self.slots = threading.BoundedSemaphore(self.limits.max_concurrent)
        handler = type("Handler", (_Handler,), {"app": self, "timeout": self.limits.read_timeout_s})
        self.httpd = _Server((host, port), handler)
        self._thread: threading.Thread | None = None
        self.started = time.time()
        self.requests = 0

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        if isinstance(host, bytes):  # an AF_INET server's address is text; bytes only in typeshed's union
            host = host.decode()
        return f"http://{host}:{port}"

    def start(self) -> RewardServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="assay-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.batcher.close()

    # -- routes -------------------------------------------------------------------------------
    def score(self, records: Sequence[Any], completions: Sequence[str]) -> list[Verdict]:
        """Verdicts for (record, completion) pairs, through the shared batcher, within the
        request's time bound; a record that holds no problem scores ``invalid_problem``."""
        verdicts: list[Verdict | None] = [None] * len(records)
        problems, texts, where = [], [], []
        for index, (record, completion) in enumerate(zip(records, completions)):
            try:
                problem = to_problem(record)
            except (DatasetError, TypeError) as error:
                verdicts[index] = Verdict.fail("invalid_problem", message=str(error)[:2000])
                continue
            problems.append(problem)
            texts.append(completion)
            where.append(index)
        futures = self.batcher.submit(problems, texts)
        deadline = time.monotonic() + self.limits.request_timeout_s
        for index, future in zip(where, futures):
            try:
                verdicts[index] = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                verdicts[index] = Verdict.fail("timeout", message=f"not scored within the request bound of {self.limits.request_timeout_s:g} s")
        return verdicts  # type: ignore[return-value]

    def get_reward(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object with query, prompts and labels")
        queries = _string_list(body, "query")
        labels = body.get("labels")
        if not isinstance(labels, list) or len(labels) != len(queries):
            raise BadRequest(f"labels must be a list as long as query ({len(queries)}), one problem row per item")
        prompts = body.get("prompts") or []
        if not isinstance(prompts, list) or any(not isinstance(p, str) for p in prompts):
            raise BadRequest("prompts must be a list of strings")
        self._check_count(len(queries))
        verdicts = self.score(labels, responses(queries, prompts))
        rewards = [v.score for v in verdicts]
        logs = extra_logs(verdicts)
        return {"rewards": rewards, "scores": list(rewards), "extra_logs": logs,
                "reasons": [v.reason for v in verdicts]}

    def verify(self, body: Any) -> dict[str, Any]:
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
        self._check_count(len(problems))
        return {"verdicts": [v.to_dict() for v in self.score(problems, texts)]}

    def health(self) -> dict[str, Any]:
        from assay import __version__
        from assay.registry import list_tasks

        return {"status": "ok", "version": __version__, "tasks": len(list_tasks()),
                "uptime_s": round(time.time() - self.started, 1), "requests": self.requests}

    def _check_count(self, count: int) -> None:
        if count > self.limits.max_items:
            raise BadRequest(f"{count} items exceed the limit of {self.limits.max_items} per request",
                             HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


def _string_list(body: dict, name: str) -> list[str]:
    value = body.get(name)
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        raise BadRequest(f"{name} must be a list of strings")
    return value


class _Server(ThreadingHTTPServer):
    # trainers open a connection per item from many threads at once: the socketserver default
    # backlog of 5 made the kernel reset connections under load
    request_queue_size = 1024
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    app: RewardServer
    protocol_version = "HTTP/1.1"
    server_version = "assay-serve"
    routes = {"/get_reward": "get_reward", "/verify": "verify"}

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/health", ""):
            self._reply(HTTPStatus.OK, self.app.health())
        elif self.path in self.routes:
            self._reply(HTTPStatus.METHOD_NOT_ALLOWED, {"error": f"{self.path} takes POST"})
        else:
            self._reply(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}; try /get_reward, /verify or /health"})

    def do_POST(self) -> None:
        route = self.routes.get(self.path.rstrip("/") or "/")
        if route is None:
            self._discard_body()
            self._reply(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}; try /get_reward, /verify or /health"})
            return
        if not self.app.slots.acquire(blocking=False):
            self._discard_body()
            self._reply(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "too many requests in flight; retry later"})
            return
        try:
            self.app.requests += 1
            body = self._read_json()
            self._reply(HTTPStatus.OK, getattr(self.app, route)(body))
        except BadRequest as error:
            self._reply(error.status, {"error": str(error)})
        except TimeoutError:  # the client stopped sending mid-body: drop it, nobody reads a reply
            self.close_connection = True
        except Exception as error:  # a bug in Assay: the client gets a 500 with the message, we log it
            logger.exception("request to %s failed", self.path)
            self._reply(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"})
        finally:
            self.app.slots.release()

    def _read_json(self) -> Any:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            self.close_connection = True
            raise BadRequest("a Content-Length header is required", HTTPStatus.LENGTH_REQUIRED)
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            raise BadRequest(f"bad Content-Length {length_header!r}") from None
        if length < 0 or length > self.app.limits.max_body_bytes:
            self.close_connection = True  # the body is not read, so the connection cannot be reused
            raise BadRequest(f"a body of {length} bytes exceeds the limit of {self.app.limits.max_body_bytes}",
                             HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        raw = self.rfile.read(length)
        if len(raw) < length:
            self.close_connection = True
            raise BadRequest("the body ended before Content-Length bytes")
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise BadRequest(f"the body is not valid JSON: {error}") from None

    def _discard_body(self) -> None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if 0 <= length <= self.app.limits.max_body_bytes:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def _reply(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def serve(host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Run the reward server until interrupted (``assay serve``)."""
    server = RewardServer(host, port, **options)
    logger.info("assay reward server on %s", server.url)
    server.serve_forever()

"""The reward server on uvicorn + FastAPI (``pip install 'assay[serve]'``): ``assay serve``.

Routes: ``POST /get_reward`` and ``POST /`` (OpenRLHF's remote reward protocol: ``{"query",
"prompts", "labels"}`` -> ``{"rewards", "scores", "extra_logs", "reasons", "errors"}``), ``POST
/verify`` (``{"problems", "completions"}`` or one ``problem``/``completion`` -> ``{"verdicts"}``),
``GET /health`` (also ``GET /``), the OpenAPI description at ``/docs`` and ``/openapi.json``.
Bodies are validated by the pydantic models below (a 400 with ``{"error"}`` says what is wrong);
items of concurrent requests are scored together through ``RewardCore``'s ``Batcher``.

The listening socket has a large backlog, idle connections are kept ``keep_alive_s`` (75 s) open,
SIGTERM/SIGINT stop accepting and let the requests in flight finish, ``-v`` logs one line per
request, and ``serve(..., http_workers=N)`` runs N server processes on one socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from assay.envs.openrlhf import responses
from assay.envs.server import BadRequest, Group, RewardCore, ServerLimits, not_found_message
from assay.types import Verdict

try:
    import uvicorn
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, Response
    from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator
    from starlette.exceptions import HTTPException
except ImportError as error:  # pragma: no cover - the message is the point
    raise ImportError(f"assay serve needs the 'serve' extra: pip install 'assay[serve]' ({error})") from error

logger = logging.getLogger(__name__)

BACKLOG = 4096  # the kernel caps it at net.core.somaxconn
_OPTIONS_ENV = "ASSAY_SERVE_OPTIONS"  # how `serve(http_workers=N)` hands the options to its processes


class RewardRequest(BaseModel):
    """OpenRLHF's remote reward request (``--remote_rm_url``): one entry per sample in each list."""

    model_config = ConfigDict(extra="allow")
    query: list[StrictStr] = Field(description="each sample's prompt + response, as OpenRLHF sends them")
    prompts: list[StrictStr] | None = Field(None, description="each sample's prompt (cut off the front of its query)")
    labels: list[Any] = Field(description="each sample's problem row: json.dumps(problem.to_row()), the reward_model "
                              "column of `assay generate --format verl` data (not the bare answer)")

    @model_validator(mode="after")
    def _same_length(self) -> RewardRequest:
        if len(self.labels) != len(self.query):
            raise ValueError(f"labels must be a list as long as query ({len(self.query)}), one problem row per item")
        return self


class RewardResponse(BaseModel):
    """Per-sample rewards (``scores`` repeats them), OpenRLHF's ``extra_logs`` (per-sample 0/1 of
    passed, no_answer, timeout, invalid_problem), each verdict's reason, and for an unreadable
    label the error saying what it must hold (else null)."""

    rewards: list[float]
    scores: list[float]
    extra_logs: dict[str, list[float]]
    reasons: list[str]
    errors: list[str | None]


class VerifyRequest(BaseModel):
    """Problems (rows, as objects or JSON) and completions (text or chat messages); or one of each
    as ``problem``/``completion``."""

    model_config = ConfigDict(extra="allow")
    problems: list[Any] | None = None
    completions: list[Any] | None = None
    problem: Any = None
    completion: Any = None


class VerifyResponse(BaseModel):
    """One verdict (``Verdict.to_dict()``: score, passed, reason, detail) per item."""

    verdicts: list[dict[str, Any]]


class ErrorResponse(BaseModel):
    error: str


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


def _validation_message(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False)[:5]:
        where = ".".join(str(part) for part in item.get("loc", ())) or "body"
        parts.append(f"{where}: {item.get('msg')}")
    return "; ".join(parts)


def build_app(core: RewardCore, *, close_on_shutdown: bool = False) -> FastAPI:
    """The FastAPI application over ``core`` (its ``Batcher`` scores every request's items).

    The scoring routes are answered by ``answer`` below, reached directly by the outermost ASGI
    layer (``_Front``) without FastAPI's routing, middleware and request objects: per request,
    that stack cost more CPU than the rest of the server (bench/server.py). FastAPI keeps the
    other routes, the errors (404 with the routes that exist, 405) and the OpenAPI description.
    """
    limits = core.limits
    state: dict[str, Any] = {"in_flight": 0, "wake": None}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        yield
        if close_on_shutdown:
            core.close()

    app = FastAPI(title="Assay reward server", version=_version(), lifespan=lifespan,
                  description="Verifiable rewards for RL trainers: OpenRLHF's remote reward protocol at POST /get_reward "
                              "(and POST /), Assay verdicts at POST /verify. Labels and problems are Assay problem rows.")
    errors: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}

    async def read_body(scope: Mapping[str, Any], receive: Callable) -> bytes:
        length = transfer = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value.decode("latin-1")
            elif name == b"transfer-encoding":
                transfer = value.decode("latin-1").lower()
        if length is None and "chunked" not in (transfer or ""):
            raise BadRequest("a Content-Length header is required", HTTPStatus.LENGTH_REQUIRED)
        if length is not None:
            if not length.isdigit():
                raise BadRequest(f"bad Content-Length {length!r}")
            if int(length) > limits.max_body_bytes:
                raise BadRequest(f"a body of {length} bytes exceeds the limit of {limits.max_body_bytes}",
                                 HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(limits.read_timeout_s):  # a timer, not a task per request as wait_for makes
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _Gone
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limits.max_body_bytes:
                        raise BadRequest(f"the body exceeds the limit of {limits.max_body_bytes} bytes",
                                         HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise BadRequest(f"the body did not arrive within {limits.read_timeout_s:g} s", HTTPStatus.REQUEST_TIMEOUT) from None
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def parsed(model: type[BaseModel], raw: bytes) -> Any:
        try:
            return model.model_validate_json(raw)
        except ValidationError as error:
            raise BadRequest(_validation_message(error)) from None

    def waker(loop: asyncio.AbstractEventLoop) -> Callable[[list[Group]], None]:
        # one call into the event loop per scored batch (not per item or request): the dispatcher
        # threads then barely contend with the loop thread for the GIL
        if state["wake"] is None or state["wake"][0] is not loop:
            state["wake"] = (loop, lambda groups: loop.call_soon_threadsafe(_resolve, groups))
        return state["wake"][1]

    async def scored(records: list[Any], completions: list[str]) -> list[Verdict]:
        loop = asyncio.get_running_loop()
        group = core.submit_group(records, completions, waker(loop), loop.create_future())
        if not group.done:
            try:
                async with asyncio.timeout(limits.request_timeout_s):
                    await group.waiter
            except TimeoutError:
                pass
        late: Verdict | None = None
        verdicts: list[Verdict] = []
        for verdict in list(group.verdicts):
            if verdict is None:  # not scored within the request's bound
                verdict = late = late or core.timed_out()
            verdicts.append(verdict)
        return verdicts

    async def reward(raw: bytes) -> dict[str, Any]:
        body = parsed(RewardRequest, raw)
        core.check_count(len(body.query))
        return core.reward_reply(await scored(body.labels, responses(body.query, body.prompts or [])))

    async def verify(raw: bytes) -> dict[str, Any]:
        body = parsed(VerifyRequest, raw)
        problems, texts = core.check_verify(body.model_dump(exclude_unset=True))
        return {"verdicts": [v.to_dict() for v in await scored(problems, texts)]}

    handlers = {"reward": reward, "verify": verify}

    async def answer(route: str, scope: Mapping[str, Any], receive: Callable) -> tuple[int, dict[str, Any], bool]:
        """(status, reply, close the connection) for a POST to a scoring route."""
        if state["in_flight"] >= limits.max_concurrent:
            return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "too many requests in flight; retry later"}, True
        state["in_flight"] += 1
        core.requests += 1
        try:
            return HTTPStatus.OK, await handlers[route](await read_body(scope, receive)), False
        except BadRequest as error:
            # a body left unread cannot be followed by another request on this connection
            close = error.status in (HTTPStatus.LENGTH_REQUIRED, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.REQUEST_TIMEOUT)
            return error.status, {"error": str(error)}, close
        finally:
            state["in_flight"] -= 1

    async def routed(request: Request) -> Response:  # reached only when FastAPI is called without _Front
        route = DIRECT.get(request.url.path, "reward")
        try:
            status, reply, close = await answer(route, request.scope, request.receive)
        except _Gone:
            return Response(status_code=HTTPStatus.BAD_REQUEST)
        return Response(_dumps(reply), status, headers={"Connection": "close"} if close else None, media_type="application/json")

    reward_doc = dict(response_model=RewardResponse, responses=errors, openapi_extra=_body_doc(RewardRequest))
    app.post("/get_reward", summary="OpenRLHF remote reward", **reward_doc)(routed)  # type: ignore[arg-type]
    # a bare --remote_rm_url http://host:port posts to /: it gets the reward too, not a silent 404
    app.post("/", summary="OpenRLHF remote reward (same as /get_reward)", **reward_doc)(routed)  # type: ignore[arg-type]
    app.post("/get_reward/", include_in_schema=False)(routed)
    app.post("/verify", summary="Assay verdicts", response_model=VerifyResponse, responses=errors,
             openapi_extra=_body_doc(VerifyRequest))(routed)
    app.post("/verify/", include_in_schema=False)(routed)

    @app.get("/health", summary="liveness, version, task count, requests served")
    async def health() -> JSONResponse:
        return JSONResponse(core.health())

    app.get("/", include_in_schema=False)(health)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == HTTPStatus.NOT_FOUND:
            message = not_found_message(request.method, request.url.path)
            logger.warning("%s", message)  # a client with a wrong URL otherwise only sees its rewards missing
        elif error.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            message = f"{request.method} {request.url.path} is not served; the routes are " + not_found_message("", "").split("routes are ")[1]
        else:
            message = str(error.detail)
        return JSONResponse({"error": message}, error.status_code)

    return _AccessLog(_Front(app, answer))  # type: ignore[return-value]  # FastAPI's attributes pass through


#: The scoring routes (POST) and their handler in ``build_app``.
DIRECT = {"/get_reward": "reward", "/get_reward/": "reward", "/": "reward", "/verify": "verify", "/verify/": "verify"}


class _Gone(Exception):
    """The client disconnected before its body arrived: nobody reads a reply."""


def _resolve(groups: list[Group]) -> None:
    for group in groups:
        if not group.waiter.done():  # a request past its time bound stopped waiting
            group.waiter.set_result(None)


def _dumps(payload: Any) -> bytes:
    # as Starlette's JSONResponse renders
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class _Front:
    """POSTs to the scoring routes answered directly (``answer`` in ``build_app``); the rest by FastAPI."""

    def __init__(self, app: FastAPI, answer: Callable[[str, Mapping[str, Any], Callable], Any]) -> None:
        self.app = app
        self.answer = answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        route = DIRECT.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if route is None:
            await self.app(scope, receive, send)
            return
        try:
            status, reply, close = await self.answer(route, scope, receive)
        except _Gone:
            return
        except Exception as error:  # a bug in Assay: the client gets a 500 with the message, we log it
            logger.exception("request to %s failed", scope["path"])
            status, reply, close = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"[:2000]}, False
        body = _dumps(reply)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": int(status), "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _AccessLog:
    """One log line per request at INFO (``assay -v serve``): client, method, path, status, time."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or not logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client") or ("-", 0)
            logger.info('%s:%s "%s %s" %d %.1f ms', client[0], client[1], scope["method"], scope["path"], status,
                        (time.perf_counter() - started) * 1000)


def _version() -> str:
    from assay import __version__

    return __version__


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, with a backlog large enough for hundreds of clients connecting at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=BACKLOG)
    sock.set_inheritable(True)
    return sock


def _config(app: Any, limits: ServerLimits, **extra: Any) -> uvicorn.Config:
    return uvicorn.Config(app, log_config=None, access_log=False, backlog=BACKLOG, timeout_keep_alive=int(limits.keep_alive_s),
                          # SIGTERM: stop accepting, finish what is in flight (bounded by the request timeout)
                          timeout_graceful_shutdown=int(limits.request_timeout_s + limits.read_timeout_s) + 5,
                          lifespan="on", **extra)


class _Server(uvicorn.Server):
    """uvicorn's server, but a SIGTERM/SIGINT ends it with a clean exit once the requests in flight
    are answered (uvicorn re-raises the signal afterwards, killing the process before its verifier
    processes are closed)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


class RewardServer(RewardCore):
    """The server: ``start()`` in a background thread (tests, notebooks) or ``serve_forever()``
    (the main thread: SIGTERM and Ctrl-C stop it after the requests in flight are answered).

    >>> server = RewardServer(port=0, executor="inline").start()
    >>> import urllib.request
    >>> json.load(urllib.request.urlopen(server.url + "/health"))["status"]
    'ok'
    >>> server.stop()
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, *, workers: int | None = None,
                 timeout_s: float | None = None, executor: str = "process", limits: ServerLimits | None = None,
                 dispatchers: int = 2) -> None:
        super().__init__(workers=workers, timeout_s=timeout_s, executor=executor, limits=limits, dispatchers=dispatchers)
        self.app = build_app(self)
        self.socket = bind(host, port)
        self.server = _Server(_config(self.app, self.limits))
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start(self) -> RewardServer:
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, name="assay-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.server.started:
            self.stop()
            raise RuntimeError("the reward server did not start")
        return self

    def serve_forever(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()
            self.close()

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=self.limits.request_timeout_s + 10)
        self.socket.close()
        self.close()


def _worker_app() -> Any:
    """The app of one of ``serve(http_workers=N)``'s processes, from the options in the environment."""
    options = json.loads(os.environ[_OPTIONS_ENV])
    options["limits"] = ServerLimits(**options["limits"])
    # a spawned process starts with logging unset: the parent's level (-v: a line per request)
    logging.basicConfig(level=options.pop("log_level"), format="%(levelname)s %(name)s: %(message)s")
    return build_app(RewardCore(**options), close_on_shutdown=True)


def serve(host: str = "127.0.0.1", port: int = 8000, *, http_workers: int = 1, ready: Callable[[str], None] | None = None,
          **options: Any) -> None:
    """Run the reward server until SIGTERM or Ctrl-C (``assay serve``); ``ready(url)`` once listening.

    ``http_workers`` > 1 runs that many server processes on one socket, each with its own batcher
    and verifier processes (``options``: those of ``RewardServer``).
    """
    if http_workers <= 1:
        server = RewardServer(host, port, **options)
        if ready is not None:
            ready(server.url)
        server.serve_forever()
        return
    from uvicorn.supervisors import Multiprocess

    limits = options.pop("limits", None) or ServerLimits()
    os.environ[_OPTIONS_ENV] = json.dumps({**options, "limits": dataclasses.asdict(limits),
                                           "log_level": logging.getLogger().getEffectiveLevel()})
    sock = bind(host, port)
    config = _config("assay.envs.asgi:_worker_app", limits, factory=True, workers=http_workers)
    bound_host, bound_port = sock.getsockname()[:2]
    if ready is not None:
        ready(f"http://{bound_host}:{bound_port}")
    try:
        Multiprocess(config, sockets=[sock]).run()  # each process: graceful on SIGTERM, lifespan closes its core
    finally:
        sock.close()

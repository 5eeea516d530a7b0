"""The standard-library reward server (``http.server.ThreadingHTTPServer``, a thread per connection).

Superseded by ``assay.envs.asgi.RewardServer`` (uvicorn + FastAPI); kept importable so that
``bench/server.py`` can measure both on the same load, and for installs without the ``serve`` extra.
Same routes and replies as the ASGI server, through the same ``RewardCore``.
"""

from __future__ import annotations

import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assay.envs.server import BadRequest, RewardCore, ServerLimits, not_found_message

logger = logging.getLogger(__name__)


class ThreadingRewardServer(RewardCore):
    """``start()`` in a background thread or ``serve_forever()``; ``address``/``url`` once bound.

    >>> server = ThreadingRewardServer(port=0, executor="inline").start()
    >>> import urllib.request
    >>> json.load(urllib.request.urlopen(server.url + "/health"))["status"]
    'ok'
    >>> server.stop()
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, *, workers: int | None = None,
                 timeout_s: float | None = None, executor: str = "process", limits: ServerLimits | None = None,
                 dispatchers: int = 2) -> None:
        super().__init__(workers=workers, timeout_s=timeout_s, executor=executor, limits=limits, dispatchers=dispatchers)
        self.slots = threading.BoundedSemaphore(self.limits.max_concurrent)
        handler = type("Handler", (_Handler,), {"app": self, "timeout": self.limits.read_timeout_s})
        self.httpd = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def start(self) -> ThreadingRewardServer:
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
        self.close()


class _Server(ThreadingHTTPServer):
    # trainers open a connection per item from many threads at once: the socketserver default
    # backlog of 5 made the kernel reset connections under load
    request_queue_size = 1024
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    app: ThreadingRewardServer
    protocol_version = "HTTP/1.1"
    server_version = "assay-serve"
    routes = {"/get_reward": "get_reward", "/verify": "verify", "/": "get_reward"}

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/health", ""):  # GET / is the health check, POST / the reward
            self._reply(HTTPStatus.OK, self.app.health())
        elif self.path.rstrip("/") in ("/get_reward", "/verify"):
            self._reply(HTTPStatus.METHOD_NOT_ALLOWED, {"error": f"{self.path} takes POST"})
        else:
            logger.warning("%s", not_found_message("GET", self.path))
            self._reply(HTTPStatus.NOT_FOUND, {"error": not_found_message(self.command, self.path)})

    def do_POST(self) -> None:
        route = self.routes.get(self.path.rstrip("/") or "/")
        if route is None:
            logger.warning("%s", not_found_message("POST", self.path))
            self._discard_body()
            self._reply(HTTPStatus.NOT_FOUND, {"error": not_found_message(self.command, self.path)})
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



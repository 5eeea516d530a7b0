"""``assay serve``: the HTTP reward server (OpenRLHF remote reward protocol, /verify, /health).

Thin over ``assay.envs.server``.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve rewards over HTTP (OpenRLHF --remote_rm_url, any HTTP client)",
        description="POST /get_reward (and POST /) {query, prompts, labels} -> {rewards, scores, extra_logs}; "
        "POST /verify {problems, completions} -> {verdicts}; GET /health; OpenAPI at /docs. Each label or problem "
        "is a problem row as JSON (json.dumps(problem.to_row())). uvicorn + FastAPI (pip install 'assay[serve]'); "
        "SIGTERM finishes the requests in flight, then stops; -v logs a line per request.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--workers", type=int, default=None,
                        help="verifier worker processes per dispatcher (default: CPU count; there are 2 dispatchers, so a slow "
                             "item never holds up the other requests)")
    parser.add_argument("--http-workers", type=int, default=1,
                        help="server processes sharing the port, each with its own dispatchers and --workers verifier "
                             "processes (default 1: one process already serves hundreds of concurrent clients)")
    parser.add_argument("--timeout-s", type=float, default=None, help="per-item verification budget (default: each task's own)")
    parser.add_argument("--executor", choices=("process", "ray", "inline"), default="process", help="how batches are scored")
    parser.add_argument("--max-body-mb", type=float, default=64.0, help="largest request body accepted (413 above)")
    parser.add_argument("--max-items", type=int, default=8192, help="most items per request (413 above)")
    parser.add_argument("--request-timeout-s", type=float, default=150.0,
                        help="items not scored by then answer 'timeout' (default 150: below the clients' own give-up time, "
                             "OpenRLHF's 180 s, so a client never re-sends work still running; raise both together)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assay.envs.asgi import serve
    from assay.envs.server import ServerLimits

    limits = ServerLimits(max_body_bytes=int(args.max_body_mb * 1024 * 1024), max_items=args.max_items,
                          request_timeout_s=args.request_timeout_s)

    def ready(url: str) -> None:
        print(f"assay reward server on {url} (POST /get_reward or /, POST /verify, GET /health, /docs); "
              "Ctrl-C or SIGTERM stops it", file=sys.stderr, flush=True)

    try:
        serve(args.host, args.port, http_workers=args.http_workers, ready=ready, workers=args.workers,
              timeout_s=args.timeout_s, executor=args.executor, limits=limits)
    except KeyboardInterrupt:
        pass
    return 0

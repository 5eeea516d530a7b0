"""OpenRLHF remote reward: start ``assay serve`` and post one request in OpenRLHF's protocol.

Run: python examples/openrlhf/serve_and_post.py [--task math/arithmetic]

With OpenRLHF, start the server once (``assay serve --host 0.0.0.0 --port 8000``) and point the
trainer at it: ``--reward.remote_url http://HOST:8000/get_reward`` (``--remote_rm_url`` in older
versions), on ``assay generate --format verl`` data read with ``--data.input_key prompt
--data.apply_chat_template --data.label_key reward_model`` (docs/trainers.md). OpenRLHF posts
``{"query": [prompt + response], "prompts": [prompt], "labels": [row_json]}`` and reads
``{"rewards", "scores", "extra_logs"}``. This script does exactly that against a server it starts
on a free port, prints the reply as one JSON line, and stops the server.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any

import assay


def start_server() -> tuple[subprocess.Popen, str]:
    """``assay serve --port 0`` in a child process; its URL, read from the line it prints."""
    executable = shutil.which("assay")
    command = [executable, "serve"] if executable else [sys.executable, "-m", "assay", "serve"]
    server = subprocess.Popen(command + ["--port", "0", "--workers", "1"], stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    for line in server.stderr:
        found = re.search(r"(http://[\w.]+:\d+)", line)
        if found:  # keep draining its log so a full pipe never blocks it
            threading.Thread(target=server.stderr.read, daemon=True).start()
            return server, found.group(1)
    server.wait(10)
    raise SystemExit(f"assay serve exited with {server.returncode} before printing its address")


def post(url: str, body: dict[str, Any], timeout_s: float = 180.0) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - our own local server
        return json.load(response)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="math/arithmetic")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    problem = assay.generate(args.task, 1, seed=args.seed)[0]
    response = f" <answer>{problem.answer}</answer>"  # what a policy would have written
    server, url = start_server()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=5).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # one sample per request, as OpenRLHF sends them
        reply = post(url + "/get_reward", {"query": [problem.prompt + response], "prompts": [problem.prompt],
                                            "labels": [json.dumps(problem.to_row())]})
    finally:
        server.terminate()
        server.wait(30)
    print(json.dumps({"url": url, "task": problem.task, **reply}))
    return reply


if __name__ == "__main__":
    main()

"""The uvicorn + FastAPI reward server: OpenAPI, POST /, 404 warnings, invalid labels, timeouts,
graceful SIGTERM, the request log, --http-workers, and a load test with malformed requests."""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import assay
from assay.envs.asgi import RewardServer
from assay.envs.server import ServerLimits

TESTS = str(Path(__file__).resolve().parents[1])
LIMITS = ServerLimits(max_body_bytes=256 * 1024, max_items=64, request_timeout_s=20.0)


@pytest.fixture(scope="module")
def server():
    server = RewardServer(port=0, workers=2, limits=LIMITS).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def problem():
    return assay.generate("math/arithmetic", 1, seed=3)[0]


def call(address: tuple[str, int], method: str, path: str, payload=None, raw: bytes | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else None)
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body is not None else {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_openapi_documents_the_reward_protocol(server) -> None:
    status, spec = call(server.address, "GET", "/openapi.json")
    assert status == 200
    reward = spec["paths"]["/get_reward"]["post"]
    body = reward["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"query", "labels"} and "prompts" in body["properties"]
    assert "bare answer" in body["properties"]["labels"]["description"]
    assert "/" in spec["paths"] and "/verify" in spec["paths"]
    connection = http.client.HTTPConnection(*server.address, timeout=30)
    connection.request("GET", "/docs")
    response = connection.getresponse()
    assert response.status == 200 and b"swagger" in response.read().lower()
    connection.close()


def test_a_bare_url_gets_the_reward_protocol(server, problem) -> None:
    # OpenRLHF's --remote_rm_url http://host:port posts to "/"; the old server answered 404 there
    payload = {"query": [f"<answer>{problem.answer}</answer>"], "prompts": [""], "labels": [json.dumps(problem.to_row())]}
    status, reply = call(server.address, "POST", "/", payload)
    assert status == 200 and reply["rewards"] == [1.0]
    status, reply = call(server.address, "GET", "/")
    assert status == 200 and reply["status"] == "ok"


def test_every_404_is_a_warning_naming_the_routes(server, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="assay.envs.asgi"):
        status, reply = call(server.address, "POST", "/reward", {"query": []})
    assert status == 404 and "/get_reward" in reply["error"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "assay.envs.asgi"]
    assert warnings == ["no route POST /reward; the routes are POST /get_reward, POST /, POST /verify, GET /health, "
                        "GET /docs, GET /openapi.json"]


def test_a_bare_answer_label_is_counted_warned_once_and_explained(server, problem, caplog) -> None:
    # --data.label_key pointing at the answer column: every item invalid_problem, reward 0
    labels = [problem.answer, "18", json.dumps(problem.to_row())]
    payload = {"query": [f"<answer>{problem.answer}</answer>"] * 3, "prompts": [""] * 3, "labels": labels}
    with caplog.at_level(logging.WARNING, logger="assay.envs.server"):
        status, reply = call(server.address, "POST", "/get_reward", payload)
    assert status == 200 and reply["rewards"] == [0.0, 0.0, 1.0]
    assert reply["extra_logs"]["invalid_problem"] == [1.0, 1.0, 0.0]
    assert all("label must hold the whole problem row" in e for e in reply["errors"][:2]) and reply["errors"][2] is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "assay.envs.server" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("2 of 3 items hold no readable problem")


def test_the_default_request_timeout_is_below_the_clients() -> None:
    from assay.envs import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["serve"])
    openrlhf_client_timeout_s = 180.0
    assert args.request_timeout_s < openrlhf_client_timeout_s
    assert ServerLimits().request_timeout_s < openrlhf_client_timeout_s


def test_an_item_past_the_request_bound_answers_timeout(hang_task) -> None:
    # the request's own bound (below the client's give-up time) ends the wait, not the item's kill at 6 s
    server = RewardServer(port=0, workers=1, limits=ServerLimits(request_timeout_s=2.0)).start()
    try:
        label = json.dumps(hang_task.generate(0).to_row())
        status, reply = call(server.address, "POST", "/verify", {"problems": [label, "18"], "completions": ["hang", "x"]})
    finally:
        server.stop()
    assert status == 200, reply
    assert [v["reason"] for v in reply["verdicts"]] == ["timeout", "invalid_problem"]
    assert "request bound of 2 s" in reply["verdicts"][0]["detail"]["message"]


def _start(arguments: list[str], extra_code: str = "") -> tuple[subprocess.Popen, tuple[str, int]]:
    code = f"import sys; sys.path.insert(0, {TESTS!r})\n{extra_code}\nfrom assay.cli import main\nsys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen([sys.executable, "-c", code, *arguments], stderr=subprocess.PIPE, text=True)
    for _ in range(100):  # with -v, log lines may come first
        line = process.stderr.readline()  # type: ignore[union-attr]
        if "assay reward server on http://127.0.0.1:" in line or not line:
            break
    assert "assay reward server on http://127.0.0.1:" in line, line
    return process, ("127.0.0.1", int(line.split("http://127.0.0.1:")[1].split()[0]))


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err


def test_sigterm_finishes_the_requests_in_flight_then_stops(hang_task) -> None:
    register = "import _hang_task"  # testing/hang, in the server process only
    process, address = _start(["serve", "--port", "0", "--workers", "1"], register)
    try:
        label = json.dumps(assay.registry.get_task("math/arithmetic").generate(0).to_row())
        hang_label = json.dumps(hang_task.generate(0).to_row())
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(call, address, "POST", "/get_reward",
                                  {"query": ["hang", "<answer>1</answer>", "x"], "labels": [hang_label, hang_label, label]})
            time.sleep(1.5)  # the hung item is being scored (killed at its 6 s budget)
            assert not pending.done()
            process.send_signal(signal.SIGTERM)
            status, reply = pending.result(timeout=60)
        assert status == 200 and reply["reasons"] == ["timeout", "correct", "no_answer"]
        assert process.wait(timeout=60) == 0
    finally:
        _finish(process)


def test_verbose_logs_a_line_per_request_and_http_workers_share_the_port() -> None:
    process, address = _start(["-v", "serve", "--port", "0", "--workers", "1", "--http-workers", "2"])
    try:
        deadline = time.monotonic() + 60
        while True:  # the worker processes start after the socket is bound
            try:
                status, reply = call(address, "GET", "/health")
                break
            except ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert status == 200 and reply["status"] == "ok"
        for _ in range(20):
            status, _ = call(address, "POST", "/nowhere", {})
            assert status == 404
    finally:
        code, err = _finish(process)
    assert code == 0, err
    lines = [line for line in err.splitlines() if '"POST /nowhere" 404' in line]
    assert len(lines) == 20, err[-3000:]
    assert err.count("Started server process") == 2, err[-3000:]


MALFORMED = [
    (b"{not json", 400), (b'["a list"]', 400), (b'{"query": ["a"]}', 400), (b'{"query": [1], "labels": ["x"]}', 400),
    (b'{"query": ["a", "b"], "labels": ["x"]}', 400), (b"\xff\xfe", 400), (b"x" * (300 * 1024), 413),
]


@pytest.mark.slow
def test_load_with_malformed_requests_has_no_connection_error_and_no_wrong_verdict(server) -> None:
    rng = random.Random(1)
    tasks = [t for t in assay.list_tasks() if t.startswith(("math/", "graph/"))][:6]
    problems = [p for i, t in enumerate(tasks) for p in assay.generate(t, 6, seed=i)]
    jobs = []
    for _ in range(int(os.environ.get("ASSAY_LOAD_REQUESTS", "2000"))):
        if rng.random() < 0.15:
            jobs.append(rng.choice(MALFORMED) + (None,))
            continue
        chosen = rng.sample(problems, rng.choice([1, 1, 2, 4]))
        answers = [rng.choice([f"<answer>{p.answer}</answer>", "no idea", f"<answer>{p.answer}9</answer>"]) for p in chosen]
        body = json.dumps({"query": answers, "labels": [json.dumps(p.to_row()) for p in chosen]}).encode()
        jobs.append((body, 200, [v.score for v in assay.verify_batch(chosen, answers, executor="inline")]))

    def send(job) -> str:
        body, status, expected = job
        try:
            got, reply = call(server.address, "POST", "/get_reward", raw=body)
        except (OSError, http.client.HTTPException) as error:
            return f"connection error: {error!r}"
        if got != status or (expected is not None and reply["rewards"] != expected):
            return f"wrong: {got} {reply}"
        return "ok"

    with ThreadPoolExecutor(max_workers=128) as pool:
        outcomes = list(pool.map(send, jobs))
    failures = [o for o in outcomes if o != "ok"]
    assert not failures, (len(failures), failures[:5])

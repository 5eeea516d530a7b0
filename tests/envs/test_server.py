"""The reward server under concurrent load from 127.0.0.1, with malformed requests mixed in."""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import assay
from assay.envs.server import RewardServer, ServerLimits

LIMITS = ServerLimits(max_body_bytes=256 * 1024, max_items=64, request_timeout_s=20.0)


@pytest.fixture(scope="module")
def server():
    server = RewardServer(port=0, workers=2, limits=LIMITS).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def problems():
    tasks = assay.list_tasks()
    return [p for i, t in enumerate(tasks[:6]) for p in assay.generate(t, 4, seed=i)]


def request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def post(server, path: str, payload) -> tuple[int, dict]:
    return request(server, "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def good_request(problems, rng: random.Random):
    chosen = rng.sample(problems, rng.choice([1, 1, 3, 8]))
    responses = [rng.choice([f"<answer>{p.answer}</answer>", "no idea", f"<answer>{p.answer}9</answer>"]) for p in chosen]
    payload = {"query": [p.prompt + r for p, r in zip(chosen, responses)], "prompts": [p.prompt for p in chosen],
               "labels": [json.dumps(p.to_row()) for p in chosen]}
    return payload, [assay.verify(p, r).score for p, r in zip(chosen, responses)]


MALFORMED = [
    ("POST", "/get_reward", b"{not json", 400),
    ("POST", "/get_reward", b'["a list"]', 400),
    ("POST", "/get_reward", b'{"query": ["a"]}', 400),
    ("POST", "/get_reward", b'{"query": "a", "labels": ["x"]}', 400),
    ("POST", "/get_reward", b'{"query": ["a", "b"], "labels": ["x"]}', 400),
    ("POST", "/get_reward", b'{"query": [1], "labels": ["x"]}', 400),
    ("POST", "/get_reward", b"\xff\xfe", 400),
    ("POST", "/verify", b'{"problems": 3, "completions": []}', 400),
    ("POST", "/verify", b'{"problems": [{}], "completions": [5]}', 400),
    ("POST", "/nowhere", b"{}", 404),
    ("GET", "/get_reward", None, 405),
    ("POST", "/get_reward", b"x" * (300 * 1024), 413),
    ("POST", "/get_reward", json.dumps({"query": ["a"] * 65, "labels": ["x"] * 65}).encode(), 413),
]


def test_concurrent_good_and_malformed_requests(server, problems) -> None:
    rng = random.Random(0)
    jobs = []
    for number in range(90):
        if number % 3 == 2:
            method, path, body, status = MALFORMED[number // 3 % len(MALFORMED)]
            jobs.append(("bad", (method, path, body), status))
        else:
            jobs.append(("good", *good_request(problems, rng)))

    def run(job):
        if job[0] == "good":
            return post(server, "/get_reward", job[1])
        method, path, body = job[1]
        return request(server, method, path, body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, jobs))
    for job, (status, reply) in zip(jobs, results):
        if job[0] == "good":
            assert status == 200, reply
            assert reply["rewards"] == job[2] and reply["scores"] == job[2]
            assert set(reply["extra_logs"]) == {"passed", "no_answer", "timeout", "invalid_problem"}
            assert len(reply["extra_logs"]["passed"]) == len(job[2])
        else:
            assert status == job[2], (job[1][:2], reply)
            assert isinstance(reply["error"], str) and reply["error"]
    status, health = request(server, "GET", "/health")
    assert status == 200 and health["status"] == "ok" and health["requests"] >= 60


def test_a_request_without_content_length_gets_411(server) -> None:
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.putrequest("POST", "/get_reward")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411 and "Content-Length" in json.loads(response.read())["error"]
    connection.close()


def test_a_bad_label_costs_only_its_own_item(server, problems) -> None:
    p = problems[0]
    status, reply = post(server, "/get_reward", {
        "query": [p.prompt + f"<answer>{p.answer}</answer>", "x", "y"], "prompts": [p.prompt, "", ""],
        "labels": [json.dumps(p.to_row()), "{broken", json.dumps(dict(p.to_row(), task="math/none"))],
    })
    assert status == 200 and reply["rewards"] == [1.0, 0.0, 0.0]
    assert reply["reasons"] == ["correct", "invalid_problem", "unknown_task"]


def test_the_verify_route_returns_verdicts(server, problems) -> None:
    chosen = problems[:5]
    completions = [f"<answer>{p.answer}</answer>" for p in chosen[:4]] + [[{"role": "assistant", "content": "hm"}]]
    status, reply = post(server, "/verify", {"problems": [p.to_row() for p in chosen], "completions": completions})
    assert status == 200
    assert [v["passed"] for v in reply["verdicts"]] == [True] * 4 + [False]
    assert reply["verdicts"][4]["reason"] == "no_answer"
    status, reply = post(server, "/verify", {"problem": json.dumps(chosen[0].to_row()), "completion": chosen[0].answer})
    assert status == 200 and len(reply["verdicts"]) == 1


def test_a_hung_verifier_is_killed_and_other_requests_still_answered(server, hang_task) -> None:
    problem = hang_task.generate(0)
    label = json.dumps(problem.to_row())
    with ThreadPoolExecutor(max_workers=3) as pool:
        hung = pool.submit(post, server, "/get_reward", {"query": ["hang", "<answer>1</answer>"], "prompts": ["", ""], "labels": [label, label]})
        time.sleep(0.3)
        quick = pool.submit(post, server, "/get_reward", {"query": ["<answer>1</answer>"], "prompts": [""], "labels": [label]})
        status, reply = quick.result(timeout=30)
        # answered by the other dispatcher while the hung item still waits for its kill
        assert not hung.done()
        assert status == 200 and reply["rewards"] == [1.0]
        status, reply = hung.result(timeout=30)
    assert status == 200 and reply["reasons"] == ["timeout", "correct"] and reply["extra_logs"]["timeout"] == [1.0, 0.0]


def test_assay_serve_starts_from_the_command_line() -> None:
    process = subprocess.Popen([sys.executable, "-m", "assay", "serve", "--port", "0", "--workers", "1"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert "assay reward server on http://127.0.0.1:" in line
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/health")
        assert json.loads(connection.getresponse().read())["status"] == "ok"
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_many_clients_connecting_at_once_are_all_answered(server, problems) -> None:
    # trainers open one connection per item from many threads: a listen backlog of 5 (the
    # socketserver default) made the kernel reset some of them under load
    payload = {"query": [f"<answer>{problems[0].answer}</answer>"], "prompts": [""], "labels": [json.dumps(problems[0].to_row())]}
    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(lambda _: post(server, "/get_reward", payload), range(512)))
    assert [status for status, _ in results] == [200] * 512
    assert all(reply["rewards"] == [1.0] for _, reply in results)

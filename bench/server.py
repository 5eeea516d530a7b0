"""The reward server under load: uvicorn + FastAPI (``assay serve``) against the former
``ThreadingHTTPServer`` one, on the same requests, in one run.

Each server runs in its own process on 127.0.0.1 with the same limits and verifier processes;
CLIENTS threads in this process send REQUESTS OpenRLHF ``/get_reward`` requests, one new
connection each (as a trainer's ``requests.post`` does), with about 15% malformed ones mixed in
(bad JSON, wrong types, length mismatch, unknown path, wrong method, oversized). Every reply is
checked: a good request must get status 200 and exactly the rewards ``assay.verify`` gives in
this process; a malformed one its 4xx status. Prints connection errors, wrong replies, p50/p99
latency and throughput per server and round, the CPU time per request of the server process and of
its verifier processes (read from /proc: steadier than wall-clock figures on a shared machine, where
a server's throughput also depends on how many of its threads the kernel schedules), and the ratios
(medians over rounds, rounds interleaved, servers warmed alike).

Run: .venv/bin/python bench/server.py [REQUESTS=10000] [CLIENTS=256] [ROUNDS=1] [VERIFIER_WORKERS=2]
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import assay
from assay.benchmark import machine_load

SERVER = r"""
import sys
import logging
logging.disable(logging.WARNING)  # the 404s of the malformed requests
from assay.envs.server import ServerLimits
if sys.argv[1] == "asgi":
    from assay.envs.asgi import RewardServer as Server
else:
    from assay.envs.server_threading import ThreadingRewardServer as Server
server = Server(port=0, workers=int(sys.argv[2]), limits=ServerLimits(max_body_bytes=256 * 1024, max_items=64))
print(server.url, flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
"""

MALFORMED = [
    ("POST", "/get_reward", b"{not json", 400),
    ("POST", "/get_reward", b'["a list"]', 400),
    ("POST", "/get_reward", b'{"query": ["a"]}', 400),
    ("POST", "/get_reward", b'{"query": "a", "labels": ["x"]}', 400),
    ("POST", "/get_reward", b'{"query": ["a", "b"], "labels": ["x"]}', 400),
    ("POST", "/get_reward", b'{"query": [1], "labels": ["x"]}', 400),
    ("POST", "/get_reward", b"\xff\xfe", 400),
    ("POST", "/nowhere", b"{}", 404),
    ("GET", "/get_reward", None, 405),
    ("POST", "/get_reward", b"x" * (300 * 1024), 413),
]


def make_jobs(count: int, seed: int = 0) -> list[tuple]:
    """(method, path, body, expected status, expected rewards or None) for ``count`` requests."""
    rng = random.Random(seed)
    tasks = [t for t in assay.list_tasks() if t.split("/")[0] in ("math", "graph", "logic", "sql")][:12] or assay.list_tasks()[:12]
    problems = [p for i, t in enumerate(tasks) for p in assay.generate(t, 8, seed=i)]
    jobs: list[tuple] = []
    for _ in range(count):
        if rng.random() < 0.15:
            method, path, body, status = rng.choice(MALFORMED)
            jobs.append((method, path, body, status, None))
            continue
        chosen = rng.sample(problems, rng.choice([1, 1, 1, 2, 4, 8]))
        answers = [rng.choice([f"<answer>{p.answer}</answer>", "no idea", f"<answer>{p.answer}9</answer>"]) for p in chosen]
        payload = {"query": [p.prompt + a for p, a in zip(chosen, answers)], "prompts": [p.prompt for p in chosen],
                   "labels": [json.dumps(p.to_row()) for p in chosen]}
        expected = [v.score for v in assay.verify_batch(chosen, answers, executor="inline")]
        jobs.append(("POST", "/get_reward", json.dumps(payload).encode(), 200, expected))
    return jobs


def send(port: int, job: tuple) -> tuple[str, float]:
    """('ok' | 'wrong' | 'connection', seconds) for one request on a new connection."""
    method, path, body, status, expected = job
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body is not None else {})
        response = connection.getresponse()
        reply = response.read()
        seconds = time.perf_counter() - started
        if response.status != status:
            return "wrong", seconds
        if expected is not None and json.loads(reply)["rewards"] != expected:
            return "wrong", seconds
        return "ok", seconds
    except (OSError, http.client.HTTPException):
        return "connection", time.perf_counter() - started
    finally:
        connection.close()


def start(kind: str, verifier_workers: int) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "-c", SERVER, kind, str(verifier_workers)], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()  # type: ignore[union-attr]
    if not url:
        process.kill()
        raise RuntimeError(f"the {kind} server did not start")
    return process, int(url.rsplit(":", 1)[1])


def stop(process: subprocess.Popen, kind: str) -> None:
    process.send_signal(signal.SIGTERM if kind == "asgi" else signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> dict[int, float]:
    """User + system CPU seconds of ``pid`` and of each of its live descendants (Linux /proc)."""
    found: dict[int, float] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            found[current] = (int(fields[11]) + int(fields[12])) / TICKS
            for thread in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{thread}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, IndexError, ValueError):
            continue
    return found


def run_load(kind: str, jobs: list[tuple], clients: int, verifier_workers: int) -> dict:
    process, port = start(kind, verifier_workers)
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:  # warm: verifier processes, imports
            list(pool.map(lambda job: send(port, job), jobs[:clients]))
            before = cpu_seconds(process.pid)
            started = time.perf_counter()
            results = list(pool.map(lambda job: send(port, job), jobs))
            wall = time.perf_counter() - started
            after = cpu_seconds(process.pid)
    finally:
        stop(process, kind)
    server_cpu = after.get(process.pid, 0.0) - before.get(process.pid, 0.0)
    verifier_cpu = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items() if pid != process.pid)
    latencies = sorted(seconds for _, seconds in results)
    outcomes = [outcome for outcome, _ in results]
    return {"server": kind, "requests": len(jobs), "connection_errors": outcomes.count("connection"),
            "wrong": outcomes.count("wrong"), "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "throughput_rps": len(jobs) / wall, "wall_s": wall,
            "server_cpu_ms": 1000 * server_cpu / len(jobs), "verifier_cpu_ms": 1000 * verifier_cpu / len(jobs)}


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    verifier_workers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    print(f"before: {machine_load()}; cpus {os.cpu_count()}")
    jobs = make_jobs(requests)
    bad = sum(job[4] is None for job in jobs)
    print(f"{requests} requests ({bad} malformed) from {clients} concurrent clients, new connection each; "
          f"{verifier_workers} verifier processes per dispatcher; {rounds} round(s), interleaved")
    rows: dict[str, list[dict]] = {"threading": [], "asgi": []}
    for number in range(rounds):
        order = ("threading", "asgi") if number % 2 == 0 else ("asgi", "threading")
        for kind in order:
            row = run_load(kind, jobs, clients, verifier_workers)
            rows[kind].append(row)
            print(f"round {number + 1} {kind:9}: connection errors {row['connection_errors']:4}  wrong {row['wrong']:4}  "
                  f"p50 {row['p50_ms']:8.1f} ms  p99 {row['p99_ms']:8.1f} ms  {row['throughput_rps']:7.1f} req/s  "
                  f"({row['wall_s']:.1f} s)  CPU per request: server {row['server_cpu_ms']:.2f} ms, verifiers "
                  f"{row['verifier_cpu_ms']:.2f} ms", flush=True)

    def median(kind: str, key: str) -> float:
        return statistics.median(row[key] for row in rows[kind])

    def spread(kind: str, key: str) -> str:
        values = [row[key] for row in rows[kind]]
        return f"{min(values):.1f}..{max(values):.1f}"

    for kind in ("threading", "asgi"):
        print(f"{kind:9} total: connection errors {sum(r['connection_errors'] for r in rows[kind])}, wrong "
              f"{sum(r['wrong'] for r in rows[kind])}; median p99 {median(kind, 'p99_ms'):.1f} ms ({spread(kind, 'p99_ms')}), "
              f"throughput {median(kind, 'throughput_rps'):.1f} req/s ({spread(kind, 'throughput_rps')}); CPU per request: "
              f"server {median(kind, 'server_cpu_ms'):.2f} ms, verifiers {median(kind, 'verifier_cpu_ms'):.2f} ms")
    print(f"asgi / threading: p99 x{median('asgi', 'p99_ms') / median('threading', 'p99_ms'):.2f}, "
          f"throughput x{median('asgi', 'throughput_rps') / median('threading', 'throughput_rps'):.2f}, "
          f"server CPU per request x{median('asgi', 'server_cpu_ms') / median('threading', 'server_cpu_ms'):.2f}")
    print(f"after:  {machine_load()}")


if __name__ == "__main__":
    main()

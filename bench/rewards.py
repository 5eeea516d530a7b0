"""Reward throughput: verdicts per second for a mixed batch through every path a trainer can take.

Paths: a plain serial loop of ``assay.verify`` (the baseline), ``verify_batch`` with 1 and 2
worker processes, the TRL reward function, the HTTP reward server (one item per request as
OpenRLHF sends them, and 64 per request) and the Ray executor. Each path is warmed up first
(pools started), then timed once on the same 4096 completions; every path must agree with the
baseline's scores. Run: ``/opt/assay-venv/bin/python bench/rewards.py [--n 4096] [--no-ray]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import assay
from assay.types import Problem


def mixed_batch(n: int, seed: int = 0) -> tuple[list[Problem], list[str]]:
    """``n`` (problem, completion) pairs over every registered task: right answers, wrong ones,
    missing answers, boxed answers and long rambling text, in a fixed mix."""
    tasks = assay.list_tasks()
    per_task = -(-n // len(tasks))
    pool = [p for index, task_id in enumerate(tasks) for p in assay.generate(task_id, min(per_task, 64), seed=seed + index)]
    problems, completions = [], []
    for index in range(n):
        problem = pool[(index * 7919) % len(pool)]
        kind = index % 5
        if kind == 0:
            text = f"Let me work it out step by step.\n<answer>{problem.answer}</answer>"
        elif kind == 1:
            text = f"<answer>{problem.answer} 1</answer>"
        elif kind == 2:
            text = "I am not sure what the answer is."
        elif kind == 3:
            text = f"\\boxed{{{problem.answer}}}"
        else:
            text = ("thinking " * 400) + f"<answer>{problem.answer}</answer>"
        problems.append(problem)
        completions.append(text)
    return problems, completions


def timed(run: Callable[[], list[float]]) -> tuple[float, list[float]]:
    start = time.perf_counter()
    scores = run()
    return time.perf_counter() - start, scores


def serial(problems: list[Problem], completions: list[str]) -> list[float]:
    return [assay.verify(p, c).score for p, c in zip(problems, completions)]


def batch(problems, completions, workers: int, executor: str = "process") -> list[float]:
    return [v.score for v in assay.verify_batch(problems, completions, workers=workers, executor=executor)]


def trl_adapter(problems, completions, workers: int) -> list[float]:
    from assay.envs.trl import reward_function

    rows = [p.to_row() for p in problems]
    columns = {key: [row[key] for row in rows] for key in ("id", "task", "answer", "data", "meta")}
    return reward_function(workers=workers)([p.prompt for p in problems], completions, **columns)


def server_client(url_port: int, problems, completions, per_request: int, clients: int) -> list[float]:
    labels = [json.dumps(p.to_row()) for p in problems]
    starts = list(range(0, len(problems), per_request))

    def send(start: int) -> list[float]:
        end = start + per_request
        body = json.dumps({"query": completions[start:end], "prompts": [""] * len(completions[start:end]),
                           "labels": labels[start:end]}).encode()
        connection = http.client.HTTPConnection("127.0.0.1", url_port, timeout=600)
        try:
            connection.request("POST", "/get_reward", body=body, headers={"Content-Type": "application/json"})
            return json.loads(connection.getresponse().read())["rewards"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return [score for chunk in pool.map(send, starts) for score in chunk]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4096, help="completions in the batch (default 4096)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray executor")
    parser.add_argument("--no-server", action="store_true", help="skip the HTTP server")
    args = parser.parse_args()

    problems, completions = mixed_batch(args.n)
    warm = (problems[:256], completions[:256])  # enough items to start every worker and actor
    results: list[tuple[str, float, list[float]]] = []

    elapsed, baseline = timed(lambda: serial(problems, completions))
    results.append(("serial loop of assay.verify (baseline)", elapsed, baseline))

    for workers in (1, 2):
        batch(*warm, workers=workers)
        elapsed, scores = timed(lambda: batch(problems, completions, workers=workers))
        results.append((f"verify_batch, {workers} worker process{'es' if workers > 1 else ''}", elapsed, scores))

    trl_adapter(*warm, workers=2)
    elapsed, scores = timed(lambda: trl_adapter(problems, completions, workers=2))
    results.append(("TRL reward_function, 2 workers", elapsed, scores))

    if not args.no_server:
        from assay.envs.server import RewardServer

        server = RewardServer(port=0, workers=2).start()
        port = server.httpd.server_address[1]
        try:
            server_client(port, *warm, per_request=8, clients=8)
            for per_request, clients in ((1, 16), (64, 4)):
                elapsed, scores = timed(lambda: server_client(port, problems, completions, per_request, clients))
                results.append((f"server /get_reward, {per_request}/request, {clients} clients, 2 workers", elapsed, scores))
        finally:
            server.stop()

    if not args.no_ray:
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            batch(*warm, workers=2, executor="ray")
            elapsed, scores = timed(lambda: batch(problems, completions, workers=2, executor="ray"))
            results.append(("verify_batch executor='ray', 2 actors", elapsed, scores))
        finally:
            from assay.executors import ray as ray_executor

            ray_executor.shutdown()
            ray.shutdown()

    base = len(problems) / results[0][1]
    print(f"{len(problems)} completions over {len(assay.list_tasks())} tasks; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}; pass rate {sum(s == 1.0 for s in baseline) / len(baseline):.2f}")
    print(f"{'path':<62} {'seconds':>8} {'verdicts/s':>11} {'vs serial':>10} {'agrees':>7}")
    for name, elapsed, scores in results:
        rate = len(problems) / elapsed
        agrees = "yes" if scores == baseline else f"{sum(a != b for a, b in zip(scores, baseline))} diff"
        print(f"{name:<62} {elapsed:>8.2f} {rate:>11.0f} {rate / base:>9.2f}x {agrees:>7}")


if __name__ == "__main__":
    main()

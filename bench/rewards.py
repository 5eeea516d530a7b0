"""Reward throughput: verdicts per second for a mixed batch through every path a trainer can take.

Paths: a plain serial loop of ``assay.verify`` (the baseline), ``verify_batch`` with 1 and 2
worker processes, the TRL reward function, the HTTP reward server (one item per request as
OpenRLHF sends them, and 64 per request) and the Ray executor.

Fair by the rules of ``assay.benchmark``: every path, the baseline included, is warmed on its own
full-size batch; then ``--repeats`` rounds run every path once, the order rotated each round, each
run on a batch no path has scored before (so the TRL path, which shares the 2-worker pool with
``verify_batch``, never meets items that pool has just cached). Figures are medians with the range
over the rounds; the ratio is the median of per-round ratios to the baseline; the load average is
printed before and after. Agreement is checked apart, untimed: every path scores one common batch
and must give the baseline's scores.
Run: ``.venv/bin/python bench/rewards.py [--n 2048] [--repeats 5] [--no-ray] [--no-server]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import assay
from assay.benchmark import format_measurements, interleaved, machine_load, measurements
from assay.types import Problem

SERIAL = "serial loop of assay.verify (baseline)"


def mixed_batch(n: int, seed: int = 0) -> tuple[list[Problem], list[str]]:
    """``n`` (problem, completion) pairs over every registered task: right answers, wrong ones,
    missing answers, boxed answers and long rambling text, in a fixed mix. Batches of different
    seeds share no problem (each task's seeds are drawn from ``seed``)."""
    tasks = assay.list_tasks()
    per_task = -(-n // len(tasks))
    pool = [p for index, task_id in enumerate(tasks)
            for p in assay.generate(task_id, min(per_task, 64), seed=seed * 1_000_003 + index)]
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


def serial(problems: list[Problem], completions: list[str]) -> list[float]:
    return [assay.verify(p, c).score for p, c in zip(problems, completions)]


def batch(problems, completions, workers: int, executor: str = "process") -> list[float]:
    return [v.score for v in assay.verify_batch(problems, completions, workers=workers, executor=executor)]


def trl_adapter(problems, completions, workers: int) -> list[float | None]:
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
    parser.add_argument("--n", type=int, default=2048, help="completions per batch (default 2048)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved timed rounds per path (default 5)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray executor")
    parser.add_argument("--no-server", action="store_true", help="skip the HTTP server")
    args = parser.parse_args()
    print(f"before: {machine_load()}")

    paths: dict[str, Callable[[list[Problem], list[str]], list[float] | list[float | None]]] = {
        SERIAL: serial,
        "verify_batch, 1 worker process": lambda p, c: batch(p, c, workers=1),
        "verify_batch, 2 worker processes": lambda p, c: batch(p, c, workers=2),
        "TRL reward_function, 2 workers": lambda p, c: trl_adapter(p, c, workers=2),
    }
    closers: list[Callable[[], object]] = []
    try:
        if not args.no_server:
            from assay.envs.server import RewardServer

            server = RewardServer(port=0, workers=2).start()
            closers.append(server.stop)
            port = server.httpd.server_address[1]
            for per_request, clients in ((1, 16), (64, 4)):
                def through_server(p: list[Problem], c: list[str], per_request: int = per_request, clients: int = clients) -> list[float]:
                    return server_client(port, p, c, per_request, clients)

                paths[f"server /get_reward, {per_request}/request, {clients} clients, 2 workers"] = through_server
        if not args.no_ray:
            import ray

            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)

            def stop_ray() -> None:
                from assay.executors import ray as ray_executor

                ray_executor.shutdown()
                ray.shutdown()

            closers.append(stop_ray)
            paths["verify_batch executor='ray', 2 actors"] = lambda p, c: batch(p, c, workers=2, executor="ray")

        names = list(paths)
        # one batch per (path, round), the warm-up round -1 included: no item is scored twice
        seeds = iter(range(1, 1 + len(names) * (args.repeats + 1)))
        batches = {(name, index): mixed_batch(args.n, seed=next(seeds)) for index in range(-1, args.repeats) for name in names}
        times = interleaved(names, lambda name, index: paths[name](*batches[name, index]), args.repeats)

        check_problems, check_completions = mixed_batch(args.n, seed=0)  # agreement, untimed
        baseline = serial(check_problems, check_completions)
        agreement = {}
        for name in names:
            scores = paths[name](check_problems, check_completions)
            agreement[name] = "yes" if scores == baseline else f"{sum(a != b for a, b in zip(scores, baseline))} diff"
    finally:
        for close in reversed(closers):
            close()

    print(f"{args.n} completions per batch over {len(assay.list_tasks())} tasks; Python {platform.python_version()}; "
          f"pass rate {sum(s == 1.0 for s in baseline) / len(baseline):.2f}")
    results = measurements(times, args.n, SERIAL)
    print(format_measurements(results))
    print("agrees with the baseline on a common batch: " + "; ".join(f"{name}: {agreement[name]}" for name in names))
    print(f"after:  {machine_load()}")


if __name__ == "__main__":
    main()

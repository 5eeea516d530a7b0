"""Benchmark of terminal episodes and verification, per backend, in one run.

Run: .venv/bin/python bench/terminal.py [--repeats 20] [--backends docker bwrap] [--json out.json]

Prints per backend: env ``reset`` latency (p50, p99) with the docker pool of started containers and
without it, ``step`` latency for ``echo hi`` (on docker also over the control socket against the daemon's
attach stream, interleaved), and the full verification time per task (the reference
script, tests judged outside) against a baseline measured in the same process: one plain
``docker run`` per task that restores the tree, runs the script and streams the tree out as a tar.
Goals: reset under 50 ms from the pool and step under 20 ms on docker. Repeats are interleaved
between the compared paths, every path is warmed alike, and medians are reported with the spread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import assay
from assay.envs.sources import make_source
from assay.envs.terminal import TerminalEnv
from assay.sandbox import backends, close_all
from assay.sandbox.images import DEFAULT_IMAGE
from assay.verifiers.terminal import judge, verify
from assay.verifiers.terminal.sandboxed import open_session
from assay.verifiers.terminal.tree import build_archive


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": 1000 * statistics.median(values), "p99_ms": 1000 * percentile(values, 0.99),
            "min_ms": 1000 * min(values), "max_ms": 1000 * max(values), "n": len(values)}


def episode_latency(backend: str, problem: Any, repeats: int) -> dict[str, Any]:
    """reset (pooled and not, interleaved) and step('echo hi') latencies."""
    source = make_source("terminal/log_filter", difficulty=1, check_solvable=False)
    pooled = TerminalEnv(source, backend=backend, pool=True)
    plain = TerminalEnv(source, backend=backend, pool=False)
    resets: dict[str, list[float]] = {"pool": [], "no_pool": []}
    steps: list[float] = []
    for index in range(repeats + 1):  # the first round warms both paths and is dropped
        for name, env in (("pool", pooled), ("no_pool", plain)):
            if name == "no_pool" and backend == "docker":
                close_all()  # no idle container: this reset pays a container start
            elif name == "pool" and backend == "docker":
                time.sleep(1.5)  # let the pool refill after the previous episode, as the time a model takes would
            started = time.perf_counter()
            env.reset(options={"problem": problem})
            took = time.perf_counter() - started
            for _ in range(3):
                started = time.perf_counter()
                env.episode.run("echo hi")
                if index:
                    steps.append(time.perf_counter() - started)
            env.close()
            if index:
                resets[name].append(took)
    close_all()
    return {"reset_pool": summary(resets["pool"]), "reset_no_pool": summary(resets["no_pool"]), "step_echo": summary(steps)}


def docker_step_transports(repeats: int) -> dict[str, Any]:
    """step('echo hi') in docker sessions whose agent talks over its unix control socket, against the
    former path through the daemon's attach stream (the baseline), interleaved in one process."""
    from assay.sandbox.backends import docker_sessions as docker

    shells = {}
    for name, flag in (("step_socket", True), ("step_attach_stream", False)):
        docker.CONTROL_SOCKET = flag
        close_all()  # no pooled container made the other way
        shells[name] = open_session("docker", purpose="episode")
    docker.CONTROL_SOCKET = True
    close_all()
    times: dict[str, list[float]] = {name: [] for name in shells}
    try:
        for index in range(repeats * 3 + 3):
            for name, shell in shells.items():
                started = time.perf_counter()
                shell.exec("echo hi")
                if index >= 3:  # the first rounds warm both
                    times[name].append(time.perf_counter() - started)
    finally:
        for shell in shells.values():
            shell.close()
    return {name: summary(values) for name, values in times.items()}


def docker_run_baseline(problem: Any) -> float:
    """The naive path: one `docker run` per task that restores the tree, runs the script and writes
    the final tree to stdout as a tar; the tests then judge it here. Returns seconds."""
    script = "tar -xpf - --no-same-owner -C /work 2>/dev/null; cd /work && bash -c \"$0\" >/dev/null 2>&1; tar -cf - -C /work ."
    started = time.perf_counter()
    done = subprocess.run(
        ["docker", "run", "--rm", "-i", "--network", "none", "--user", "1000:1000", "--tmpfs", "/work:uid=1000,exec",
         DEFAULT_IMAGE, "bash", "-c", script, problem.answer],
        input=build_archive(problem.data["tree"]), capture_output=True, timeout=120, check=False,
    )
    # the baseline's own command tests would need more docker runs; judge() runs them on the default backend
    verdict = judge(problem.data, done.stdout)
    took = time.perf_counter() - started
    if not verdict.passed:
        raise RuntimeError(f"baseline failed on {problem.task}: {verdict}")
    return took


def verification_times(backend: str, problems: list[Any], repeats: int, baseline: bool) -> list[dict[str, Any]]:
    rows = []
    for problem in problems:
        ours, base = [], []
        for index in range(repeats + 1):
            started = time.perf_counter()
            verdict = verify(f"```bash\n{problem.answer}\n```", problem.data, backend=backend)
            took = time.perf_counter() - started
            if not verdict.passed:
                raise RuntimeError(f"{problem.task}: reference failed on {backend}: {verdict}")
            other = docker_run_baseline(problem) if baseline else float("nan")
            if index:
                ours.append(took)
                base.append(other)
        row = {"task": problem.task, "verify_ms": 1000 * statistics.median(ours)}
        if baseline:
            row["docker_run_ms"] = 1000 * statistics.median(base)
            row["speedup"] = row["docker_run_ms"] / row["verify_ms"]
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="episodes per reset/step figure")
    parser.add_argument("--verify-repeats", type=int, default=3, help="verifications per task")
    parser.add_argument("--backends", nargs="*", default=["docker", "bwrap"])
    parser.add_argument("--tasks", nargs="*", default=None, help="terminal tasks to verify (default: all)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    usable = [b for b in args.backends if b in backends()]
    tasks = args.tasks or assay.list_tasks("terminal")
    problems = [assay.get_task(t).generate(0, difficulty=2) for t in tasks]
    episode_problem = assay.get_task("terminal/log_filter").generate(0, difficulty=1)
    report: dict[str, Any] = {}
    for backend in usable:
        latency = episode_latency(backend, episode_problem, args.repeats)
        if backend == "docker":
            latency.update(docker_step_transports(args.repeats))
        rows = verification_times(backend, problems, args.verify_repeats, baseline="docker" in backends())
        report[backend] = {"episode": latency, "verify": rows}
        print(f"== {backend}")
        for name, figures in latency.items():
            print(f"  {name:<18} p50 {figures['p50_ms']:8.1f} ms   p99 {figures['p99_ms']:8.1f} ms   "
                  f"(min {figures['min_ms']:.1f}, max {figures['max_ms']:.1f}, n={figures['n']})")
        print(f"  {'task':<34} {'verify ms':>10} {'docker run ms':>14} {'speedup':>8}")
        for row in rows:
            print(f"  {row['task']:<34} {row['verify_ms']:10.0f} {row.get('docker_run_ms', float('nan')):14.0f} "
                  f"{row.get('speedup', float('nan')):8.2f}")
        ours = statistics.median(r["verify_ms"] for r in rows)
        if "docker_run_ms" in rows[0]:
            theirs = statistics.median(r["docker_run_ms"] for r in rows)
            print(f"  median over tasks: verify {ours:.0f} ms, docker run per task {theirs:.0f} ms, ratio {theirs / ours:.2f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

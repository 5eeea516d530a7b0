"""Sandbox latency: median wall time of run_python("print(1)") per backend, against bare baselines.

Baselines run in the same process: a bare `python -I -S -c` subprocess and `docker run --rm`; the
light measurements run round-robin so they share the machine's load (docker starts run apart).
Usage: python bench/sandbox.py [--runs 200]   (prints figures and ratios; asserts nothing)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections.abc import Callable

from assay.sandbox import ExecResult, Session, backends, close_all, run_python, session
from assay.sandbox.images import DEFAULT_IMAGE
from assay.sandbox.interpreter import interpreter


def measure(actions: dict[str, tuple[Callable[[], object], int]], warmup: int = 2) -> dict[str, float]:
    """Median milliseconds per action, measured round-robin so that every figure sees the same load."""
    for action, _ in actions.values():
        for _ in range(warmup):
            action()
    times: dict[str, list[float]] = {label: [] for label in actions}
    while any(len(times[label]) < runs for label, (_, runs) in actions.items()):
        for label, (action, runs) in actions.items():
            if len(times[label]) < runs:
                started = time.perf_counter()
                action()
                times[label].append(time.perf_counter() - started)
    return {label: statistics.median(values) * 1000 for label, values in times.items()}


def checked(result: ExecResult) -> None:
    if result.status != "ok" or result.stdout != "1\n":
        raise RuntimeError(f"benchmark run failed: {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="runs per warm measurement (fresh sandboxes use a tenth)")
    args = parser.parse_args()
    warm_runs, fresh_runs = args.runs, max(5, args.runs // 10)
    python = interpreter()[0]
    available = backends()

    bare_label = "bare `python -I -S -c` subprocess"
    actions: dict[str, tuple[Callable[[], object], int]] = {
        bare_label: (lambda: subprocess.run([python, "-I", "-S", "-c", "print(1)"], capture_output=True, check=True), fresh_runs * 2),
    }
    docker_label = "`docker run --rm` python3 (baseline)"
    if "docker" in available:
        command = ["docker", "run", "--rm", "--network", "none", DEFAULT_IMAGE, "python3", "-I", "-S", "-c", "print(1)"]
        actions[docker_label] = (lambda: subprocess.run(command, capture_output=True, check=True), max(5, fresh_runs // 2))
    for name in available:
        for warm in (True, False):
            runs = warm_runs if warm else (fresh_runs if name != "docker" else max(5, fresh_runs // 2))
            label = f"run_python print(1) {name} {'warm' if warm else 'fresh'}"
            def once(name: str = name, warm: bool = warm) -> None:
                checked(run_python("print(1)", backend=name, warm=warm))

            actions[label] = (once, runs)
    shells = {name: session(name) for name in available}
    for name, shell in shells.items():
        def echo(shell: Session = shell) -> ExecResult:
            return shell.exec("echo 1")

        actions[f"session exec `echo 1` {name}"] = (echo, max(20, fresh_runs))
    # docker's own starts keep the daemon busy after they return: measured apart, so that they do not
    # slow the measurements that follow them in a round
    heavy = {label: actions.pop(label) for label in [docker_label, "run_python print(1) docker fresh"] if label in actions}
    try:
        figures = measure(actions)
        figures.update(measure(heavy))
    finally:
        for shell in shells.values():
            shell.close()
        close_all()

    bare = figures[bare_label]
    docker_run = figures.get(docker_label)
    targets = {
        "run_python print(1) bwrap warm": ("< 1x bare and < 5 ms", lambda ms: ms < bare and ms < 5),
        "run_python print(1) bwrap fresh": ("< 2x bare", lambda ms: ms < 2 * bare),
        "run_python print(1) docker warm": ("< 5 ms", lambda ms: ms < 5),
        "run_python print(1) process warm": ("< 5 ms", lambda ms: ms < 5),
        "session exec `echo 1` docker": ("< 100 ms", lambda ms: ms < 100),
    }
    rows = []
    for label, ms in figures.items():
        note = "baseline" if label in (bare_label, docker_label) else ""
        if label in targets:
            target, met = targets[label]
            note = f"target {target}: {'met' if met(ms) else 'MISSED'}"
        rows.append((label, ms, note))

    print(f"{'measurement':44} {'median ms':>10} {'x bare':>8} {'x docker run':>13}  note")
    for label, ms, note in rows:
        versus_docker = f"{ms / docker_run:13.3f}" if docker_run else f"{'-':>13}"
        print(f"{label:44} {ms:10.2f} {ms / bare:8.2f} {versus_docker}  {note}")


if __name__ == "__main__":
    main()

"""Sandbox latency: median wall time of run_python("print(1)") per backend, against bare baselines.

Baselines run in the same process: a bare `python -I -S -c` subprocess and `docker run --rm`.
Usage: python bench/sandbox.py [--runs 200]   (prints figures and ratios; asserts nothing)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections.abc import Callable

from assay.sandbox import backends, close_all, run_python, session
from assay.sandbox.bwrap import interpreter
from assay.sandbox.images import DEFAULT_IMAGE


def median_ms(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def checked(result) -> None:  # type: ignore[no-untyped-def]
    if result.status != "ok" or result.stdout != "1\n":
        raise RuntimeError(f"benchmark run failed: {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="runs per warm measurement (fresh sandboxes use a tenth)")
    args = parser.parse_args()
    warm_runs, fresh_runs = args.runs, max(5, args.runs // 10)
    python = interpreter()[0]
    available = backends()

    bare = median_ms(lambda: subprocess.run([python, "-I", "-S", "-c", "print(1)"], capture_output=True, check=True), fresh_runs * 2)
    rows: list[tuple[str, float, str]] = [("bare `python -I -S -c` subprocess", bare, "baseline")]
    docker_run = None
    if "docker" in available:
        command = ["docker", "run", "--rm", "--network", "none", DEFAULT_IMAGE, "python3", "-I", "-S", "-c", "print(1)"]
        docker_run = median_ms(lambda: subprocess.run(command, capture_output=True, check=True), max(5, fresh_runs // 2), warmup=1)
        rows.append(("`docker run --rm` python3 (baseline)", docker_run, "baseline"))

    targets = {
        ("bwrap", "warm"): ("< 1x bare and < 5 ms", lambda ms: ms < bare and ms < 5),
        ("bwrap", "fresh"): ("< 2x bare", lambda ms: ms < 2 * bare),
        ("docker", "warm"): ("< 5 ms", lambda ms: ms < 5),
        ("process", "warm"): ("< 5 ms", lambda ms: ms < 5),
    }
    for name in available:
        for warm in (True, False):
            runs = warm_runs if warm else (fresh_runs if name != "docker" else max(5, fresh_runs // 2))
            ms = median_ms(lambda name=name, warm=warm: checked(run_python("print(1)", backend=name, warm=warm)), runs)
            mode = "warm" if warm else "fresh"
            target, met = targets.get((name, mode), ("", None))
            verdict = f"target {target}: {'met' if met(ms) else 'MISSED'}" if met else ""
            rows.append((f"run_python print(1) {name} {mode}", ms, verdict))
    for name in available:
        with session(name) as shell:
            ms = median_ms(lambda: shell.exec("echo 1"), max(10, fresh_runs))
        target = "< 100 ms" if name == "docker" else ""
        verdict = f"target {target}: {'met' if ms < 100 else 'MISSED'}" if target else ""
        rows.append((f"session exec `echo 1` {name}", ms, verdict))
    close_all()

    print(f"{'measurement':44} {'median ms':>10} {'x bare':>8} {'x docker run':>13}  note")
    for label, ms, note in rows:
        versus_docker = f"{ms / docker_run:13.3f}" if docker_run else f"{'-':>13}"
        print(f"{label:44} {ms:10.2f} {ms / bare:8.2f} {versus_docker}  {note}")


if __name__ == "__main__":
    main()

"""Benchmark of terminal generation with its solvability check: milliseconds per problem, wall and CPU.

Run: .venv/bin/python bench/terminal_generate.py [--n 16] [--tasks terminal/log_filter ...] [--repeats 3]

For each task (default: every terminal family) it generates the same ``n`` problems (a fresh temporary
cache, so every check runs) three ways, interleaved per repeat: without the check (the baseline:
what generation costs without it), ``generate`` one at a time (one sandbox round trip per problem)
and ``generate_many`` (one round trip per chunk of problems), and prints
per problem the wall time, this process's CPU and the CPU of everything including the sandboxes.
That last figure comes from a cpuacct cgroup of cgroup v1 holding this process and its descendants
(root only); elsewhere it falls back to this process plus its reaped children, which misses the
sandboxes' processes. Medians over the repeats, with min and max. Run the same script with another
checkout's interpreter (``/work/main/.venv/bin/python bench/terminal_generate.py``) to time that
checkout's code: where ``generate_many`` does not exist only ``generate`` is timed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import assay
from assay.generators.terminal import _base
from assay.sandbox import close_all

CPUACCT = Path("/sys/fs/cgroup/cpuacct")


class CpuMeter:
    """CPU seconds used so far by this process and its descendants, sandboxes included where it can."""

    def __init__(self) -> None:
        self.group: Path | None = None
        if os.geteuid() == 0 and (CPUACCT / "cgroup.procs").exists():
            group = CPUACCT / f"assay-bench-{os.getpid()}"
            try:
                group.mkdir(exist_ok=True)
                (group / "cgroup.procs").write_text(str(os.getpid()))
                self.group = group
            except OSError:
                self.group = None
        self.what = "cpuacct cgroup (sandboxes included)" if self.group else "process + reaped children (sandboxes missed)"

    def total(self) -> float:
        if self.group is not None:
            return int((self.group / "cpuacct.usage").read_text()) / 1e9
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def close(self) -> None:
        if self.group is not None:
            close_all()  # the checker sessions live in the group until closed
            try:
                (CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
                self.group.rmdir()
            except OSError:
                pass


def measure(task: Any, way: str, seeds: list[int], meter: CpuMeter) -> tuple[float, float, float]:
    """(wall, own CPU, total CPU) in milliseconds per problem, from a fresh cache."""
    cache = Path(tempfile.mkdtemp(prefix="assay-bench-cache-"))
    _base._cache_dir = lambda: cache  # every check runs
    try:
        wall, own, total = time.perf_counter(), time.process_time(), meter.total()
        if way == "unchecked":
            problems = [task.generate(seed, check_solvable=False) for seed in seeds]
        else:
            problems = task.generate_many(seeds) if way == "generate_many" else [task.generate(seed) for seed in seeds]
        wall, own, total = time.perf_counter() - wall, time.process_time() - own, meter.total() - total
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    assert all(problem.meta["solvability"] in ("unchecked", {"reference": "pass", "nothing": "fail", "shallow": "fail"}) for problem in problems)
    return tuple(1000 * value / len(seeds) for value in (wall, own, total))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=16, help="problems per task and way")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--tasks", nargs="*", default=None)
    args = parser.parse_args()
    meter = CpuMeter()
    tasks = args.tasks or assay.list_tasks("terminal")
    ways = ["unchecked", "generate"] + (["generate_many"] if hasattr(_base.TerminalTask, "generate_many") else [])
    print(f"code: {Path(assay.__file__).parent.parent}; CPU: {meter.what}; load {os.getloadavg()[0]:.1f}", flush=True)
    sums: dict[str, list[float]] = {way: [0.0, 0.0, 0.0] for way in ways}
    try:
        for task_id in tasks:
            task = assay.get_task(task_id)
            task.generate(10_000, check_solvable=False)  # imports and first-use costs off the clock
            for way in ways:
                measure(task, way, [10_001, 10_002], meter)  # warms the sandbox (a session, the root file system)
            figures: dict[str, list[tuple[float, float, float]]] = {way: [] for way in ways}
            for repeat in range(args.repeats):
                for way in ways if repeat % 2 == 0 else ways[::-1]:
                    base = 1000 * (repeat + 1)  # the same problems every way (levels are drawn from the seed)
                    figures[way].append(measure(task, way, list(range(base, base + args.n)), meter))
            for way in ways:
                medians = [statistics.median(f[i] for f in figures[way]) for i in range(3)]
                spread = f"(total {min(f[2] for f in figures[way]):.1f}-{max(f[2] for f in figures[way]):.1f})"
                print(f"{task_id:34} {way:14} wall {medians[0]:7.1f}  own cpu {medians[1]:6.1f}  total cpu {medians[2]:6.1f} "
                      f"ms/problem {spread if args.repeats > 1 else ''}", flush=True)
                for i in range(3):
                    sums[way][i] += medians[i]
        for way in ways:
            mean = [value / len(tasks) for value in sums[way]]
            print(f"{'mean over tasks':34} {way:14} wall {mean[0]:7.1f}  own cpu {mean[1]:6.1f}  total cpu {mean[2]:6.1f} ms/problem")
        print(f"load {os.getloadavg()[0]:.1f}")
    finally:
        meter.close()


if __name__ == "__main__":
    main()

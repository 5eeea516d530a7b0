"""How much two busy processes slow each other on this machine: the ceiling of any 2-worker pool.

Run: .venv/bin/python bench/contention.py [--size 2048] [--repeats 5] [--domains graph,math]

A pool of 2 workers can beat the serial loop by at most 2x, and by less where two processes running
side by side each spend more CPU per item than one alone (shared caches, memory bandwidth, a
hypervisor's scheduling of virtual cores). This bench measures that directly, with no pool at all:
the serial loop of ``assay bench`` (``safe_verify`` over a mixed batch, as ``assay.benchmark``
builds it) in one process alone, then in two processes started together, in interleaved rounds,
each run on a fresh batch and after a warm-up batch. It prints the CPU microseconds per item alone
and side by side, and the speed-up two perfect workers could reach here: 2 x alone / side by side.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def child(size: int, seed: int, domains: list[str]) -> None:
    """Builds a warm-up batch and a timed one, says "ready", waits for "go", runs the timed one."""
    from assay.benchmark import mixed_batch
    from assay.registry import list_tasks
    from assay.scoring import safe_verify

    tasks = [task for task in list_tasks() if task.split("/")[0] in domains]
    warm, timed = mixed_batch(size, seed=seed, tasks=tasks), mixed_batch(size, seed=seed + 1, tasks=tasks)
    for problem, completion in zip(*warm):
        safe_verify(problem, completion)
    print("ready", flush=True)
    sys.stdin.readline()
    cpu, wall = time.process_time(), time.perf_counter()
    for problem, completion in zip(*timed):
        safe_verify(problem, completion)
    print(f"{(time.process_time() - cpu) / size * 1e6:.3f} {time.perf_counter() - wall:.4f}", flush=True)


def together(count: int, size: int, seed: int, domains: list[str]) -> list[float]:
    """CPU us per item of ``count`` loops started at the same moment (each after its own warm-up)."""
    command = [sys.executable, __file__, "--child", "--size", str(size), "--domains", ",".join(domains)]
    processes = [subprocess.Popen([*command, "--seed", str(seed + 2 * k)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True) for k in range(count)]
    try:
        for process in processes:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a loop failed to start")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            assert process.stdout is not None
            results.append(float(process.stdout.readline().split()[0]))
        return results
    finally:
        for process in processes:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--domains", default="graph,math")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    domains = [d for d in args.domains.split(",") if d]
    if args.child:
        child(args.size, args.seed, domains)
        return
    print(f"serial loop over {args.size} items ({', '.join(domains)}), alone and two side by side; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    alone: list[float] = []
    pairs: list[float] = []
    seed = args.seed
    for index in range(args.repeats):
        for kind in (("alone", "pair") if index % 2 == 0 else ("pair", "alone")):
            if kind == "alone":
                alone += together(1, args.size, seed, domains)
            else:
                pairs += together(2, args.size, seed, domains)
            seed += 10
    a, p = statistics.median(alone), statistics.median(pairs)
    print(f"CPU us per item alone:        {a:7.1f}  (range {min(alone):.1f}-{max(alone):.1f}, {len(alone)} runs)")
    print(f"CPU us per item side by side: {p:7.1f}  (range {min(pairs):.1f}-{max(pairs):.1f}, {len(pairs)} runs)")
    print(f"each of two busy processes costs {100 * (p / a - 1):+.0f}% CPU per item: two perfect workers could reach "
          f"{2 * a / p:.2f}x the serial loop here; load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

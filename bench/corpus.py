"""Corpus generation at scale: rows per second and peak resident memory of ``assay generate`` for a
mixture over every domain, at 10k, 100k and 1M rows, with 1 and 2 workers.

Run: .venv/bin/python bench/corpus.py [--sizes 10000,100000,1000000] [--workers 1,2] [--format parquet]
[--domains graph,math]

Each run is a fresh ``assay generate`` process writing into a temporary folder. Peak memory is
sampled every 0.1 s over the whole process tree (the CLI and its worker processes, summed) and the
CLI's own peak (ru_maxrss) is reported beside it. The capacity cache is warmed by one small run of
the same mixture first, so no row of the table pays for measuring task capacities; every run then
gets its own cache folder (``ASSAY_CACHE``) holding only those capacities and card samples, so no
run finds the terminal solvability checks an earlier run made (they are cached per problem, and
every run draws the same first problems). Prints figures,
asserts nothing; the goal (1M rows in at most 10 minutes under 1 GB) is printed beside them.
Beside the wall clock, the CPU seconds of the CLI and its workers (user and system, from wait4)
give rows per CPU-second, a figure the machine's load hardly moves.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
ASSAY = [sys.executable, "-m", "assay"]


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def fresh_cache(folder: Path, warm: Path) -> Path:
    """A cache folder for one run: the warm run's capacities and card samples, nothing else."""
    folder.mkdir(parents=True)
    for name in ("capacity.json", "card-samples"):
        source = warm / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.exists():
            shutil.copy2(source, folder / name)
    return folder


def run(domains: list[str], n: int, workers: int, fmt: str, out: Path, cache: Path) -> tuple[float, int, int, float, str]:
    """(seconds, peak tree RSS, peak CLI RSS, CPU seconds of the CLI and its workers, last line of
    output) of one ``assay generate`` with ``cache`` as its cache folder."""
    command = [*ASSAY, "generate", *domains, "--n", str(n), "--workers", str(workers), "--format", fmt, "--out", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "ASSAY_CACHE": str(cache)})
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime  # the CLI and the workers it waited for
    return seconds, peak, usage.ru_maxrss * 1024, cpu, output.strip().splitlines()[-1] if output.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--format", default="parquet")
    parser.add_argument("--domains", default="", help="comma-separated domains (default: every domain)")
    args = parser.parse_args()
    from assay.registry import domains

    mixture = [d for d in args.domains.split(",") if d] or domains()
    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    print(f"mixture over {'every domain' if mixture == domains() else 'the domains'}: {' '.join(mixture)}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    folder = Path(tempfile.mkdtemp(prefix="assay-bench-corpus-"))
    try:
        warm = folder / "cache-warm"
        run(mixture, min(2000, min(sizes)), 1, args.format, folder / "warm", warm)  # capacities, card samples, page cache: untimed
        print(f"{'rows':>9} {'workers':>7} {'seconds':>8} {'rows/s':>8} {'peak MB (tree)':>14} {'peak MB (CLI)':>13} {'CPU s':>7} {'rows/CPU-s':>10}  goal")
        for n in sizes:
            for workers in worker_counts:
                try:
                    cache = fresh_cache(folder / f"cache-{n}-{workers}", warm)
                    seconds, peak, cli, cpu, _ = run(mixture, n, workers, args.format, folder / f"{n}-{workers}", cache)
                except RuntimeError as error:  # a failed size is a row of the table, not the end of it
                    print(f"{n:>9} {workers:>7} failed: {str(error).strip().splitlines()[-1]}", flush=True)
                    continue
                finally:
                    shutil.rmtree(folder / f"{n}-{workers}", ignore_errors=True)
                    shutil.rmtree(folder / f"cache-{n}-{workers}", ignore_errors=True)
                goal = ""
                if n >= 1_000_000:
                    goal = "met" if seconds <= 600 and peak < 1 << 30 else "missed (1M rows: <= 600 s, < 1 GB)"
                print(f"{n:>9} {workers:>7} {seconds:>8.1f} {n / seconds:>8.0f} {peak / 2**20:>14.0f} {cli / 2**20:>13.0f} {cpu:>7.1f} {n / cpu:>10.0f}  {goal}",
                      flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end; this process's own peak: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

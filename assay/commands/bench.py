"""``assay bench``: verify_batch throughput against a plain in-process loop on this machine.

Every path is warmed alike and timed in interleaved rounds on fresh items (assay.benchmark);
the machine's load is printed before and after the figures.
"""

from __future__ import annotations

import argparse
import os

from assay.benchmark import (
    format_measurements,
    machine_load,
    run_verify_batch_benchmark,
)
from assay.registry import resolve_tasks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure verify_batch throughput against a serial loop")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: every task)")
    parser.add_argument("--size", type=int, default=1024, help="completions per batch (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved timed rounds per path (default %(default)s)")
    parser.add_argument("--per-problem", type=int, default=1, metavar="K",
                        help="completions of each problem side by side, as GRPO sends them (default %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tasks = resolve_tasks(args.selectors) if args.selectors else None
    counts = sorted({1, 2, os.cpu_count() or 1})
    print(f"before: {machine_load()}")
    table = format_measurements(run_verify_batch_benchmark(args.size, counts, tasks, repeats=max(1, args.repeats),
                                                                 per_problem=max(1, args.per_problem)))
    print(table)
    print(f"after:  {machine_load()}")
    return 0

"""``assay bench``: verify_batch throughput against a plain in-process loop on this machine."""

from __future__ import annotations

import argparse
import os

from assay.benchmark import format_measurements, run_verify_batch_benchmark
from assay.errors import ConfigError
from assay.registry import resolve_tasks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure verify_batch throughput against a serial loop")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: every task)")
    parser.add_argument("--size", type=int, default=2048, help="completions in the batch (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each path, interleaved (default %(default)s)")
    parser.add_argument("--per-problem", type=int, default=1, metavar="K",
                        help="completions of each problem, side by side, as GRPO sends them (default %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tasks = resolve_tasks(args.selectors) if args.selectors else None
    counts = sorted({1, 2, os.cpu_count() or 1})
    for name in ("size", "repeats", "per_problem"):
        if getattr(args, name) < 1:
            raise ConfigError(name.replace("_", "-"), "must be a positive integer", getattr(args, name))
    print(format_measurements(run_verify_batch_benchmark(args.size, counts, tasks, args.repeats, args.per_problem)))
    return 0

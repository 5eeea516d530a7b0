"""``assay bench``: verify_batch throughput against a plain in-process loop on this machine."""

from __future__ import annotations

import argparse
import os

from assay.benchmark import format_measurements, run_verify_batch_benchmark
from assay.registry import resolve_tasks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure verify_batch throughput against a serial loop")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: every task)")
    parser.add_argument("--size", type=int, default=2048, help="completions in the batch (default %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tasks = resolve_tasks(args.selectors) if args.selectors else None
    counts = sorted({1, 2, os.cpu_count() or 1})
    print(format_measurements(run_verify_batch_benchmark(args.size, counts, tasks)))
    return 0

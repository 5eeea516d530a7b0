"""``assay audit [DOMAIN|TASK ...]``: false positives and negatives of every verifier, per task."""

from __future__ import annotations

import argparse
import sys

from assay.audit import DEFAULT_SEEDS, audit, format_table


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="run reference, degenerate and probe answers through every verifier",
        description="Exit status 1 when any task has a false positive, a false negative or a verifier error.")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: all)")
    parser.add_argument("--seeds", type=int, default=len(DEFAULT_SEEDS), help="seeds per difficulty level (default %(default)s)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--show", type=int, default=20, help="findings to print in full (default %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.seeds < 1:
        print("assay audit: error: --seeds must be at least 1", file=sys.stderr)
        return 2
    results = audit(args.selectors or None, seeds=range(args.seeds), workers=args.workers)
    print(format_table(results))
    findings = [f for r in results for f in (*r.false_positives, *r.false_negatives, *r.errors)]
    for finding in findings[: args.show]:
        print("  " + finding.describe())
    if len(findings) > args.show:
        print(f"  ... and {len(findings) - args.show} more")
    return 1 if findings else 0

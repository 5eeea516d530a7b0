"""``assay probes --out FILE``: the audit probe corpus (problem, completion, expected verdict,
category, task) as parquet or jsonl, to run inside another test suite."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("probes", help="write the audit probe corpus to a parquet or jsonl file",
                                   description="One row per probe: task, problem (the Assay row as JSON), prompt, gold, "
                                               "completion, expected (pass or fail), max_score, category and why.")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: all)")
    parser.add_argument("--out", required=True, metavar="FILE", help="a .parquet or .jsonl path")
    parser.add_argument("--seeds", type=int, default=1, help="seeds per difficulty level")
    parser.add_argument("--difficulty", type=int, nargs="+", default=None, metavar="LEVEL", help="only these levels (default: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assay.reward_audit import probe_cases
    from assay.reward_audit.export import write_probes

    cases = probe_cases(args.selectors or None, seeds=range(max(1, args.seeds)), difficulties=args.difficulty)
    count = write_probes(args.out, cases)
    print(f"wrote {count} probes to {args.out}")
    return 0

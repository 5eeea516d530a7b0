"""``assay audit [DOMAIN|TASK ...]``: false positives and negatives of every verifier, per task;
with ``--reward REF``, of a user's own reward function or server; with ``--dataset FILE``, the gold
answers of a user's dataset that Assay's verifier cannot parse or verify.
"""

from __future__ import annotations

import argparse
import os
import sys

from assay.audit import DEFAULT_SEEDS, audit, format_table


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="run reference, degenerate and probe answers through every verifier, or through your own reward",
        description="Without --reward or --dataset: Assay's verifiers; exit status 1 when any task has a false positive, "
                    "a false negative or a verifier error.\n"
                    "--reward REF: your reward (module:function, path/file.py:function, http://host:port/get_reward, "
                    "math-verify or assay) on every probe, beside Assay's verifier; exit status 1 on any false positive.\n"
                    "--dataset FILE --gold-column C: the gold answers Assay's verifier cannot parse or verify against "
                    "themselves; exit status 1 when there is one.")
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: all)")
    parser.add_argument("--seeds", type=int, default=None,
                        help=f"seeds per difficulty level (default {len(DEFAULT_SEEDS)}; 1 with --reward)")
    parser.add_argument("--difficulty", type=int, nargs="+", default=None, metavar="LEVEL", help="only these levels (default: all)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--show", type=int, default=20, help="findings to print in full (default %(default)s)")
    reward = parser.add_argument_group("auditing your own reward")
    reward.add_argument("--reward", metavar="REF", help="module:function, path/file.py:function, http://..., math-verify or assay")
    reward.add_argument("--convention", choices=("plain", "trl", "verl", "openrlhf"), default=None,
                        help="how to call the function (default: read from its parameter names)")
    reward.add_argument("--pass-threshold", type=float, default=1.0, help="a reward at or above this is a pass")
    reward.add_argument("--label", choices=("answer", "row"), default="answer",
                        help="the gold the reward receives: the answer text, or the problem's row as JSON (Assay's adapters, assay serve)")
    reward.add_argument("--timeout", type=float, default=10.0, help="seconds per reward call before the worker is killed")
    reward.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a reward worker (0: none)")
    reward.add_argument("--batch-size", type=int, default=16, help="items per call for batched conventions (trl, openrlhf, http)")
    reward.add_argument("--out", metavar="DIR", help="write report.md, findings.jsonl and a plot per domain here")
    data = parser.add_argument_group("auditing a dataset's gold answers")
    data.add_argument("--dataset", metavar="FILE", help="a .parquet or .jsonl file, or a save_to_disk folder")
    data.add_argument("--gold-column", metavar="C", help="the column holding the gold answer (a.b reaches into a nested one)")
    data.add_argument("--task-column", metavar="T", help="a column holding Assay task ids (their domain picks the verifier)")
    data.add_argument("--domain", help="the verifier's domain for every row (default: the task's, else math)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.seeds is not None and args.seeds < 1:
        print("assay audit: error: --seeds must be at least 1", file=sys.stderr)
        return 2
    if args.dataset:
        return _dataset(args)
    if args.reward:
        return _reward(args)
    seeds = range(args.seeds or len(DEFAULT_SEEDS))
    results = audit(args.selectors or None, seeds=seeds, difficulties=args.difficulty, workers=args.workers)
    print(format_table(results))
    findings = [f for r in results for f in (*r.false_positives, *r.false_negatives, *r.errors)]
    for finding in findings[: args.show]:
        print("  " + finding.describe())
    if len(findings) > args.show:
        print(f"  ... and {len(findings) - args.show} more")
    return 1 if findings else 0


def _reward(args: argparse.Namespace) -> int:
    from assay.progress import progress_bar, stderr_is_terminal
    from assay.reward_audit import audit_reward, parse_reward, probe_cases
    from assay.reward_audit.report import describe, format_table, worst, write_report

    if args.timeout <= 0 or args.batch_size < 1 or args.memory_mb < 0:
        print("assay audit: error: --timeout must be positive, --batch-size at least 1, --memory-mb at least 0", file=sys.stderr)
        return 2
    spec = parse_reward(args.reward, args.convention)
    cases = probe_cases(args.selectors or None, seeds=range(args.seeds or 1), difficulties=args.difficulty)
    workers = args.workers or min(4, os.cpu_count() or 1)
    with progress_bar(len(cases), f"auditing {args.reward}", stderr_is_terminal()) as bar:
        result = audit_reward(spec, cases, threshold=args.pass_threshold, label=args.label, workers=workers,
                              timeout_s=args.timeout, memory_mb=args.memory_mb, batch_size=args.batch_size,
                              assay_workers=args.workers, progress=bar.update)
    print(format_table(result))
    for finding in worst(result, args.show):
        print(describe(finding))
    if args.out:
        written = write_report(result, args.out, show=args.show)
        print(f"wrote {', '.join(str(p) for p in written)}")
    paid = len(result.false_positives)
    failed = f"; {result.count('error')} errors and {result.count('timeout')} timeouts of the reward"
    print((f"{paid} false positives: wrong answers paid" if paid else "no false positive")
          + (failed if result.count("error") or result.count("timeout") else ""))
    return 1 if paid else 0


def _dataset(args: argparse.Namespace) -> int:
    from assay.reward_audit.dataset import audit_dataset

    if not args.gold_column:
        print("assay audit: error: --dataset needs --gold-column", file=sys.stderr)
        return 2
    result = audit_dataset(args.dataset, args.gold_column, task_column=args.task_column, domain=args.domain)
    print(result.format(args.show))
    return 1 if result.findings else 0

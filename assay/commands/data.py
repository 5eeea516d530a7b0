"""``assay generate`` (write a corpus) and ``assay verify`` (score a completions file against one).

Thin over ``assay.datasets`` and ``assay.completions``; user-fixable errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assay.errors import ConfigError, DatasetError

SUITE_EXAMPLE = """\
a suite file (--mix):
  n: 10000                 # --n, --seed, --test-size and --format override these
  seed: 0
  test_size: 0.1
  format: parquet          # parquet | jsonl | hf | verl
  tasks:
    - {task: math/arithmetic, weight: 2, difficulty: 3}
    - {task: math/arithmetic, weight: 1, difficulty: [4, 5], config: {operands: 12}}
    - graph                # a domain: weight 1, shared by its tasks

output: DIR/train.* and test.*, manifest.json, README.md (a data card), cards/
(`assay eval VERDICTS --card DIR` adds pass@k, its table and curves, to the card)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    generate = subparsers.add_parser(
        "generate", help="write a train/test corpus of one task, several, or a weighted mixture",
        description="Generate a deterministic corpus. TASK is a task id or a domain (all its tasks);\n"
                    "several tasks share --n equally; --mix FILE.yaml reads a weighted suite.",
        epilog=SUITE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    generate.add_argument("tasks", nargs="*", metavar="TASK", help="task ids or domains (see `assay list`)")
    generate.add_argument("--mix", metavar="FILE.yaml", help="a suite file: tasks with weights, difficulty and config")
    generate.add_argument("--n", type=int, help="number of problems in all (default 1000, or the suite's)")
    generate.add_argument("--seed", type=int, help="corpus seed (default 0)")
    generate.add_argument("--difficulty", help="the level of every task: 3, a range 1-3 or a list 1,2,5 (drawn per "
                                               "problem); default: all the task's levels, drawn per problem")
    generate.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                          help="override a config setting of every task (repeatable; values are YAML scalars)")
    generate.add_argument("--test-size", type=float,
                          help="fraction held out as the test split, shared by the tasks by their counts (default 0.1)")
    generate.add_argument("--format", choices=("parquet", "jsonl", "hf", "verl"), help="output format (default parquet)")
    generate.add_argument("--out", required=True, metavar="DIR", help="output folder (created; a previous corpus there is replaced)")
    generate.add_argument("--workers", type=int,
                          help="generation worker processes (default: CPU count up to 8; under 400 problems: inline)")
    generate.add_argument("--executor", choices=("process", "inline", "ray"), default="process",
                          help="where problems are generated; the output is the same for every choice")
    generate.add_argument("--strict", action="store_true",
                          help="fail when a task of a mixture cannot yield its share, instead of giving the rest to the others")
    generate.set_defaults(run=run_generate)

    verify = subparsers.add_parser(
        "verify", help="score a completions jsonl against a dataset; write one verdict per line",
        description="Score COMPLETIONS (jsonl of {\"id\", \"completion\", ...}; several lines per id allowed) against "
                    "DATASET (a folder written by `assay generate`, or a parquet/jsonl file of rows). Exit status 1 "
                    "when a line has an unknown id, is malformed, or has a non-string completion.",
    )
    verify.add_argument("dataset", metavar="DATASET")
    verify.add_argument("completions", metavar="COMPLETIONS")
    verify.add_argument("--out", required=True, metavar="VERDICTS.jsonl")
    verify.add_argument("--workers", type=int, help="verifier worker processes (default: CPU count)")
    verify.add_argument("--timeout", type=float, metavar="S", help="per-item time limit (default: each task's own)")
    verify.add_argument("--executor", choices=("process", "inline", "ray"), default="process")
    verify.set_defaults(run=run_verify)


def parse_settings(settings: list[str]) -> dict[str, Any]:
    """``["a=1", "b=true"]`` -> ``{"a": 1, "b": True}`` (values parsed as YAML scalars).

    >>> parse_settings(["operands=4", "fractions=true", "name=x"])
    {'operands': 4, 'fractions': True, 'name': 'x'}
    """
    import yaml

    config: dict[str, Any] = {}
    for setting in settings:
        key, sep, text = setting.partition("=")
        if not sep or not key.strip():
            raise ConfigError("--set", "must look like KEY=VALUE", setting)
        try:
            value = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            value = text
        if isinstance(value, (dict, list)):
            raise ConfigError(f"--set {key}", "takes a single value (number, true/false or text)", text)
        config[key.strip()] = value
    return config


def run_generate(args: argparse.Namespace) -> int:
    from assay.datasets import generate_corpus, load_suite
    from assay.progress import stderr_is_terminal
    from assay.suite import Suite, parse_difficulty

    if args.mix and args.tasks:
        raise ConfigError("--mix", "give either task ids or a suite file, not both")
    if not args.mix and not args.tasks:
        raise ConfigError("TASK", "name at least one task or domain (see `assay list`), or give --mix FILE.yaml")
    config = parse_settings(args.settings)
    if args.mix:
        if args.difficulty is not None or config:
            raise ConfigError("--mix", "set difficulty and config per task in the suite file, not with --difficulty/--set")
        suite = load_suite(args.mix).with_settings(n=args.n, seed=args.seed, test_size=args.test_size, format=args.format)
    else:
        suite = Suite.of(
            args.tasks, n=1000 if args.n is None else args.n, seed=0 if args.seed is None else args.seed,
            difficulty=None if args.difficulty is None else parse_difficulty(args.difficulty), config=config, test_size=0.1 if args.test_size is None else args.test_size,
            format=args.format or "parquet",
        )
    terminal = stderr_is_terminal()
    # streamed to disk as it is made: memory stays bounded whatever --n
    corpus = generate_corpus(suite, args.out, workers=args.workers, executor=args.executor, progress=terminal,
                             strict=args.strict)
    for notice in corpus.notices:
        print(f"notice: mixture rebalanced: {notice}", file=sys.stderr)
    counts = ", ".join(f"{split} {count}" for split, count in corpus.counts.items())
    skipped = sum(report.duplicates for report in corpus.reports)
    note = f"; skipped {skipped} duplicate draws" if skipped else ""
    print(f"wrote {len(corpus)} problems ({counts}) from {len(corpus.reports)} task entries to {Path(args.out)} as {suite.format}{note}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from assay.completions import (
        INPUT_ERRORS,
        format_summary,
        read_completions,
        score_completions,
        summarize,
        write_records,
    )
    from assay.datasets import read_problems
    from assay.progress import stderr_is_terminal

    problems = read_problems(args.dataset)
    lines = read_completions(args.completions)
    if not lines:
        raise DatasetError(f"{args.completions} holds no completion lines: nothing to score "
                           '(expected one {"id": ..., "completion": ...} object per line)')
    records = score_completions(problems, lines, workers=args.workers, timeout_s=args.timeout,
                                executor=args.executor, progress=stderr_is_terminal())
    write_records(args.out, records)
    bad = [record for record in records if record["reason"] in INPUT_ERRORS]
    for record in bad[:20]:
        print(f"assay verify: warning: {args.completions} line {record['line']}: {record['reason']}: "
              f"{record['detail'].get('message', '')}", file=sys.stderr)
    if len(bad) > 20:
        print(f"assay verify: warning: ... and {len(bad) - 20} more lines that could not be scored", file=sys.stderr)
    print(format_summary(summarize(records)))
    print(f"wrote {len(records)} verdicts to {args.out}")
    return 1 if bad else 0

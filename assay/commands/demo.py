"""``assay demo``: the main job end to end on the embedded defaults: generate a mixed corpus over
every registered task, write and re-read it, score reference and corrupted answers, summarise.

Exit status 1 when a reference answer fails or a corrupted answer is paid.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from assay.audit import probes_for
from assay.corpus import build_corpus
from assay.datasets import read_corpus, write_corpus
from assay.progress import progress_bar, stderr_is_terminal
from assay.registry import list_tasks, resolve_tasks, wrap
from assay.scoring import verify_batch
from assay.types import Problem, Verdict

PER_TASK = 6
REASONING = "Let me work through this step by step.\nFirst, restate the question; then compute carefully.\n"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="generate a mixed corpus, score reference and corrupted answers, print a summary",
        description=__doc__)
    parser.add_argument("selectors", nargs="*", metavar="DOMAIN|TASK", help="tasks or domains (default: every task)")
    parser.add_argument("--per-task", type=int, default=PER_TASK, help="problems per task (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None,
                        help="keep the corpus in this folder (default: a temporary folder, removed at the end)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.set_defaults(run=run)


def corruptions(problem: Problem) -> list[str]:
    """Known-wrong completions for a problem: the task's failing probes, one picked per problem,
    plus an empty and a hedged completion."""
    wrong = [probe.completion for probe in probes_for(problem) if not probe.expect_pass]
    pick = random.Random(problem.id).choice(wrong)
    return [pick, "", REASONING + "I am not sure, it could be several things."]


def run(args: argparse.Namespace) -> int:
    if args.per_task < 1:
        raise SystemExit("assay demo: error: --per-task must be at least 1")
    tasks = resolve_tasks(args.selectors) if args.selectors else list_tasks()
    if args.out is not None:
        return _run(args, tasks, args.out)
    scratch = Path(tempfile.mkdtemp(prefix="assay-demo-"))
    try:
        return _run(args, tasks, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(args: argparse.Namespace, tasks: list[str], out: Path) -> int:
    show = stderr_is_terminal()

    start = time.perf_counter()
    corpus = build_corpus(tasks, n=args.per_task * len(tasks), seed=args.seed, test_size=0.2, workers=args.workers, progress=show)
    write_corpus(corpus, out, "parquet", cards=False)
    problems = [p for split in read_corpus(out).values() for p in split]
    generated = time.perf_counter() - start
    where = f" -> {out}" if args.out is not None else ""
    print(f"generated {len(problems)} problems over {len(tasks)} tasks in {generated:.1f} s{where}")

    references = [(p, REASONING + wrap(p.answer).split("\n", 1)[1]) for p in problems]
    corrupted = [(p, c) for p in problems for c in corruptions(p)]
    start = time.perf_counter()
    reference_verdicts = _score(references, args.workers, show, "references")
    corrupted_verdicts = _score(corrupted, args.workers, show, "corrupted")
    elapsed = time.perf_counter() - start
    count = len(references) + len(corrupted)
    print(f"scored {count} completions in {elapsed:.1f} s ({count / max(elapsed, 1e-9):.0f} verdicts/s)\n")

    rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    failures: list[str] = []
    for (problem, completion), verdict in zip(references, reference_verdicts):
        row = rows[problem.task.split("/")[0]]
        row["problems"] += 1
        row["reference_pass"] += verdict.passed
        if not verdict.passed:
            failures.append(f"reference refused: {problem.task} {problem.id}: {verdict.reason} {verdict.detail.get('message', '')}")
    for (problem, completion), verdict in zip(corrupted, corrupted_verdicts):
        row = rows[problem.task.split("/")[0]]
        row["corrupted"] += 1
        row["corrupted_paid"] += verdict.score > 0
        row["corrupted_score"] += verdict.score
        if verdict.passed:
            failures.append(f"corrupted answer paid: {problem.task} {problem.id}: {completion[:120]!r}")
    print(f"{'domain':<10} {'problems':>8} {'reference pass':>15} {'corrupted':>9} {'corrupted paid':>15} {'mean corrupted score':>21}")
    for domain in sorted(rows):
        r = rows[domain]
        print(f"{domain:<10} {int(r['problems']):>8} {r['reference_pass'] / r['problems']:>15.1%} {int(r['corrupted']):>9} "
              f"{r['corrupted_paid'] / r['corrupted']:>15.1%} {r['corrupted_score'] / r['corrupted']:>21.3f}")
    for line in failures[:20]:
        print("  " + line)
    print("\nOK: every reference answer passed and no corrupted answer was paid." if not failures
          else f"\nFAILED: {len(failures)} wrong verdicts.")
    return 1 if failures else 0


def _score(items: list[tuple[Problem, str]], workers: int | None, show: bool, label: str) -> list[Verdict]:
    verdicts: list[Verdict] = []
    step = max(1, len(items) // 20)
    with progress_bar(len(items), f"scoring {label}", show) as bar:
        for start in range(0, len(items), step):
            chunk = items[start : start + step]
            verdicts.extend(verify_batch([p for p, _ in chunk], [c for _, c in chunk], workers=workers))
            bar.update(len(chunk))
    return verdicts

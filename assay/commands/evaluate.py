"""``assay eval``: unbiased pass@k per task and difficulty from a verdicts file of n samples per problem.

Measures the reasoning boundary (pass@k at large k) as well as pass@1, from ``assay verify`` output.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import ConfigError, DatasetError

# Lines that scored no completion (bad input rather than a model's answer) are left out.
SKIPPED_REASONS = ("unknown_id", "malformed_input", "invalid_completion")


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimator of pass@k from ``n`` samples of which ``c`` passed (Chen et al. 2021):
    ``1 - C(n-c, k) / C(n, k)``, computed as a stable product.

    >>> pass_at_k(10, 0, 5), pass_at_k(10, 10, 1), pass_at_k(4, 1, 1), pass_at_k(4, 1, 4)
    (0.0, 1.0, 0.25, 1.0)
    >>> round(pass_at_k(5, 2, 2), 4)  # 1 - C(3,2)/C(5,2) = 1 - 3/10
    0.7
    """
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


@dataclass
class GroupResult:
    """pass@k of one group of problems (a task, a task at one difficulty, or everything)."""

    task: str
    difficulty: int | str | None
    group: str | None
    problems: int
    samples: int
    mean_score: float
    pass_at: dict[int, float | None] = field(default_factory=dict)  # None: no problem has k samples
    counted: dict[int, int] = field(default_factory=dict)  # problems with at least k samples

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["pass_at"] = {str(k): v for k, v in self.pass_at.items()}
        out["counted"] = {str(k): v for k, v in self.counted.items()}
        return out


def default_ks(max_n: int) -> list[int]:
    """1, 2, 4, ... up to ``max_n``, and ``max_n`` itself.

    >>> default_ks(10)
    [1, 2, 4, 8, 10]
    """
    ks = [1]
    while ks[-1] * 2 <= max_n:
        ks.append(ks[-1] * 2)
    if max_n > ks[-1]:
        ks.append(max_n)
    return ks


def evaluate(
    records: Iterable[Mapping[str, Any]],
    ks: Sequence[int] | None = None,
    *,
    by: str | None = None,
    skipped: dict[str, int] | None = None,
) -> list[GroupResult]:
    """pass@k per task, per (task, difficulty) and over all tasks from verdict records.

    Records (``assay verify`` lines) need ``id``, ``task``, ``passed`` and ``score``;
    ``difficulty`` when known. Samples are grouped per problem id (and per ``by`` field, e.g. a
    model name, when given); pass@k of a group is the mean over its problems with at least k
    samples. Lines with no task or a bad-input reason are skipped, and counted per reason in
    ``skipped`` when a dict is given.

    >>> recs = [{"id": "a", "task": "t", "difficulty": 1, "passed": p, "score": float(p)} for p in (True, False)]
    >>> [(r.task, r.difficulty, r.pass_at) for r in evaluate(recs, [1, 2])]
    [('t', 1, {1: 0.5, 2: 1.0}), ('t', None, {1: 0.5, 2: 1.0}), ('all', None, {1: 0.5, 2: 1.0})]
    """
    per_problem: dict[tuple[Any, str, str], dict[str, Any]] = {}
    for number, record in enumerate(records, 1):
        if not isinstance(record, Mapping):
            raise DatasetError(f"verdict record {number} is not a JSON object")
        if record.get("task") is None or record.get("reason") in SKIPPED_REASONS:
            if skipped is not None:
                why = str(record.get("reason") or "no_task")
                skipped[why] = skipped.get(why, 0) + 1
            continue
        if "passed" not in record or record.get("id") is None:
            raise DatasetError(f"verdict record {number} lacks 'id' or 'passed'")
        group = str(record.get(by)) if by else None
        key = (group, str(record["task"]), str(record["id"]))
        entry = per_problem.setdefault(key, {"n": 0, "c": 0, "score": 0.0, "difficulty": record.get("difficulty")})
        entry["n"] += 1
        entry["c"] += bool(record["passed"])
        entry["score"] += float(record.get("score", float(bool(record["passed"]))))
    if not per_problem:
        return []
    if ks is None:
        ks = default_ks(max(e["n"] for e in per_problem.values()))
    if any(k < 1 for k in ks):
        raise ConfigError("k", "every k must be at least 1", list(ks))
    ks = sorted(set(ks))

    def summarise(task: str, difficulty: Any, group: str | None, entries: list[dict[str, Any]]) -> GroupResult:
        samples = sum(e["n"] for e in entries)
        result = GroupResult(task, difficulty, group, len(entries), samples, sum(e["score"] for e in entries) / samples)
        for k in ks:
            eligible = [e for e in entries if e["n"] >= k]
            result.counted[k] = len(eligible)
            result.pass_at[k] = sum(pass_at_k(e["n"], e["c"], k) for e in eligible) / len(eligible) if eligible else None
        return result

    results: list[GroupResult] = []
    groups = sorted({key[0] for key in per_problem}, key=lambda g: (g is None, str(g)))
    for group in groups:
        in_group = {key: e for key, e in per_problem.items() if key[0] == group}
        for task in sorted({key[1] for key in in_group}):
            entries = [e for key, e in in_group.items() if key[1] == task]
            levels = sorted({e["difficulty"] for e in entries}, key=lambda d: (d is None, str(d) if not isinstance(d, int) else f"{d:09d}"))
            if levels != [None]:
                for level in levels:
                    results.append(summarise(task, level, group, [e for e in entries if e["difficulty"] == level]))
            results.append(summarise(task, None, group, entries))
        results.append(summarise("all", None, group, list(in_group.values())))
    return results


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of a verdicts jsonl file."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"no verdicts file at {path}")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except ValueError as error:
                    raise DatasetError(f"{path} line {number} is not valid JSON: {error}") from None
    return records


def format_table(results: Sequence[GroupResult]) -> str:
    """The results as a plain-text table."""
    ks = sorted({k for r in results for k in r.pass_at})
    grouped = any(r.group is not None for r in results)
    header = (["group"] if grouped else []) + ["task", "difficulty", "problems", "samples", "mean score"] + [f"pass@{k}" for k in ks]
    rows = [header]
    for r in results:
        cells = ([str(r.group)] if grouped else []) + [
            r.task, "all" if r.difficulty is None else str(r.difficulty), str(r.problems), str(r.samples), f"{r.mean_score:.3f}",
        ]
        cells += ["-" if r.pass_at[k] is None else f"{r.pass_at[k]:.3f}" for k in ks]
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval", help="unbiased pass@k per task and difficulty from a verdicts file",
        description="Read VERDICTS.jsonl (written by `assay verify`, n completions per problem id) and print "
                    "unbiased pass@k per task, per task and difficulty, and over all tasks.",
    )
    parser.add_argument("verdicts", metavar="VERDICTS.jsonl")
    parser.add_argument("-k", "--k", dest="ks", nargs="+", default=None, metavar="K",
                        help="k values, space- or comma-separated: --k 1 8 or -k 1,8 (default 1, 2, 4, ... up to n)")
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 1) when any line was skipped as unscorable (unknown id, malformed, not a string)")
    parser.add_argument("--plot", default=None, metavar="DIR",
                        help="also draw pass@k curves per task and per difficulty as PNG files in DIR")
    parser.add_argument("--card", default=None, metavar="CORPUS_DIR",
                        help="also add the pass@k table and curves to the data card (README.md) of the corpus in "
                             "CORPUS_DIR, written by `assay generate`; the PNGs go to CORPUS_DIR/pass_at_k/")
    parser.add_argument("--by", default=None, metavar="FIELD", help="also split by this record field (e.g. model)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--out", default=None, metavar="FILE.json", help="also write the results as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ks = parse_ks(args.ks) if args.ks else None
    records = read_records(args.verdicts)
    skipped: dict[str, int] = {}
    results = evaluate(records, ks, by=args.by, skipped=skipped)
    if skipped:
        detail = ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
        print(f"assay eval: warning: skipped {sum(skipped.values())} of {len(records)} lines that scored no "
              f"completion ({detail}); pass@k is over the rest", file=sys.stderr)
    if not results:
        print(f"assay eval: error: {args.verdicts} holds no scored verdicts", file=sys.stderr)
        return 1
    payload = [r.to_dict() for r in results]
    if args.out:
        Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(payload, indent=2) if args.json else format_table(results))
    if args.plot:
        for path in plot_pass_at_k(results, args.plot):
            print(f"wrote {path}")
    if args.card:
        for path in add_to_corpus_card(args.card, results, source=Path(args.verdicts).name):
            print(f"wrote {path}")
    if skipped and args.strict:
        print("assay eval: error: --strict and some lines were skipped", file=sys.stderr)
        return 1
    return 0


def parse_ks(values: Sequence[str]) -> list[int]:
    """k values as the command line gives them: ``["1", "8"]``, ``["1,8"]`` or a mix.

    >>> parse_ks(["1", "8"]), parse_ks(["1,8"]), parse_ks(["1,2", "16"])
    ([1, 8], [1, 8], [1, 2, 16])
    """
    ks: list[int] = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                ks.append(int(part))
            except ValueError:
                raise ConfigError("-k", "must be integers, space- or comma-separated", " ".join(values)) from None
    if not ks:
        raise ConfigError("-k", "needs at least one integer", " ".join(values))
    return ks


def plot_pass_at_k(results: Sequence[GroupResult], folder: str | Path) -> list[Path]:
    """pass@k curves: ``pass_at_k_tasks.png`` (one curve per task, and all tasks) and one
    ``pass_at_k_<task>.png`` per task with a curve per difficulty. Returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def draw(curves: list[tuple[str, GroupResult]], title: str, path: Path) -> None:
        figure, axes = plt.subplots(figsize=(7, 4.5))
        for label, result in curves:
            points = [(k, v) for k, v in sorted(result.pass_at.items()) if v is not None]
            if points:
                axes.plot([k for k, _ in points], [v for _, v in points], marker="o", label=label)
        axes.set_xscale("log", base=2)
        axes.set_xlabel("k (samples per problem)")
        axes.set_ylabel("pass@k")
        axes.set_ylim(0, 1.02)
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize=7, loc="lower right")
        figure.tight_layout()
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)

    overall = [(r.task if r.group is None else f"{r.group}: {r.task}", r) for r in results if r.difficulty is None]
    draw(overall, "pass@k per task", folder / "pass_at_k_tasks.png")
    for task in sorted({r.task for r in results if r.task != "all"}):
        levels = [(f"difficulty {r.difficulty}" if r.group is None else f"{r.group}: difficulty {r.difficulty}", r)
                  for r in results if r.task == task and r.difficulty is not None]
        if levels:
            name = task.replace("/", "_")
            draw(levels, f"pass@k of {task} per difficulty", folder / f"pass_at_k_{name}.png")
    return written


CARD_START = "<!-- pass@k:start -->"
CARD_END = "<!-- pass@k:end -->"


def markdown_table(results: Sequence[GroupResult]) -> str:
    """The results as a markdown table (``format_table``'s columns).

    >>> recs = [{"id": "a", "task": "t", "passed": p, "score": float(p)} for p in (True, False)]
    >>> print(markdown_table(evaluate(recs, [1, 2])))
    | task | difficulty | problems | samples | mean score | pass@1 | pass@2 |
    |---|---|---:|---:|---:|---:|---:|
    | `t` | all | 1 | 2 | 0.500 | 0.500 | 1.000 |
    | `all` | all | 1 | 2 | 0.500 | 0.500 | 1.000 |
    """
    ks = sorted({k for r in results for k in r.pass_at})
    grouped = any(r.group is not None for r in results)
    header = (["group"] if grouped else []) + ["task", "difficulty", "problems", "samples", "mean score"]
    header += [f"pass@{k}" for k in ks]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * (int(grouped) + 2) + "---:|" * (3 + len(ks))]
    for r in results:
        cells = ([str(r.group)] if grouped else []) + [
            f"`{r.task}`", "all" if r.difficulty is None else str(r.difficulty), str(r.problems), str(r.samples),
            f"{r.mean_score:.3f}",
        ]
        cells += ["-" if r.pass_at[k] is None else f"{r.pass_at[k]:.3f}" for k in ks]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def add_to_corpus_card(folder: str | Path, results: Sequence[GroupResult], *, source: str = "") -> list[Path]:
    """Add the pass@k of ``results`` to the data card of the corpus in ``folder`` (its README.md,
    written by ``assay generate``): the curves as PNGs in ``folder/pass_at_k/`` (``plot_pass_at_k``),
    linked from the card, and the table. A second call replaces the section and the plots; a
    regenerated corpus has neither. Verdicts of tasks the corpus does not hold are refused
    (DatasetError). Returns the files written, the card last."""
    import shutil

    from assay.datasets import read_manifest
    from assay.manifest import PASS_AT_K_FOLDER, README_NAME

    folder = Path(folder)
    manifest = read_manifest(folder)
    card = folder / README_NAME
    if manifest is None or not card.is_file():
        raise DatasetError(f"{folder} is not a corpus written by `assay generate` (no manifest.json and README.md)")
    known = set(manifest.get("counts_by_task") or {})
    foreign = sorted({r.task for r in results if r.task != "all"} - known)
    if foreign:
        raise DatasetError(f"the verdicts are not of the corpus in {folder}: it holds no task {', '.join(foreign)}")
    plots = folder / PASS_AT_K_FOLDER
    shutil.rmtree(plots, ignore_errors=True)
    written = plot_pass_at_k(results, plots)
    overall = [r for r in results if r.task == "all"]
    samples, problems = sum(r.samples for r in overall), sum(r.problems for r in overall)
    origin = f" `{source}`" if source else ""
    lines = [CARD_START, "## pass@k", "",
             (f"Measured by `assay eval` from the verdicts file{origin}: {samples} scored completions of {problems} "
              "problems; pass@k is the unbiased estimator over the problems with at least k samples. "
              "Rewritten by `assay eval VERDICTS --card DIR`; regenerating the corpus removes it."), ""]
    lines += [f"![pass@k per task]({PASS_AT_K_FOLDER}/{written[0].name})", ""]
    per_task = {path.name: path for path in written[1:]}
    links = [f"[{task}]({PASS_AT_K_FOLDER}/{name})" for task in sorted({r.task for r in results if r.task != "all"})
             if (name := f"pass_at_k_{task.replace('/', '_')}.png") in per_task]
    if links:
        lines += [f"Per difficulty level: {', '.join(links)}.", ""]
    lines += [markdown_table(results), CARD_END]
    text = card.read_text(encoding="utf-8")
    if CARD_START in text and CARD_END in text:
        start, end = text.index(CARD_START), text.index(CARD_END) + len(CARD_END)
        text = text[:start].rstrip("\n") + "\n\n" + "\n".join(lines) + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    card.write_text(text, encoding="utf-8")
    return [*written, card]

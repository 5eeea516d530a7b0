"""The report of a reward audit: a table for the terminal, and ``report.md``, one bar plot per
domain and ``findings.jsonl`` in a folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from assay.audit import CATEGORIES
from assay.reward_audit.audit import FALSE_NEGATIVE, FALSE_POSITIVE, ProbeResult, RewardAudit
from assay.reward_audit.runner import ERROR, TIMEOUT

OUTCOMES = (FALSE_POSITIVE, FALSE_NEGATIVE, ERROR, TIMEOUT)
SHOWN_CHARS = 2000  # a completion longer than this (the 1 MB probe) is shown cut, with its length


def _row(audit: RewardAudit, label: str, task: str | None = None, category: str | None = None) -> list[str]:
    n = sum(1 for r in audit.results if (task is None or r.case.problem.task == task) and (category is None or r.case.category == category))
    mine = [str(audit.count(o, task=task, category=category)) for o in OUTCOMES]
    theirs = [str(audit.count(o, assay=True, task=task, category=category)) for o in (FALSE_POSITIVE, FALSE_NEGATIVE)]
    errors = sum(audit.count(o, assay=True, task=task, category=category) for o in (ERROR, TIMEOUT))
    return [label, str(n), *mine, *theirs, str(errors)]


HEADER = ["", "probes", "false+", "false-", "errors", "timeouts", "assay false+", "assay false-", "assay errors"]


def table_rows(audit: RewardAudit) -> list[list[str]]:
    """One row per task, one per probe category, and a total row."""
    rows = [_row(audit, task, task=task) for task in audit.tasks]
    categories = [c for c in CATEGORIES if any(r.case.category == c for r in audit.results)]
    categories += sorted({r.case.category for r in audit.results} - set(categories))
    rows += [_row(audit, f"[{category}]", category=category) for category in categories]
    rows.append(_row(audit, "total"))
    return rows


def format_table(audit: RewardAudit) -> str:
    """The fixed-width table the CLI prints.

    >>> from assay.reward_audit import audit_reward, parse_reward, probe_cases
    >>> a = audit_reward(parse_reward("assay"), probe_cases(["math/arithmetic"], difficulties=[1]), assay_workers=1)
    >>> print(format_table(a).splitlines()[0])
    reward: assay (convention assay, pass = reward >= 1)
    """
    rows = [HEADER, *table_rows(audit)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [f"reward: {audit.reward} (convention {audit.convention}, pass = reward >= {audit.threshold:g})"]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def worst(audit: RewardAudit, limit: int) -> list[ProbeResult]:
    """The findings to show in full: false positives first (highest reward first), then false
    negatives, errors and timeouts; one per (task, probe) kind before any repeat."""
    order = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}
    bad = [r for r in audit.results if r.outcome in order]
    bad.sort(key=lambda r: (order[r.outcome], -(r.observation.reward or 0.0) if r.outcome == FALSE_POSITIVE
                            else (r.observation.reward or 0.0), len(r.case.probe.completion)))
    seen: set[tuple[str, str, str]] = set()
    first: list[ProbeResult] = []
    rest: list[ProbeResult] = []
    for result in bad:
        key = (result.outcome, result.case.problem.task, result.case.probe.why)
        (rest if key in seen else first).append(result)
        seen.add(key)
    return (first + rest)[:limit]


def shown(text: str) -> str:
    """A completion as the report shows it: whole, or cut with its length when very long."""
    if len(text) <= SHOWN_CHARS:
        return text
    return text[: SHOWN_CHARS // 2] + f"\n... [{len(text) - SHOWN_CHARS:,} characters cut] ...\n" + text[-SHOWN_CHARS // 2 :]


def describe(result: ProbeResult) -> str:
    """One finding, in full: the task, the probe, the gold, what was expected, what came back."""
    problem, probe, o = result.case.problem, result.case.probe, result.observation
    got = f"reward {o.reward:g}" if o.reward is not None else f"{o.status}: {o.message}"
    return (f"{result.outcome.upper()} {problem.task} [{result.case.category}: {probe.why}] gold {problem.answer!r}; expected "
            f"{'pass' if probe.expect_pass else 'fail'}, got {got}; Assay: {result.assay.reason} ({result.assay.score:g})\n"
            f"--- completion ---\n{shown(probe.completion)}\n------------------")


def write_report(audit: RewardAudit, folder: str | Path, *, show: int = 20) -> list[Path]:
    """Write ``report.md``, ``findings.jsonl`` and ``<domain>.png`` plots into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    findings = folder / "findings.jsonl"
    with findings.open("w", encoding="utf-8") as out:
        for result in audit.results:
            out.write(json.dumps(result.to_json()) + "\n")
    plots = plot_domains(audit, folder)
    report = folder / "report.md"
    report.write_text(markdown(audit, plots, show=show), encoding="utf-8")
    return [report, findings, *plots]


def markdown(audit: RewardAudit, plots: Sequence[Path] = (), *, show: int = 20) -> str:
    """The report as markdown: the summary, the table, the plots, the worst findings in full."""
    total = len(audit.results)
    rate = total / audit.wall_s if audit.wall_s else 0.0
    lines = [f"# Reward audit: `{audit.reward}`", "",
             f"Convention `{audit.convention}`; a probe passes when the reward is at least {audit.threshold:g}. "
             f"{total} probes over {len(audit.tasks)} tasks in {audit.wall_s:.1f} s ({rate:.1f} probes/s). "
             "The `assay` columns are Assay's own verifier on the same probes.", "",
             "| task or [category] | " + " | ".join(HEADER[1:]) + " |",
             "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(audit)]
    lines.append("")
    for plot in plots:
        lines += [f"![{plot.stem}]({plot.name})", ""]
    chosen = worst(audit, show)
    if chosen:
        lines += ["## Worst findings", ""]
        for result in chosen:
            head, _, body = describe(result).partition("\n--- completion ---\n")
            lines += [f"- {head}", "", "```text", body.removesuffix("\n------------------"), "```", ""]
    return "\n".join(lines)


def plot_domains(audit: RewardAudit, folder: Path) -> list[Path]:
    """One horizontal bar plot per domain: false positives, false negatives and errors per task,
    the audited reward's bars beside Assay's verifier's."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    domains = list(dict.fromkeys(task.split("/", 1)[0] for task in audit.tasks))
    series = [("false+", FALSE_POSITIVE, False, "#d62728"), ("false-", FALSE_NEGATIVE, False, "#1f77b4"),
              ("errors", ERROR, False, "#7f7f7f"), ("assay false+", FALSE_POSITIVE, True, "#ff9896"),
              ("assay false-", FALSE_NEGATIVE, True, "#aec7e8")]
    for domain in domains:
        tasks = [t for t in audit.tasks if t.split("/", 1)[0] == domain]
        figure, axes = plt.subplots(figsize=(10, 1.5 + 0.45 * len(tasks)))
        height = 0.8 / len(series)
        for offset, (label, outcome, assay, colour) in enumerate(series):
            values = [audit.count(outcome, assay=assay, task=t) + (audit.count(TIMEOUT, assay=assay, task=t) if outcome == ERROR else 0)
                      for t in tasks]
            axes.barh([i + offset * height for i in range(len(tasks))], values, height=height, label=label, color=colour)
        axes.set_yticks([i + 0.4 - height / 2 for i in range(len(tasks))], [t.split("/", 1)[1] for t in tasks])
        axes.invert_yaxis()
        axes.set_xlabel("probes")
        axes.set_title(f"{audit.reward} on {domain}: wrong verdicts per task")
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        figure.tight_layout()
        path = folder / f"{domain}.png"
        figure.savefig(path, dpi=100)
        plt.close(figure)
        written.append(path)
    return written

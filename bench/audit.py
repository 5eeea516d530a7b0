"""Benchmark: ``assay audit --reward`` on the math domain, math-verify against Assay's verifier, in
one run: probes per second of each reward's audit, and the false positive and false negative
rates of each (over the probes that must fail and must pass respectively).

Both audits run the same probe cases (every math task, the chosen seeds, every level), each reward
through the same path: math-verify in reward worker processes (the user-reward path), Assay's
verifier through ``verify_batch``. Each audit is run ``--repeats`` times, alternating, and the
median rate with its range is printed; the rates of wrong verdicts do not vary between repeats.

Run: ``.venv/bin/python bench/audit.py [--seeds 1] [--repeats 2] [--workers 2] [--levels 1 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from assay.reward_audit import FALSE_NEGATIVE, FALSE_POSITIVE, audit_reward, parse_reward, probe_cases  # noqa: E402
from assay.reward_audit.runner import ERROR, TIMEOUT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--domain", default="math")
    parser.add_argument("--levels", type=int, nargs="+", default=None, help="difficulty levels (default: all)")
    args = parser.parse_args()
    cases = probe_cases([args.domain], seeds=range(args.seeds), difficulties=args.levels)
    must_fail = sum(not c.probe.expect_pass for c in cases)
    must_pass = len(cases) - must_fail
    print(f"{len(cases)} probes on {args.domain} ({must_pass} must pass, {must_fail} must fail); "
          f"{args.workers} workers, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    rates: dict[str, list[float]] = {"math-verify": [], "assay": []}
    last = {}
    for repeat in range(args.repeats):
        order = ["math-verify", "assay"] if repeat % 2 == 0 else ["assay", "math-verify"]
        for name in order:
            started = time.perf_counter()
            result = audit_reward(parse_reward(name), cases, workers=args.workers, assay_workers=args.workers, timeout_s=10.0)
            elapsed = time.perf_counter() - started
            rates[name].append(len(cases) / elapsed)
            last[name] = result
    print(f"{'reward':<12} {'probes/s (median, range)':>26} {'false+ rate':>12} {'false- rate':>12} {'errors':>7} {'timeouts':>9}")
    for name, values in rates.items():
        result = last[name]
        fp, fn = result.count(FALSE_POSITIVE), result.count(FALSE_NEGATIVE)
        spread = f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"
        print(f"{name:<12} {spread:>26} {fp / must_fail:>12.1%} {fn / must_pass:>12.1%} {result.count(ERROR):>7} {result.count(TIMEOUT):>9}")
    print("note: Assay's rate includes nothing else; math-verify's includes Assay's side-by-side verdicts, which every "
          "--reward audit also computes")
    worst = Counter((r.case.category, r.outcome) for r in last["math-verify"].results if r.outcome in (FALSE_POSITIVE, FALSE_NEGATIVE))
    print("math-verify's wrong verdicts by probe category: " + ", ".join(f"{c} {o}: {n}" for (c, o), n in worst.most_common()))


if __name__ == "__main__":
    main()

"""Batch scoring on a Ray cluster: ``verify_batch(problems, completions, executor="ray")``.

Run: python examples/ray_batch.py [--tasks math/arithmetic graph/shortest_path] [--n 16] [--address auto]

Without ``--address`` a local Ray instance is started (``ray.init``); with ``--address auto`` (or
``ray://host:10001``) the items are scored on an existing cluster. Each verification is a Ray task
with the same per-item time budget as the process pool. The completions here are half reference
answers and half wrong ones, so the printed pass rate is 0.5; load your model's generations instead
(``assay verify`` reads a jsonl of ``{"id", "completion"}``).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

import ray

import assay
from assay.scoring import verify_batch


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=["math/arithmetic", "graph/shortest_path"])
    parser.add_argument("--n", type=int, default=16, help="problems per task")
    parser.add_argument("--address", default=None, help="a Ray cluster address (default: start a local one)")
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local instance")
    args = parser.parse_args(argv)
    problems = [p for task in args.tasks for p in assay.generate(task, args.n, seed=0)]
    completions = [f"<answer>{p.answer}</answer>" if i % 2 == 0 else "<answer>no</answer>" for i, p in enumerate(problems)]
    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False, log_to_driver=False)
    try:
        verdicts = verify_batch(problems, completions, executor="ray")
    finally:
        ray.shutdown()
    summary = {
        "items": len(verdicts),
        "pass_rate": sum(v.passed for v in verdicts) / len(verdicts),
        "reasons": dict(sorted(Counter(v.reason for v in verdicts).items())),
        "scores": [v.score for v in verdicts],
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()

"""``assay export --format harbor DIR``: terminal problems as Harbor / Terminal-Bench task folders."""

from __future__ import annotations

import argparse

from assay.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser(
        "export", help="write terminal problems as Harbor / Terminal-Bench task folders",
        description="Write each problem as a task folder (instruction.md, task.toml, environment/Dockerfile on the "
                    "local base image, solution/solve.sh, tests/test.sh writing /logs/verifier/reward.txt). Problems come "
                    "from TASK (ids or 'terminal'; --n per task, --seed, --difficulty) or from --dataset (rows).",
    )
    export.add_argument("out", metavar="DIR", help="output folder (created)")
    export.add_argument("--format", choices=("harbor",), default="harbor")
    export.add_argument("--task", action="append", default=[], metavar="TASK", help="a terminal task id or 'terminal' (repeatable)")
    export.add_argument("--dataset", metavar="PATH", help="a jsonl/parquet file or folder of problem rows instead of --task")
    export.add_argument("--n", type=int, default=1, help="problems per task (default 1)")
    export.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    export.add_argument("--difficulty", type=int, help="difficulty level (default: drawn from the seed)")
    export.add_argument("--image", help="base image of the Dockerfiles (default: assay/base:bookworm)")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from assay.generators.terminal.harbor import export_harbor
    from assay.registry import get_task, resolve_tasks
    from assay.sandbox.images import DEFAULT_IMAGE

    if bool(args.task) == bool(args.dataset):
        raise ConfigError("--task", "give --task (one or more) or --dataset, not both and not neither")
    if args.dataset:
        from assay.envs.problems import read_problems

        problems = [p for p in read_problems(args.dataset) if p.task.startswith("terminal/")]
    else:
        if args.n < 1:
            raise ConfigError("--n", "must be at least 1", args.n)
        problems = [get_task(task_id).generate(args.seed + index, difficulty=args.difficulty)
                    for task_id in resolve_tasks(args.task) for index in range(args.n)]
    if not problems:
        raise ConfigError("--dataset", "holds no terminal problems", args.dataset)
    folders = export_harbor(problems, args.out, image=args.image or DEFAULT_IMAGE)
    print(f"wrote {len(folders)} Harbor task folders to {args.out}")
    return 0

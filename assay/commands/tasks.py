"""``assay list``: the registered tasks, optionally of one domain."""

from __future__ import annotations

import argparse
import json

from assay.registry import domains, get_task, list_tasks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("list", help="list the registered tasks")
    parser.add_argument("domain", nargs="?", help="only this domain (one of the task ids' prefixes)")
    parser.add_argument("--json", action="store_true", help="print the task declarations as JSON")
    parser.add_argument("--capacity", action="store_true",
                        help="distinct problems each task can yield per difficulty level (measured once, then cached)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.domain and args.domain not in domains():
        from assay.errors import TaskNotFound

        raise TaskNotFound(args.domain, domains())
    ids = list_tasks(args.domain)
    if args.capacity:
        from assay.capacity import capacity_table, union_capacity

        width = max((len(i) for i in ids), default=0)
        print(f"{'task':<{width}}  distinct problems per difficulty level (- : more than 512 draws can tell; "
              "mixed: over all levels, which may share problems)")
        for task_id in ids:
            table = capacity_table(task_id)
            cells = "  ".join(f"{level}: {'-' if count is None else count}" for level, count in table.items())
            if len(table) > 1 and None not in table.values() and getattr(get_task(task_id), "capacity", None) is None:
                cells += f"  mixed: {union_capacity(task_id, sorted(table))}"  # levels may share problems
            print(f"{task_id:<{width}}  {cells}", flush=True)
        return 0
    if args.json:
        rows = []
        for task_id in ids:
            task = get_task(task_id)
            rows.append({"id": task.id, "version": task.version, "description": task.description,
                         "levels": {str(k): task.level_text(k) for k in sorted(task.levels)}, "answer_format": task.answer_format,
                         "answer_rule": None if task.answer_rule is None else {"name": task.answer_rule.name,
                                                                               "text": task.answer_rule.text},
                         "decided_by": task.decided_by or None})
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(i) for i in ids), default=0)
    for task_id in ids:
        print(f"{task_id:<{width}}  {get_task(task_id).description.split('. ')[0]}")
    return 0

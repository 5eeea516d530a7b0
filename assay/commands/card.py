"""``assay card``: write (or, with ``--check``, check) the task data cards under ``data_cards/``.

Thin over ``assay.cards``; ``--check`` exits 1 listing every stale card.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "card", help="write the task data cards (markdown + PNG) and their index",
        description="Render data_cards/<domain>/<name>.md and .png for each selected task (default: all) from its "
                    "declarations and a fixed measured sample, and data_cards/README.md indexing every task.",
    )
    parser.add_argument("tasks", nargs="*", metavar="TASK|DOMAIN", help="only these tasks or domains")
    parser.add_argument("--out", default="data_cards", metavar="DIR", help="cards folder (default data_cards)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 listing stale cards")
    parser.add_argument("--fingerprints", action="store_true",
                        help="record the fingerprint of every new task@version in DIR/fingerprints.json (and write no "
                             "card); exit 1, writing nothing, when a recorded task@version now generates other rows")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assay.cards import stale_cards, write_cards

    if args.fingerprints:
        return _fingerprints(args)
    if args.check:
        stale = stale_cards(args.out, args.tasks or None)
        for line in stale:
            print(f"stale: {line}")
        if stale:
            print(f"{len(stale)} stale card file(s); regenerate with `assay card --out {args.out}`", file=sys.stderr)
            return 1
        print("all cards are fresh")
        return 0
    changed = write_cards(args.out, args.tasks or None)
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(changed)} file(s) changed under {args.out}")
    return 0


def _fingerprints(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assay.fingerprints import FILE, record
    from assay.registry import resolve_tasks

    path = Path(args.out) / FILE
    added, refused = record(path, resolve_tasks(args.tasks) if args.tasks else None)
    for name in refused:
        print(f"changed without a version bump: {name}", file=sys.stderr)
    if refused:
        print(f"{len(refused)} task(s) generate other rows under the same version: bump `version` in each "
              "task's class (rows must stay a pure function of task, version, seed), then rerun; nothing written",
              file=sys.stderr)
        return 1
    for name in added:
        print(f"recorded {name}")
    print(f"{len(added)} fingerprint(s) added to {path}")
    return 0

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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assay.cards import stale_cards, write_cards

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

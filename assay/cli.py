"""The ``assay`` command line: a thin layer over the API, one module per command group.

Every command returns an exit status; errors a user can fix print one line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from collections.abc import Sequence

from assay.errors import AssayError

# Each module defines register(subparsers), adding parsers whose defaults carry run=function(args)->int.
COMMAND_MODULES = (
    "assay.commands.tasks",  # list
    "assay.commands.data",  # generate, verify
    "assay.commands.audit",  # audit
    "assay.commands.card",  # card
    "assay.commands.demo",  # demo (the README's main job)
    "assay.commands.evaluate",  # eval
    "assay.commands.bench",  # bench
    "assay.commands.export",  # export --format harbor
    "assay.sandbox.cli",  # sandbox build-images, sandbox check
    "assay.envs.cli",  # serve
)


def build_parser() -> argparse.ArgumentParser:
    from assay import __version__

    parser = argparse.ArgumentParser(prog="assay", description="Verifiable-reward environments and datasets for RL of language models.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv for debug)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue  # a command group that is not built yet
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)], format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except AssayError as error:
        print(f"assay {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

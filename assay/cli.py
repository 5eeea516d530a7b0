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

from assay.errors import AssayError, suggest

# Each module defines register(subparsers), adding parsers whose defaults carry run=function(args)->int.
COMMAND_MODULES = (
    "assay.commands.tasks",  # list
    "assay.commands.data",  # generate, verify
    "assay.commands.audit",  # audit (--reward, --dataset)
    "assay.commands.probes",  # probes
    "assay.commands.card",  # card
    "assay.commands.demo",  # demo (the README's main job)
    "assay.commands.evaluate",  # eval
    "assay.commands.bench",  # bench
    "assay.commands.export",  # export --format harbor
    "assay.sandbox.cli",  # sandbox build-images, sandbox check
    "assay.envs.cli",  # serve
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions kept as written; an option's help ends with its default unless it says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if "default" in text.lower() or default in (None, argparse.SUPPRESS, False) or not action.option_strings:
            return text
        if isinstance(default, list) and not default:
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """An argument parser whose sub-commands show their defaults and whose unknown options get a
    "did you mean" from the sub-command's own options, with the sub-command's usage."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        if kwargs.get("formatter_class") in (None, argparse.HelpFormatter, argparse.RawDescriptionHelpFormatter):
            kwargs["formatter_class"] = HelpFormatter
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def unknown_options(self, extras: Sequence[str]) -> str:
        """The message for arguments this parser does not know, with close option names.

        >>> p = Parser(prog="x"); _ = p.add_argument("--seed", type=int)
        >>> p.unknown_options(["--seeed", "3"])
        'unrecognized arguments: --seeed 3 (did you mean --seed?)'
        """
        options = [option for action in self._actions for option in action.option_strings if option.startswith("--")]
        hints = []
        for extra in extras:
            if extra.startswith("-"):
                name = extra.split("=", 1)[0]
                close = suggest(name, options)
                if close:
                    hints.append(f"did you mean {close[0]}?" if len(close) == 1 else f"did you mean {' or '.join(close[:3])}?")
        message = f"unrecognized arguments: {' '.join(extras)}"
        return message + (f" ({'; '.join(hints)})" if hints else "")


def build_parser() -> argparse.ArgumentParser:
    from assay import __version__

    parser = Parser(prog="assay", description="Verifiable-reward environments and datasets for RL of language models.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv for debug)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue  # a command group that is not built yet
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        command = _subparser(parser, args)
        command.error(command.unknown_options(extras) if isinstance(command, Parser) else f"unrecognized arguments: {' '.join(extras)}")
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


def _subparser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the sub-command ``args`` chose (nested groups such as ``sandbox check`` too)."""
    found = parser
    while True:
        groups = [a for a in found._actions if isinstance(a, argparse._SubParsersAction)]
        chosen = getattr(args, groups[0].dest, None) if groups and groups[0].dest else None
        if not chosen or chosen not in groups[0].choices:
            return found
        found = groups[0].choices[chosen]


if __name__ == "__main__":
    sys.exit(main())

"""code/stdio_lists and code/stdio_strings: the list and string pipelines as complete programs in the
competitive-programming format (read stdin, write stdout).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from assay.generators.code._base import CodeConfig
from assay.generators.code._lists import (
    list_inputs,
    pipeline_sources,
    pipeline_spec,
    pipeline_text,
)
from assay.generators.code._stdio import StdioTask
from assay.generators.code._strings import random_text, string_pipeline
from assay.registry import register_task

LIST_MAIN = '''
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    result = solve([int(t) for t in data[1:1 + n]])
    if isinstance(result, (list, tuple)):
        print(" ".join(map(str, result)))
    else:
        print(result)


main()
'''

STRING_MAIN = '''
import sys


def main():
    lines = sys.stdin.read().split("\\n")
    q = int(lines[0])
    for line in lines[1:1 + q]:
        print(solve(line))


main()
'''


def _show_list(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(map(str, value)) + "\n"
    return f"{value}\n"


@register_task
class StdioLists(StdioTask):
    id = "code/stdio_lists"
    description = "Write a stdin/stdout program applying a generated sequence of list operations to the integers it reads."

    def make(self, rng: random.Random, config: CodeConfig) -> tuple[str, str, str, str, list[tuple], Callable[[tuple], str], Callable[[Any], str]]:
        ops, final = pipeline_spec(rng, config, "solve")
        function, alternative = pipeline_sources("solve", ops, final)
        statement = (
            "The first line holds n, the second n integers separated by spaces (it may be empty when n is 0). "
            f"{pipeline_text(ops, final)}\nPrint the result: a list or tuple as its items separated by single spaces on "
            "one line (an empty line for no items), None or a number as Python's print shows it."
        )
        return statement, function, alternative, LIST_MAIN, list_inputs(rng, config), lambda args: f"{len(args[0])}\n{' '.join(map(str, args[0]))}\n", _show_list


@register_task
class StdioStrings(StdioTask):
    id = "code/stdio_strings"
    description = "Write a stdin/stdout program applying a generated sequence of string operations to every input line."

    def make(self, rng: random.Random, config: CodeConfig) -> tuple[str, str, str, str, list[tuple], Callable[[tuple], str], Callable[[Any], str]]:
        text, function, alternative = string_pipeline(rng, config.steps, "solve")
        statement = (
            "The first line holds q; each of the next q lines holds a string s (letters, digits, spaces, punctuation). "
            f"For each string: {text}\nPrint one result per line, in order."
        )
        groups: list[tuple] = [([""],), (["a", "AbBa"],), (["  x  ", "Hello, World 42!"],)]
        groups += [([random_text(rng, config.size * 2).strip() or "z" for _ in range(rng.randint(1, 4))],) for _ in range(config.tests - len(groups))]
        wrapper = "def solve(lines):\n    return [_line(s) for s in lines]\n"
        function = function.replace("def solve(s):", "def _line(s):") + wrapper
        alternative = alternative.replace("def solve(s):", "def _line(s):") + wrapper
        main = STRING_MAIN.replace("print(solve(line))", "print(solve([line])[0])")
        return (statement, function, alternative, main, groups,
                lambda args: f"{len(args[0])}\n" + "".join(s + "\n" for s in args[0]),
                lambda out: "".join(f"{v}\n" for v in out))

"""The code/list_pipeline family's specification builder and reference implementations, shared
with the tasks that reuse them (bug_fix, stdio_programs); the task itself is registered in
``lists.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from assay.generators.code._base import CodeConfig, FunctionTask, Spec


@dataclass(frozen=True)
class ListOp:
    text: str
    code: str  # one statement on xs
    alternative: str  # the same, written with a loop


def list_op(rng: random.Random, magnitude: int) -> ListOp:
    """One list operation with its seeded parameter."""
    k = rng.randint(2, 5)
    t = rng.randint(-magnitude // 4, magnitude // 4)
    choice = rng.randrange(12)
    if choice == 0:
        return ListOp(f"keep only the numbers divisible by {k}", f"xs = [x for x in xs if x % {k} == 0]",
                      f"out = []\nfor x in xs:\n    if x % {k} == 0:\n        out.append(x)\nxs = out")
    if choice == 1:
        return ListOp(f"keep only the numbers greater than {t}", f"xs = [x for x in xs if x > {t}]",
                      f"xs = list(filter(lambda x: x > {t}, xs))")
    if choice == 2:
        return ListOp(f"multiply every number by {k}", f"xs = [x * {k} for x in xs]",
                      f"out = []\nfor x in xs:\n    out.append({k} * x)\nxs = out")
    if choice == 3:
        return ListOp(f"add {t} to every number", f"xs = [x + {t} for x in xs]", f"xs = list(map(lambda x: x + {t}, xs))")
    if choice == 4:
        return ListOp("replace every number by its absolute value", "xs = [abs(x) for x in xs]",
                      "xs = [x if x >= 0 else -x for x in xs]")
    if choice == 5:
        return ListOp(f"replace every number x by x modulo {k} (a result between 0 and {k - 1})",
                      f"xs = [x % {k} for x in xs]", f"xs = [x - (x // {k}) * {k} for x in xs]")
    if choice == 6:
        return ListOp("reverse the order of the list", "xs = xs[::-1]", "xs = list(reversed(xs))")
    if choice == 7:
        return ListOp("sort the list in increasing order", "xs = sorted(xs)", "xs = list(xs)\nxs.sort()")
    if choice == 8:
        return ListOp("sort the list in decreasing order", "xs = sorted(xs, reverse=True)",
                      "xs = sorted(xs)\nxs.reverse()")
    if choice == 9:
        return ListOp("remove repeated numbers, keeping only the first occurrence of each",
                      "xs = list(dict.fromkeys(xs))",
                      "seen = set()\nout = []\nfor x in xs:\n    if x not in seen:\n        seen.add(x)\n        out.append(x)\nxs = out")
    if choice == 10:
        return ListOp("replace the list by its running sums (the i-th item is the sum of the first i+1 items)",
                      "xs = [sum(xs[:i + 1]) for i in range(len(xs))]",
                      "out = []\ntotal = 0\nfor x in xs:\n    total += x\n    out.append(total)\nxs = out")
    return ListOp(f"keep only the first {k} numbers (all of them when there are fewer)", f"xs = xs[:{k}]",
                  f"out = []\nfor i, x in enumerate(xs):\n    if i < {k}:\n        out.append(x)\nxs = out")


AGGREGATES = (
    ("return the sum of the remaining numbers (0 for an empty list)", "return sum(xs)",
     "total = 0\nfor x in xs:\n    total += x\nreturn total"),
    ("return the largest remaining number, or None when the list is empty", "return max(xs) if xs else None",
     "best = None\nfor x in xs:\n    if best is None or x > best:\n        best = x\nreturn best"),
    ("return how many numbers remain", "return len(xs)", "return sum(1 for _ in xs)"),
    ("return the remaining numbers as a tuple", "return tuple(xs)", "return (*xs,)"),
)


def _indent(block: str) -> str:
    return "\n".join("    " + line for line in block.split("\n"))


def pipeline_spec(rng: random.Random, config: CodeConfig, name: str) -> tuple[list[ListOp], tuple[str, str, str] | None]:
    ops = [list_op(rng, config.magnitude) for _ in range(config.steps)]
    final = rng.choice(AGGREGATES) if rng.random() < 0.5 else None
    return ops, final


def pipeline_sources(name: str, ops: list[ListOp], final: tuple[str, str, str] | None) -> tuple[str, str]:
    body = [op.code for op in ops] + [final[1] if final else "return xs"]
    alt = [op.alternative for op in ops] + [final[2] if final else "return list(xs)"]
    source = f"def {name}(xs):\n" + "\n".join(_indent(b) for b in body) + "\n"
    alternative = f"def {name}(xs):\n    xs = list(xs)\n" + "\n".join(_indent(b) for b in alt) + "\n"
    return source, alternative


def pipeline_text(ops: list[ListOp], final: tuple[str, str, str] | None) -> str:
    steps = "\n".join(f"{i + 1}. {op.text[0].upper()}{op.text[1:]}." for i, op in enumerate(ops))
    ending = final[0] if final else "return the resulting list"
    return f"Starting from the list, do the following in order:\n{steps}\nFinally, {ending}."


def list_inputs(rng: random.Random, config: CodeConfig) -> list[tuple]:
    m = config.magnitude
    edges: list[tuple] = [([],), ([rng.randint(-m, m)],), ([-m, -1, 0],), ([3, 3, 3, 1, 1],), ([m, m - 1, -m],)]
    randoms = [([rng.randint(-m, m) for _ in range(rng.randint(2, config.size))],) for _ in range(config.tests - len(edges))]
    return edges + randoms


class ListPipeline(FunctionTask):
    id = "code/list_pipeline"
    description = "Write a function applying a generated sequence of list operations (filter, map, sort, dedupe, running sums, ...) to a list of integers."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        name = rng.choice(("transform", "process", "pipeline", "reshape_numbers", "apply_steps"))
        ops, final = pipeline_spec(rng, config, name)
        source, alternative = pipeline_sources(name, ops, final)
        description = f"It takes a list of integers `xs` (do not modify it in place). {pipeline_text(ops, final)}"
        return Spec(name, f"{name}(xs: list[int])", description, source, alternative, list_inputs(rng, config))

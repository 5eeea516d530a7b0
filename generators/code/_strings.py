"""The code/string_pipeline family's specification builder and reference implementations, shared
with the tasks that reuse them (bug_fix, stdio_programs); the task itself is registered in
``strings.py``.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from assay.generators.code._base import CodeConfig, FunctionTask, Spec

ALPHABET = "aabbcdeeiouxyzAEBQ  !1"


@dataclass(frozen=True)
class StringOp:
    text: str
    code: str
    alternative: str


def string_op(rng: random.Random) -> StringOp:
    """One string operation with its seeded parameter."""
    choice = rng.randrange(10)
    k = rng.randint(1, 25)
    a, b = rng.sample("abcdexyz", 2)
    if choice == 0:
        return StringOp("convert it to lower case", "s = s.lower()", "s = ''.join(c.lower() for c in s)")
    if choice == 1:
        return StringOp("swap the case of every letter", "s = s.swapcase()",
                        "s = ''.join(c.lower() if c.isupper() else c.upper() for c in s)")
    if choice == 2:
        return StringOp("reverse it", "s = s[::-1]", "s = ''.join(reversed(s))")
    if choice == 3:
        return StringOp("remove every vowel (a, e, i, o, u, in either case)",
                        "s = ''.join(c for c in s if c.lower() not in 'aeiou')",
                        "out = ''\nfor c in s:\n    if c not in 'aeiouAEIOU':\n        out += c\ns = out")
    if choice == 4:
        return StringOp(f"replace every '{a}' by '{b}'", f"s = s.replace({a!r}, {b!r})",
                        f"s = ''.join({b!r} if c == {a!r} else c for c in s)")
    if choice == 5:
        return StringOp("collapse every run of the same character into one character ('aaab' becomes 'ab')",
                        "s = ''.join(c for i, c in enumerate(s) if i == 0 or s[i - 1] != c)",
                        "out = ''\nfor c in s:\n    if not out or out[-1] != c:\n        out += c\ns = out")
    if choice == 6:
        return StringOp(f"shift every lower-case letter {k} places forward in the alphabet, wrapping from z to a "
                        "(other characters unchanged)",
                        f"s = ''.join(chr((ord(c) - 97 + {k}) % 26 + 97) if 'a' <= c <= 'z' else c for c in s)",
                        f"table = str.maketrans({string.ascii_lowercase!r}, {string.ascii_lowercase[k:] + string.ascii_lowercase[:k]!r})\ns = s.translate(table)")
    if choice == 7:
        return StringOp("reverse each space-separated word in place (split on single spaces, keep the spaces)",
                        "s = ' '.join(w[::-1] for w in s.split(' '))",
                        "words = s.split(' ')\nfor i in range(len(words)):\n    words[i] = ''.join(reversed(words[i]))\ns = ' '.join(words)")
    if choice == 8:
        return StringOp("remove every character that is not a letter or a space",
                        "s = ''.join(c for c in s if c.isalpha() or c == ' ')",
                        "out = []\nfor c in s:\n    if c.isalpha() or c == ' ':\n        out.append(c)\ns = ''.join(out)")
    return StringOp("convert it to upper case", "s = s.upper()", "s = ''.join(c.upper() for c in s)")


ENDINGS = (
    ("return the number of vowels (a, e, i, o, u, in either case) it contains", "return sum(1 for c in s if c in 'aeiouAEIOU')",
     "count = 0\nfor c in s.lower():\n    if c in 'aeiou':\n        count += 1\nreturn count"),
    ("return its length", "return len(s)", "return sum(1 for _ in s)"),
    ("return the number of distinct characters in it", "return len(set(s))", "return len(dict.fromkeys(s))"),
)


def _indent(block: str) -> str:
    return "\n".join("    " + line for line in block.split("\n"))


def string_pipeline(rng: random.Random, steps: int, name: str, allow_ending: bool = True) -> tuple[str, str, str]:
    """(description, reference source, alternative source) of a string pipeline function."""
    ops = [string_op(rng) for _ in range(steps)]
    ending = rng.choice(ENDINGS) if allow_ending and rng.random() < 0.4 else None
    body = [op.code for op in ops] + [ending[1] if ending else "return s"]
    alt = [op.alternative for op in ops] + [ending[2] if ending else "return str(s)"]
    source = f"def {name}(s):\n" + "\n".join(_indent(x) for x in body) + "\n"
    alternative = f"def {name}(s):\n" + "\n".join(_indent(x) for x in alt) + "\n"
    listed = "\n".join(f"{i + 1}. {op.text[0].upper()}{op.text[1:]}." for i, op in enumerate(ops))
    final = ending[0] if ending else "return the resulting string"
    return f"Starting from the string, do the following in order:\n{listed}\nFinally, {final}.", source, alternative


def random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, size)))


def string_inputs(rng: random.Random, config: CodeConfig) -> list[tuple]:
    edges: list[tuple] = [("",), ("a",), ("   ",), ("aaAA",), ("Hello, World 42!",)]
    return edges + [(random_text(rng, config.size * 2),) for _ in range(config.tests - len(edges))]


class StringPipeline(FunctionTask):
    id = "code/string_pipeline"
    description = "Write a function applying a generated sequence of string operations (case, reversal, vowels, runs, Caesar shift, words) to a string."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        name = rng.choice(("rewrite", "transform_text", "encode_text", "clean"))
        text, source, alternative = string_pipeline(rng, config.steps, name)
        return Spec(name, f"{name}(s: str)", f"It takes a string `s`. {text}", source, alternative, string_inputs(rng, config))

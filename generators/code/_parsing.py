"""The code/parsing family's specification builder and reference implementations, shared
with the tasks that reuse them (bug_fix, stdio_programs); the task itself is registered in
``parsing.py``.
"""

from __future__ import annotations

import random

from assay.generators.code._base import CodeConfig, FunctionTask, Spec


def _records(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    sep, eq = rng.choice((";", ",", "|")), rng.choice(("=", ":"))
    source = (f"def {name}(text):\n    out = {{}}\n    for part in text.split({sep!r}):\n        if {eq!r} in part:\n"
              f"            key, value = part.split({eq!r}, 1)\n            out[key.strip()] = int(value)\n    return out\n")
    alternative = (f"def {name}(text):\n    out = {{}}\n    for part in text.split({sep!r}):\n        i = part.find({eq!r})\n"
                   f"        if i >= 0:\n            out[part[:i].strip()] = int(part[i + 1:].strip())\n    return out\n")
    keys = ("a", "b", "x", "key", "n1")
    m = config.magnitude

    def text() -> str:
        return sep.join(f"{rng.choice(keys)}{rng.choice(('', ' '))}{eq}{rng.randint(-m, m)}" for _ in range(rng.randint(1, config.size)))

    inputs = [("",), (f"a{eq}1",), (f"a{eq}1{sep}a{eq}2",), (f"junk{sep}b{eq}-3",)] + [(text(),) for _ in range(config.tests - 4)]
    description = (f"It takes a string `text` of records separated by {sep!r}; a record 'key{eq}value' has a key and an integer "
                   f"value. Records without {eq!r} are skipped, keys are stripped of spaces, a later record overrides an "
                   "earlier one with the same key. Return the dict from keys (str) to values (int).")
    return Spec(name, f"{name}(text: str) -> dict[str, int]", description, source, alternative, inputs)


def _numbers(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    source = (f"import re\ndef {name}(text):\n    return sum(int(t) for t in re.findall(r'-?[0-9]+', text))\n")
    alternative = (f"def {name}(text):\n    total, i = 0, 0\n    while i < len(text):\n        j = i + 1 if text[i] == '-' else i\n"
                   f"        k = j\n        while k < len(text) and text[k] in '0123456789':\n            k += 1\n"
                   f"        if k > j:\n            total += int(text[i:k])\n            i = k\n        else:\n            i += 1\n    return total\n")
    words = ("ab", "x", "--", " ", "-", "z-", "7", "12", "q")

    def text() -> str:
        return "".join(rng.choice(words) for _ in range(rng.randint(1, config.size * 2)))

    inputs = [("",), ("abc",), ("-5",), ("3--4",), ("10a-2b",)] + [(text(),) for _ in range(config.tests - 5)]
    description = ("It takes a string `text`. Return the sum of the integers written in it: an integer is a maximal run of "
                   "digits, negative when a '-' stands right before its first digit ('3--4' holds 3 and -4).")
    return Spec(name, f"{name}(text: str) -> int", description, source, alternative, inputs)


def _roman(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    source = (f"def {name}(text):\n    values = {{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}}\n    total = 0\n"
              f"    for i, c in enumerate(text):\n        v = values[c]\n        if i + 1 < len(text) and values[text[i + 1]] > v:\n"
              f"            total -= v\n        else:\n            total += v\n    return total\n")
    alternative = (f"def {name}(text):\n    pairs = [('CM', 900), ('CD', 400), ('XC', 90), ('XL', 40), ('IX', 9), ('IV', 4), ('M', 1000), "
                   f"('D', 500), ('C', 100), ('L', 50), ('X', 10), ('V', 5), ('I', 1)]\n    total, i = 0, 0\n    while i < len(text):\n"
                   f"        for sym, val in pairs:\n            if text.startswith(sym, i):\n                total += val\n"
                   f"                i += len(sym)\n                break\n    return total\n")

    def roman(n: int) -> str:
        out = ""
        for sym, val in (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
                         ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1)):
            while n >= val:
                out, n = out + sym, n - val
        return out

    top = min(3999, config.magnitude * 4)
    inputs = [("",), ("I",), ("IV",), ("MCMXCIV",)] + [(roman(rng.randint(1, top)),) for _ in range(config.tests - 4)]
    description = "It takes a Roman numeral `text` in standard form (or the empty string, worth 0). Return its value as an int."
    return Spec(name, f"{name}(text: str) -> int", description, source, alternative, inputs)


def _rpn(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    source = (f"def {name}(text):\n    stack = []\n    for token in text.split():\n        if token in ('+', '-', '*'):\n"
              f"            b, a = stack.pop(), stack.pop()\n            stack.append(a + b if token == '+' else a - b if token == '-' else a * b)\n"
              f"        else:\n            stack.append(int(token))\n    return stack[-1] if stack else 0\n")
    alternative = (f"import operator\ndef {name}(text):\n    ops = {{'+': operator.add, '-': operator.sub, '*': operator.mul}}\n    stack = []\n"
                   f"    for token in text.split():\n        if token in ops:\n            right = stack.pop()\n            left = stack.pop()\n"
                   f"            stack.append(ops[token](left, right))\n        else:\n            stack.append(int(token))\n"
                   f"    return 0 if not stack else stack[-1]\n")
    m = min(config.magnitude, 50)

    def expression(depth: int) -> str:
        if depth == 0 or rng.random() < 0.3:
            return str(rng.randint(-m, m))
        return f"{expression(depth - 1)} {expression(depth - 1)} {rng.choice('+-*')}"

    inputs = [("",), ("7",), ("-3",), ("2 3 -",)] + [(expression(config.steps + 1),) for _ in range(config.tests - 4)]
    description = ("It takes a well-formed arithmetic expression `text` in reverse Polish notation: integer tokens (possibly "
                   "negative) and the operators + - * separated by spaces. Return its value (0 for an empty text).")
    return Spec(name, f"{name}(text: str) -> int", description, source, alternative, inputs)


def _depth(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    source = (f"def {name}(text):\n    depth = best = 0\n    for c in text:\n        if c == '(':\n            depth += 1\n"
              f"            best = max(best, depth)\n        elif c == ')':\n            depth -= 1\n            if depth < 0:\n"
              f"                return -1\n    return best if depth == 0 else -1\n")
    alternative = (f"def {name}(text):\n    stack = []\n    best = 0\n    for c in text:\n        if c == '(':\n            stack.append(c)\n"
                   f"            best = max(best, len(stack))\n        elif c == ')':\n            if not stack:\n                return -1\n"
                   f"            stack.pop()\n    return -1 if stack else best\n")

    def text() -> str:
        return "".join(rng.choice("(()x ") for _ in range(rng.randint(1, config.size * 2)))

    inputs = [("",), ("()",), (")(",), ("((a)(b))",), ("(()",)] + [(text(),) for _ in range(config.tests - 5)]
    description = ("It takes a string `text`. Return the deepest nesting of parentheses in it (other characters are "
                   "ignored; 0 when there are none), or -1 when its parentheses are unbalanced.")
    return Spec(name, f"{name}(text: str) -> int", description, source, alternative, inputs)


FORMATS = (_records, _numbers, _roman, _rpn, _depth)


class Parsing(FunctionTask):
    id = "code/parsing"
    description = "Write a function parsing a small text format: key=value records, numbers in text, Roman numerals, reverse Polish arithmetic, bracket depth."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        name = rng.choice(("parse", "read_text", "evaluate", "decode"))
        return rng.choice(FORMATS)(rng, config, name)

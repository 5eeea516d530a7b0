"""The code/number_functions family's specification builder and reference implementations, shared
with the tasks that reuse them (bug_fix, stdio_programs); the task itself is registered in
``numbers.py``.
"""

from __future__ import annotations

import random

from assay.generators.code._base import CodeConfig, FunctionTask, Spec

# (text, helper name, reference helper, alternative helper); every helper maps an int to an int
HELPERS = (
    ("the sum of the decimal digits of |n|", "digit_sum",
     "def digit_sum(n):\n    return sum(int(d) for d in str(abs(n)))",
     "def digit_sum(n):\n    n = abs(n)\n    total = 0\n    while n:\n        total += n % 10\n        n //= 10\n    return total"),
    ("the digits of |n| reversed, read as a number (120 gives 21)", "reverse_digits",
     "def reverse_digits(n):\n    return int(str(abs(n))[::-1])",
     "def reverse_digits(n):\n    n = abs(n)\n    out = 0\n    while n:\n        out = out * 10 + n % 10\n        n //= 10\n    return out"),
    ("the number of positive divisors of |n| (0 for n = 0)", "divisor_count",
     "def divisor_count(n):\n    n = abs(n)\n    count = 0\n    d = 1\n    while d * d <= n:\n        if n % d == 0:\n            count += 1 if d * d == n else 2\n        d += 1\n    return count",
     "def divisor_count(n):\n    n = abs(n)\n    return sum(1 for d in range(1, n + 1) if n % d == 0)"),
    ("the number of 1 bits in the binary form of |n|", "bit_count",
     "def bit_count(n):\n    return bin(abs(n)).count('1')",
     "def bit_count(n):\n    n = abs(n)\n    c = 0\n    while n:\n        c += n & 1\n        n >>= 1\n    return c"),
    ("the number of Collatz steps from |n| to 1 (halve even numbers, 3x+1 odd ones; 0 for |n| <= 1)", "collatz_steps",
     "def collatz_steps(n):\n    n = abs(n)\n    steps = 0\n    while n > 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps",
     "def collatz_steps(n):\n    n, steps = abs(n), 0\n    while n not in (0, 1):\n        if n % 2:\n            n = 3 * n + 1\n        else:\n            n = n // 2\n        steps += 1\n    return steps"),
)


def _parametric(rng: random.Random) -> tuple[str, str, str, str]:
    k = rng.randint(3, 12)
    if rng.random() < 0.5:
        return (f"n modulo {k} (Python's %, between 0 and {k - 1})", f"mod_{k}", f"def mod_{k}(n):\n    return n % {k}",
                f"def mod_{k}(n):\n    return n - {k} * (n // {k})")
    return (f"the greatest common divisor of n and {k} (gcd(0, {k}) = {k})", f"gcd_{k}",
            f"import math\ndef gcd_{k}(n):\n    return math.gcd(n, {k})",
            f"def gcd_{k}(n):\n    a, b = abs(n), {k}\n    while b:\n        a, b = b, a % b\n    return a")


class NumberFunctions(FunctionTask):
    id = "code/number_functions"
    version = 2  # 2: faster generation (sqrt divisor count reference / input search near x) changed the rows
    description = "Write a function composing generated integer operations (digit sums, reversal, divisors, bits, Collatz, gcd, remainders)."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        chosen = [rng.choice(HELPERS) if rng.random() < 0.7 else _parametric(rng) for _ in range(config.steps)]
        name = rng.choice(("number_chain", "compute", "score_number"))
        helpers, alternatives, seen = [], [], set()
        for _text, helper, source, alternative in chosen:
            if helper not in seen:
                seen.add(helper)
                helpers.append(source)
                alternatives.append(alternative)
        expression = "n"
        for _, helper, _, _ in chosen:
            expression = f"{helper}({expression})"
        steps = "\n".join(f"{i + 1}. Replace n by {text}." for i, (text, *_rest) in enumerate(chosen))
        source = "\n\n".join(helpers) + f"\n\ndef {name}(n):\n    return {expression}\n"
        value = "n"
        lines = []
        for _, helper, _, _ in chosen:
            lines.append(f"    {value} = {helper}({value})")
        alternative = "\n\n".join(alternatives) + f"\n\ndef {name}(n):\n" + "\n".join(lines) + "\n    return n\n"
        m = config.magnitude
        inputs: list[tuple] = [(0,), (1,), (-1,), (m,), (-m,)]
        inputs += [(rng.randint(-m * 10, m * 10),) for _ in range(config.tests - len(inputs))]
        description = f"It takes an integer `n` and returns an integer. Do the following in order:\n{steps}\nReturn the final n."
        return Spec(name, f"{name}(n: int) -> int", description, source, alternative, inputs)

"""Benchmark: ``assay.verifiers.math.verify`` against ``math_verify.verify`` on the same pairs, same run.

Prints throughput, p50/p99 latency per pair and wrong verdicts on labelled sets, every verifier
starting with cold caches (repeated pairs in RL batches would make assay faster still). Run it with
``/opt/assay-venv/bin/python bench/math_verify.py [--pairs 400] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# this file shares its name with the package it measures: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from assay.verifiers import math as assay_math
from assay.verifiers.math import verify as assay_verify

ROOT = Path(__file__).resolve().parent.parent
Pair = tuple[str, str, bool, str]  # gold, completion, expected, kind

_FILLER = [
    "We begin by writing down what is given and what we are asked to find.",
    "Let $a = {a}$ and $b = {b}$, so that $a + b = {s}$ and $ab = {p}$.",
    "Substituting these values into the expression, we simplify step by step.",
    "Note that ${a}^2 = {a2}$, which we will need in the next step.",
    "Checking the edge cases, nothing changes, since every quantity stays positive.",
    "Dividing both sides by ${b}$ keeps the inequality in the same direction.",
    "Collecting like terms gives a cleaner form of the same expression.",
    "We can verify the intermediate result by plugging it back into the original equation.",
]


def _reasoning(rng: random.Random, size: int = 1000) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        a, b = rng.randint(2, 40), rng.randint(2, 40)
        parts.append(rng.choice(_FILLER).format(a=a, b=b, s=a + b, p=a * b, a2=a * a))
    return " ".join(parts)


def _simple(rng: random.Random) -> tuple[str, list[str], list[str]]:
    kind = rng.random()
    if kind < 0.5:
        n = rng.randint(-500, 5000)
        return str(n), [str(n), f"{n:,}" if n >= 1000 else f"{n}.0"], [str(n + rng.choice((-1, 1, 10))), str(-n or 1)]
    if kind < 0.8:
        q = rng.randint(2, 12)
        p = rng.choice([k for k in range(1, 40) if k % q])
        wrong = [f"\\frac{{{q}}}{{{p}}}"]
        if (p * 1000) % q:  # a rounded decimal is wrong only when the fraction does not terminate there
            wrong.append(f"{p / q:.3f}")
        return f"\\frac{{{p}}}{{{q}}}", [f"{p}/{q}", f"\\dfrac{{{2 * p}}}{{{2 * q}}}"], wrong
    whole, cents = rng.randint(0, 99), rng.randint(1, 99)
    value = f"{whole}.{cents:02d}".rstrip("0")
    return value, [value, f"{value}0"], [f"{whole}.{cents + 1:02d}".rstrip("0")]


def _structured(rng: random.Random) -> tuple[str, list[str], list[str]]:
    a, b = rng.randint(-9, 9), rng.randint(10, 20)
    kind = rng.randrange(5)
    if kind == 0:
        return f"({a}, {b})", [f"({a},{b})", f"\\left({a}, {b}\\right)"], [f"({b}, {a})"]
    if kind == 1:
        return f"[{a}, {b})", [f"[{a},{b})"], [f"({a}, {b})", f"[{a}, {b}]"]
    if kind == 2:
        return f"{a}, {b}", [f"{b}, {a}", f"x = {a} \\text{{ or }} x = {b}"], [f"{a}", f"{a}, {b + 1}"]
    if kind == 3:
        return (f"\\begin{{pmatrix}}{a}&{b}\\\\1&0\\end{{pmatrix}}", [f"\\begin{{bmatrix}}{a}&{b}\\\\1&0\\end{{bmatrix}}"],
                [f"\\begin{{pmatrix}}{a}&1\\\\{b}&0\\end{{pmatrix}}"])
    return f"x = {b}", [f"{b}", f"x={b}"], [f"x = {b + 1}"]


def _symbolic(rng: random.Random) -> tuple[str, list[str], list[str]]:
    a, b = rng.randint(2, 9), rng.choice([2, 3, 5, 6, 7])
    kind = rng.randrange(3)
    if kind == 0:
        return f"{a}\\sqrt{{{b}}}", [f"\\sqrt{{{a * a * b}}}"], [f"{a + 1}\\sqrt{{{b}}}"]
    if kind == 1:
        return f"\\frac{{\\pi}}{{{a}}}", [f"\\pi/{a}"], [f"\\frac{{\\pi}}{{{a + 1}}}"]
    return f"x^2 + {2 * a}x + {a * a}", [f"(x+{a})^2"], [f"(x-{a})^2"]


def make_pairs(count: int, seed: int) -> list[Pair]:
    """A realistic mix: 60% simple numbers, 20% structured, 20% symbolic; about 25% wrong."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        roll = rng.random()
        maker, kind = (_simple, "simple") if roll < 0.6 else (_structured, "structured") if roll < 0.8 else (_symbolic, "symbolic")
        gold, right, wrong = maker(rng)
        correct = rng.random() >= 0.25
        answer = rng.choice(right if correct else wrong)
        completion = f"{_reasoning(rng)}\n\nTherefore, the final answer is $\\boxed{{{answer}}}$."
        pairs.append((gold, completion, correct, kind))
    return pairs


def labelled_table() -> list[Pair]:
    """The verifier's test table, minus rows math-verify cannot read by design (<answer> tags) and
    the megabyte-sized bombs (math-verify would need minutes)."""
    spec = importlib.util.spec_from_file_location("math_table", ROOT / "tests" / "verifiers" / "math" / "test_math_verify.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return [(g, c, e, why) for g, c, e, why in module.TABLE if "<answer>" not in c and len(c) < 20_000]


def math_verify_call() -> Callable[[str, str], bool]:
    from math_verify import parse, verify

    def call(completion: str, gold: str) -> bool:
        # the documented usage: the gold in math delimiters, the completion as it is
        try:
            return bool(verify(parse(f"${gold}$"), parse(completion)))
        except Exception:  # noqa: BLE001  (math-verify raising is a wrong verdict too: count it)
            return False

    return call


def assay_call(completion: str, gold: str) -> bool:
    return assay_verify(completion, gold).passed


def measure(call: Callable[[str, str], bool], pairs: list[Pair]) -> tuple[float, float, float, int]:
    """(pairs per second, p50 ms, p99 ms, wrong verdicts) over ``pairs``, one call at a time."""
    latencies: list[float] = []
    wrong = 0
    start = time.perf_counter()
    for gold, completion, expected, _ in pairs:
        begin = time.perf_counter()
        verdict = call(completion, gold)
        latencies.append(time.perf_counter() - begin)
        wrong += verdict is not expected
    total = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(pairs) / total, statistics.median(latencies) * 1000, p99 * 1000, wrong


def _clear_caches() -> None:
    """Forget parsed golds and sympy outcomes, so no run profits from an earlier one."""
    assay_math._CAS_CACHE.clear()
    assay_math._parse_gold.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # math-verify logs every parsing timeout with the whole input

    pairs = make_pairs(args.pairs, args.seed)
    table = labelled_table()
    math_verify = math_verify_call()
    warm_up = make_pairs(20, args.seed + 1)  # other pairs: imports and the sympy worker, not caches
    for call in (assay_call, math_verify):
        measure(call, warm_up)

    def in_process(completion: str, gold: str) -> bool:
        os.environ["ASSAY_POOL_WORKER"] = "1"  # sympy in this process, as inside assay.pool
        try:
            return assay_verify(completion, gold).passed
        finally:
            del os.environ["ASSAY_POOL_WORKER"]

    rows = [
        ("assay (sympy worker pool)", assay_call),
        ("assay (sympy in-process)", in_process),
        ("math-verify 0.9", math_verify),
    ]
    counts = {kind: sum(1 for p in pairs if p[3] == kind) for kind in ("simple", "structured", "symbolic")}
    print(f"mix: {len(pairs)} pairs (~1 KB of reasoning each): {counts['simple']} simple, "
          f"{counts['structured']} structured, {counts['symbolic']} symbolic; {sum(1 for p in pairs if not p[2])} wrong")
    print(f"labelled table: {len(table)} rows\n")
    print(f"{'verifier':28} {'pairs/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'wrong (mix)':>12} {'wrong (table)':>14}")
    results = {}
    for name, call in rows:
        _clear_caches()  # every verifier starts cold on these pairs
        rate, p50, p99, wrong_mix = measure(call, pairs)
        wrong_table = measure(call, table)[3]
        results[name] = rate
        print(f"{name:28} {rate:9.1f} {p50:8.2f} {p99:8.2f} {wrong_mix:12d} {wrong_table:14d}")
    baseline = results["math-verify 0.9"]
    print()
    for name in ("assay (sympy worker pool)", "assay (sympy in-process)"):
        print(f"{name}: {results[name] / baseline:.1f}x math-verify's throughput")
    return 0


if __name__ == "__main__":
    sys.exit(main())

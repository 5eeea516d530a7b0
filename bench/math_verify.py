"""Benchmark: ``assay.verifiers.math.verify`` against ``math_verify.verify``: speed, and correctness
on a held-out table only.

Speed: a realistic mix of (gold, ~1 KB completion) pairs. Every verifier is warmed alike on pairs of
its own, then the verifiers run round-robin (order rotated each round), each run on a fresh mix
that no verifier has seen, Assay's caches emptied before each run; pairs/s is the median over the
rounds with its range, p50/p99 per-pair latency over all rounds; the machine's load is printed.

Correctness: only on ``bench/math_heldout.py``, rows written before either verifier ran on them
(Assay's own test tables tuned it, so it passes them by construction and they compare nothing).
Both verifiers are reported, labelled; rows on a documented policy (graders differ) are counted
apart from errors. math-verify runs in a killable child process with 5 s alarms, its gold wrapped
in ``$...$`` as training code does.

``--record`` re-runs math-verify on Assay's tuning tables and lists the rows whose verdict moved
since ``bench/math_verify_record.py`` (a check of the dependency, not of Assay).

Run: ``.venv/bin/python bench/math_verify.py [--pairs 300] [--repeats 5] [--seed 0] [--no-speed] [--record]``.
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
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

# this file shares its name with the package it measures: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from assay.benchmark import interleaved, machine_load, measurements
from assay.verifiers import math as assay_math
from assay.verifiers.math import verify as assay_verify

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
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


def assay_in_process(completion: str, gold: str) -> bool:
    os.environ["ASSAY_POOL_WORKER"] = "1"  # sympy in this process, as inside assay.executors.pool
    try:
        return assay_verify(completion, gold).passed
    finally:
        del os.environ["ASSAY_POOL_WORKER"]


def _clear_caches() -> None:
    """Forget parsed golds and sympy outcomes, so no run profits from an earlier one."""
    assay_math._CAS_CACHE.clear()
    assay_math._parse_gold.cache_clear()


def load(name: str) -> ModuleType:
    """A module of this folder by path (this file shares its name with math_verify, so the folder
    stays off sys.path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def speed(pairs: int, repeats: int, seed: int) -> None:
    math_verify = math_verify_call()
    calls: dict[str, Callable[[str, str], bool]] = {
        "assay (sympy worker pool)": assay_call,
        "assay (sympy in-process)": assay_in_process,
        "math-verify 0.9 (in-process)": math_verify,
    }
    names = list(calls)
    seeds = iter(range(seed + 1, seed + 1 + len(names) * (repeats + 1)))
    mixes = {(name, index): make_pairs(pairs, next(seeds)) for index in range(-1, repeats) for name in names}
    latencies: dict[str, list[float]] = {name: [] for name in names}

    def run(name: str, index: int) -> None:
        _clear_caches()
        for gold, completion, _, _ in mixes[name, index]:
            begin = time.perf_counter()
            calls[name](completion, gold)
            if index >= 0:
                latencies[name].append(time.perf_counter() - begin)

    print(f"before: {machine_load()}")
    results = measurements(interleaved(names, run, repeats), pairs, "math-verify 0.9 (in-process)")
    sample = mixes[names[0], 0]
    kinds = Counter(p[3] for p in sample)
    print(f"speed: {pairs} pairs per run (~1 KB of reasoning each; e.g. {kinds['simple']} simple, {kinds['structured']} "
          f"structured, {kinds['symbolic']} symbolic), {repeats} interleaved rounds after one warm-up run per verifier, "
          "every run on a fresh mix, Assay's caches emptied before each run")
    print(f"{'verifier':30} {'pairs/s':>9} {'min-max':>13} {'p50 ms':>8} {'p99 ms':>8} {'vs math-verify':>15} {'ratio min-max':>14}")
    for m in results:
        values = sorted(latencies[m.name])
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        spread = f"{pairs / max(m.times):.0f}-{pairs / min(m.times):.0f}"
        ratios = f"{min(m.ratios):.2f}-{max(m.ratios):.2f}"
        print(f"{m.name:30} {m.per_second:9.1f} {spread:>13} {statistics.median(values) * 1000:8.2f} {p99 * 1000:8.2f} "
              f"{m.ratio:14.2f}x {ratios:>14}")
    print(f"after:  {machine_load()}\n")


def correctness() -> None:
    table = load("math_heldout")
    oracle = load("math_verify_oracle")
    rows = table.ROWS
    verdicts = {
        "assay": [assay_call(r.completion, r.gold) for r in rows],
        "math-verify 0.9": [oracle.math_verify_passes(r.gold, r.completion, 5) for r in rows],
    }
    plain = [i for i, r in enumerate(rows) if not r.policy]
    policy = [i for i, r in enumerate(rows) if r.policy]
    print(f"correctness on the held-out table (bench/math_heldout.py): {len(rows)} rows written before either verifier "
          f"ran on them; {len(plain)} with one right verdict, {len(policy)} on a documented policy")
    print(f"{'verifier':18} {'errors':>7} {'of':>4} {'false pass':>11} {'false fail':>11} {'accuracy':>9} "
          f"{'other convention':>17} {'of':>4}")
    for name, said in verdicts.items():
        errors = [i for i in plain if said[i] is not rows[i].expected]
        false_pass = sum(1 for i in errors if said[i])
        other = [i for i in policy if said[i] is not rows[i].expected]
        accuracy = 1 - len(errors) / len(plain)
        print(f"{name:18} {len(errors):7d} {len(plain):4d} {false_pass:11d} {len(errors) - false_pass:11d} {accuracy:9.3f} "
              f"{len(other):17d} {len(policy):4d}")
    for name, said in verdicts.items():
        print(f"\n{name}: errors (verdict, expected, kind, why, gold)")
        for i in plain:
            if said[i] is not rows[i].expected:
                r = rows[i]
                print(f"  {'pass' if said[i] else 'fail':4} want {'pass' if r.expected else 'fail':4} {r.kind:5} {r.why} [gold {r.gold}]")
        by_policy = Counter(rows[i].policy for i in policy if said[i] is not rows[i].expected)
        if by_policy:
            print(f"{name}: follows another convention on: " + ", ".join(f"{k} ({v})" for k, v in sorted(by_policy.items())))


def record() -> int:
    """math-verify on Assay's tuning tables against its record: the rows whose verdict moved."""
    recorded = load("math_verify_record")
    oracle = load("math_verify_oracle")
    adversarial = ROOT / "tests" / "adversarial"
    sys.path.insert(0, str(adversarial))
    try:
        import test_math_adversarial as table
        import test_math_tasks_adversarial as tasks
    finally:
        sys.path.remove(str(adversarial))
    rows = [row.values if hasattr(row, "values") else row for row in table.ROWS]
    moved = sorted(
        why for gold, completion, expected, why in rows
        if why not in recorded.MATH_VERIFY_TIMING
        and (oracle.math_verify_passes(gold, completion) is not expected) is not (why in recorded.MATH_VERIFY_WRONG)
    )
    print(f"math-verify on Assay's adversarial tuning table: {len(rows)} rows, record of {len(recorded.MATH_VERIFY_WRONG)} "
          f"rows it gets wrong (these rows tuned Assay: no comparison); verdicts moved since the record: {len(moved)}")
    for why in moved:
        print(f"  moved: {why}")
    changed = []
    for task in tasks.TASKS:
        task_rows = [p.values for p in tasks.PARAMS if p.values[0] == task]
        wrong = sum(1 for _, level, seed, completion, expected, _ in task_rows
                    if oracle.math_verify_passes(tasks.problem(task, level, seed).answer, completion,
                                                 recorded.TASK_ROW_LIMIT_S) is not expected)
        if wrong != recorded.MATH_VERIFY_WRONG_PER_TASK.get(task, 0):
            changed.append(f"{task}: {wrong} wrong, recorded {recorded.MATH_VERIFY_WRONG_PER_TASK.get(task, 0)}")
    print(f"math-verify on the task rows: {len(changed)} task(s) changed since the record")
    for line in changed:
        print(f"  {line}")
    return 1 if moved or changed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300, help="pairs per timed run (default 300)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved timed rounds (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-speed", action="store_true", help="correctness only")
    parser.add_argument("--record", action="store_true", help="only check math-verify against its record on the tuning tables")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # math-verify logs every parsing timeout with the whole input
    if args.record:
        return record()
    if not args.no_speed:
        speed(args.pairs, args.repeats, args.seed)
    correctness()
    return 0


if __name__ == "__main__":
    sys.exit(main())

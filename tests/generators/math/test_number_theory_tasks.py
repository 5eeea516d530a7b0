"""math/gcd_lcm, modular_power, modular_inverse, chinese_remainder: golds against sympy, levels,
verifier behaviour on equivalent forms and near misses."""

from __future__ import annotations

import re

import pytest
import sympy
from math_task_support import level_means, passes, probe_failures, problems
from sympy.ntheory.modular import solve_congruence

import assay

TASKS = ["math/gcd_lcm", "math/modular_power", "math/modular_inverse", "math/chinese_remainder"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_gcd_lcm_gold_matches_sympy():
    for problem in problems("math/gcd_lcm", range(6)):
        numbers = [int(n) for n in re.findall(r"\d+", problem.prompt.split(".")[0].split("of ")[-1])]
        gcd, lcm = sympy.gcd(numbers), sympy.lcm(numbers)
        expected = {"greatest common divisor of": gcd, "least common multiple of": lcm}
        if "g + l" in problem.prompt:
            assert int(problem.answer) == gcd + lcm
        elif "greatest" in problem.prompt:
            assert int(problem.answer) == expected["greatest common divisor of"]
        else:
            assert int(problem.answer) == expected["least common multiple of"]


def test_modular_power_gold_matches_sympy():
    for problem in problems("math/modular_power", range(6)):
        base, exponent, modulus = re.fullmatch(r"(\d+)\^\{(.+)\} \\bmod (\d+)", problem.data["question"]).groups()
        tower = re.fullmatch(r"(\d+)\^\{(\d+)\}", exponent)
        e = int(tower.group(1)) ** int(tower.group(2)) if tower else int(exponent)
        assert int(problem.answer) == square_and_multiply(int(base), e, int(modulus))
        assert 0 <= int(problem.answer) < int(modulus)


def square_and_multiply(base: int, exponent: int, modulus: int) -> int:
    result, base = 1, base % modulus
    for bit in bin(exponent)[2:]:
        result = result * result % modulus
        if bit == "1":
            result = result * base % modulus
    return result


def test_modular_inverse_gold_solves_the_congruence():
    for problem in problems("math/modular_inverse", range(6)):
        a, b, m = re.search(r"(\d+) x \\equiv (\d+) \\pmod\{(\d+)\}", problem.prompt).groups()
        x = int(problem.answer)
        assert 0 <= x < int(m) and (int(a) * x - int(b)) % int(m) == 0


def test_chinese_remainder_gold_is_the_least_solution():
    for problem in problems("math/chinese_remainder", range(6)):
        pairs = [(int(r), int(m)) for r, m in re.findall(r"x \\equiv (\d+) \\pmod\{(\d+)\}", problem.prompt)]
        least, _ = solve_congruence(*pairs)
        assert int(problem.answer) == least


def test_levels_raise_magnitudes():
    means = level_means("math/modular_power", lambda p: int(p.data["question"].rsplit(" ", 1)[1]))
    assert means[1] < means[3] < means[5]
    sizes = level_means("math/chinese_remainder", lambda p: p.prompt.count("\\equiv"))
    assert sizes[1] == 2 and sizes[5] == 4
    moduli = level_means("math/modular_inverse", lambda p: p.data["modulus"])
    assert moduli[1] < moduli[2] < moduli[4] < moduli[5]


def test_level_5_crt_moduli_share_factors():
    for problem in problems("math/chinese_remainder", range(5), levels=[5]):
        moduli = [int(m) for m in re.findall(r"\\pmod\{(\d+)\}", problem.prompt)]
        assert any(sympy.gcd(a, b) > 1 for i, a in enumerate(moduli) for b in moduli[i + 1 :])


def test_number_answers_must_be_written_as_numbers():
    problem = assay.get_task("math/modular_power").generate(3, difficulty=2)
    gold = int(problem.answer)
    modulus = int(problem.data["question"].rsplit(" ", 1)[1])
    assert passes(problem, str(gold)) and passes(problem, f"{gold}.0") and passes(problem, f"x = {gold}")
    assert not passes(problem, problem.data["question"])  # the copied question
    assert not passes(problem, f"{gold} + {modulus} - {modulus}")  # an expression equal to the gold
    assert not passes(problem, str(gold + modulus))  # congruent, not least
    assert not passes(problem, f"{gold} or {gold + 1}")


def test_generation_is_deterministic():
    for task_id in TASKS:
        task = assay.get_task(task_id)
        assert task.generate(11, difficulty=4).to_row() == task.generate(11, difficulty=4).to_row()
        assert task.generate(11, difficulty=4).prompt != task.generate(12, difficulty=4).prompt

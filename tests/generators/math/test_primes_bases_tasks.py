"""math/prime_factorization, divisor_functions, base_conversion: golds against sympy, the
factorisation and numeral grammars, levels."""

from __future__ import annotations

import math

import pytest
import sympy
from math_task_support import level_means, passes, probe_failures, problems

from assay.generators.math.primes_bases import is_prime, parse_factorisation, parse_numeral, to_base
from assay.types import Problem

TASKS = ["math/prime_factorization", "math/divisor_functions", "math/base_conversion"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_factorisation_gold_matches_sympy():
    for problem in problems("math/prime_factorization", range(6)):
        assert {p: k for p, k in problem.data["factors"]} == sympy.factorint(problem.data["n"])


@pytest.mark.parametrize(
    ("answer", "expected", "why"),
    [
        ("2^{3} \\cdot 3^{2} \\cdot 5", True, "the gold form"),
        ("5 \\times 3^2 \\times 2^3", True, "another order, \\times"),
        ("2*2*2*3*3*5", True, "every prime written out"),
        ("360 = 2^3 \\cdot 3^2 \\cdot 5", True, "the number restated"),
        ("360", False, "the number itself"),
        ("8 \\cdot 9 \\cdot 5", False, "prime powers evaluated (not prime factors)"),
        ("2^{3} \\cdot 3^{2}", False, "a prime missing"),
        ("2^{3} \\cdot 3^{2} \\cdot 5 \\cdot 1", False, "a factor 1"),
        ("2^{3} \\cdot 45", False, "a composite factor"),
        ("2^{3} \\cdot 3^{2} \\cdot 5 or 360", False, "hedged"),
        ("2^{10^{10}}", False, "an exponent bomb"),
    ],
)
def test_factorisation_check(answer, expected, why):
    gold = "2^{3} \\cdot 3^{2} \\cdot 5"
    problem = Problem.create("math/prime_factorization", "Factor 360.", gold, {"gold": gold, "n": 360, "factors": [[2, 3], [3, 2], [5, 1]]}, {})
    assert passes(problem, answer) is expected, why


def test_factorisation_grammar_is_bounded():
    assert parse_factorisation("2^{999999}", 8) is None
    assert parse_factorisation(" \\cdot ".join(["2"] * 100), 2**100) is None
    assert is_prime(2**61 - 1) and not is_prime(2**61 + 1) and not is_prime(1)


def test_divisor_functions_gold_matches_sympy():
    for problem in problems("math/divisor_functions", range(6)):
        n = int(problem.data["n"])
        if "How many positive divisors" in problem.prompt:
            expected = sympy.divisor_count(n)
        elif "sum of all positive divisors" in problem.prompt:
            expected = sympy.divisor_sigma(n)
        else:
            expected = sympy.totient(n)
        assert int(problem.answer) == expected


def test_base_conversion_gold_and_grammar():
    for problem in problems("math/base_conversion", range(6)):
        assert int(problem.answer, problem.data["target"]) == int(problem.data["shown"], problem.data["source"])
    assert parse_numeral("0x1f", 16) == 31 and parse_numeral("1F_{16}", 16) == 31
    assert parse_numeral("1F_{10}", 16) is None and parse_numeral("102", 2) is None
    assert parse_numeral("0b101", 16) == 0xB101  # not a binary prefix in base 16
    assert parse_numeral("(1011)_2", 2) == 11 and parse_numeral("(1011", 2) is None
    assert to_base(0, 2) == "0" and to_base(35, 36) == "Z"


def test_levels_raise_sizes():
    means = level_means("math/prime_factorization", lambda p: math.log10(p.data["n"]))
    assert means[1] < means[3] < means[5]
    digits = level_means("math/base_conversion", lambda p: int(p.data["value"]))
    assert digits[1] < digits[3] < digits[5]
    assert level_means("math/divisor_functions", lambda p: len(p.data["n"]))[5] > level_means("math/divisor_functions", lambda p: len(p.data["n"]))[1]


def test_hex_answers_accept_either_case():
    problem = next(p for p in problems("math/base_conversion", range(20), levels=[4]) if p.data["target"] == 16 and any(c.isalpha() for c in p.answer))
    assert passes(problem, problem.answer.lower()) and passes(problem, f"0x{problem.answer}")
    assert not passes(problem, f"0b{problem.answer}") and not passes(problem, problem.data["value"])

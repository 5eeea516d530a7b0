"""``assay.verifiers.math.exact``: exact Gaussian-rational values in the grader's process, refusals
of expression bombs, and the float screen."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.verifiers.math.exact import MAX_BITS, NotExact, approximate, estimated_bits, exact
from assay.verifiers.math.lexer import ParseError, TooLarge
from assay.verifiers.math.parse import parse

F = Fraction

VALUES = [
    ("3", (F(3), F(0)), "an integer"),
    (r"\frac{6}{4}", (F(3, 2), F(0)), "a fraction, reduced"),
    ("0.125", (F(1, 8), F(0)), "a decimal"),
    ("(3+4i)(3-4i)", (F(25), F(0)), "Gaussian integers"),
    ("i^{10^{100}}", (F(1), F(0)), "a unit to a huge power cycles"),
    (r"\sqrt{\frac{9}{4}}", (F(3, 2), F(0)), "a rational square root"),
    (r"\sqrt{-4}", (F(0), F(2)), "the square root of a negative number"),
    (r"\sqrt[3]{-8}", (F(-2), F(0)), "the real cube root"),
    ("8^{2/3}", (F(4), F(0)), "a fractional power of a perfect power"),
    ("5!", (F(120), F(0)), "a factorial"),
    (r"\binom{5}{2}", (F(10), F(0)), "a binomial coefficient"),
    (r"|3-4i|", (F(5), F(0)), "the modulus of a complex number"),
    (r"\overline{2+i}", (F(2), F(-1)), "a complex conjugate"),
    (r"\lfloor 7/2 \rfloor", (F(3), F(0)), "floor"),
    (r"25\%", (F(1, 4), F(0)), "a percentage"),
    ("e^0", (F(1), F(0)), "e to the zero"),
]


@pytest.mark.parametrize("text, value, why", VALUES, ids=[row[2] for row in VALUES])
def test_exact_values(text: str, value: tuple[Fraction, Fraction], why: str) -> None:
    assert exact(parse(text)) == value, why


@pytest.mark.parametrize("text", [r"\sqrt{2}", r"\pi", "x + 1", "e^2", "2^{1/3}", "1001!", r"\sin 1"])
def test_what_needs_the_cas_is_not_exact(text: str) -> None:
    with pytest.raises(NotExact):
        exact(parse(text))


@pytest.mark.parametrize("text", ["1/0", "(-3)!", "0^{-1}", r"\lfloor i \rfloor"])
def test_no_value_at_all_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        exact(parse(text))
    assert not isinstance(caught.value, TooLarge)


SUM_OF_TINY_FRACTIONS = " + ".join(rf"\frac{{1}}{{{p}^{{90000}}}}" for p in (3, 5, 7, 11, 13))  # denominators multiply


@pytest.mark.parametrize("text", ["(10^7)!", "10^{10^{10}}", r"\binom{10^9}{5}", SUM_OF_TINY_FRACTIONS])
def test_bombs_are_over_the_bound_before_evaluation(text: str) -> None:
    assert estimated_bits(parse(text)) > MAX_BITS


@pytest.mark.parametrize("text", ["2^{10} + 1", "(-1)^{10^{100}}", r"\frac{1}{2^{99}}", "100!"])
def test_ordinary_numbers_are_under_the_bound(text: str) -> None:
    assert estimated_bits(parse(text)) <= MAX_BITS


def test_approximate_and_its_magnitudes() -> None:
    assert abs(approximate(parse(r"\sqrt{2}\pi")) - 4.442882938158366) < 1e-12
    assert approximate(parse(r"\log_2 8")).real == pytest.approx(3)
    magnitudes: list[float] = []
    approximate(parse(r"\pi + 10^{20} - 10^{20}"), magnitudes)
    assert max(magnitudes) >= 1e20  # the cancellation is visible to the caller
    with pytest.raises(ValueError):
        approximate(parse("x + 1"))

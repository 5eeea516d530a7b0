"""assay.config: the shared checks of configuration values (tables of value, verdict, why)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.config import require_bool, require_bools, require_choice, require_int, require_number
from assay.errors import ConfigError

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    ("value", "low", "high", "ok", "why"),
    [
        (3, 1, 5, True, "inside the range"),
        (1, 1, 5, True, "the bounds are inclusive"),
        (5, 1, 5, True, "the bounds are inclusive"),
        (0, 1, 5, False, "below the range"),
        (6, 1, 5, False, "above the range"),
        (True, 0, 5, False, "a bool is not a count"),
        (3.0, 1, 5, False, "a float is not an int, even a whole one"),
        ("3", 1, 5, False, "text is not an int"),
        (None, 1, 5, False, "missing"),
        (10**30, 0, None, True, "an open upper bound"),
        (-(10**30), None, 0, True, "an open lower bound"),
    ],
)
def test_require_int(value, low, high, ok, why):
    if ok:
        assert require_int("field", value, low, high) == value, why
    else:
        with pytest.raises(ConfigError) as caught:
            require_int("field", value, low, high)
        assert caught.value.field == "field" and caught.value.value == value, why


@pytest.mark.parametrize(
    ("low", "high", "rule"),
    [
        (2, 40, "must be an integer between 2 and 40"),
        (1, None, "must be an integer >= 1"),
        (0, None, "must be a non-negative integer"),
        (None, 9, "must be an integer <= 9"),
        (None, None, "must be an integer"),
    ],
)
def test_require_int_says_its_rule(low, high, rule):
    with pytest.raises(ConfigError) as caught:
        require_int("field", "x", low, high)
    assert caught.value.rule == rule


@pytest.mark.parametrize(
    ("value", "ok", "why"),
    [
        (True, True, "true"),
        (False, True, "false"),
        (1, False, "1 is not a bool"),
        ("yes", False, "text"),
        (None, False, "missing"),
    ],
)
def test_require_bool(value, ok, why):
    if ok:
        assert require_bool("flag", value) is value, why
    else:
        with pytest.raises(ConfigError, match="flag: must be true or false"):
            require_bool("flag", value)


def test_require_bools_names_the_first_bad_attribute():
    class Settings:
        a, b, c = True, "no", 1

    with pytest.raises(ConfigError) as caught:
        require_bools(Settings(), ("a", "b", "c"))
    assert (caught.value.field, caught.value.value) == ("b", "no")
    require_bools(Settings(), ("a",))


@pytest.mark.parametrize(
    ("value", "choices", "ok", "why"),
    [
        ("die", ("die", "table"), True, "a listed choice"),
        ("coin", ("die", "table"), False, "not listed"),
        (30, (15, 30, 45), True, "numbers may be choices"),
        (True, (1, 2), False, "True equals 1 but is not the choice 1"),
        (["die"], ("die",), False, "a list holding a choice is not the choice"),
    ],
)
def test_require_choice(value, choices, ok, why):
    if ok:
        assert require_choice("kind", value, choices) == value, why
    else:
        with pytest.raises(ConfigError, match="kind: must be one of"):
            require_choice("kind", value, choices)


@pytest.mark.parametrize(
    ("value", "bounds", "ok", "why"),
    [
        (0.4, {"low": 0, "high": 1}, True, "inside"),
        (0, {"low": 0, "high": 1}, True, "an int is a number"),
        (Fraction(1, 3), {"low": 0, "high": 1}, True, "a Fraction is a number"),
        (NAN, {"low": 0, "high": 1}, False, "nan compares false with everything"),
        (INF, {}, False, "not finite"),
        (True, {}, False, "a bool is not a number"),
        ("0.5", {}, False, "text"),
        (1, {"low": 0, "below": 1}, False, "the strict upper bound"),
        (0, {"above": 0}, False, "the strict lower bound"),
        (1e-9, {"above": 0}, True, "just above the strict lower bound"),
    ],
)
def test_require_number(value, bounds, ok, why):
    if ok:
        assert require_number("x", value, **bounds) == value, why
    else:
        with pytest.raises(ConfigError):
            require_number("x", value, **bounds)


@pytest.mark.parametrize(
    ("bounds", "rule"),
    [
        ({"low": 0, "high": 1}, "must be a number in [0, 1]"),
        ({"low": 0, "below": 1, "what": "a fraction"}, "must be a fraction in [0, 1)"),
        ({"high": 1.0, "above": 0.0}, "must be a number in (0.0, 1.0]"),
        ({"above": 0}, "must be a positive number"),
        ({"low": 0}, "must be a non-negative number"),
        ({"low": 2}, "must be a number >= 2"),
        ({"below": 5}, "must be a number < 5"),
        ({}, "must be a number"),
    ],
)
def test_require_number_says_its_rule(bounds, rule):
    with pytest.raises(ConfigError) as caught:
        require_number("x", "not a number", **bounds)
    assert caught.value.rule == rule

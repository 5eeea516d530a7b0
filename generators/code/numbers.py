"""code/number_functions: a function composing generated integer operations (digit sums, digit
reversal, divisor counts, bit counts, Collatz steps, gcd, remainders) on one integer.
"""

from __future__ import annotations

from assay.generators.code._numbers import NumberFunctions
from assay.registry import register_task


@register_task
class NumberFunctionsTask(NumberFunctions):
    """The registered task; its specification and tests are built in ``_numbers``."""

    version = 3  # 3: mutants run within counted steps (a Collatz mutant growing its integer took 60 ms a run)
    mutant_steps = 5_000

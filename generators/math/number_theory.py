"""Number theory tasks with integer answers: gcd and lcm, modular powers, modular inverses and
linear congruences, and the Chinese remainder theorem.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bool, require_choice, require_int
from assay.generators.math.answers import INTEGER_HINT, NumberTask, Posed
from assay.registry import Probe, TaskConfig, register_task, wrap
from assay.types import Problem


# -- gcd / lcm ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class GcdLcmConfig(TaskConfig):
    count: int = 2  # how many numbers
    magnitude: int = 100  # largest number
    ask: str = "gcd"  # "gcd", "lcm" or "both" (gcd + lcm)

    def __post_init__(self) -> None:
        require_int("count", self.count, 2, 6)
        require_int("magnitude", self.magnitude, 12, 10**12)
        require_choice("ask", self.ask, ("gcd", "lcm", "both"))


@register_task
class GcdLcm(NumberTask[GcdLcmConfig]):
    id = "math/gcd_lcm"
    description = "The greatest common divisor or least common multiple of several integers."
    Config = GcdLcmConfig
    levels = {
        1: GcdLcmConfig(2, 100, "gcd"),
        2: GcdLcmConfig(2, 200, "lcm"),
        3: GcdLcmConfig(3, 10**4, "gcd"),
        4: GcdLcmConfig(3, 2000, "lcm"),
        5: GcdLcmConfig(4, 10**6, "both"),
    }
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: GcdLcmConfig) -> Posed:
        # a shared factor keeps the gcd non-trivial
        common = rng.randint(2, max(2, int(config.magnitude ** 0.5)))
        numbers: list[int] = []
        while len(numbers) < config.count:
            n = common * rng.randint(2, max(2, config.magnitude // common))
            if n not in numbers:
                numbers.append(n)
        listed = ", ".join(map(str, numbers))
        gcd, lcm = math.gcd(*numbers), math.lcm(*numbers)
        if config.ask == "gcd":
            return Posed(f"Find the greatest common divisor of {listed}.", Fraction(gcd), f"\\gcd({listed})")
        if config.ask == "lcm":
            return Posed(f"Find the least common multiple of {listed}.", Fraction(lcm), f"\\operatorname{{lcm}}({listed})")
        return Posed(
            f"Let $g$ be the greatest common divisor and $l$ the least common multiple of {listed}. Find $g + l$.",
            Fraction(gcd + lcm), f"\\gcd({listed}) + \\operatorname{{lcm}}({listed})",
        )


# -- modular power -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ModularPowerConfig(TaskConfig):
    modulus: int = 20  # largest modulus
    exponent: int = 10  # largest exponent
    tower: bool = False  # the exponent is itself a power b^c

    def __post_init__(self) -> None:
        require_int("modulus", self.modulus, 3, 10**9)
        require_int("exponent", self.exponent, 2, 10**18)
        require_bool("tower", self.tower)


@register_task
class ModularPower(NumberTask[ModularPowerConfig]):
    id = "math/modular_power"
    description = "The least non-negative residue of a^e modulo m."
    Config = ModularPowerConfig
    levels = {
        1: ModularPowerConfig(20, 10),
        2: ModularPowerConfig(50, 100),
        3: ModularPowerConfig(1000, 10**4),
        4: ModularPowerConfig(10**5, 10**9),
        5: ModularPowerConfig(10**6, 10**9, tower=True),
    }
    hint = "Give the least non-negative residue as an integer."

    def pose(self, rng: random.Random, config: ModularPowerConfig) -> Posed:
        modulus = rng.randint(3, config.modulus)
        base = rng.randint(2, max(2, min(10 * modulus, 10**6)))
        if config.tower:
            b, c = rng.randint(2, 20), rng.randint(3, 9)
            exponent, exponent_text = b**c, f"{{{b}^{{{c}}}}}"
        else:
            exponent = rng.randint(2, config.exponent)
            exponent_text = f"{{{exponent}}}"
        value = pow(base, exponent, modulus)
        question = f"{base}^{exponent_text} \\bmod {modulus}"
        return Posed(f"Compute ${base}^{exponent_text} \\bmod {modulus}$.", Fraction(value), question)

    def more_probes(self, problem: Problem) -> list[Probe]:
        gold = int(problem.data["gold"])
        modulus = int(problem.data["question"].rsplit(" ", 1)[1])
        return [Probe(wrap(str(gold + modulus)), False, "congruent but not the least residue")]


# -- modular inverse / linear congruence -------------------------------------------------------
@dataclass(frozen=True)
class ModularInverseConfig(TaskConfig):
    modulus: int = 30  # largest modulus
    congruence: bool = False  # solve a x = b (mod m) instead of a x = 1

    def __post_init__(self) -> None:
        require_int("modulus", self.modulus, 5, 10**12)
        require_bool("congruence", self.congruence)


@register_task
class ModularInverse(NumberTask[ModularInverseConfig]):
    id = "math/modular_inverse"
    description = "The inverse of a modulo m, or the solution of a linear congruence a x = b (mod m)."
    Config = ModularInverseConfig
    levels = {
        1: ModularInverseConfig(30),
        2: ModularInverseConfig(200),
        3: ModularInverseConfig(1000, congruence=True),
        4: ModularInverseConfig(10**5),
        5: ModularInverseConfig(10**9, congruence=True),
    }
    hint = "Give the unique solution x with 0 <= x < m as an integer."

    def pose(self, rng: random.Random, config: ModularInverseConfig) -> Posed:
        while True:
            modulus = rng.randint(5, config.modulus)
            a = rng.randint(2, modulus - 1)
            if math.gcd(a, modulus) == 1:
                break
        inverse = pow(a, -1, modulus)
        if config.congruence:
            b = rng.randint(1, modulus - 1)
            text = f"Find the integer $x$ with $0 \\le x < {modulus}$ such that ${a} x \\equiv {b} \\pmod{{{modulus}}}$."
            value = b * inverse % modulus
            question = f"{b} \\cdot {a}^{{-1}} \\bmod {modulus}"
        else:
            text = (f"Find the inverse of ${a}$ modulo ${modulus}$: the integer $x$ with "
                    f"$0 \\le x < {modulus}$ such that ${a} x \\equiv 1 \\pmod{{{modulus}}}$.")
            value = inverse
            question = f"{a}^{{-1}} \\bmod {modulus}"
        return Posed(text, Fraction(value), question, {"modulus": modulus, "a": a})

    def more_probes(self, problem: Problem) -> list[Probe]:
        gold, modulus = int(problem.data["gold"]), problem.data["modulus"]
        return [
            Probe(wrap(f"x = {gold}"), True, "written as an equation"),
            Probe(wrap(str(gold + modulus)), False, "a solution outside 0 <= x < m"),
            Probe(wrap(str(modulus - gold)), False, "the negated residue"),
        ]


# -- Chinese remainder theorem -----------------------------------------------------------------
@dataclass(frozen=True)
class CrtConfig(TaskConfig):
    congruences: int = 2
    modulus: int = 12  # largest modulus
    coprime: bool = True  # pairwise coprime moduli; otherwise consistent but sharing factors

    def __post_init__(self) -> None:
        require_int("congruences", self.congruences, 2, 6)
        require_int("modulus", self.modulus, 5, 10**6)
        require_bool("coprime", self.coprime)


@register_task
class ChineseRemainder(NumberTask[CrtConfig]):
    id = "math/chinese_remainder"
    description = "The least non-negative integer satisfying a system of congruences."
    Config = CrtConfig
    levels = {
        1: CrtConfig(2, 12),
        2: CrtConfig(3, 20),
        3: CrtConfig(3, 100),
        4: CrtConfig(4, 200),
        5: CrtConfig(4, 300, coprime=False),
    }
    hint = "Give the least non-negative solution as an integer."

    def pose(self, rng: random.Random, config: CrtConfig) -> Posed:
        moduli = self._moduli(rng, config)
        period = math.lcm(*moduli)
        value = rng.randrange(period)  # residues come from one hidden solution: always consistent
        lines = "\n".join(f"$x \\equiv {value % m} \\pmod{{{m}}}$" for m in moduli)
        text = f"Find the least non-negative integer $x$ satisfying all of:\n{lines}"
        return Posed(text, Fraction(value), "", {"period": period})

    @staticmethod
    def _moduli(rng: random.Random, config: CrtConfig) -> list[int]:
        for _ in range(1000):  # restarts: a bad first draw (a large prime) can leave no partner
            moduli: list[int] = []
            for _ in range(200):
                m = rng.randint(3, config.modulus)
                if m in moduli:
                    continue
                if config.coprime and any(math.gcd(m, other) != 1 for other in moduli):
                    continue
                if not config.coprime and moduli and (
                    all(math.gcd(m, other) == 1 for other in moduli) or any(m % o == 0 or o % m == 0 for o in moduli)
                ):
                    continue  # shares a factor with some modulus and divides none
                moduli.append(m)
                if len(moduli) == config.congruences:
                    return moduli
        raise RuntimeError("could not draw moduli")  # a generator bug

    def more_probes(self, problem: Problem) -> list[Probe]:
        gold, period = int(problem.data["gold"]), problem.data["period"]
        return [
            Probe(wrap(str(gold + period)), False, "a solution but not the least"),
            Probe(wrap(f"{gold} \\pmod{{{period}}}"), False, "a residue class instead of the number"),
        ]

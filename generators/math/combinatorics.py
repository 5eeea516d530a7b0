"""Combinatorics and probability: counting (permutations, combinations, anagrams, constrained
committees, inclusion-exclusion, stars and bars), binomial coefficients, expected values, and
probabilities as exact fractions.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math.answers import INTEGER_HINT, NumberTask, Posed
from assay.generators.math.formatting import latex_number, pick
from assay.registry import TaskConfig, register_task

PROBABILITY_HINT = "Give the probability exactly as a fraction in lowest terms (or an integer)."


# -- counting ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountingConfig(TaskConfig):
    kind: str = "arrangements"  # "arrangements", "committees", "anagrams", "constrained", "advanced"
    size: int = 7

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("arrangements", "committees", "anagrams", "constrained", "advanced"))
        require_int("size", self.size, 3, 30)


@register_task
class Counting(NumberTask[CountingConfig]):
    id = "math/counting"
    description = "Counting problems: arrangements, committees, anagrams, constraints, inclusion-exclusion, stars and bars."
    Config = CountingConfig
    levels = {
        1: CountingConfig("arrangements", 8),
        2: CountingConfig("committees", 15),
        3: CountingConfig("anagrams", 9),
        4: CountingConfig("constrained", 12),
        5: CountingConfig("advanced", 12),
    }
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: CountingConfig) -> Posed:
        n = config.size
        if config.kind == "arrangements":
            people, k = rng.randint(4, n), rng.randint(2, 4)
            k = min(k, people)
            variant = rng.randrange(3)
            if variant == 0:
                roles = ["president", "vice-president", "secretary", "treasurer"][:k]
                text = (f"A club has {people} members. In how many ways can it choose a {', a '.join(roles[:-1])} and a {roles[-1]}, "
                        f"if no member holds two roles?")
                return Posed(text, Fraction(math.perm(people, k)), "", {"n": people, "k": k})
            letters = rng.randint(people, 26)
            if variant == 1:
                text = f"How many {k}-letter codes can be made from an alphabet of {letters} letters if no letter is repeated?"
                return Posed(text, Fraction(math.perm(letters, k)), "", {"n": letters, "k": k})
            text = f"How many {k}-letter codes can be made from an alphabet of {letters} letters if letters may repeat?"
            return Posed(text, Fraction(letters**k), "", {"n": letters, "k": k, "repeat": True})
        if config.kind == "committees":
            people = rng.randint(6, n)
            k = rng.randint(2, people - 2)
            text = f"In how many ways can a committee of {k} be chosen from {people} people?"
            return Posed(text, Fraction(math.comb(people, k)), "", {"n": people, "k": k})
        if config.kind == "anagrams":
            length = rng.randint(5, n)
            alphabet = rng.sample("ABCDEFGHKLMNPRST", rng.randint(2, max(2, length - 2)))
            tiles = alphabet + [rng.choice(alphabet) for _ in range(length - len(alphabet))]
            rng.shuffle(tiles)
            word = "".join(tiles)
            counts = Counter(word)
            value = math.factorial(length)
            for c in counts.values():
                value //= math.factorial(c)
            text = f"How many distinct strings can be formed by rearranging all the letters of {word}?"
            return Posed(text, Fraction(value), "", {"word": word})
        if config.kind == "constrained":
            men, women = rng.randint(3, n // 2 + 2), rng.randint(3, n // 2 + 2)
            k = rng.randint(3, min(men, women) + 1)
            value = math.comb(men + women, k) - math.comb(men, k) - math.comb(women, k)
            text = (f"A group has {men} men and {women} women. How many committees of {k} people include at "
                    f"least one man and at least one woman?")
            return Posed(text, Fraction(value), "", {"men": men, "women": women, "k": k})
        if rng.random() < 0.5:
            limit = rng.randint(100, 5000)
            divisors = sorted(rng.sample(range(2, 16), 3))
            value = sum(1 for x in range(1, limit + 1) if any(x % d == 0 for d in divisors))
            text = f"How many integers from 1 to {limit} inclusive are divisible by at least one of {divisors[0]}, {divisors[1]} or {divisors[2]}?"
            return Posed(text, Fraction(value), "", {"limit": limit, "divisors": divisors})
        parts, total = rng.randint(3, 5), rng.randint(10, 25)
        lows = [rng.randint(0, 3) for _ in range(parts)]
        rest = total - sum(lows)
        value = math.comb(rest + parts - 1, parts - 1) if rest >= 0 else 0
        names = " + ".join(f"x_{{{i + 1}}}" for i in range(parts))
        bounds = ", ".join(f"x_{{{i + 1}}} \\ge {lo}" for i, lo in enumerate(lows))
        text = f"How many integer solutions does ${names} = {total}$ have with ${bounds}$?"
        return Posed(text, Fraction(value), "", {"total": total, "lows": lows})


# -- binomial coefficients ---------------------------------------------------------------------
@dataclass(frozen=True)
class BinomialConfig(TaskConfig):
    kind: str = "plain"  # "plain", "shifted", "scaled", "mixed_powers", "constant_term"
    power: int = 8

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("plain", "shifted", "scaled", "mixed_powers", "constant_term"))
        require_int("power", self.power, 2, 40)


@register_task
class BinomialCoefficient(NumberTask[BinomialConfig]):
    id = "math/binomial_coefficient"
    description = "A coefficient in the expansion of a binomial power."
    Config = BinomialConfig
    levels = {
        1: BinomialConfig("plain", 10),
        2: BinomialConfig("shifted", 9),
        3: BinomialConfig("scaled", 10),
        4: BinomialConfig("mixed_powers", 10),
        5: BinomialConfig("constant_term", 12),
    }

    def pose(self, rng: random.Random, config: BinomialConfig) -> Posed:
        n = rng.randint(4, config.power)
        if config.kind in ("plain", "shifted", "scaled"):
            a = 1 if config.kind != "scaled" else pick(rng, -4, 4, nonzero=True, exclude=(1,))
            b = 1 if config.kind == "plain" else pick(rng, -5, 5, nonzero=True)
            k = rng.randint(1, n - 1)
            value = Fraction(math.comb(n, k) * a**k * b ** (n - k))
            inner = ("x" if a == 1 else f"{a} x") + (f" + {b}" if b > 0 else f" - {-b}")
            expression = f"\\left({inner}\\right)^{{{n}}}"
            return Posed(f"Find the coefficient of $x^{{{k}}}$ in the expansion of ${expression}$.", value, "")
        if config.kind == "mixed_powers":
            a, b = pick(rng, -3, 3, nonzero=True), pick(rng, -3, 3, nonzero=True)
            j = rng.randint(0, n)
            k = 2 * (n - j) - j  # (a x^2)^{n-j} (b/x)^j
            value = Fraction(math.comb(n, j) * a ** (n - j) * b**j)
            expression = f"\\left({a} x^{{2}} {'+' if b > 0 else '-'} \\frac{{{abs(b)}}}{{x}}\\right)^{{{n}}}"
            return Posed(f"Find the coefficient of $x^{{{k}}}$ in the expansion of ${expression}$.", value, "")
        for _ in range(1000):
            p, q = rng.randint(1, 3), rng.randint(1, 3)
            n = rng.randint(3, config.power)
            if (p * n) % (p + q) == 0:  # p (n - j) = q j has an integer solution j
                break
        else:
            p, q, n = 1, 1, 6
        j = p * n // (p + q)
        lead, tail = Fraction(pick(rng, -3, 3, nonzero=True)), Fraction(1, rng.randint(2, 3)) * rng.choice([1, -1])
        value = math.comb(n, j) * lead ** (n - j) * tail**j
        x_p = "x" if p == 1 else f"x^{{{p}}}"
        x_q = "x" if q == 1 else f"x^{{{q}}}"
        expression = f"\\left({latex_number(lead)} {x_p} {'+' if tail > 0 else '-'} \\frac{{1}}{{{tail.denominator} {x_q}}}\\right)^{{{n}}}"
        return Posed(f"Find the constant term in the expansion of ${expression}$.", value, "",
                     {"p": p, "q": q, "n": n})


# -- expected value ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectedValueConfig(TaskConfig):
    kind: str = "die"  # "die", "table", "payoff", "binomial", "maximum"

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("die", "table", "payoff", "binomial", "maximum"))


@register_task
class ExpectedValue(NumberTask[ExpectedValueConfig]):
    id = "math/expected_value"
    description = "The expected value of a discrete random variable, exactly."
    Config = ExpectedValueConfig
    levels = {1: ExpectedValueConfig("die"), 2: ExpectedValueConfig("table"), 3: ExpectedValueConfig("payoff"),
              4: ExpectedValueConfig("binomial"), 5: ExpectedValueConfig("maximum")}

    def pose(self, rng: random.Random, config: ExpectedValueConfig) -> Posed:
        if config.kind == "die":
            n, first, step = rng.choice([4, 6, 8, 10, 12, 20]), rng.randint(-5, 10), rng.randint(1, 5)
            faces = [first + step * i for i in range(n)]
            listed = f"{faces[0]}, {faces[1]}, {faces[2]}, \\dots, {faces[-1]}"
            return Posed(f"A fair {n}-sided die has faces ${listed}$ (evenly spaced). What is the expected value of one roll?",
                         Fraction(faces[0] + faces[-1], 2))
        if config.kind == "table":
            size = rng.randint(3, 5)
            values = sorted(rng.sample(range(-10, 21), size))
            weights = [rng.randint(1, 6) for _ in range(size)]
            total = sum(weights)
            probabilities = [Fraction(w, total) for w in weights]
            rows = ", ".join(f"$P(X = {v}) = {latex_number(p)}$" for v, p in zip(values, probabilities))
            value = sum((v * p for v, p in zip(values, probabilities)), Fraction(0))
            return Posed(f"A random variable $X$ takes these values: {rows}. Find $E[X]$.", value)
        if config.kind == "payoff":
            n = rng.choice([4, 6, 8])
            a, b = rng.randint(1, 3), rng.randint(-10, 5)
            value = sum((Fraction(a * k * k + b) for k in range(1, n + 1)), Fraction(0)) / n
            payoff = f"{a if a > 1 else ''}k^{{2}} {'+' if b >= 0 else '-'} {abs(b)}"
            return Posed(f"A fair {n}-sided die (faces $1$ to ${n}$) is rolled; showing $k$ pays ${payoff}$ dollars "
                         f"(a negative amount is a loss). What is the expected payment?", value)
        if config.kind == "binomial":
            trials, q = rng.randint(5, 40), rng.randint(3, 12)
            p = Fraction(rng.randint(1, q - 1), q)
            return Posed(f"Each of {trials} independent trials succeeds with probability ${latex_number(p)}$. "
                         f"What is the expected number of successes?", trials * p)
        n, dice, largest = rng.randint(3, 12), rng.randint(2, 4), rng.random() < 0.5
        outcomes = list(itertools.product(range(1, n + 1), repeat=dice))
        value = Fraction(sum(max(o) if largest else min(o) for o in outcomes), len(outcomes))
        which = "largest" if largest else "smallest"
        return Posed(f"{dice} fair {n}-sided dice (faces $1$ to ${n}$) are rolled. What is the expected value of the {which} number shown?", value)


# -- probability -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProbabilityConfig(TaskConfig):
    kind: str = "one_draw"  # "one_draw", "two_draws", "at_least_one", "dice_sum", "advanced"

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("one_draw", "two_draws", "at_least_one", "dice_sum", "advanced"))


@register_task
class Probability(NumberTask[ProbabilityConfig]):
    id = "math/probability"
    description = "Probabilities of discrete events as exact fractions."
    Config = ProbabilityConfig
    levels = {1: ProbabilityConfig("one_draw"), 2: ProbabilityConfig("two_draws"), 3: ProbabilityConfig("at_least_one"),
              4: ProbabilityConfig("dice_sum"), 5: ProbabilityConfig("advanced")}
    hint = PROBABILITY_HINT

    def pose(self, rng: random.Random, config: ProbabilityConfig) -> Posed:
        if config.kind in ("one_draw", "two_draws"):
            red, blue, green = rng.randint(1, 9), rng.randint(1, 9), rng.randint(0, 6)
            total = red + blue + green
            bag = f"A bag holds {red} red, {blue} blue and {green} green balls." if green else f"A bag holds {red} red and {blue} blue balls."
            if config.kind == "one_draw":
                return Posed(f"{bag} One ball is drawn at random. What is the probability that it is red?", Fraction(red, total))
            if rng.random() < 0.5 and red >= 2:
                value = Fraction(red * (red - 1), total * (total - 1))
                return Posed(f"{bag} Two balls are drawn without replacement. What is the probability that both are red?", value)
            value = Fraction(2 * red * blue, total * (total - 1))
            return Posed(f"{bag} Two balls are drawn without replacement. What is the probability that one is red and the other blue?", value)
        if config.kind == "at_least_one":
            n, faces = rng.randint(2, 6), rng.choice([4, 6, 8, 10, 12, 20])
            target = rng.randint(1, faces)
            if rng.random() < 0.5:
                return Posed(f"A fair {faces}-sided die is rolled {n} times. What is the probability that the number {target} "
                             f"appears at least once?", 1 - Fraction(faces - 1, faces) ** n)
            return Posed(f"A fair {faces}-sided die is rolled {n} times. What is the probability that the number {target} "
                         f"never appears?", Fraction(faces - 1, faces) ** n)
        if config.kind == "dice_sum":
            faces = rng.choice([4, 6, 8, 10, 12])
            target = rng.randint(3, 2 * faces - 1)
            pairs = [(a, b) for a in range(1, faces + 1) for b in range(1, faces + 1)]
            if rng.random() < 0.5:
                value = Fraction(sum(1 for a, b in pairs if a + b == target), len(pairs))
                return Posed(f"Two fair {faces}-sided dice are rolled. What is the probability that their sum is {target}?", value)
            value = Fraction(sum(1 for a, b in pairs if a + b >= target), len(pairs))
            return Posed(f"Two fair {faces}-sided dice are rolled. What is the probability that their sum is at least {target}?", value)
        if rng.random() < 0.5:
            n, q = rng.randint(3, 8), rng.randint(2, 6)
            p = Fraction(rng.randint(1, q - 1), q)
            k = rng.randint(0, n)
            value = math.comb(n, k) * p**k * (1 - p) ** (n - k)
            return Posed(f"Each of {n} independent trials succeeds with probability ${latex_number(p)}$. What is the probability "
                         f"of exactly {k} successes?", value)
        prevalence = Fraction(rng.randint(1, 20), 100)
        sensitivity = Fraction(rng.randint(80, 99), 100)
        false_positive = Fraction(rng.randint(1, 15), 100)
        positive = prevalence * sensitivity + (1 - prevalence) * false_positive
        value = prevalence * sensitivity / positive
        text = (f"A condition affects ${_percent(prevalence)}\\%$ of a population. A test detects it in ${_percent(sensitivity)}\\%$ of "
                f"people who have it and wrongly flags ${_percent(false_positive)}\\%$ of people who do not. A random person tests "
                f"positive. What is the probability that they have the condition?")
        return Posed(text, value)


def _percent(value: Fraction) -> str:
    return str(value * 100) if (value * 100).denominator == 1 else latex_number(value * 100)

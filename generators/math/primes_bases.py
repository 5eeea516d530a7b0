"""Primes and positional notation: prime factorisation (checked by a bounded grammar), divisor
functions (number of divisors, sum of divisors, Euler's totient) and base conversion.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bool, require_choice, require_int
from assay.errors import ConfigError
from assay.generators.math.answers import BY_OWN_GRAMMAR, INTEGER_HINT, MathTask, NumberTask, Posed, read_answer
from assay.generators.math.probes import extraction_probes, merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict

SMALL_PRIMES = [p for p in range(2, 200) if all(p % q for q in range(2, int(p**0.5) + 1))]


def is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin for n < 3.3e24.

    >>> [n for n in range(20) if is_prime(n)]
    [2, 3, 5, 7, 11, 13, 17, 19]
    """
    if n < 2:
        return False
    for p in SMALL_PRIMES[:13]:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in SMALL_PRIMES[:13]:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(rng: random.Random, low: int, high: int) -> int:
    for _ in range(100_000):
        n = rng.randint(low, high)
        if is_prime(n):
            return n
    raise RuntimeError(f"no prime found in [{low}, {high}]")  # a generator bug


def random_factored(rng: random.Random, primes: int, exponent: int, large: int, limit: int) -> list[tuple[int, int]]:
    """Distinct primes with exponents, one of them possibly a large prime, product at most ``limit``."""
    for _ in range(1000):
        chosen: dict[int, int] = {}
        pool = SMALL_PRIMES[:8]
        while len(chosen) < primes - (1 if large else 0):
            chosen[rng.choice(pool)] = rng.randint(1, exponent)
        if large:
            chosen[random_prime(rng, 50, large)] = 1
        factors = sorted(chosen.items())
        if math.prod(p**k for p, k in factors) <= limit:
            return factors
    raise RuntimeError("could not draw a factored number under the limit")  # a generator bug


def latex_factorisation(factors: list[tuple[int, int]]) -> str:
    """``2^{3} \\cdot 3 \\cdot 5^{2}``."""
    return " \\cdot ".join(str(p) if k == 1 else f"{p}^{{{k}}}" for p, k in factors)


# -- prime factorisation -----------------------------------------------------------------------
@dataclass(frozen=True)
class FactorisationConfig(TaskConfig):
    primes: int = 2  # distinct prime factors
    exponent: int = 2  # largest exponent of a small prime
    large: int = 0  # 0, or the bound of one extra large prime factor
    limit: int = 100  # largest number

    def __post_init__(self) -> None:
        require_int("primes", self.primes, 1, 8)
        require_int("exponent", self.exponent, 1, 20)
        require_int("large", self.large, 0, 10**6)
        require_int("limit", self.limit, 30, 10**15)


_FACTOR = re.compile(r"^\{?(\d{1,16})\}?(?:\^\{?(\d{1,3})\}?)?$", re.ASCII)
_SEPARATORS = re.compile(r"\\cdot|\\times|\\ast|\*|\u00d7|\u00b7")


def parse_factorisation(text: str, n: int) -> list[tuple[int, int]] | None:
    """The (base, exponent) pairs of a written product of powers, or None if it is not one.

    >>> parse_factorisation("2^3 \\\\cdot 3 \\\\times 3", 72)
    [(2, 3), (3, 1), (3, 1)]
    """
    if len(text) > 2000:
        return None
    text = text.replace("$", "").replace("\\left", "").replace("\\right", "").replace("\\,", "").strip().rstrip(".")
    text = re.sub(rf"^{n}\s*=\s*", "", text)
    pairs = []
    for part in _SEPARATORS.split(text):
        match = _FACTOR.match(part.strip())
        if match is None:
            return None
        pairs.append((int(match.group(1)), int(match.group(2) or 1)))
    if len(pairs) > 64:
        return None
    return pairs


@register_task
class PrimeFactorisation(MathTask[FactorisationConfig]):
    id = "math/prime_factorization"
    description = "Write an integer as a product of prime powers."
    answer_format = "a product of prime powers such as 2^{3} \\cdot 3 \\cdot 5^{2} (any order; \\times or * also accepted)"
    verification = (
        "A bounded grammar reads the answer as a product of integer powers (\\cdot, \\times, *); it "
        "passes when every base is prime (Miller-Rabin) and the product equals the number. The "
        "number itself or a product with a composite factor fails."
    )
    limitations = ("Factors must be written as numbers with integer exponents; no words or sets.",)
    Config = FactorisationConfig
    levels = {
        1: FactorisationConfig(2, 2, 0, 200),
        2: FactorisationConfig(3, 3, 0, 1000),
        3: FactorisationConfig(4, 4, 0, 10**5),
        4: FactorisationConfig(3, 4, 1000, 10**8),
        5: FactorisationConfig(5, 5, 10**5, 10**12),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: FactorisationConfig) -> Draft:
        factors = random_factored(rng, config.primes, config.exponent, config.large, config.limit)
        n = math.prod(p**k for p, k in factors)
        gold = latex_factorisation(factors)
        prompt = (
            f"Find the prime factorisation of ${n}$.\n\nWrite it as a product of prime powers, "
            f"for example 2^{{3}} \\cdot 3 \\cdot 5^{{2}}. {ANSWER_INSTRUCTION}"
        )
        return Draft(prompt, gold, {"gold": gold, "n": n, "factors": [list(f) for f in factors]})

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = read_answer(problem, completion)
        if isinstance(candidate, Verdict):
            return candidate
        n = int(problem.data["n"])
        pairs = parse_factorisation(candidate, n)
        if pairs is None:
            return Verdict.fail("unparseable", message="not a product of integer powers")
        product = 1
        for base, exponent in pairs:
            if base < 2 or exponent < 1 or base > n:
                return Verdict.fail("wrong_answer", message=f"{base}^{exponent} is not a prime power factor")
            product *= base**exponent
            if product > n:
                return Verdict.fail("wrong_answer", message="the product exceeds the number")
        if product != n:
            return Verdict.fail("wrong_answer", message="the product is not the number")
        composite = [base for base, _ in pairs if not is_prime(base)]
        if composite:
            return Verdict.fail("wrong_answer", message=f"{composite[0]} is not prime")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        factors = [tuple(f) for f in problem.data["factors"]]
        n = problem.data["n"]
        expanded = " \\cdot ".join(str(p) for p, k in factors for _ in range(k))
        plain = " * ".join(f"{p}^{k}" for p, k in reversed(factors))
        probes = [
            Probe(wrap(expanded), True, "every prime written out"),
            Probe(wrap(plain), True, "reversed order, ^ and * without braces"),
            Probe(f"\\boxed{{{n} = {problem.answer}}}", True, "boxed, with the number restated"),
            Probe(wrap(str(n)), False, "the number itself"),
            Probe(wrap(f"{problem.answer} or {n}"), False, "hedged"),
            Probe(wrap(f"{problem.answer} \\cdot 2"), False, "an extra factor"),
        ]
        p = factors[0][0]
        bumped = [(q, j + 1 if q == p else j) for q, j in factors]
        probes.append(Probe(wrap(latex_factorisation(bumped)), False, "an exponent off by one"))
        if len(factors) >= 2:
            (p1, k1), (p2, k2) = factors[0], factors[1]
            composite = [(p1 * p2, 1)] + [(p1, k1 - 1)] * (k1 > 1) + [(p2, k2 - 1)] * (k2 > 1) + factors[2:]
            probes.append(Probe(wrap(latex_factorisation(composite)), False, "a composite factor"))
            probes.append(Probe(wrap(latex_factorisation(factors[1:])), False, "a missing prime"))
        return merged(extraction_probes(problem.answer), probes)


# -- divisor functions -------------------------------------------------------------------------
@dataclass(frozen=True)
class DivisorConfig(TaskConfig):
    function: str = "count"  # "count", "sum", "totient"
    primes: int = 2
    exponent: int = 2
    limit: int = 100
    factored: bool = False  # the number is given in factored form

    def __post_init__(self) -> None:
        require_choice("function", self.function, ("count", "sum", "totient"))
        require_int("primes", self.primes, 1, 8)
        require_int("exponent", self.exponent, 1, 30)
        require_int("limit", self.limit, 30, 10**40)
        require_bool("factored", self.factored)


@register_task
class DivisorFunctions(NumberTask[DivisorConfig]):
    id = "math/divisor_functions"
    description = "The number of divisors, the sum of divisors or Euler's totient of an integer."
    Config = DivisorConfig
    levels = {
        1: DivisorConfig("count", 2, 3, 300),
        2: DivisorConfig("sum", 3, 2, 1000),
        3: DivisorConfig("totient", 3, 3, 10**5),
        4: DivisorConfig("count", 5, 12, 10**30, factored=True),
        5: DivisorConfig("sum", 4, 4, 10**9),
    }
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: DivisorConfig) -> Posed:
        factors = random_factored(rng, config.primes, config.exponent, 0, config.limit)
        n = math.prod(p**k for p, k in factors)
        shown = latex_factorisation(factors) if config.factored else str(n)
        if config.function == "count":
            value = math.prod(k + 1 for _, k in factors)
            text = f"How many positive divisors does $N = {shown}$ have?"
        elif config.function == "sum":
            value = math.prod((p ** (k + 1) - 1) // (p - 1) for p, k in factors)
            text = f"Find the sum of all positive divisors of $N = {shown}$ (including $1$ and $N$)."
        else:
            value = math.prod(p ** (k - 1) * (p - 1) for p, k in factors)
            text = f"Find Euler's totient $\\varphi({shown})$: how many integers in $1, \\dots, N$ are coprime to $N = {shown}$?"
        return Posed(text, Fraction(value), "", {"n": str(n)})


# -- base conversion ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BaseConfig(TaskConfig):
    from_bases: tuple[int, ...] = (2,)
    to_bases: tuple[int, ...] = (10,)
    magnitude: int = 255  # largest value

    def __post_init__(self) -> None:
        for name in ("from_bases", "to_bases"):
            bases = getattr(self, name)
            if not bases:
                raise ConfigError(name, "must be a non-empty list of bases between 2 and 36", bases)
            for base in bases:
                require_int(name, base, 2, 36)
        require_int("magnitude", self.magnitude, 8, 10**30)


DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def to_base(n: int, base: int) -> str:
    """``n`` written in ``base`` with upper-case digits.

    >>> to_base(255, 16), to_base(5, 2)
    ('FF', '101')
    """
    if n == 0:
        return "0"
    out = []
    while n:
        n, digit = divmod(n, base)
        out.append(DIGITS[digit])
    return "".join(reversed(out))


_NUMERAL = re.compile(r"^(?P<prefix>0[xXbBoO])?(?P<digits>[0-9A-Za-z]{1,200})(?:_\{?(?P<base>\d{1,2})\}?)?$", re.ASCII)
_PREFIX_BASE = {"0x": 16, "0b": 2, "0o": 8}


def parse_numeral(text: str, base: int) -> int | None:
    """The value of a numeral written in ``base`` (a ``_{base}`` subscript, ``\\text{}`` and
    ``0x``/``0b``/``0o`` prefixes matching the base allowed), or None.

    >>> parse_numeral("\\\\text{ff}_{16}", 16), parse_numeral("FF_{10}", 16), parse_numeral("12", 2)
    (255, None, None)
    >>> parse_numeral("0x1F", 16), parse_numeral("0b101", 2)
    (31, 5)
    """
    if len(text) > 400:
        return None
    text = text.replace("$", "").replace(" ", "").replace("\\,", "").strip().rstrip(".")
    text = re.sub(r"\\(?:text|mathrm|mathtt)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"^\((\w+)\)(?=_|$)", r"\1", text)  # (1011)_2
    match = _NUMERAL.match(text)
    if match is None:
        return None
    digits, prefix = match.group("digits"), match.group("prefix")
    if prefix and _PREFIX_BASE[prefix.lower()] != base:
        digits = prefix + digits  # "0B1" in hexadecimal is a numeral, not a binary prefix
    if match.group("base") is not None and int(match.group("base")) != base:
        return None
    try:
        return int(digits, base)
    except ValueError:
        return None


@register_task
class BaseConversion(MathTask[BaseConfig]):
    id = "math/base_conversion"
    description = "Convert an integer between positional bases (2 to 16)."
    answer_format = "the numeral in the target base (digits above 9 as letters A-F, any case; a _{b} subscript allowed)"
    verification = (
        "A bounded grammar reads the numeral (optional _{base} subscript that must match, optional "
        "0x/0b/0o prefix that must match) and compares its value in the target base with the gold."
    )
    limitations = ("Digit separators (spaces, commas) are refused.",)
    Config = BaseConfig
    levels = {
        1: BaseConfig((2,), (10,), 255),
        2: BaseConfig((10,), (2,), 1000),
        3: BaseConfig((10,), (3, 4, 5, 6, 7, 8, 9), 10**4),
        4: BaseConfig((10, 16), (10, 16), 10**6),
        5: BaseConfig((2, 3, 5, 7, 8, 12, 16), (2, 3, 5, 6, 7, 9, 11, 16), 10**8),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: BaseConfig) -> Draft:
        source = rng.choice(config.from_bases)
        targets = [b for b in config.to_bases if b != source] or [10 if source != 10 else 2]
        target = rng.choice(targets)
        n = rng.randint(8, config.magnitude)
        shown, gold = to_base(n, source), to_base(n, target)
        prompt = (
            f"Convert ${shown}_{{{source}}}$ (base {source}) to base {target}.\n\n"
            f"Give the base-{target} numeral"
            + (" using the letters A-F for digits above 9" if target > 10 else "")
            + f", without a subscript. {ANSWER_INSTRUCTION}"
        )
        return Draft(prompt, gold, {"gold": gold, "value": str(n), "source": source, "target": target, "shown": shown})

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = read_answer(problem, completion)
        if isinstance(candidate, Verdict):
            return candidate
        value = parse_numeral(candidate, int(problem.data["target"]))
        if value is None:
            return Verdict.fail("unparseable", message=f"not a base-{problem.data['target']} numeral")
        if value != int(problem.data["value"]):
            return Verdict.fail("wrong_answer")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        gold, target, source = problem.answer, problem.data["target"], problem.data["source"]
        n = int(problem.data["value"])
        probes = [
            Probe(wrap(f"{gold}_{{{target}}}"), True, "with the base subscript"),
            Probe(f"\\boxed{{{gold.lower()}}}", True, "boxed, lower-case digits"),
            Probe(wrap(f"0{gold}"), True, "a leading zero"),
            Probe(wrap(to_base(n + 1, target)), False, "off by one"),
            Probe(wrap(gold[::-1]) if gold[::-1] != gold else wrap(to_base(n + 2, target)), False, "digits reversed"),
            Probe(wrap(f"{gold}_{{{source}}}"), False, "the subscript of the wrong base"),
            Probe(wrap(f"{gold} or {to_base(n + 1, target)}"), False, "hedged"),
        ]
        if problem.data["shown"] != gold:
            probes.append(Probe(wrap(problem.data["shown"]), False, "the given numeral copied"))
        if target != 10 and str(n) != gold:
            probes.append(Probe(wrap(str(n)), False, "the decimal value instead of the target base"))
        return merged(extraction_probes(problem.answer), probes)

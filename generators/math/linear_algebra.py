"""Linear algebra tasks over exact rationals: determinant, inverse, rank, eigenvalues and matrix
products. Matrix answers are compared entry by entry; eigenvalues go to the math verifier.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.errors import ConfigError
from assay.generators.math.answers import BY_OWN_GRAMMAR, INTEGER_HINT, MathTask, NumberTask, Posed, check_matrix, delegate
from assay.generators.math.formatting import latex_matrix, latex_number, pick, quadratic_roots
from assay.generators.math.probes import matrix_probes, merged
from assay.registry import ANSWER_INSTRUCTION, ConfigT, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.probes import probes_for

Matrix = list[list[Fraction]]


def random_matrix(rng: random.Random, rows: int, columns: int, magnitude: int, nonzero: bool = False) -> Matrix:
    return [[Fraction(pick(rng, -magnitude, magnitude, nonzero=nonzero)) for _ in range(columns)] for _ in range(rows)]


def multiply(a: Matrix, b: Matrix) -> Matrix:
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))] for i in range(len(a))]


def row_echelon(matrix: Matrix) -> tuple[Matrix, int, Fraction]:
    """(echelon form, rank, determinant factor) by Gaussian elimination over the rationals."""
    m = [list(r) for r in matrix]
    rank, sign = 0, Fraction(1)
    for column in range(len(m[0])):
        pivot = next((r for r in range(rank, len(m)) if m[r][column] != 0), None)
        if pivot is None:
            continue
        if pivot != rank:
            m[rank], m[pivot] = m[pivot], m[rank]
            sign = -sign
        for r in range(rank + 1, len(m)):
            factor = m[r][column] / m[rank][column]
            if factor:
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank])]
        rank += 1
        if rank == len(m):
            break
    return m, rank, sign


def determinant(matrix: Matrix) -> Fraction:
    """Exact determinant.

    >>> determinant([[Fraction(1), Fraction(2)], [Fraction(3), Fraction(4)]])
    Fraction(-2, 1)
    """
    echelon, rank, sign = row_echelon(matrix)
    if rank < len(matrix):
        return Fraction(0)
    value = sign
    for i in range(len(matrix)):
        value *= echelon[i][i]
    return value


def inverse(matrix: Matrix) -> Matrix | None:
    n = len(matrix)
    m = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(matrix)]
    for column in range(n):
        pivot = next((r for r in range(column, n) if m[r][column] != 0), None)
        if pivot is None:
            return None
        m[column], m[pivot] = m[pivot], m[column]
        lead = m[column][column]
        m[column] = [v / lead for v in m[column]]
        for r in range(n):
            if r != column and m[r][column]:
                factor = m[r][column]
                m[r] = [a - factor * b for a, b in zip(m[r], m[column])]
    return [row[n:] for row in m]


def unimodular(rng: random.Random, n: int, steps: int) -> Matrix:
    """An integer matrix with determinant +-1 (so its inverse is integer too), from row operations."""
    m = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    for _ in range(steps):
        i, j = rng.sample(range(n), 2)
        c = rng.choice([-2, -1, 1, 2])
        m[i] = [a + c * b for a, b in zip(m[i], m[j])]
    if rng.random() < 0.5:
        m[0], m[1] = m[1], m[0]
    return m


# -- determinant -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeterminantConfig(TaskConfig):
    size: int = 2
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_int("size", self.size, 2, 8)
        require_int("magnitude", self.magnitude, 1, 1000)


@register_task
class Determinant(NumberTask[DeterminantConfig]):
    id = "math/determinant"
    description = "The determinant of a square integer matrix."
    Config = DeterminantConfig
    levels = {1: DeterminantConfig(2, 9), 2: DeterminantConfig(3, 5), 3: DeterminantConfig(3, 12),
              4: DeterminantConfig(4, 6), 5: DeterminantConfig(5, 5)}
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: DeterminantConfig) -> Posed:
        matrix = random_matrix(rng, config.size, config.size, config.magnitude)
        shown = latex_matrix(matrix)
        return Posed(f"Compute the determinant of $A = {shown}$.", determinant(matrix), f"\\det {shown}",
                     {"matrix": [[str(v) for v in r] for r in matrix]})


# -- inverse -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class InverseConfig(TaskConfig):
    size: int = 2
    magnitude: int = 5
    integer_inverse: bool = True  # determinant +-1

    def __post_init__(self) -> None:
        require_int("size", self.size, 2, 6)
        require_int("magnitude", self.magnitude, 1, 100)


class MatrixTask(MathTask[ConfigT]):
    """A task whose answer is one matrix, stored as strings in ``data["matrix"]``."""

    answer_format = "a matrix such as \\begin{pmatrix} 1 & \\frac{1}{2} \\\\ 0 & -3 \\end{pmatrix} (bmatrix, array or [[1, 1/2], [0, -3]] also accepted; a scalar factor allowed)"
    verification = (
        "A bounded grammar reads one matrix of exact numbers (an optional scalar factor in front) and "
        "compares it with the gold entry by entry. Not delegated to the generic math verifier, whose CAS "
        "would evaluate a copied, unevaluated product or inverse."
    )
    limitations = ("Entries must be numbers (integers, fractions, exact decimals), not expressions.",)
    timeout_s = 5.0

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        return check_matrix(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        return matrix_probes(problem, problem.data["question"])


def _matrix_draft(text: str, answer: Matrix, question: str) -> Draft:
    gold = latex_matrix(answer)
    prompt = f"{text}\n\nGive the matrix exactly, as \\begin{{pmatrix}} ... \\end{{pmatrix}} with integer or fraction entries. {ANSWER_INSTRUCTION}"
    return Draft(prompt, gold, {"gold": gold, "matrix": [[str(v) for v in r] for r in answer], "question": question})


@register_task
class MatrixInverse(MatrixTask[InverseConfig]):
    id = "math/matrix_inverse"
    description = "The inverse of an invertible square matrix, exactly."
    Config = InverseConfig
    levels = {1: InverseConfig(2, 5), 2: InverseConfig(2, 9, False), 3: InverseConfig(3, 3),
              4: InverseConfig(3, 5, False), 5: InverseConfig(4, 3)}

    def build(self, rng: random.Random, config: InverseConfig) -> Draft:
        for _ in range(1000):
            if config.integer_inverse:
                matrix = unimodular(rng, config.size, 2 * config.size)
                if max(abs(v) for r in matrix for v in r) > 3 * config.magnitude:
                    continue
            else:
                matrix = random_matrix(rng, config.size, config.size, config.magnitude)
            result = inverse(matrix)
            if result is not None:
                shown = latex_matrix(matrix)
                return _matrix_draft(f"Find the inverse of $A = {shown}$.", result, f"{shown}^{{-1}}")
        raise RuntimeError("could not draw an invertible matrix")  # a generator bug


# -- product -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductConfig(TaskConfig):
    shapes: tuple[int, ...] = (2, 2, 2)  # dimensions: A is s0 x s1, B is s1 x s2, ...
    magnitude: int = 5

    def __post_init__(self) -> None:
        if len(self.shapes) < 3:
            raise ConfigError("shapes", "must list at least 3 dimensions between 1 and 6", self.shapes)
        for size in self.shapes:
            require_int("shapes", size, 1, 6)
        require_int("magnitude", self.magnitude, 1, 100)


@register_task
class MatrixProduct(MatrixTask[ProductConfig]):
    id = "math/matrix_product"
    description = "The product of two or three matrices."
    Config = ProductConfig
    levels = {1: ProductConfig((2, 2, 2), 5), 2: ProductConfig((2, 3, 2), 5), 3: ProductConfig((3, 3, 3), 9),
              4: ProductConfig((3, 4, 2), 12), 5: ProductConfig((2, 3, 3, 2), 6)}

    def build(self, rng: random.Random, config: ProductConfig) -> Draft:
        shapes = config.shapes
        factors = [random_matrix(rng, shapes[i], shapes[i + 1], config.magnitude) for i in range(len(shapes) - 1)]
        result = factors[0]
        for f in factors[1:]:
            result = multiply(result, f)
        names = "ABC"[: len(factors)]
        definitions = ", ".join(f"${name} = {latex_matrix(f)}$" for name, f in zip(names, factors))
        question = "".join(latex_matrix(f) for f in factors)
        return _matrix_draft(f"Let {definitions}. Compute ${names}$.", result, question)


# -- rank --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RankConfig(TaskConfig):
    rows: int = 2
    columns: int = 2
    magnitude: int = 3

    def __post_init__(self) -> None:
        require_int("rows", self.rows, 2, 8)
        require_int("columns", self.columns, 2, 8)
        require_int("magnitude", self.magnitude, 1, 20)


@register_task
class MatrixRank(NumberTask[RankConfig]):
    id = "math/matrix_rank"
    description = "The rank of an integer matrix built as a product of thinner factors (often rank-deficient)."
    Config = RankConfig
    levels = {1: RankConfig(2, 2, 3), 2: RankConfig(3, 3, 3), 3: RankConfig(3, 4, 3), 4: RankConfig(4, 4, 3), 5: RankConfig(5, 5, 2)}
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: RankConfig) -> Posed:
        target = rng.randint(1, min(config.rows, config.columns))
        for _ in range(1000):
            left = random_matrix(rng, config.rows, target, config.magnitude, nonzero=True)
            right = random_matrix(rng, target, config.columns, config.magnitude, nonzero=True)
            matrix = multiply(left, right)
            if any(v for r in matrix for v in r):
                break
        rank = row_echelon(matrix)[1]
        shown = latex_matrix(matrix)
        return Posed(f"Find the rank of $A = {shown}$.", Fraction(rank), f"\\operatorname{{rank}} {shown}",
                     {"matrix": [[str(v) for v in r] for r in matrix]})


# -- eigenvalues -------------------------------------------------------------------------------
@dataclass(frozen=True)
class EigenConfig(TaskConfig):
    size: int = 2
    kind: str = "triangular"  # "triangular", "integer", "repeated", "surd"
    magnitude: int = 6

    def __post_init__(self) -> None:
        require_int("size", self.size, 2, 4)
        require_choice("kind", self.kind, ("triangular", "integer", "repeated", "surd"))
        require_int("magnitude", self.magnitude, 1, 50)


@register_task
class Eigenvalues(MathTask[EigenConfig]):
    id = "math/eigenvalues"
    description = "All distinct eigenvalues of a square integer matrix."
    answer_format = "the distinct eigenvalues separated by commas, any order (e.g. -1, 2, 5)"
    verification = "Delegated to assay.verifiers.math.verify: an unordered list of exact values against the gold."
    limitations = ("Multiplicities are not asked for: a repeated eigenvalue is listed once.",)
    Config = EigenConfig
    levels = {1: EigenConfig(2, "triangular", 9), 2: EigenConfig(2, "integer", 6), 3: EigenConfig(3, "integer", 5),
              4: EigenConfig(3, "repeated", 5), 5: EigenConfig(2, "surd", 9)}
    timeout_s = 10.0

    def build(self, rng: random.Random, config: EigenConfig) -> Draft:
        n, m = config.size, config.magnitude
        if config.kind == "surd":
            while True:
                matrix = random_matrix(rng, 2, 2, m)
                trace, det = matrix[0][0] + matrix[1][1], determinant(matrix)
                disc = trace * trace - 4 * det
                if disc > 0 and int(disc) ** 0.5 != int(int(disc) ** 0.5):
                    break
            roots = quadratic_roots(1, -int(trace), int(det))
        else:
            if config.kind == "repeated":
                values = rng.sample(range(-m, m + 1), n - 1)
                values.append(values[0])
            else:
                values = rng.sample(range(-m, m + 1), n)
            if config.kind == "triangular":
                matrix = [[Fraction(values[i]) if i == j else Fraction(rng.randint(-m, m)) if j > i else Fraction(0) for j in range(n)] for i in range(n)]
            else:
                for _ in range(1000):
                    p = unimodular(rng, n, n + 1)
                    p_inv = inverse(p)
                    assert p_inv is not None  # unimodular matrices are invertible
                    diagonal = [[Fraction(values[i]) if i == j else Fraction(0) for j in range(n)] for i in range(n)]
                    matrix = multiply(multiply(p, diagonal), p_inv)
                    if max(abs(v) for r in matrix for v in r) <= 4 * m * m:
                        break
            roots = [latex_number(v) for v in sorted(set(values))]
        shown = latex_matrix(matrix)
        gold = ", ".join(roots)
        prompt = (f"Find all eigenvalues of $A = {shown}$.\n\nList each distinct eigenvalue once, exactly, separated "
                  f"by commas. {ANSWER_INSTRUCTION}")
        return Draft(prompt, gold, {"gold": gold, "ordered": False, "roots": roots, "question": shown})

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        roots = problem.data["roots"]
        own = [
            Probe(wrap("\\{" + ", ".join(reversed(roots)) + "\\}"), True, "a set in braces, another order"),
            Probe(wrap(", ".join(f"\\lambda_{{{i + 1}}} = {r}" for i, r in enumerate(roots))), True, "named lambda_1, lambda_2, ..."),
            Probe(wrap(problem.data["question"]), False, "the matrix copied"),
            Probe(wrap(", ".join(roots + ["1000"])), False, "an extra eigenvalue"),
            Probe(wrap(""), False, "empty"),
        ]
        if len(roots) > 1:
            own.append(Probe(wrap(", ".join(roots[1:])), False, "an eigenvalue missing"))
            own.append(Probe(wrap(", ".join(roots + roots[:1])), False, "an eigenvalue repeated"))
        return merged(probes_for(problem.answer), own)

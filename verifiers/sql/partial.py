"""Partial-reward components of a SQL answer (Reasoning-SQL style), reported in
``Verdict.detail["components"]`` and counted in the score only with explicit weights, and then
only for a wrong answer that runs, reads one of the gold's tables and returns the gold's width.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping

from sqlglot import exp

from assay.errors import ConfigError
from assay.verifiers.sql.statement import Statement, schema_items

__all__ = ["COMPONENTS", "DEFINITIONS", "GAMING", "check_weights", "components", "jaccard", "ngram_counts", "ngram_overlap",
           "partial_score", "schema_items"]

COMPONENTS = ("syntax", "schema_linking", "ngram", "format")

DEFINITIONS = {
    "syntax": "1 when the answer parses as one read-only query and runs on every database without an error, else 0.",
    "schema_linking": "Jaccard similarity of the sets of tables and columns the answer and the gold query name.",
    "ngram": "Jaccard similarity of the answer's and the gold's lower-cased token 1- to 4-gram multisets, averaged over n.",
    "format": "1 when the answer came in an <answer> block or a fenced sql block and holds exactly one statement.",
}

GAMING = {
    "syntax": "Any query that runs earns it: SELECT 1 scores full syntax credit.",
    "schema_linking": "Naming every table and column of the schema (SELECT * FROM a, b, ... with every column in a WHERE) "
                      "earns a high Jaccard without answering.",
    "ngram": "Copying the question's literals and the usual SELECT ... FROM ... WHERE skeleton earns overlap; a "
             "wrong query close in text to the gold scores high.",
    "format": "Any single statement in the right block earns it, whatever it computes.",
}


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validate partial-credit weights: known components, non-negative, summing below 1.

    >>> check_weights({"syntax": 0.1, "schema_linking": 0.1})
    {'syntax': 0.1, 'schema_linking': 0.1}
    >>> check_weights({"style": 0.5})
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: partial: unknown component 'style'; known: syntax, schema_linking, ngram, format (got {'style': 0.5})
    """
    if not weights:
        return {}
    for name, weight in weights.items():
        if name not in COMPONENTS:
            raise ConfigError("partial", f"unknown component {name!r}; known: {', '.join(COMPONENTS)}", dict(weights))
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight:
            raise ConfigError("partial", f"the weight of {name} must be a non-negative number", dict(weights))
    if sum(weights.values()) >= 1:
        raise ConfigError("partial", "weights must sum to less than 1 (a wrong query never earns full marks)", dict(weights))
    return {name: float(weight) for name, weight in weights.items()}


def jaccard(first: frozenset[str] | set[str] | Counter[str], second: frozenset[str] | set[str] | Counter[str]) -> float:
    if isinstance(first, Counter) and isinstance(second, Counter):
        union = sum((first | second).values())
        return sum((first & second).values()) / union if union else 1.0
    union_set = set(first) | set(second)
    return len(set(first) & set(second)) / len(union_set) if union_set else 1.0


@functools.lru_cache(maxsize=4096)
def ngram_counts(text: str, longest: int = 4) -> tuple[tuple[Counter[tuple[str, ...]], int], ...]:
    """The token n-gram multisets of a query text for n = 1..longest, each with its size.

    Lower-cased and lexed by hand (words, quoted runs and single punctuation marks): rendering a
    tree again would cost more than the query. Cached by text: callers must not modify the counters.

    >>> [total for _, total in ngram_counts("SELECT a FROM t")]
    [4, 3, 2, 1]
    """
    tokens = _lex(text)
    out = []
    for n in range(1, longest + 1):
        counts = Counter(zip(*(tokens[i:] for i in range(n))))
        out.append((counts, max(0, len(tokens) - n + 1)))
    return tuple(out)


def _lex(text: str) -> tuple[str, ...]:
    text = text.lower()
    out: list[str] = []
    word = ""
    for char in text:  # a hand lexer: words, quoted runs and single punctuation marks
        if char.isalnum() or char in "_.'":
            word += char
            continue
        if word:
            out.append(word)
            word = ""
        if not char.isspace():
            out.append(char)
    if word:
        out.append(word)
    return tuple(out)


def ngram_overlap(candidate: exp.Expression | str, gold: exp.Expression | str, longest: int = 4) -> float:
    """Mean over n = 1..4 of the Jaccard similarity of token n-gram multisets.

    >>> import sqlglot
    >>> ngram_overlap(sqlglot.parse_one("SELECT a FROM t"), sqlglot.parse_one("select a from t"))
    1.0
    >>> ngram_overlap("SELECT a FROM t", "SELECT b FROM t")
    0.2
    """
    first = ngram_counts(candidate.sql() if isinstance(candidate, exp.Expression) else candidate, longest)
    second = ngram_counts(gold.sql() if isinstance(gold, exp.Expression) else gold, longest)
    scores = []
    for (a, size_a), (b, size_b) in zip(first, second):
        if not size_a and not size_b:
            continue
        if len(a) > len(b):
            a, b = b, a
        common = sum(min(count, b[gram]) for gram, count in a.items() if gram in b)
        union = size_a + size_b - common  # the multiset union: max + min = a + b
        scores.append(common / union if union else 1.0)
    return round(sum(scores) / len(scores), 6) if scores else 0.0


def components(candidate: Statement | None, gold: Statement, *, ran: bool, formatted: bool) -> dict[str, float]:
    """All four components of one answer (0 for those that need a parsed candidate it lacks)."""
    if candidate is None:
        return {"syntax": 0.0, "schema_linking": 0.0, "ngram": 0.0, "format": 1.0 if formatted else 0.0}
    return {
        "syntax": 1.0 if ran else 0.0,
        "schema_linking": round(jaccard(candidate.items, gold.items), 6),
        "ngram": ngram_overlap(candidate.sql, gold.sql),
        "format": 1.0 if formatted else 0.0,
    }


def partial_score(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted sum of components, below 1 by construction of the weights.

    >>> partial_score({"syntax": 1.0, "format": 1.0, "ngram": 0.5, "schema_linking": 0.0}, {"syntax": 0.1, "ngram": 0.2})
    0.2
    """
    return round(sum(weights.get(name, 0.0) * values.get(name, 0.0) for name in COMPONENTS), 6)

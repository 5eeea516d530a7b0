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


def schema_items(tree: exp.Expression) -> frozenset[str]:
    """Lower-case names of the tables and columns a query mentions (CTE names excluded).

    >>> sorted(schema_items(__import__("sqlglot").parse_one("SELECT p.name FROM product AS p WHERE price > 3")))
    ['column:name', 'column:price', 'table:product']
    """
    ctes: set[str] = set()
    tables: set[str] = set()
    items: set[str] = set()
    for node in tree.walk():  # one pass over the tree
        if isinstance(node, exp.CTE):
            ctes.add(str(node.alias).lower())
        elif isinstance(node, exp.Table):
            tables.add(node.name.lower())
        elif isinstance(node, exp.Column) and node.name:
            items.add(f"column:{node.name.lower()}")
    return frozenset(items | {f"table:{name}" for name in tables - ctes})


_GOLD_ITEMS: dict[int, tuple[exp.Expression, frozenset[str]]] = {}


def _gold_items(gold: exp.Expression) -> frozenset[str]:
    # gold trees are cached by the caller, so their items are computed once per tree
    found = _GOLD_ITEMS.get(id(gold))
    if found is not None and found[0] is gold:
        return found[1]
    if len(_GOLD_ITEMS) > 4096:
        _GOLD_ITEMS.clear()
    items = schema_items(gold)
    _GOLD_ITEMS[id(gold)] = (gold, items)
    return items


def jaccard(first: frozenset[str] | set[str] | Counter[str], second: frozenset[str] | set[str] | Counter[str]) -> float:
    if isinstance(first, Counter) and isinstance(second, Counter):
        union = sum((first | second).values())
        return sum((first & second).values()) / union if union else 1.0
    union_set = set(first) | set(second)
    return len(set(first) & set(second)) / len(union_set) if union_set else 1.0


def _tokens(tree: exp.Expression | str) -> tuple[str, ...]:
    # the raw text, lower-cased and lexed by hand: rendering the tree again would cost more than the query
    return _lex(tree.sql() if isinstance(tree, exp.Expression) else tree)


@functools.lru_cache(maxsize=4096)
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
    """
    first, second = _tokens(candidate), _tokens(gold)
    scores = []
    for n in range(1, longest + 1):
        a = Counter(tuple(first[i : i + n]) for i in range(len(first) - n + 1))
        b = Counter(tuple(second[i : i + n]) for i in range(len(second) - n + 1))
        if not a and not b:
            continue
        scores.append(jaccard(Counter({" ".join(k): v for k, v in a.items()}), Counter({" ".join(k): v for k, v in b.items()})))
    return round(sum(scores) / len(scores), 6) if scores else 0.0


def components(candidate: exp.Expression | None, gold: exp.Expression, *, ran: bool, formatted: bool,
               candidate_sql: str | None = None, gold_sql: str | None = None) -> dict[str, float]:
    """All four components of one answer (0 for those that need a parsed candidate it lacks)."""
    if candidate is None:
        return {"syntax": 0.0, "schema_linking": 0.0, "ngram": 0.0, "format": 1.0 if formatted else 0.0}
    return {
        "syntax": 1.0 if ran else 0.0,
        "schema_linking": round(jaccard(schema_items(candidate), _gold_items(gold)), 6),
        "ngram": ngram_overlap(candidate_sql if candidate_sql is not None else candidate, gold_sql if gold_sql is not None else gold),
        "format": 1.0 if formatted else 0.0,
    }


def partial_score(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted sum of components, below 1 by construction of the weights.

    >>> partial_score({"syntax": 1.0, "format": 1.0, "ngram": 0.5, "schema_linking": 0.0}, {"syntax": 0.1, "ngram": 0.2})
    0.2
    """
    return round(sum(weights.get(name, 0.0) * values.get(name, 0.0) for name in COMPONENTS), 6)

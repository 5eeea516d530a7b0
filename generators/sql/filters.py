"""sql/filter_comparison, sql/filter_range, sql/pattern_match: projection with filters by
comparison, BETWEEN or IN, and LIKE patterns, joined through parents at higher levels.
"""

from __future__ import annotations

import random

from assay.generators.sql._base import (
    ORDER_FREE,
    Query,
    SqlConfig,
    SqlTask,
    pick,
    present,
    scope,
    tables_with,
    where,
)
from assay.generators.sql._data import Rows, literal
from assay.generators.sql._schemas import Domain
from assay.registry import register_task


@register_task
class FilterComparison(SqlTask):
    id = "sql/filter_comparison"
    description = "List the rows of a table whose numeric column compares to a value (>, <, >=, <=), with the named columns."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, [t for t in tables_with(domain, "measure") if t.label != "id"] or tables_with(domain, "measure"))
        measure = pick(rng, table.measures)
        values = sorted(present(rows, table, measure.name))
        if len(values) < 3:
            return None
        value = values[len(values) // 2 + rng.randint(-1, 1)]
        operator, words, near, near_words = pick(rng, [(">", "greater than", ">=", ">= instead of >"),
                                                       ("<", "less than", "<=", "<= instead of <"),
                                                       (">=", "at least", ">", "> instead of >="),
                                                       ("<=", "at most", "<", "< instead of <=")])
        where_scope = scope(rng, domain, table, rows, config.joins)
        label = table.label
        gold = (f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t {where_scope.joins}"
                f"{where(f't.{measure.name} {operator} {literal(value)}', where_scope.condition)}").replace("  ", " ")
        question = (f"List the {table.column(label).words} and the {measure.words} of every {table.noun} "
                    f"{where_scope.phrase + ' and ' if where_scope.phrase else ''}whose {measure.words} is {words} {value}. {ORDER_FREE}")
        misses = [(gold.replace(f" {operator} {literal(value)}", f" {near} {literal(value)}"), near_words)]
        if where_scope.condition:
            misses.append((gold.replace(f" AND {where_scope.condition}", ""), "the filter through the joined table dropped"))
        rewrites = [(gold.replace(f"t.{measure.name} {operator} {literal(value)}", f"{literal(value)} {_flip(operator)} t.{measure.name}"),
                     "the comparison written the other way round")]
        return Query(question, gold, False, rewrites, misses)


def _flip(operator: str) -> str:
    return {">": "<", "<": ">", ">=": "<=", "<=": ">="}[operator]


@register_task
class FilterRange(SqlTask):
    id = "sql/filter_range"
    description = "List rows whose numeric column lies in a closed range (BETWEEN) or whose category is one of a list (IN)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, [t for t in tables_with(domain, "measure") if t.label != "id"] or tables_with(domain, "measure"))
        where_scope = scope(rng, domain, table, rows, config.joins)
        label = table.label
        prefix = f"every {table.noun} {where_scope.phrase + ' and ' if where_scope.phrase else ''}"
        if table.categories and rng.random() < 0.5:
            category = pick(rng, table.categories)
            pool = present(rows, table, category.name)
            if len(pool) < 3:
                return None
            chosen = rng.sample(pool, 2)
            listed = ", ".join(literal(v) for v in chosen)
            gold = (f"SELECT t.{label} FROM {table.name} AS t {where_scope.joins}"
                    f"{where(f't.{category.name} IN ({listed})', where_scope.condition)}").replace("  ", " ")
            question = f"List the {table.column(label).words} of {prefix}whose {category.words} is {chosen[0]!r} or {chosen[1]!r}. {ORDER_FREE}"
            rewrite = gold.replace(f"t.{category.name} IN ({listed})", f"(t.{category.name} = {literal(chosen[0])} OR t.{category.name} = {literal(chosen[1])})")
            misses = [(gold.replace(f"IN ({listed})", f"= {literal(chosen[0])}"), "only the first value of the list"),
                      (gold.replace(f"IN ({listed})", f"NOT IN ({listed})"), "the list negated")]
            return Query(question, gold, False, [(rewrite, "IN written as OR")], misses)
        measure = pick(rng, table.measures)
        values = sorted(present(rows, table, measure.name))
        if len(values) < 4:
            return None
        low, high = values[len(values) // 4], values[(3 * len(values)) // 4]
        if low == high:
            return None
        gold = (f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t {where_scope.joins}"
                f"{where(f't.{measure.name} BETWEEN {literal(low)} AND {literal(high)}', where_scope.condition)}").replace("  ", " ")
        question = (f"List the {table.column(label).words} and the {measure.words} of {prefix}whose {measure.words} is between "
                    f"{low} and {high}, both included. {ORDER_FREE}")
        between = f"t.{measure.name} BETWEEN {literal(low)} AND {literal(high)}"
        rewrites = [(gold.replace(between, f"t.{measure.name} >= {literal(low)} AND t.{measure.name} <= {literal(high)}"), "BETWEEN as two comparisons")]
        misses = [(gold.replace(between, f"t.{measure.name} > {literal(low)} AND t.{measure.name} < {literal(high)}"), "bounds excluded")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class PatternMatch(SqlTask):
    id = "sql/pattern_match"
    description = "List rows whose name starts or ends with given text (LIKE), case as written."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "label"))
        label = table.column(table.label)
        names = [n for n in present(rows, table, label.name) if isinstance(n, str) and n[:1].isupper()]
        if len(names) < 3:
            return None
        name = pick(rng, names)
        where_scope = scope(rng, domain, table, rows, config.joins)
        if rng.random() < 0.5:
            text, pattern, words = name[:1], f"{name[:1]}%", f"starts with the capital letter {name[:1]!r}"
            wrong = (f"'%{name[:1]}%'", "contains instead of starts with")
        else:
            text = name[-2:]
            if not text.isalpha() or not text.islower():
                return None
            pattern, words = f"%{text}", f"ends with {text!r}"
            wrong = (f"'{text}%'", "starts with instead of ends with")
        condition = f"t.{label.name} LIKE {literal(pattern)}"
        gold = (f"SELECT t.{label.name} FROM {table.name} AS t {where_scope.joins}{where(condition, where_scope.condition)}").replace("  ", " ")
        question = (f"List the {label.words} of every {table.noun} {where_scope.phrase + ' and ' if where_scope.phrase else ''}"
                    f"whose {label.words} {words}. {ORDER_FREE}")
        if pattern.endswith("%"):
            rewrite = gold.replace(condition, f"substr(t.{label.name}, 1, 1) = {literal(text)}")
        else:
            rewrite = gold.replace(condition, f"substr(t.{label.name}, -2) = {literal(text)}")
        misses = [(gold.replace(literal(pattern), wrong[0]), wrong[1]), (gold.replace(" LIKE ", " NOT LIKE "), "the pattern negated"),
                  (gold.replace(literal(pattern), literal(pattern.swapcase())), "the letters' case swapped (kept where the engine's LIKE is case-sensitive)")]
        return Query(question, gold, False, [(rewrite, "LIKE as substr")], misses)

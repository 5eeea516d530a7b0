"""sql/null_handling, sql/aggregate, sql/group_having, sql/top_n: NULL tests, aggregate values,
grouped counts with HAVING, and the top rows under ORDER BY ... LIMIT with ties broken.
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
class NullHandling(SqlTask):
    id = "sql/null_handling"
    description = "Questions on a nullable column: rows with no value, or rows whose value differs from one given, missing values included."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "nullable"))
        column = pick(rng, table.nullable)
        label = table.label
        if rng.random() < 0.4:
            gold = f"SELECT COUNT(*) FROM {table.name} AS t WHERE t.{column.name} IS NULL"
            question = f"How many {table.plural} have no {column.words} recorded (NULL)?"
            misses = [(f"SELECT COUNT(t.{column.name}) FROM {table.name} AS t", "counts the recorded values instead"),
                      (f"SELECT COUNT(*) FROM {table.name} AS t WHERE t.{column.name} = NULL", "= NULL is never true")]
            rewrites = [(f"SELECT COUNT(*) - COUNT(t.{column.name}) FROM {table.name} AS t", "all rows minus the recorded values")]
            return Query(question, gold, False, rewrites, misses)
        values = present(rows, table, column.name)
        if not values:
            return None
        value = pick(rng, values)
        gold = f"SELECT t.{label} FROM {table.name} AS t WHERE t.{column.name} <> {literal(value)} OR t.{column.name} IS NULL"
        question = (f"List the {table.column(label).words} of every {table.noun} whose {column.words} is not {value!r}, "
                    f"including those with no {column.words} recorded. {ORDER_FREE}")
        misses = [(f"SELECT t.{label} FROM {table.name} AS t WHERE t.{column.name} <> {literal(value)}", "<> drops the NULL rows")]
        rewrites = [(f"SELECT t.{label} FROM {table.name} AS t WHERE COALESCE(t.{column.name} = {literal(value)}, 0) = 0"
                     if not isinstance(value, str) else
                     f"SELECT t.{label} FROM {table.name} AS t WHERE t.{column.name} IS NOT {literal(value)}", "IS NOT / COALESCE form")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class Aggregate(SqlTask):
    id = "sql/aggregate"
    description = "One aggregate value (COUNT, SUM, AVG, MIN or MAX) over the rows that pass a filter."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "measure"))
        measure = pick(rng, table.measures)
        where_scope = scope(rng, domain, table, rows, config.joins)
        function, words = pick(rng, [("SUM", "total"), ("AVG", "average"), ("MIN", "smallest"), ("MAX", "largest"), ("COUNT", "number")])
        source = f"FROM {table.name} AS t {where_scope.joins}{where(where_scope.condition)}".replace("  ", " ").rstrip()
        filtered = f" {where_scope.phrase}" if where_scope.phrase else ""
        if function == "COUNT":
            gold = f"SELECT COUNT(t.{measure.name}) {source}"
            question = f"How many {table.plural}{filtered} have a {measure.words} recorded?"
            misses = [(f"SELECT COUNT(DISTINCT t.{measure.name}) {source}", "COUNT DISTINCT drops repeated values")]
            if measure.nullable:
                misses.append((f"SELECT COUNT(*) {source}", "COUNT(*) counts rows with no value"))
            return Query(question, gold, False, [], misses)
        gold = f"SELECT {function}(t.{measure.name}) {source}"
        question = f"What is the {words} {measure.words} over all {table.plural}{filtered}? Ignore missing values."
        misses = []
        if function == "AVG":
            misses.append((f"SELECT SUM(t.{measure.name}) / COUNT(t.{measure.name}) {source}", "integer division when the column is an integer"))
            misses.append((f"SELECT SUM(t.{measure.name}) * 1.0 / COUNT(*) {source}", "divides by every row, missing values too"))
            rewrites = [(f"SELECT SUM(t.{measure.name}) * 1.0 / COUNT(t.{measure.name}) {source}", "AVG as SUM over COUNT in floating point")]
        elif function in ("MIN", "MAX"):
            other = "MAX" if function == "MIN" else "MIN"
            misses.append((f"SELECT {other}(t.{measure.name}) {source}", f"{other} instead of {function}"))
            direction = "" if function == "MIN" else " DESC"
            condition = where(f"t.{measure.name} IS NOT NULL", where_scope.condition)
            rewrites = [(f"SELECT t.{measure.name} FROM {table.name} AS t {where_scope.joins}{condition} ORDER BY t.{measure.name}{direction} LIMIT 1"
                         .replace("  ", " "), "ORDER BY ... LIMIT 1")]
        else:
            misses.append((f"SELECT SUM(DISTINCT t.{measure.name}) {source}", "SUM DISTINCT drops repeated values"))
            rewrites = [(f"SELECT SUM(t.{measure.name} * 1) {source}", "sum of the value times one")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class GroupHaving(SqlTask):
    id = "sql/group_having"
    description = "Count rows per category (GROUP BY) and keep the groups that reach a threshold (HAVING)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "category"))
        category = pick(rng, table.categories)
        counts: dict[object, int] = {}
        for value in [r[[c.name for c in table.columns].index(category.name)] for r in rows[table.name]]:
            counts[value] = counts.get(value, 0) + 1
        sizes = sorted(counts.values())
        if len(sizes) < 3:
            return None
        threshold = sizes[len(sizes) // 2]
        gold = f"SELECT t.{category.name}, COUNT(*) FROM {table.name} AS t GROUP BY t.{category.name} HAVING COUNT(*) >= {threshold}"
        question = (f"For each {category.words} of the {table.plural}, give the {category.words} and its number of {table.plural}, "
                    f"keeping only the {category.words} values with at least {threshold} {table.plural}. {ORDER_FREE}")
        if category.nullable:
            question += f" A missing {category.words} (NULL) counts as a group of its own."
        misses = [(gold.replace(f">= {threshold}", f"> {threshold}"), "> instead of >="),
                  (f"SELECT t.{category.name}, COUNT(*) FROM {table.name} AS t GROUP BY t.{category.name}", "HAVING missing")]
        rewrites = [((f"SELECT c, n FROM (SELECT t.{category.name} AS c, COUNT(*) AS n FROM {table.name} AS t GROUP BY t.{category.name}) AS g "
                     f"WHERE n >= {threshold}"), "HAVING as a filter over a grouped subquery")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class TopN(SqlTask):
    id = "sql/top_n"
    description = "The top rows by a numeric column (ORDER BY ... LIMIT), ties broken by the name and then the id; order matters."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, [t for t in tables_with(domain, "measure") if t.label != "id"] or tables_with(domain, "measure"))
        measure = pick(rng, [m for m in table.measures if not m.nullable] or table.measures)
        label = table.label
        count = rng.randint(3, 5)
        descending = rng.random() < 0.6
        direction, words = (" DESC", "highest") if descending else ("", "lowest")
        where_scope = scope(rng, domain, table, rows, config.joins)
        condition = where(f"t.{measure.name} IS NOT NULL", where_scope.condition)
        body = f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t {where_scope.joins}{condition}".replace("  ", " ")
        tie = f", t.{label}, t.id" if label != "id" else ""
        gold = f"{body} ORDER BY t.{measure.name}{direction}{tie} LIMIT {count}"
        ties = f" Break ties by {table.column(label).words} in alphabetical order, then by id." if label != "id" else ""
        question = (f"List the {table.column(label).words} and the {measure.words} of the {count} {table.plural}"
                    f"{' ' + where_scope.phrase if where_scope.phrase else ''} with the {words} {measure.words} (ignore missing values), "
                    f"from the {words} down.{ties} Return the rows in that order.")
        misses = [(f"{body} ORDER BY t.{measure.name}{direction} LIMIT {count}", "ties left to the engine"),
                  (f"{body} ORDER BY t.{measure.name}{direction}{tie} LIMIT {count - 1}", "one row too few"),
                  (f"{body} ORDER BY t.{measure.name}{' ' if descending else ' DESC'}{tie} LIMIT {count}".replace("  ", " "), "the wrong direction")]
        rewrites = [(f"{body} ORDER BY {2}{direction}{tie} LIMIT {count}", "ORDER BY position")]
        return Query(question, gold, True, rewrites, misses)

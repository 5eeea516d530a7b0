"""sql/window_rank, sql/case_buckets, sql/date_functions, sql/string_functions: window
functions, CASE expressions, date parts and string functions over one table.
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
    tables_with,
)
from assay.generators.sql._data import Rows, literal
from assay.generators.sql._schemas import Domain
from assay.registry import register_task


@register_task
class WindowRank(SqlTask):
    id = "sql/window_rank"
    description = "The top row(s) of each category by a numeric column, ties kept (RANK() OVER (PARTITION BY ...))."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        tables = tables_with(domain, "measure+category")
        if not tables:
            return None
        table = pick(rng, tables)
        measure = pick(rng, [m for m in table.measures if not m.nullable] or table.measures)
        category = pick(rng, [c for c in table.categories if not c.nullable] or table.categories)
        label = table.label
        gold = (f"SELECT {category.name}, {label}, {measure.name} FROM (SELECT {category.name}, {label}, {measure.name}, "
                f"RANK() OVER (PARTITION BY {category.name} ORDER BY {measure.name} DESC) AS position FROM {table.name} "
                f"WHERE {measure.name} IS NOT NULL) AS ranked WHERE position = 1")
        question = (f"For each {category.words} of the {table.plural}, list the {category.words}, the {table.column(label).words} and "
                    f"the {measure.words} of the {table.noun} with the highest {measure.words} in that {category.words}; when "
                    f"several tie for the highest, list them all. {ORDER_FREE}")
        rewrites = [((f"SELECT t.{category.name}, t.{label}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} = "
                     f"(SELECT MAX(s.{measure.name}) FROM {table.name} AS s WHERE s.{category.name} IS t.{category.name})"),
                     "a correlated MAX instead of a window")]
        misses = [(gold.replace("RANK()", "ROW_NUMBER()"), "ROW_NUMBER keeps one of the tied rows"),
                  (gold.replace(" DESC)", ")"), "the lowest instead of the highest")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class CaseBuckets(SqlTask):
    id = "sql/case_buckets"
    description = "Count rows per band of a numeric column defined by a CASE expression (low / medium / high)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "measure"))
        measure = pick(rng, [m for m in table.measures if not m.nullable] or table.measures)
        values = sorted(present(rows, table, measure.name))
        if len(values) < 4:
            return None
        low, high = values[len(values) // 3], values[(2 * len(values)) // 3]
        if low == high:
            return None
        name = measure.name
        case = (f"CASE WHEN {name} < {literal(low)} THEN 'low' WHEN {name} < {literal(high)} THEN 'medium' ELSE 'high' END")
        gold = f"SELECT {case} AS band, COUNT(*) FROM {table.name} WHERE {name} IS NOT NULL GROUP BY band"
        question = (f"Put every {table.noun} with a {measure.words} into a band: 'low' when the {measure.words} is below {low}, "
                    f"'medium' when it is at least {low} but below {high}, and 'high' otherwise. Give each band that occurs and "
                    f"its number of {table.plural}; leave out {table.plural} with no {measure.words}. {ORDER_FREE}")
        rewrites = [((f"SELECT 'low', COUNT(*) FROM {table.name} WHERE {name} < {literal(low)} HAVING COUNT(*) > 0 UNION ALL "
                     f"SELECT 'medium', COUNT(*) FROM {table.name} WHERE {name} >= {literal(low)} AND {name} < {literal(high)} HAVING COUNT(*) > 0 "
                     f"UNION ALL SELECT 'high', COUNT(*) FROM {table.name} WHERE {name} >= {literal(high)} HAVING COUNT(*) > 0"),
                     "three counts joined by UNION ALL")]
        misses = [(gold.replace(f"{name} < {literal(low)} THEN", f"{name} <= {literal(low)} THEN"), "<= at the low bound"),
                  (gold.replace(f" WHERE {name} IS NOT NULL", ""), "rows with no value counted as high")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class DateFunctions(SqlTask):
    id = "sql/date_functions"
    description = "Count rows per year of a date column, or the rows of one year and month (date functions)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "date"))
        column = pick(rng, table.dates)
        name = column.name
        if rng.random() < 0.5:
            gold = f"SELECT strftime('%Y', {name}) AS year, COUNT(*) FROM {table.name} GROUP BY year"
            question = (f"For each year in which some {table.noun} has a {column.words}, give the year as four-digit text "
                        f"(for example '2023') and the number of {table.plural} with a {column.words} in that year. {ORDER_FREE}")
            rewrites = [(f"SELECT substr({name}, 1, 4), COUNT(*) FROM {table.name} GROUP BY substr({name}, 1, 4)", "the year cut from the ISO text")]
            misses = [(f"SELECT strftime('%m', {name}) AS month, COUNT(*) FROM {table.name} GROUP BY month", "months instead of years"),
                      (f"SELECT strftime('%Y', {name}) AS year, COUNT(DISTINCT {name}) FROM {table.name} GROUP BY year", "distinct dates, not rows")]
            return Query(question, gold, False, rewrites, misses)
        dates = [d for d in present(rows, table, name)]
        if not dates:
            return None
        year, month = pick(rng, dates)[:7].split("-")
        label = table.label
        gold = f"SELECT id, {label} FROM {table.name} WHERE strftime('%Y-%m', {name}) = '{year}-{month}'" if label != "id" else \
            f"SELECT id FROM {table.name} WHERE strftime('%Y-%m', {name}) = '{year}-{month}'"
        shown = f"the id and the {table.column(label).words}" if label != "id" else "the id"
        question = f"List {shown} of every {table.noun} whose {column.words} falls in month {month} of {year}. {ORDER_FREE}"
        rewrites = [(gold.replace(f"strftime('%Y-%m', {name}) = '{year}-{month}'", f"{name} BETWEEN '{year}-{month}-01' AND '{year}-{month}-31'"),
                     "a range of ISO dates")]
        misses = [(gold.replace(f"strftime('%Y-%m', {name}) = '{year}-{month}'", f"strftime('%m', {name}) = '{month}'"), "the month in any year"),
                  (gold.replace(f"strftime('%Y-%m', {name}) = '{year}-{month}'", f"strftime('%Y', {name}) = '{year}'"), "the whole year")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class StringFunctions(SqlTask):
    id = "sql/string_functions"
    description = "Count names per initial letter, or list names longer than a length, in upper case (string functions)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, tables_with(domain, "label"))
        label = table.column(table.label)
        name = label.name
        if rng.random() < 0.5:
            gold = f"SELECT substr({name}, 1, 1) AS initial, COUNT(*) FROM {table.name} GROUP BY initial"
            question = (f"For each first letter that a {table.noun}'s {label.words} starts with, give the letter and the number "
                        f"of {table.plural} whose {label.words} starts with it. {ORDER_FREE}")
            rewrites = [(f"SELECT upper(substr({name}, 1, 1)), COUNT(*) FROM {table.name} GROUP BY 1", "the initial upper-cased (already upper case)")]
            misses = [(f"SELECT substr({name}, 1, 1) AS initial, COUNT(DISTINCT {name}) FROM {table.name} GROUP BY initial", "distinct names, not rows"),
                      (f"SELECT substr({name}, 1, 2) AS initial, COUNT(*) FROM {table.name} GROUP BY initial", "two letters instead of one")]
            return Query(question, gold, False, rewrites, misses)
        lengths = sorted(len(v) for v in present(rows, table, name) if isinstance(v, str))
        if len(lengths) < 3:
            return None
        size = lengths[len(lengths) // 2]
        gold = f"SELECT upper({name}) FROM {table.name} WHERE length({name}) > {size}"
        question = (f"List, in upper case, the {label.words} of every {table.noun} whose {label.words} is longer than {size} "
                    f"characters (spaces count). {ORDER_FREE}")
        rewrites = [(f"SELECT upper(t.{name}) FROM {table.name} AS t WHERE length(t.{name}) >= {size + 1}", ">= one more")]
        misses = [(f"SELECT {name} FROM {table.name} WHERE length({name}) > {size}", "not upper-cased"),
                  (f"SELECT upper({name}) FROM {table.name} WHERE length({name}) >= {size}", ">= instead of >"),
                  (f"SELECT DISTINCT upper({name}) FROM {table.name} WHERE length({name}) > {size}", "repeated names merged")]
        return Query(question, gold, False, rewrites, misses)

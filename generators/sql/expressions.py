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
from assay.generators.sql._links import grouped_table, own_filter
from assay.generators.sql._schemas import Domain
from assay.registry import register_task


@register_task
class WindowRank(SqlTask):
    id = "sql/window_rank"
    description = ("The top row(s) of each group by a numeric column, ties kept (RANK() OVER (PARTITION BY ...)); from level 2 "
                   "the top n of each parent or parent's category, joined in; level 3 up to the grandparent, RANK or DENSE_RANK, "
                   "the rank itself as a column and a filter before ranking.")
    # Version 3: highest or lowest at every level; levels 2 and 3 partition through foreign keys.
    version = 3

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        if config.joins == 0:
            return self._plain(rng, domain)
        return self._linked(rng, domain, rows, config)

    def _plain(self, rng: random.Random, domain: Domain) -> Query | None:
        tables = tables_with(domain, "measure+category")
        if not tables:
            return None
        table = pick(rng, tables)
        measure = pick(rng, [m for m in table.measures if not m.nullable] or table.measures)
        category = pick(rng, [c for c in table.categories if not c.nullable] or table.categories)
        label = table.label
        descending = rng.random() < 0.6
        direction, words = (" DESC", "highest") if descending else ("", "lowest")
        extreme = "MAX" if descending else "MIN"
        gold = (f"SELECT {category.name}, {label}, {measure.name} FROM (SELECT {category.name}, {label}, {measure.name}, "
                f"RANK() OVER (PARTITION BY {category.name} ORDER BY {measure.name}{direction}) AS position FROM {table.name} "
                f"WHERE {measure.name} IS NOT NULL) AS ranked WHERE position = 1")
        question = (f"For each {category.words} of the {table.plural}, list the {category.words}, the {table.column(label).words} and "
                    f"the {measure.words} of the {table.noun} with the {words} {measure.words} in that {category.words}; when "
                    f"several tie for the {words}, list them all. {ORDER_FREE}")
        rewrites = [((f"SELECT t.{category.name}, t.{label}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} = "
                     f"(SELECT {extreme}(s.{measure.name}) FROM {table.name} AS s WHERE s.{category.name} IS t.{category.name})"),
                     f"a correlated {extreme} instead of a window")]
        misses = [(gold.replace("RANK()", "ROW_NUMBER()"), "ROW_NUMBER keeps one of the tied rows"),
                  (gold.replace(f"{measure.name}{direction}) AS position", f"{measure.name}{'' if descending else ' DESC'}) AS position"),
                   "the wrong end of the order")]
        return Query(question, gold, False, rewrites, misses)

    def _linked(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        """The top n of each group reached through foreign keys (RANK: fewer than n strictly better rows
        in the group; DENSE_RANK at level 3: among the n best distinct values), with the group's label or
        category joined in; at level 3 also the rank as a column and an optional filter applied before ranking."""
        picked = grouped_table(rng, domain, [t for t in tables_with(domain, "measure") if t.foreign_keys], config.joins)
        if picked is None:
            return None
        table, grouping = picked
        measure = pick(rng, [m for m in table.measures if not m.nullable] or table.measures)
        m, label = measure.name, table.label
        count = rng.randint(1, 3)
        descending = rng.random() < 0.6
        direction, words, better = (" DESC", "highest", ">") if descending else ("", "lowest", "<")
        level3 = config.joins >= 2
        function = pick(rng, ["RANK", "DENSE_RANK"]) if level3 else "RANK"
        with_rank = level3 and rng.random() < 0.5
        extra = own_filter(rng, table, rows) if level3 and rng.random() < 0.4 else None
        if extra is not None and extra.column is measure:
            extra = None
        kept = f" AND {extra.sql('t')}" if extra is not None else ""
        inner = (f"SELECT {grouping.shown('t')} AS grp, t.{label}, t.{m}, {function}() OVER (PARTITION BY {grouping.key('t')} "
                 f"ORDER BY t.{m}{direction}) AS position FROM {table.name} AS t {grouping.joins('t')} WHERE t.{m} IS NOT NULL{kept}")
        selected = f"ranked.grp, ranked.{label}, ranked.{m}" + (", ranked.position" if with_rank else "")
        gold = f"SELECT {selected} FROM ({inner}) AS ranked WHERE ranked.position <= {count}"
        plural, noun = table.plural, table.noun
        named = f"the {table.column(label).words}" if label != "id" else "the id"
        peers = f"{grouping.same()}{' and whose ' + extra.words if extra is not None else ''}"
        distinct = "DISTINCT " if function == "DENSE_RANK" else ""
        comparative = "higher" if descending else "lower"
        if function == "RANK":
            rule = f"its rank is 1 plus the number of {plural} with a strictly {comparative} {measure.words} among {peers}"
            chosen = (f"fewer than {count} of {peers} have a strictly {comparative} {measure.words}" if count > 1 else
                      f"none of {peers} has a strictly {comparative} {measure.words}")
        else:
            rule = f"its rank is 1 plus the number of distinct {measure.words} values {comparative} than its own among {peers}"
            chosen = (f"its {measure.words} is one of the {count} {words} distinct {measure.words} values among {peers}" if count > 1
                      else f"its {measure.words} is the {words} among {peers}")
        only = f" Only {plural} whose {extra.words} take part, in the ranking too.{extra.note(noun)}" if extra is not None else ""
        asked = (f"{grouping.shown_words()}, {named}, the {measure.words} and its rank" if with_rank
                 else f"{grouping.shown_words()}, {named} and the {measure.words}")
        question = (f"Find every {noun} such that {chosen}{grouping.links()}; tied rows are all kept. For each, list {asked}."
                    f"{' Here ' + rule + '.' if with_rank else ''}{only} Leave out {plural} with no {measure.words}. {ORDER_FREE}")
        rank_count = (f"(SELECT COUNT({distinct}s.{m}) FROM {table.name} AS s {grouping.joins('s', trimmed=True)} WHERE "
                      f"{grouping.key('s')} = {grouping.key('t')} AND s.{m} {better} t.{m}"
                      f"{' AND ' + extra.sql('s') if extra is not None else ''})").replace("  ", " ")
        counted = f"SELECT {grouping.shown('t')}, t.{label}, t.{m}" + (f", 1 + {rank_count}" if with_rank else "")
        rewrites = [(f"{counted} FROM {table.name} AS t {grouping.joins('t')} WHERE t.{m} IS NOT NULL{kept} AND {rank_count} < {count}",
                     "a correlated count of the better rows instead of a window")]
        other = "DENSE_RANK" if function == "RANK" else "RANK"
        misses = [(gold.replace(f"{function}()", "ROW_NUMBER()"), "ROW_NUMBER drops tied rows"),
                  (gold.replace(f"{function}()", f"{other}()"), f"{other} instead of {function}"),
                  (gold.replace(f"ORDER BY t.{m}{direction})", f"ORDER BY t.{m}{'' if descending else ' DESC'})"), "the wrong end of the order"),
                  (gold.replace(f"<= {count}", f"< {count}") if count > 1 else gold.replace("<= 1", "<= 2"), "one rank off")]
        if len(grouping.hops) == 2:
            near = type(grouping)(table, grouping.hops[:1], None)
            misses.append((gold.replace(f"PARTITION BY {grouping.key('t')}", f"PARTITION BY {near.key('t')}"),
                           f"partitioned by the {near.last.noun}, one hop short"))
        if extra is not None:
            misses.append((gold.replace(kept, ""), "the filter dropped"))
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

"""sql/join, sql/anti_join, sql/scalar_subquery, sql/correlated_subquery, sql/set_operation,
sql/cte: questions across the foreign-key graph, by joins, subqueries, set operations and CTEs.
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
from assay.generators.sql._schemas import Column, Domain, Table
from assay.registry import register_task


def _path(rng: random.Random, domain: Domain, length: int) -> list[tuple[Table, Column, Table]] | None:
    """A chain of (child, foreign key, parent) hops from a parent with a label down ``length`` hops."""
    starts = [t for t in domain.tables if t.label != "id" and domain.children(t.name)]
    if not starts:
        return None
    parent = pick(rng, starts)
    hops: list[tuple[Table, Column, Table]] = []
    for _ in range(length):
        children = domain.children(parent.name)
        if not children:
            break
        child, fk = pick(rng, children)
        hops.append((child, fk, parent))
        parent = child
    return hops or None


@register_task
class Join(SqlTask):
    id = "sql/join"
    description = "Names of the rows linked, through 1 to 3 foreign-key hops, to rows with a given category (DISTINCT names)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        hops = _path(rng, domain, config.joins + 1)
        if hops is None:
            return None
        top = hops[0][2]
        bottom = hops[-1][0]
        target = bottom if bottom.categories else None
        if target is None:
            candidates = [child for child, _, _ in hops if child.categories]
            if not candidates:
                return None
            target = candidates[-1]
        category = pick(rng, target.categories)
        value = pick(rng, present(rows, target, category.name))
        joins, alias = [], "a0"
        aliases = {top.name: "a0"}
        chain = [(top.name, "a0", "")]  # (table, alias, ON condition joining it to the previous one)
        for depth, (child, fk, _) in enumerate(hops, start=1):
            child_alias = f"a{depth}"
            condition = f"{child_alias}.{fk.name} = {alias}.id"
            joins.append(f"JOIN {child.name} AS {child_alias} ON {condition}")
            chain.append((child.name, child_alias, condition))
            aliases[child.name] = child_alias
            alias = child_alias
            if child is target:
                break
        target_alias = aliases[target.name]
        body = f"FROM {top.name} AS a0 {' '.join(joins)} WHERE {target_alias}.{category.name} = {literal(value)}"
        gold = f"SELECT DISTINCT a0.{top.label} {body}"
        label = top.column(top.label)
        unique_label = label.unique
        question = (f"List the {label.words} of every {top.noun} that has at least one {target.noun} whose {category.words} is "
                    f"{value!r}, each {label.words} once. {ORDER_FREE}")
        if not unique_label:
            gold = f"SELECT DISTINCT a0.id, a0.{top.label} {body}"
            question = (f"List the id and the {label.words} of every {top.noun} that has at least one {target.noun} whose "
                        f"{category.words} is {value!r}, each {top.noun} once. {ORDER_FREE}")
        selected = "a0.id, a0." + top.label if not unique_label else "a0." + top.label
        inner = f"SELECT {aliases[hops[0][0].name]}.{hops[0][1].name} {body.replace(f'FROM {top.name} AS a0 ', 'FROM ', 1).replace(joins[0] + ' ', hops[0][0].name + ' AS ' + aliases[hops[0][0].name] + ' ', 1)}"
        reversed_from = f"FROM {chain[-1][0]} AS {chain[-1][1]} " + " ".join(
            f"JOIN {chain[k][0]} AS {chain[k][1]} ON {chain[k + 1][2]}" for k in range(len(chain) - 2, -1, -1))
        where_part = body[body.index(" WHERE "):]
        rewrites = [(f"SELECT {selected} FROM {top.name} AS a0 WHERE a0.id IN ({inner})", "the join written as an IN subquery"),
                    (f"SELECT DISTINCT {selected} {reversed_from}{where_part}", "the joins in the reverse order")]
        misses = [(f"SELECT {selected} {body}", "join duplicates kept (no DISTINCT)")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class AntiJoin(SqlTask):
    id = "sql/anti_join"
    description = "Rows that have no linked row in a child table (LEFT JOIN ... IS NULL, NOT EXISTS)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        parent = pick(rng, [t for t in tables_with(domain, "children") if t.label != "id"] or tables_with(domain, "children"))
        child, fk = pick(rng, domain.children(parent.name))
        label = parent.label
        gold = (f"SELECT p.id, p.{label} FROM {parent.name} AS p LEFT JOIN {child.name} AS c ON c.{fk.name} = p.id "
                f"WHERE c.id IS NULL")
        question = (f"List the id and the {parent.column(label).words} of every {parent.noun} that has no {child.noun} "
                    f"(no row of {child.name} refers to it through {fk.name}). {ORDER_FREE}")
        rewrites = [(f"SELECT p.id, p.{label} FROM {parent.name} AS p WHERE NOT EXISTS (SELECT 1 FROM {child.name} AS c WHERE c.{fk.name} = p.id)", "NOT EXISTS"),
                    (f"SELECT id, {label} FROM {parent.name} WHERE id NOT IN (SELECT {fk.name} FROM {child.name} WHERE {fk.name} IS NOT NULL)", "NOT IN")]
        misses = [(f"SELECT p.id, p.{label} FROM {parent.name} AS p LEFT JOIN {child.name} AS c ON c.{fk.name} = p.id", "the IS NULL filter missing"),
                  (f"SELECT DISTINCT p.id, p.{label} FROM {parent.name} AS p JOIN {child.name} AS c ON c.{fk.name} = p.id", "those that do have one")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class ScalarSubquery(SqlTask):
    id = "sql/scalar_subquery"
    description = "Rows whose numeric column is above or below the table's average (a scalar subquery)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        table = pick(rng, [t for t in tables_with(domain, "measure") if t.label != "id"] or tables_with(domain, "measure"))
        measure = pick(rng, table.measures)
        label = table.label
        operator, words = pick(rng, [(">", "above"), ("<", "below")])
        gold = f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} {operator} (SELECT AVG(s.{measure.name}) FROM {table.name} AS s)"
        question = (f"List the {table.column(label).words} and the {measure.words} of every {table.noun} whose {measure.words} is "
                    f"strictly {words} the average {measure.words} of all {table.plural} (missing values ignored). {ORDER_FREE}")
        values = [v for v in present(rows, table, measure.name)]
        if len(values) < 3:
            return None
        average = sum(v for v in (r[[c.name for c in table.columns].index(measure.name)] for r in rows[table.name]) if v is not None)
        count = sum(1 for r in rows[table.name] if r[[c.name for c in table.columns].index(measure.name)] is not None)
        frozen = round(average / count, 2)
        rewrites = [((f"WITH a AS (SELECT AVG({measure.name}) AS v FROM {table.name}) SELECT t.{label}, t.{measure.name} FROM {table.name} AS t, a "
                     f"WHERE t.{measure.name} {operator} a.v"), "the average in a CTE")]
        misses = [(f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} {operator} {literal(frozen)}",
                   "the first database's average hard-coded"),
                  ((f"SELECT t.{label}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} {operator} "
                   f"(SELECT SUM(s.{measure.name}) * 1.0 / COUNT(*) FROM {table.name} AS s)"), "average over every row, missing values as zero")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class CorrelatedSubquery(SqlTask):
    id = "sql/correlated_subquery"
    description = "Rows whose numeric column exceeds the average of their own category (a correlated subquery)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        tables = [t for t in tables_with(domain, "measure+category")]
        if not tables:
            return None
        table = pick(rng, tables)
        measure = pick(rng, table.measures)
        category = pick(rng, table.categories)
        label = table.label
        gold = (f"SELECT t.{label}, t.{category.name}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} > "
                f"(SELECT AVG(s.{measure.name}) FROM {table.name} AS s WHERE s.{category.name} = t.{category.name})")
        question = (f"List the {table.column(label).words}, {category.words} and {measure.words} of every {table.noun} whose "
                    f"{measure.words} is strictly greater than the average {measure.words} of the {table.plural} with the same "
                    f"{category.words}. {ORDER_FREE}")
        rewrites = [((f"SELECT t.{label}, t.{category.name}, t.{measure.name} FROM {table.name} AS t JOIN (SELECT {category.name} AS k, "
                     f"AVG({measure.name}) AS v FROM {table.name} GROUP BY {category.name}) AS g ON g.k = t.{category.name} "
                     f"WHERE t.{measure.name} > g.v"), "the per-category averages joined as a derived table")]
        misses = [((f"SELECT t.{label}, t.{category.name}, t.{measure.name} FROM {table.name} AS t WHERE t.{measure.name} > "
                   f"(SELECT AVG(s.{measure.name}) FROM {table.name} AS s)"), "the overall average, not the category's"),
                  (gold.replace(f"t.{measure.name} > (", f"t.{measure.name} >= ("), ">= instead of >")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class SetOperation(SqlTask):
    id = "sql/set_operation"
    description = "Names from two filters combined by UNION, INTERSECT or EXCEPT (distinct names)."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        tables = [t for t in tables_with(domain, "measure+category") if t.label != "id"]
        if not tables:
            return None
        table = pick(rng, tables)
        category = pick(rng, table.categories)
        measure = pick(rng, table.measures)
        label = table.label
        values = sorted(present(rows, table, measure.name))
        cats = present(rows, table, category.name)
        if len(values) < 3 or not cats:
            return None
        threshold, value = values[len(values) // 2], pick(rng, cats)
        first = f"SELECT {label} FROM {table.name} WHERE {category.name} = {literal(value)}"
        second = f"SELECT {label} FROM {table.name} WHERE {measure.name} > {literal(threshold)}"
        operator, words, rewrite_condition = pick(rng, [
            ("UNION", "or", f"{category.name} = {literal(value)} OR {measure.name} > {literal(threshold)}"),
            ("INTERSECT", "and", f"{category.name} = {literal(value)} AND {measure.name} > {literal(threshold)}"),
            ("EXCEPT", "but not", None)])
        gold = f"{first} {operator} {second}"
        noun_words = table.column(label).words
        if operator == "EXCEPT":
            question = (f"List the distinct {noun_words} values found among {table.plural} whose {category.words} is {value!r}, "
                        f"leaving out every {noun_words} that also belongs to some {table.noun} whose {measure.words} is greater "
                        f"than {threshold}. {ORDER_FREE}")
            rewrites = [((f"SELECT DISTINCT {label} FROM {table.name} WHERE {category.name} = {literal(value)} AND {label} NOT IN "
                         f"(SELECT {label} FROM {table.name} WHERE {measure.name} > {literal(threshold)})"), "EXCEPT as NOT IN")]
            misses = [(f"SELECT DISTINCT {label} FROM {table.name} WHERE {category.name} = {literal(value)} AND NOT {measure.name} > {literal(threshold)}",
                       "a row-level filter instead of a set difference")]
        else:
            links = {"UNION": f"{category.words} is {value!r} or whose {measure.words} is greater than {threshold}",
                     "INTERSECT": f"{category.words} is {value!r} and also to some {table.noun} whose {measure.words} is greater than {threshold}"}
            question = (f"List the distinct {noun_words} values that belong to some {table.noun} whose {links[operator]}. {ORDER_FREE}")
            rewrites = [(f"SELECT DISTINCT {label} FROM {table.name} WHERE {rewrite_condition}", f"{operator} as {words.upper()}")] if operator == "UNION" else []
            misses = [(f"{first} UNION ALL {second}" if operator == "UNION" else f"{first} UNION {second}",
                       "UNION ALL keeps duplicates" if operator == "UNION" else "UNION instead of INTERSECT")]
        return Query(question, gold, False, rewrites, misses)


@register_task
class CommonTableExpression(SqlTask):
    id = "sql/cte"
    description = "Per-parent totals of a child column computed in a CTE, then filtered and joined back to the parent's name."

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        options = [(p, c, fk) for p in domain.tables if p.label != "id" for c, fk in domain.children(p.name) if c.measures]
        if not options:
            return None
        parent, child, fk = pick(rng, options)
        measure = pick(rng, child.measures)
        totals: dict[int, float] = {}
        names = [c.name for c in child.columns]
        for row in rows[child.name]:
            v = row[names.index(measure.name)]
            if v is not None:
                key = row[names.index(fk.name)]
                totals[key] = totals.get(key, 0) + v
        if len(totals) < 3:
            return None
        threshold = sorted(totals.values())[len(totals) // 2]
        threshold = round(threshold, 2) if isinstance(threshold, float) else threshold
        gold = (f"WITH totals AS (SELECT {fk.name} AS parent_id, SUM({measure.name}) AS total FROM {child.name} GROUP BY {fk.name}) "
                f"SELECT p.{parent.label}, totals.total FROM {parent.name} AS p JOIN totals ON totals.parent_id = p.id "
                f"WHERE totals.total >= {literal(threshold)}")
        question = (f"For every {parent.noun}, add up the {measure.words} of its {child.plural}. List the {parent.column(parent.label).words} "
                    f"and that total for each {parent.noun} whose total is at least {threshold}. {ORDER_FREE}")
        rewrites = [((f"SELECT p.{parent.label}, SUM(c.{measure.name}) FROM {parent.name} AS p JOIN {child.name} AS c ON c.{fk.name} = p.id "
                     f"GROUP BY p.id, p.{parent.label} HAVING SUM(c.{measure.name}) >= {literal(threshold)}"), "a join with GROUP BY and HAVING")]
        misses = [((f"SELECT p.{parent.label}, c.{measure.name} FROM {parent.name} AS p JOIN {child.name} AS c ON c.{fk.name} = p.id "
                   f"WHERE c.{measure.name} >= {literal(threshold)}"), "single rows instead of totals"),
                  (gold.replace(f">= {literal(threshold)}", f"> {literal(threshold)}"), "> instead of >=")]
        return Query(question, gold, False, rewrites, misses)

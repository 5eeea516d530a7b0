"""sql/join, sql/anti_join, sql/scalar_subquery, sql/correlated_subquery, sql/set_operation,
sql/cte: questions across the foreign-key graph, by joins, subqueries, set operations and CTEs.
"""

from __future__ import annotations

import random
import re

from assay.generators.sql._base import (
    ORDER_FREE,
    Query,
    SqlConfig,
    SqlTask,
    pick,
    present,
    scope,
    tables_with,
)
from assay.generators.sql._data import Rows, literal
from assay.generators.sql._links import Group, article, grouped_table, own_filter
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
    description = ("Rows that have no linked row in a child table (LEFT JOIN ... IS NULL, NOT EXISTS); from level 2 no linked "
                   "row that passes a filter, at level 3 through two foreign keys (a grandchild, or the child's other parent).")
    # Version 3: levels 2 and 3 filter the missing child, then reach the filter through a second join.
    version = 3

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        if config.joins == 0:
            return self._plain(rng, domain)
        if config.joins == 1 or rng.random() < 0.25:
            return self._filtered(rng, domain, rows)
        return self._two_hops(rng, domain, rows)

    def _plain(self, rng: random.Random, domain: Domain) -> Query:
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

    def _filtered(self, rng: random.Random, domain: Domain, rows: Rows) -> Query | None:
        """No child that passes a filter on its own column: the filter belongs in the ON clause."""
        parent = pick(rng, tables_with(domain, "children"))
        child, fk = pick(rng, domain.children(parent.name))
        condition = own_filter(rng, child, rows)
        if condition is None:
            return None
        columns, shown = _shown(parent)
        gold = (f"SELECT {columns} FROM {parent.name} AS p LEFT JOIN {child.name} AS c ON c.{fk.name} = p.id "
                f"AND {condition.sql('c')} WHERE c.id IS NULL")
        question = (f"List {shown} of every {parent.noun} that has no {child.noun} whose {condition.words} "
                    f"({child.name}.{fk.name} refers to {parent.name}.id; {parent.plural} with no {child.noun} at all count too). "
                    f"{ORDER_FREE}{condition.note(child.noun)}")
        inner = f"SELECT c.{fk.name} FROM {child.name} AS c WHERE {condition.sql('c')}"
        rewrites = [(f"SELECT {columns} FROM {parent.name} AS p WHERE NOT EXISTS (SELECT 1 FROM {child.name} AS c "
                     f"WHERE c.{fk.name} = p.id AND {condition.sql('c')})", "NOT EXISTS"),
                    (f"SELECT {columns} FROM {parent.name} AS p WHERE p.id NOT IN ({inner})", "NOT IN")]
        misses = [(f"SELECT {columns} FROM {parent.name} AS p LEFT JOIN {child.name} AS c ON c.{fk.name} = p.id "
                   f"WHERE c.id IS NULL AND {condition.sql('c')}", "the filter in WHERE instead of ON (never true)"),
                  (f"SELECT {columns} FROM {parent.name} AS p LEFT JOIN {child.name} AS c ON c.{fk.name} = p.id WHERE c.id IS NULL",
                   "the filter dropped: no child at all"),
                  (f"SELECT {columns} FROM {parent.name} AS p WHERE p.id IN ({inner})", "those that do have one")]
        return Query(question, gold, False, rewrites, misses)

    def _two_hops(self, rng: random.Random, domain: Domain, rows: Rows) -> Query | None:
        """No child with a grandchild that passes a filter, or no child whose other parent passes it."""
        parent = pick(rng, tables_with(domain, "children"))
        child, fk = pick(rng, domain.children(parent.name))
        options = [("down", grand, grand_fk) for grand, grand_fk in domain.children(child.name)]
        options += [("up", domain.table(other.parent), other) for other in child.foreign_keys if other is not fk and other.parent]
        if not options:
            return None
        way, far, link = pick(rng, options)
        condition = own_filter(rng, far, rows)
        if condition is None:
            return None
        columns, shown = _shown(parent)
        on = f"f.{link.name} = c.id" if way == "down" else f"c.{link.name} = f.id"
        source = f"FROM {child.name} AS c JOIN {far.name} AS f ON {on}"
        matched = f"c.{fk.name} = p.id AND {condition.sql('f')}"
        gold = f"SELECT {columns} FROM {parent.name} AS p WHERE NOT EXISTS (SELECT 1 {source} WHERE {matched})"
        linked = (f"{child.name}.{fk.name} refers to {parent.name}.id; "
                  + (f"{far.name}.{link.name} refers to {child.name}.id" if way == "down" else f"{child.name}.{link.name} refers to {far.name}.id"))
        if way == "down":
            what = f"no {child.noun} with {article(far.noun)} whose {condition.words}"
        else:
            what = f"no {child.noun} whose {far.noun}'s {condition.words}"
        question = f"List {shown} of every {parent.noun} that has {what} ({linked}). {ORDER_FREE}{condition.note(far.noun)}"
        inner = f"SELECT c.{fk.name} {source} WHERE {condition.sql('f')}"
        bare = [c.strip() for c in columns.split(",")]
        rewrites = [(f"SELECT {columns} FROM {parent.name} AS p WHERE p.id NOT IN ({inner})", "NOT IN"),
                    (f"SELECT {columns} FROM {parent.name} AS p LEFT JOIN (SELECT DISTINCT c.{fk.name} AS k {source} WHERE "
                     f"{condition.sql('f')}) AS x ON x.k = p.id WHERE x.k IS NULL", "LEFT JOIN of a derived table"),
                    (f"SELECT {', '.join(b.replace('p.', '', 1) for b in bare)} FROM {parent.name} EXCEPT "
                     f"SELECT {columns} FROM {parent.name} AS p JOIN {child.name} AS c ON c.{fk.name} = p.id "
                     f"JOIN {far.name} AS f ON {on} WHERE {condition.sql('f')}", "EXCEPT")]
        misses = [(f"SELECT {columns} FROM {parent.name} AS p WHERE NOT EXISTS (SELECT 1 {source} WHERE c.{fk.name} = p.id)",
                   "the filter dropped"),
                  (f"SELECT {columns} FROM {parent.name} AS p WHERE p.id IN ({inner})", "those that do have one"),
                  (f"SELECT {columns} FROM {parent.name} AS p WHERE NOT EXISTS (SELECT 1 FROM {child.name} AS c "
                   f"WHERE c.{fk.name} = p.id)", f"no {child.noun} at all")]
        if way == "up":
            misses.append((f"SELECT {columns} FROM {parent.name} AS p WHERE EXISTS (SELECT 1 {source} WHERE c.{fk.name} = p.id "
                           f"AND NOT {condition.sql('f')})", "a child that fails the filter instead of none that passes it"))
        return Query(question, gold, False, rewrites, misses)


def _shown(table: Table) -> tuple[str, str]:
    """The columns that name a row of ``table`` (alias p) and their words: the id and the label."""
    if table.label == "id":
        return "p.id", "the id"
    return f"p.id, p.{table.label}", f"the id and the {table.column(table.label).words}"


@register_task
class ScalarSubquery(SqlTask):
    id = "sql/scalar_subquery"
    description = ("Rows whose numeric column is above or below an average (a scalar subquery); from level 2 the rows are "
                   "filtered through their parent (and grandparent) and the average is taken over all rows or the filtered ones; "
                   "level 3 also asks for the rows in order.")
    # Version 3: levels 2 and 3 join parents to filter the rows and may repeat the joins inside the subquery.
    version = 3

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        if config.joins == 0:
            return self._plain(rng, domain, rows)
        return self._scoped(rng, domain, rows, config)

    def _plain(self, rng: random.Random, domain: Domain, rows: Rows) -> Query | None:
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

    def _scoped(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        """Rows filtered through their parents, compared with the average of all rows or of the filtered rows
        (the subquery then repeats the joins); at level 3 in order, ties broken by the label and the id."""
        tables = [t for t in tables_with(domain, "measure") if _whole(t)
                  and any(fk.parent and domain.table(fk.parent).categories for fk in t.foreign_keys)]
        if not tables:
            return None
        table = pick(rng, tables)
        measure = pick(rng, _whole(table))
        where_scope = scope(rng, domain, table, rows, config.joins)
        if not where_scope.condition:
            return None
        label = table.label
        operator, words = pick(rng, [(">", "above"), ("<", "below")])
        among_filtered = rng.random() < 0.6
        inner_joins, inner_condition = _renamed(where_scope.joins), _renamed(where_scope.condition)
        filtered_average = (f"(SELECT AVG(s.{measure.name}) FROM {table.name} AS s {inner_joins} WHERE {inner_condition})")
        overall_average = f"(SELECT AVG(s.{measure.name}) FROM {table.name} AS s)"
        average = filtered_average if among_filtered else overall_average
        columns = f"t.{label}, t.{measure.name}" if label != "id" else f"t.id, t.{measure.name}"
        body = f"FROM {table.name} AS t {where_scope.joins} WHERE {where_scope.condition} AND t.{measure.name} {operator}"
        ordered = config.joins >= 2
        descending = rng.random() < 0.5
        order = ""
        if ordered:
            order = f" ORDER BY t.{measure.name}{' DESC' if descending else ''}" + (f", t.{label}, t.id" if label != "id" else ", t.id")
        gold = f"SELECT {columns} {body} {average}{order}"
        named = f"the {table.column(label).words}" if label != "id" else "the id"
        reference = (f"the average {measure.words} of the {table.plural} considered" if among_filtered
                     else f"the average {measure.words} of all {table.plural}, considered or not")
        if ordered:
            ties = f"by {table.column(label).words} in alphabetical order, then by id" if label != "id" else "by id"
            order_words = (f" Return the rows from the {'highest' if descending else 'lowest'} {measure.words} "
                           f"{'down' if descending else 'up'}, ties broken {ties}; the order matters.")
        else:
            order_words = f" {ORDER_FREE}"
        question = (f"Consider the {table.plural} {where_scope.phrase}. List {named} and the {measure.words} of each of them whose "
                    f"{measure.words} is strictly {words} {reference}.{_missing(table, measure)}{order_words}")
        other = overall_average if among_filtered else filtered_average
        rewrites = [(f"WITH a AS ({average[1:-1].replace(')', ') AS v', 1)}) SELECT {columns} FROM {table.name} AS t {where_scope.joins} "
                     f"CROSS JOIN a WHERE {where_scope.condition} AND t.{measure.name} {operator} a.v{order}", "the average in a CTE")]
        misses = [(f"SELECT {columns} {body} {other}{order}",
                   "the average of all rows instead of the filtered ones" if among_filtered else "the average of the filtered rows only"),
                  (f"SELECT {columns} FROM {table.name} AS t WHERE t.{measure.name} {operator} {average}{order}", "the filter through the parent dropped"),
                  (f"SELECT {columns} {body.replace(f' {operator}', ' ' + operator + '=')} {average}{order}", f"{operator}= instead of {operator}")]
        if ordered:
            flipped = order.replace(" DESC", "") if descending else order.replace(f"t.{measure.name}", f"t.{measure.name} DESC", 1)
            misses.append((f"SELECT {columns} {body} {average}{flipped}", "the wrong direction"))
        return Query(question, gold, ordered, rewrites, misses)


def _whole(table: Table) -> list[Column]:
    """The integer measures of a table. A row compared with an average of whole numbers is never
    misjudged by rounding (the sum is exact and the one division is correctly rounded on both
    engines, and equal only when exact); an average of REAL values can land a last bit off a value
    that equals it, and a correct query summing in another order could then be refused."""
    return [m for m in table.measures if m.type == "INTEGER"]


def _missing(table: Table, measure: Column) -> str:
    """What happens to rows with no value, said where the column has NULLs."""
    if not measure.nullable:
        return ""
    return f" {article(table.noun).capitalize()} with no {measure.words} recorded is not listed and does not count in the average."


def _renamed(sql: str) -> str:
    """A scope's joins or condition with its aliases renamed for a subquery (t -> s, p1 -> q1, ...)."""
    return re.sub(r"\bp(\d)\b", r"q\1", re.sub(r"\bt\.", "s.", sql))


@register_task
class CorrelatedSubquery(SqlTask):
    id = "sql/correlated_subquery"
    description = ("Rows whose numeric column exceeds the average of their own category (a correlated subquery); from level 2 "
                   "the group is their parent or a parent's category (level 3: up to the grandparent), joined in the query and the subquery.")
    # Version 3: levels 2 and 3 correlate through foreign keys (joins in both the query and the subquery).
    version = 3

    def compose(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        if config.joins == 0:
            return self._plain(rng, domain)
        return self._linked(rng, domain, rows, config)

    def _plain(self, rng: random.Random, domain: Domain) -> Query | None:
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


    def _linked(self, rng: random.Random, domain: Domain, rows: Rows, config: SqlConfig) -> Query | None:
        """Rows compared with the average of their group, a parent (or grandparent) row or a parent's
        category; at level 3 the rows may also pass a filter of their own (the average stays over the group)."""
        chosen = grouped_table(rng, domain, [t for t in tables_with(domain, "measure") if t.foreign_keys and _whole(t)], config.joins)
        if chosen is None:
            return None
        table, grouping = chosen
        measure = pick(rng, _whole(table))
        extra = own_filter(rng, table, rows) if config.joins >= 2 and rng.random() < 0.5 else None
        if extra is not None and extra.column is measure:
            extra = None
        label = table.label
        operator, words, near = pick(rng, [(">", "strictly greater than", ">="), ("<", "strictly less than", "<="),
                                           (">=", "at least", ">"), ("<=", "at most", "<")])
        m = measure.name
        outer_joins = grouping.joins("t")
        inner_joins = grouping.joins("s", trimmed=True)
        correlated = f"(SELECT AVG(s.{m}) FROM {table.name} AS s {inner_joins} WHERE {grouping.key('s')} = {grouping.key('t')})".replace("  ", " ")
        columns = f"t.{label}, {grouping.shown('t')}, t.{m}"
        kept = f"{extra.sql('t')} AND " if extra is not None else ""
        gold = f"SELECT {columns} FROM {table.name} AS t {outer_joins} WHERE {kept}t.{m} {operator} {correlated}"
        named = f"the {table.column(label).words}" if label != "id" else "the id"
        which = f"whose {extra.words} and " if extra is not None else ""
        counted = (f" That average is over every such {table.noun}, whatever its {extra.column.words}." if extra is not None else "")
        question = (f"List {named}, {grouping.shown_words()} and the {measure.words} of every {table.noun} {which}whose {measure.words} "
                    f"is {words} the average {measure.words} of {grouping.same()}{grouping.links()}.{counted}{_missing(table, measure)} "
                    f"{ORDER_FREE}{extra.note(table.noun) if extra is not None else ''}")
        averages = (f"SELECT {grouping.key('s')} AS k, AVG(s.{m}) AS v FROM {table.name} AS s {inner_joins} "
                    f"GROUP BY {grouping.key('s')}").replace("  ", " ")
        rewrites = [(f"SELECT {columns} FROM {table.name} AS t {outer_joins} JOIN ({averages}) AS g ON g.k = {grouping.key('t')} "
                     f"WHERE {kept}t.{m} {operator} g.v", "the group averages joined as a derived table")]
        misses = [(f"SELECT {columns} FROM {table.name} AS t {outer_joins} WHERE {kept}t.{m} {operator} "
                   f"(SELECT AVG(s.{m}) FROM {table.name} AS s)", "the overall average, not the group's"),
                  (gold.replace(f"t.{m} {operator} (", f"t.{m} {near} ("), f"{near} instead of {operator}")]
        if len(grouping.hops) == 2:
            near = Group(table, grouping.hops[:1], None)
            misses.append((f"SELECT {columns} FROM {table.name} AS t {outer_joins} WHERE {kept}t.{m} {operator} "
                           f"(SELECT AVG(s.{m}) FROM {table.name} AS s WHERE {near.key('s')} = {near.key('t')})",
                           f"grouped by the {near.last.noun}, one hop short"))
        if extra is not None:
            misses.append((gold.replace(f"WHERE {grouping.key('s')} =", f"WHERE {extra.sql('s')} AND {grouping.key('s')} ="),
                           "the average over the filtered rows only"))
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

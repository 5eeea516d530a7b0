"""Shared pieces of the families that grow with the level: how rows of a table are grouped
(by a column of their own, of a parent or of a grandparent, up the foreign keys) and a filter
on one table's own column, each with its SQL and the words that state it exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from assay.generators.sql._base import pick, present
from assay.generators.sql._data import Rows, literal
from assay.generators.sql._schemas import Column, Domain, Table


def article(noun: str) -> str:
    """The noun with its indefinite article.

    >>> article("order item"), article("loan")
    ('an order item', 'a loan')
    """
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


@dataclass(frozen=True)
class Group:
    """Rows of ``table`` grouped by a key reached through ``hops`` foreign keys upward (many to
    one, so a join along them never repeats a row): the key is ``column`` of the last table (a
    category) or, when ``column`` is None, the last table's row itself (a parent entity)."""

    table: Table
    hops: tuple[tuple[Column, Table], ...]  # (foreign key of the table before, the parent it points to)
    column: Column | None

    @property
    def last(self) -> Table:
        return self.hops[-1][1] if self.hops else self.table

    def joins(self, alias: str, *, trimmed: bool = False) -> str:
        """``JOIN`` clauses from ``alias`` (the table) up the hops (``alias1``, ``alias2``, ...); trimmed:
        without the last hop when the key is the last table's row (its id is the previous foreign key)."""
        hops = self.hops[:-1] if trimmed and self.column is None else self.hops
        parts, previous = [], alias
        for depth, (fk, parent) in enumerate(hops, start=1):
            parts.append(f"JOIN {parent.name} AS {alias}{depth} ON {previous}.{fk.name} = {alias}{depth}.id")
            previous = f"{alias}{depth}"
        return " ".join(parts)

    def key(self, alias: str) -> str:
        """The group key, with the aliases of ``joins(alias, trimmed=True)``."""
        if self.column is not None:
            return f"{self._alias(alias, len(self.hops))}.{self.column.name}"
        return f"{self._alias(alias, len(self.hops) - 1)}.{self.hops[-1][0].name}"

    def shown(self, alias: str) -> str:
        """What a row shows of its group (with the aliases of the full ``joins(alias)``): the key
        column, or the parent's label."""
        last = self._alias(alias, len(self.hops))
        return f"{last}.{self.column.name}" if self.column is not None else f"{last}.{self.last.label}"

    @staticmethod
    def _alias(alias: str, depth: int) -> str:
        return alias if depth == 0 else f"{alias}{depth}"

    # -- words ------------------------------------------------------------------------------
    def phrase(self) -> str:
        """The key as a row reaches it: 'title', 'department', "department's location",
        "employee's department"."""
        nouns = [parent.noun for _, parent in self.hops] + ([self.column.words] if self.column is not None else [])
        return "'s ".join(nouns)

    def shown_words(self) -> str:
        """The column a question asks for: 'its title', "its department's location", "the name
        of its employee's department"."""
        if self.column is None:
            return f"the {self.last.column(self.last.label).words} of its {self.phrase()}"
        return f"its {self.phrase()}"

    def same(self) -> str:
        """The rows that share a row's group: "all employees whose department is its department"."""
        return f"all {self.table.plural} whose {self.phrase()} is its {self.phrase()}"

    def links(self) -> str:
        """The foreign keys the grouping follows, said once: ' (a employee's department is the row of
        departments its department_id refers to)', or '' with no hops."""
        if not self.hops:
            return ""
        parts, table = [], self.table
        for fk, parent in self.hops:
            parts.append(f"{table.name}.{fk.name} refers to {parent.name}.id")
            table = parent
        return f" ({'; '.join(parts)})"


def grouped_table(rng: random.Random, domain: Domain, tables: list[Table], joins: int) -> tuple[Table, Group] | None:
    """One of ``tables`` and a grouping of it up the foreign keys: ``joins`` hops (one hop for a
    quarter of the draws past the first level), or None where there is neither."""
    if not tables:
        return None
    table = pick(rng, tables)
    depth = joins if joins == 1 or rng.random() < 0.75 else 1
    grouping = group(rng, domain, table, depth)
    return None if grouping is None else (table, grouping)


def group(rng: random.Random, domain: Domain, table: Table, depth: int) -> Group | None:
    """A grouping of ``table``'s rows ``depth`` hops up (0: by a category of its own). Only keys that
    are never NULL: a category column with no NULLs, or a parent row (foreign keys are NOT NULL).

    >>> from assay.generators.sql._schemas import DOMAINS
    >>> hr = DOMAINS["hr"]
    >>> g = Group(hr.table("assignments"), ((hr.table("assignments").column("employee_id"), hr.table("employees")),
    ...           (hr.table("employees").column("department_id"), hr.table("departments"))), None)
    >>> g.joins("s", trimmed=True), g.key("s"), g.shown("t")
    ('JOIN employees AS s1 ON s.employee_id = s1.id', 's1.department_id', 't2.name')
    >>> g.same()
    "all assignments whose employee's department is its employee's department"
    """
    hops: list[tuple[Column, Table]] = []
    current = table
    for _ in range(depth):
        options = [fk for fk in current.foreign_keys if fk.parent and not fk.nullable]
        if not options:
            return None
        fk = pick(rng, options)
        current = domain.table(str(fk.parent))
        hops.append((fk, current))
    categories = [c for c in current.categories if not c.nullable]
    if not hops:
        return Group(table, (), pick(rng, categories)) if categories else None
    by_row = current.label != "id"  # a parent shown by its label; a parent with only an id is grouped by a category
    if categories and (not by_row or rng.random() < 0.5):
        return Group(table, tuple(hops), pick(rng, categories))
    return Group(table, tuple(hops), None) if by_row else None


@dataclass(frozen=True)
class Filter:
    """A condition on one column of a table: ``sql(alias)`` and the words after 'whose'."""

    column: Column
    operator: str
    value: object
    words: str

    def sql(self, alias: str) -> str:
        return f"{alias}.{self.column.name} {self.operator} {literal(self.value)}"

    def note(self, noun: str) -> str:
        """A sentence saying that a missing value fails the filter, where the column has NULLs."""
        return f" {article(noun).capitalize()} with no {self.column.words} recorded does not pass that filter." if self.column.nullable else ""


def own_filter(rng: random.Random, table: Table, rows: Rows) -> Filter | None:
    """A filter on a category (equal to a value present in the first database) or a measure (at
    least, or at most, a value near the middle of those present). NULLs never pass it."""
    options = [c for c in table.categories + table.measures if len(present(rows, table, c.name)) >= 2]
    if not options:
        return None
    column = pick(rng, options)
    values = present(rows, table, column.name)
    if column.category:
        value = pick(rng, values)
        return Filter(column, "=", value, f"{column.words} is {value!r}")
    ordered = sorted(values)
    value = ordered[len(ordered) // 2 + rng.randint(-1, 1) if len(ordered) > 2 else 0]
    operator, words = pick(rng, [(">=", "at least"), ("<=", "at most")])
    return Filter(column, operator, value, f"{column.words} is {words} {value}")

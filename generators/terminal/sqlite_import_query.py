"""terminal/sqlite_import_query: the sqlite3 command line: create a table, import a CSV, query into a file."""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import person
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

SQLITE = "HOME=/tmp sqlite3 -init /dev/null -readonly -json"


@register_task
class SqliteImportQuery(TerminalTask):
    id = "terminal/sqlite_import_query"
    description = "Create shop.db with an orders table from orders.csv (sqlite3 CLI), then write per-customer totals to CSV."
    verification = ("The database is queried by sqlite3 in a fresh sandbox built from the final tree (-readonly, no init "
                    "file) and the JSON rows are compared outside; totals.csv is compared as CSV rows.")

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        customers = [person(rng) + (" jr" if config.traps and rng.random() < 0.3 else "") for _ in range(max(2, config.items // 2))]
        rows: list[dict[str, Any]] = []
        for oid in range(1, config.items * 2 + 1):
            rows.append({"id": oid, "customer": rng.choice(customers), "amount": rng.randrange(1, 300)})
        totals: Counter[str] = Counter()
        for row in rows:
            totals[row["customer"]] += row["amount"]
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        csv_text = "id,customer,amount\n" + "".join(f"{r['id']},{r['customer']},{r['amount']}\n" for r in rows)
        instruction = (
            "Using the sqlite3 command line, create the SQLite database /work/shop.db with a table "
            "orders(id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER) holding every row of /work/orders.csv (its "
            "first line is a header, not data). Then write /work/totals.csv with the header customer,total and one row per "
            "customer with the sum of their amounts, sorted by total from high to low, then by customer name."
        )
        tests = [
            {"kind": "command", "run": f"{SQLITE} shop.db 'SELECT id, customer, amount FROM orders ORDER BY id'",
             "stdout": json.dumps(rows), "compare": "json", "name": "orders table rows"},
            {"kind": "file", "path": "totals.csv", "equals": "customer,total\n" + "".join(f"{c},{t}\n" for c, t in ordered),
             "compare": "csv", "name": "totals.csv"},
        ]
        reference = (
            "sqlite3 shop.db 'CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER);'\n"
            "sqlite3 shop.db '.mode csv' '.import --skip 1 orders.csv orders'\n"
            "sqlite3 -header -csv shop.db 'SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer "
            "ORDER BY total DESC, customer' > totals.csv"
        )
        if config.steps >= 2:
            instruction += " Also create an index named idx_orders_customer on orders(customer)."
            tests.append({"kind": "command", "run": f"{SQLITE} shop.db \"SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name = 'idx_orders_customer'\"",
                          "stdout": json.dumps([{"name": "idx_orders_customer", "tbl_name": "orders"}]), "compare": "json", "name": "index"})
            reference += "\nsqlite3 shop.db 'CREATE INDEX idx_orders_customer ON orders(customer);'"
        return Spec(instruction, [file_entry("orders.csv", csv_text)], tests, reference)

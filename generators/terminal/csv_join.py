"""terminal/csv_join: join two CSV files on a key column (join, awk or python) into a third."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import person, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class CsvJoin(TerminalTask):
    id = "terminal/csv_join"
    description = "Inner-join customers.csv and orders.csv on customer id into report.csv, sorted by order id."
    verification = "report.csv must equal the expected rows (compared as CSV); orders of unknown customers are dropped."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        customers = {}
        for cid in rng.sample(range(100, 999), config.items):
            name = person(rng).capitalize() + (f" {word(rng).capitalize()}" if config.traps and rng.random() < 0.3 else "")
            customers[cid] = (name, rng.choice(("Paris", "Oslo", "Lima", "Pune", "Kyoto")))
        ids = sorted(customers)
        orders = []
        for oid in range(1, config.items * 2 + 1):
            cid = rng.choice(ids) if rng.random() > 0.15 else rng.randrange(1000, 1100)  # some unknown customers
            orders.append((oid * 7, cid, rng.randrange(1, 500)))
        rng.shuffle(orders)
        cust_lines = ["id,name,city"] + [f"{cid},{customers[cid][0]},{customers[cid][1]}" for cid in rng.sample(ids, len(ids))]
        order_lines = ["order_id,customer_id,amount"] + [f"{o},{c},{a}" for o, c, a in orders]
        with_city = config.steps >= 2
        header = "order_id,name" + (",city" if with_city else "") + ",amount"
        rows = [header]
        for oid, cid, amount in sorted(orders):
            if cid in customers:
                rows.append(f"{oid},{customers[cid][0]}" + (f",{customers[cid][1]}" if with_city else "") + f",{amount}")
        instruction = (
            "Join /work/customers.csv (id,name,city) and /work/orders.csv (order_id,customer_id,amount), both with a header "
            f"line, into /work/report.csv with the header '{header}' and one row per order whose customer_id is a known "
            "customer id (other orders are left out), sorted by order_id as a number."
        )
        tests = [{"kind": "file", "path": "report.csv", "equals": "\n".join(rows) + "\n", "compare": "csv", "name": "report.csv"}]
        city = " + ',' + c[1]" if with_city else ""
        reference = (
            "python3 - <<'PY'\nimport csv\nc = {r['id']: (r['name'], r['city']) for r in csv.DictReader(open('customers.csv'))}\n"
            "rows = sorted((int(r['order_id']), r) for r in csv.DictReader(open('orders.csv')) if r['customer_id'] in c)\n"
            f"with open('report.csv', 'w') as out:\n    out.write('{header}\\n')\n    for oid, r in rows:\n"
            f"        c_ = c[r['customer_id']]\n        out.write(str(oid) + ',' + c_[0]{city.replace('c[1]', 'c_[1]')} + ',' + r['amount'] + '\\n')\nPY"
        )
        return Spec(instruction, [file_entry("customers.csv", "\n".join(cust_lines) + "\n"), file_entry("orders.csv", "\n".join(order_lines) + "\n")], tests, reference)

"""The adversarial table of the SQL verifier: (gold, candidate, expected, why) rows over one small
store database (ties, NULLs, duplicates, mixed case) and a second one used where a test suite is needed.

``expected`` is True (must pass), False (must fail), a reason code (must fail with it; "refused":
invalid or unparseable, never run), or a dict
per engine where SQLite and DuckDB semantics differ (integer division, LIKE case).
"""

from __future__ import annotations

STORE = """
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, age INTEGER);
CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, category TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
                    product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, order_date TEXT NOT NULL);
INSERT INTO customers VALUES (1, 'Ann', 'Paris', 30), (2, 'bob', 'Lyon', 25), (3, 'Cy', NULL, 30),
                             (4, 'Dee', 'Paris', NULL), (5, 'Eve', 'Nice', 41), (6, 'Bea', 'Lyon', 28);
INSERT INTO products VALUES (1, 'Pen', 'office', 1.5), (2, 'Desk', 'office', 120.0), (3, 'Lamp', 'home', 35.0),
                            (4, 'Rug', 'home', 35.0), (5, 'Mug', 'kitchen', 7.25), (6, 'Ink', 'office', 1.5);
INSERT INTO orders VALUES (1, 1, 1, 3, '2023-01-05'), (2, 1, 2, 1, '2023-02-11'), (3, 2, 3, 2, '2023-02-11'),
                          (4, 3, 1, 10, '2023-03-01'), (5, 1, 1, 1, '2023-03-15'), (6, 5, 5, 4, '2024-01-02'),
                          (7, 2, 4, 1, '2024-02-29'), (8, 6, 6, 0, '2024-03-03');
"""

# The same schema with other rows: what tells hard-coded ids and literal rows from real queries.
STORE_VARIANT = """
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, age INTEGER);
CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, category TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
                    product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, order_date TEXT NOT NULL);
INSERT INTO customers VALUES (1, 'Gus', 'Nice', 52), (2, 'Hal', 'Paris', 30), (3, 'Ann', 'Lyon', 19), (4, 'Ivy', NULL, 33);
INSERT INTO products VALUES (1, 'Cup', 'kitchen', 40.0), (2, 'Sofa', 'home', 300.0), (3, 'Pen', 'office', 2.0);
INSERT INTO orders VALUES (1, 2, 2, 1, '2022-05-05'), (2, 4, 1, 6, '2023-07-01'), (3, 2, 3, 2, '2024-01-01');
"""

PASS, FAIL = True, False

# (gold, candidate, expected, why)
EQUIVALENT = [
    ("SELECT name FROM customers WHERE age >= 30", "SELECT name FROM customers WHERE age >= 30", PASS, "the gold itself"),
    ("SELECT name FROM customers WHERE age >= 30", "select   NAME\nfrom CUSTOMERS where AGE>=30", PASS, "keyword case and whitespace"),
    ("SELECT name FROM customers WHERE age >= 30", "SELECT c.name AS who FROM customers AS c WHERE c.age >= 30", PASS, "table and column aliases"),
    ("SELECT name, age FROM customers", "SELECT age, name FROM customers", PASS, "swapped columns"),
    ("SELECT name FROM customers WHERE city <> 'Paris'", "SELECT name FROM customers WHERE city != 'Paris'", PASS, "<> written as !="),
    ("SELECT DISTINCT city FROM customers WHERE city IS NOT NULL", "SELECT city FROM customers WHERE city IS NOT NULL GROUP BY city", PASS, "DISTINCT as GROUP BY"),
    ("SELECT c.name, p.name FROM orders o JOIN customers c ON o.customer_id = c.id JOIN products p ON o.product_id = p.id",
     "SELECT c.name, p.name FROM products p JOIN orders o ON p.id = o.product_id JOIN customers c ON c.id = o.customer_id", PASS, "joins reordered"),
    ("SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id",
     "SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)", PASS, "a join written as an IN subquery"),
    ("SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)",
     "SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)", PASS, "IN as correlated EXISTS"),
    ("WITH big AS (SELECT customer_id, SUM(quantity) AS q FROM orders GROUP BY customer_id) SELECT customer_id FROM big WHERE q > 2",
     "SELECT customer_id FROM (SELECT customer_id, SUM(quantity) AS q FROM orders GROUP BY customer_id) AS t WHERE q > 2", PASS, "CTE as derived table"),
    ("SELECT name FROM products WHERE price BETWEEN 5 AND 40", "SELECT name FROM products WHERE price >= 5 AND price <= 40", PASS, "BETWEEN as two comparisons"),
    ("SELECT name FROM customers WHERE city IN ('Lyon', 'Nice')", "SELECT name FROM customers WHERE city = 'Nice' OR city = 'Lyon'", PASS, "IN list as OR"),
    ("SELECT name, price FROM products ORDER BY price", "SELECT name, price FROM products ORDER BY price, name DESC", PASS, "rows tied on the sort key in another order"),
    ("SELECT name FROM products ORDER BY price DESC", "SELECT name FROM products ORDER BY price DESC, id DESC", PASS, "sort key not selected; ties in another order"),
    ("SELECT name FROM customers WHERE age > 26", "SELECT name FROM customers WHERE age > 26 ORDER BY name", PASS, "extra ORDER BY when order does not matter"),
    ("SELECT COUNT(*) FROM customers", "SELECT COUNT(id) FROM customers", PASS, "COUNT(*) as COUNT of a NOT NULL key"),
    ("SELECT AVG(price) FROM products", "SELECT SUM(price) / COUNT(*) FROM products", PASS, "AVG as SUM/COUNT over a REAL column"),
    ("SELECT SUM(quantity) FROM orders", "SELECT SUM(quantity) * 1.0 FROM orders", PASS, "an integer and the same value as a float (exact)"),
    ("SELECT name, price FROM products ORDER BY 2 DESC, 1", "SELECT name, price FROM products ORDER BY price DESC, name", PASS, "ORDER BY ordinal as name"),
    ("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL",
     "SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)", PASS, "anti-join as NOT IN"),
    ("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL",
     "SELECT name FROM customers c WHERE NOT EXISTS (SELECT * FROM orders WHERE customer_id = c.id)", PASS, "anti-join as NOT EXISTS"),
    ("SELECT name, COALESCE(city, 'unknown') FROM customers", "SELECT name, CASE WHEN city IS NULL THEN 'unknown' ELSE city END FROM customers", PASS, "COALESCE as CASE"),
    ("SELECT MAX(price) FROM products", "SELECT price FROM products ORDER BY price DESC LIMIT 1", PASS, "MAX as ORDER BY ... LIMIT 1"),
    ("SELECT name FROM customers WHERE city = 'Paris' UNION SELECT name FROM customers WHERE age > 35",
     "SELECT DISTINCT name FROM customers WHERE city = 'Paris' OR age > 35", PASS, "UNION as OR with DISTINCT"),
    ("SELECT name FROM products WHERE price > 10", "SELECT * FROM (SELECT name FROM products WHERE price > 10) AS sub", PASS, "wrapped in a derived table"),
    ("SELECT p.name FROM products p WHERE price = (SELECT MAX(price) FROM products q WHERE q.category = p.category)",
     "SELECT name FROM (SELECT name, RANK() OVER (PARTITION BY category ORDER BY price DESC) AS r FROM products) AS t WHERE r = 1",
     PASS, "correlated MAX as a window RANK"),
    ("SELECT COUNT(DISTINCT customer_id) FROM orders", "SELECT COUNT(*) FROM (SELECT DISTINCT customer_id FROM orders) AS d", PASS, "COUNT DISTINCT as a subquery"),
    ("SELECT category FROM products GROUP BY category HAVING COUNT(*) >= 3",
     "SELECT category FROM (SELECT category, COUNT(*) AS n FROM products GROUP BY category) AS g WHERE n >= 3", PASS, "HAVING as an outer filter"),
    ("SELECT name FROM customers WHERE age IS NULL", "SELECT name FROM customers WHERE NOT (age IS NOT NULL)", PASS, "IS NULL as NOT IS NOT NULL"),
    ("SELECT category, SUM(price) FROM products GROUP BY category", "SELECT SUM(price) AS total, category FROM products GROUP BY 2", PASS, "aggregate first, GROUP BY ordinal"),
    ("SELECT name FROM products ORDER BY price DESC, name LIMIT 3", "SELECT name FROM products ORDER BY price DESC, name ASC LIMIT 3", PASS, "explicit ASC"),
    ("SELECT substr(order_date, 1, 4) AS y, COUNT(*) FROM orders GROUP BY y", "SELECT COUNT(*), substr(order_date, 1, 4) FROM orders GROUP BY substr(order_date, 1, 4)", PASS, "year groups, columns swapped"),
    ("SELECT upper(name) FROM customers WHERE city = 'Lyon'", "SELECT UPPER(c.name) FROM customers c WHERE c.city = 'Lyon';", PASS, "a trailing semicolon"),
    ("SELECT name FROM customers WHERE city = 'Paris'", "SELECT name FROM customers WHERE city = 'Paris';;", PASS, "two trailing semicolons"),
    ("SELECT name FROM customers WHERE city = 'Nice'", "SELECT name FROM customers WHERE city = 'Nice'; -- done\n/* checked */", PASS,
     "comments after the semicolon"),
    ("SELECT name FROM products ORDER BY price LIMIT 1", "SELECT name FROM products ORDER BY price, name LIMIT 1", PASS,
     "a LIMIT that cuts a tie: the other tied row"),
    ("SELECT name FROM customers ORDER BY age DESC LIMIT 2", "SELECT name FROM customers ORDER BY age DESC, name DESC LIMIT 2", PASS,
     "a LIMIT that cuts a tie on a sort key not selected"),
    ("SELECT name, price FROM products ORDER BY price DESC LIMIT 1 OFFSET 1", "SELECT price, name FROM products ORDER BY 1 DESC, 2 DESC LIMIT 1 OFFSET 1",
     PASS, "an OFFSET and a LIMIT inside one tie group"),
    ("SELECT name FROM customers WHERE name LIKE 'E%'", "SELECT name FROM customers WHERE name GLOB 'E*'", PASS,
     "SQLite's GLOB operator (case-sensitive on both engines)"),
    ("SELECT name FROM customers WHERE id > 2", "SELECT name FROM customers WHERE printf('%05d', id) > '00002' AND length(printf('%-12s', name)) = 12",
     PASS, "printf with small widths"),
    ("SELECT name FROM products WHERE category = 'home' INTERSECT SELECT name FROM products WHERE price > 30",
     "SELECT name FROM products WHERE category = 'home' AND price > 30", PASS, "INTERSECT as AND"),
    ("SELECT name FROM customers EXCEPT SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id",
     "SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)", PASS, "EXCEPT as NOT IN"),
    ("SELECT name, CASE WHEN price >= 30 THEN 'high' ELSE 'low' END FROM products",
     "SELECT name, CASE WHEN price < 30 THEN 'low' ELSE 'high' END FROM products", PASS, "CASE branches swapped"),
    ("SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name",
     "SELECT name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) FROM customers c", PASS, "per-row count as a scalar subquery"),
    ("SELECT AVG(quantity) FROM orders", "SELECT SUM(quantity) / COUNT(*) FROM orders", {"sqlite": FAIL, "duckdb": PASS},
     "hidden integer division: truncates on SQLite, exact on DuckDB"),
    ("SELECT name FROM customers WHERE substr(name, 1, 1) = 'B'", "SELECT name FROM customers WHERE name LIKE 'B%'", {"sqlite": FAIL, "duckdb": PASS},
     "LIKE case: SQLite's LIKE ignores ASCII case, DuckDB's does not"),
]

NEAR_MISSES = [
    ("SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id",
     "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id", FAIL, "missing DISTINCT"),
    ("SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)",
     "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id", FAIL, "join duplicates"),
    ("SELECT name FROM products ORDER BY price DESC", "SELECT name FROM products", FAIL, "required ORDER BY missing"),
    ("SELECT name FROM products ORDER BY price DESC", "SELECT name FROM products ORDER BY price", FAIL, "ORDER BY direction reversed"),
    ("SELECT name FROM products ORDER BY price, name LIMIT 1", "SELECT name FROM products ORDER BY price, name DESC LIMIT 1", FAIL, "LIMIT tie broken the other way"),
    ("SELECT name FROM products ORDER BY price DESC, name LIMIT 3", "SELECT name FROM products ORDER BY price DESC, name LIMIT 2", FAIL, "LIMIT off by one"),
    ("SELECT name FROM products ORDER BY price LIMIT 1", "SELECT name FROM products ORDER BY price LIMIT 2", FAIL, "both tied rows where the LIMIT asks one"),
    ("SELECT name FROM products ORDER BY price LIMIT 1", "SELECT name FROM products ORDER BY price DESC LIMIT 1", FAIL, "a row outside the tie at the cut"),
    ("SELECT name FROM customers ORDER BY age DESC LIMIT 2", "SELECT name FROM customers ORDER BY age DESC, name DESC LIMIT 3", FAIL,
     "the whole tie group past the LIMIT"),
    ("SELECT COUNT(*) FROM customers", "SELECT COUNT(age) FROM customers", FAIL, "COUNT(col) skips NULLs"),
    ("SELECT name FROM customers WHERE city <> 'Paris' OR city IS NULL", "SELECT name FROM customers WHERE city <> 'Paris'", FAIL, "<> drops NULL rows"),
    ("SELECT name FROM customers WHERE age >= 30", "SELECT name FROM customers WHERE id IN (1, 3, 5)", FAIL, "hard-coded ids (a second database tells)"),
    ("SELECT name FROM customers WHERE age >= 30", "SELECT 'Ann' UNION ALL SELECT 'Cy' UNION ALL SELECT 'Eve'", FAIL, "literal result rows"),
    ("SELECT city FROM customers WHERE city IS NOT NULL UNION ALL SELECT category FROM products",
     "SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT category FROM products", FAIL, "UNION instead of UNION ALL"),
    ("SELECT name FROM customers WHERE age >= 30", "SELECT name FROM customers WHERE age > 30", FAIL, "> instead of >="),
    ("SELECT name FROM customers", "SELECT name, age FROM customers", FAIL, "an extra column"),
    ("SELECT name, age FROM customers", "SELECT name FROM customers", FAIL, "a missing column"),
    ("SELECT name FROM customers", "SELECT * FROM customers", FAIL, "SELECT * instead of the asked column"),
    ("SELECT AVG(price) FROM products", "SELECT ROUND(AVG(price), 1) FROM products", FAIL, "rounded beyond the tolerance"),
    ("SELECT name, age FROM customers", "SELECT name, COALESCE(age, 0) FROM customers", FAIL, "NULL replaced by 0"),
    ("SELECT name FROM customers WHERE age > 26", "SELECT name FROM customers WHERE age > 99", FAIL, "an empty result"),
    ("SELECT age FROM customers", "SELECT CAST(age AS TEXT) FROM customers", FAIL, "numbers as text"),
    ("SELECT SUM(quantity) FROM orders", "SELECT COUNT(quantity) FROM orders", FAIL, "COUNT instead of SUM"),
    ("SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name",
     "SELECT c.name, COUNT(o.id) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name", FAIL, "INNER JOIN drops zero counts"),
    ("SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name",
     "SELECT c.name, COUNT(*) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name", FAIL, "COUNT(*) counts the NULL row of a LEFT JOIN"),
    ("SELECT category, COUNT(*) FROM products GROUP BY category", "SELECT price, COUNT(*) FROM products GROUP BY price", FAIL, "wrong GROUP BY key"),
    ("SELECT category FROM products GROUP BY category HAVING COUNT(*) >= 3", "SELECT category FROM products GROUP BY category HAVING COUNT(*) >= 2", FAIL, "HAVING threshold"),
    ("SELECT DISTINCT city FROM customers WHERE city IS NOT NULL", "SELECT city FROM customers WHERE city IS NOT NULL", FAIL, "duplicates kept"),
    ("SELECT name FROM customers WHERE age IS NULL", "SELECT name FROM customers WHERE age = NULL", FAIL, "= NULL is never true"),
    ("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL",
     "SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id", FAIL, "anti-join without the IS NULL filter"),
    ("SELECT name FROM products WHERE price > (SELECT AVG(price) FROM products)", "SELECT name FROM products WHERE price > 30", FAIL, "the scalar subquery hard-coded"),
    ("SELECT name, price FROM products ORDER BY price DESC, name", "SELECT name, price FROM products ORDER BY price DESC, name DESC", FAIL, "tie-break reversed"),
    ("SELECT name FROM customers WHERE name LIKE '%e%'", "SELECT name FROM customers WHERE name LIKE 'e%'", FAIL, "LIKE anchored at the start"),
    ("SELECT SUM(price * 2) FROM products", "SELECT SUM(price) FROM products", FAIL, "a missing factor"),
    ("SELECT COUNT(*) FROM orders WHERE order_date >= '2024-01-01'", "SELECT COUNT(*) FROM orders WHERE order_date > '2024-01-02'", FAIL, "date bound off"),
    ("SELECT MIN(age) FROM customers", "SELECT MAX(age) FROM customers", FAIL, "MAX instead of MIN"),
    ("SELECT name FROM customers WHERE city = 'Paris' INTERSECT SELECT name FROM customers WHERE age = 30",
     "SELECT name FROM customers WHERE city = 'Paris' UNION SELECT name FROM customers WHERE age = 30", FAIL, "UNION instead of INTERSECT"),
    ("SELECT 1.0 * SUM(quantity) / COUNT(*) FROM orders", "SELECT SUM(quantity) / COUNT(*) + 0.0 FROM orders", {"sqlite": FAIL, "duckdb": PASS},
     "integer division converted after the fact (SQLite)"),
]

HACKS = [
    ("SELECT name FROM customers", "DROP TABLE customers", "refused", "DROP"),
    ("SELECT name FROM customers", "DELETE FROM orders", "refused", "DELETE"),
    ("SELECT name FROM customers", "UPDATE products SET price = 0", "refused", "UPDATE"),
    ("SELECT name FROM customers", "INSERT INTO customers VALUES (9, 'Zed', 'Rome', 1)", "refused", "INSERT"),
    ("SELECT name FROM customers", "REPLACE INTO customers VALUES (1, 'Zed', 'Rome', 1)", "refused", "REPLACE"),
    ("SELECT name FROM customers", "ATTACH DATABASE '{tmp}/attached.db' AS other", "refused", "ATTACH a file"),
    ("SELECT name FROM customers", "PRAGMA writable_schema = ON", "refused", "PRAGMA"),
    ("SELECT name FROM customers", "SELECT name FROM customers; DROP TABLE customers", "refused", "a SELECT then a DROP"),
    ("SELECT name FROM customers", "SELECT name FROM customers; DELETE FROM orders;", "refused", "a SELECT then a DELETE"),
    ("SELECT name FROM customers", "CREATE TABLE stolen AS SELECT * FROM customers", "refused", "CREATE TABLE AS"),
    ("SELECT name FROM customers", "ALTER TABLE customers ADD COLUMN x INT", "refused", "ALTER"),
    ("SELECT name FROM customers", "WITH gone AS (DELETE FROM orders RETURNING *) SELECT name FROM customers", "refused", "DELETE inside a CTE"),
    ("SELECT name FROM customers", "SELECT load_extension('{tmp}/evil')", "refused", "load_extension"),
    ("SELECT name FROM customers", "SELECT readfile('/etc/passwd')", "refused", "host file read (SQLite shell function)"),
    ("SELECT name FROM customers", "SELECT * FROM read_csv('/etc/passwd')", "refused", "host file read (read_csv)"),
    ("SELECT name FROM customers", "SELECT * FROM read_text('/etc/hostname')", "refused", "host file read (read_text)"),
    ("SELECT name FROM customers", "SELECT * FROM '/etc/passwd'", "refused", "a file path as a table"),
    ("SELECT name FROM customers", "COPY customers TO '{tmp}/out.csv'", "refused", "COPY to a file"),
    ("SELECT name FROM customers", "INSTALL httpfs", "refused", "INSTALL an extension"),
    ("SELECT name FROM customers", "VACUUM INTO '{tmp}/copy.db'", "refused", "VACUUM INTO a file"),
    ("SELECT name FROM customers", "SELECT * FROM query('SELECT name FROM customers')", "refused", "a query string run by the engine"),
    ("SELECT name FROM customers", "BEGIN; DELETE FROM orders; COMMIT", "refused", "a transaction"),
    ("SELECT name FROM customers", "SET enable_external_access = true", "refused", "changing a setting"),
    ("SELECT name FROM customers", "SELECT * FROM glob('/*')", "refused", "listing host files"),
    ("SELECT COUNT(*) FROM orders", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r WHERE n > (SELECT COUNT(*) FROM orders)",
     "query_timeout", "a query that never ends"),
    ("SELECT COUNT(*) FROM orders",
     "SELECT COUNT(*) FROM orders a, orders b, orders c, orders d, orders e, orders f, orders g, orders h, orders i, orders j, orders k",
     "query_timeout", "a cross join too large to finish"),
    ("SELECT name FROM customers", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r", FAIL, "endless rows"),
    ("SELECT name FROM customers", "SELECT len(list_resize([1], 200000000))", "refused", "a 200M-item list in one call (DuckDB: 12 GB, a minute)"),
    ("SELECT name FROM customers", "SELECT length(repeat('x', 1000 * 1000 * 1000))", "refused", "a 1 GB string in one call"),
    ("SELECT name FROM customers", "SELECT printf('%.*c', 2000000000, 'x')", "refused", "a printf width SQLite spends 10 s on"),
    ("SELECT name FROM customers", "SELECT length(format('{:>300000000}', 1))", "refused", "a width in a format string"),
    ("SELECT name FROM customers WHERE age >= 30", "SELECT * FROM (VALUES ('Ann'), ('Cy'), ('Eve')) AS v(name)", "refused", "literal rows from VALUES"),
    ("SELECT COUNT(*) FROM customers", "WITH n AS (SELECT 6 AS c) SELECT c FROM n", "refused", "a literal count in a CTE"),
    ("SELECT name FROM customers", "SELECT name FROM nonexistent", "execution_error", "a table that does not exist"),
    ("SELECT name FROM customers", "SELECT nme FROM customers", "execution_error", "a column that does not exist"),
    ("SELECT name FROM customers", "SELEC name FRM customers", FAIL, "not SQL"),
    ("SELECT name FROM customers", "", "no_answer", "an empty answer"),
]

# (completion template, expected) for extraction; {q} is a correct query
EXTRACTION = [
    ("<answer>{q}</answer>", PASS),
    ("```sql\n{q}\n```", PASS),
    ("Reasoning.\n<answer>\n```sql\n{q}\n```\n</answer>", PASS),
    ("<answer>SELECT 1</answer> wait, better:\n```sql\n{q}\n```", PASS),
    ("```sql\n{q}\n```\n<answer>SELECT 1</answer>", FAIL),
    ("The query is {q}", "no_answer"),
]

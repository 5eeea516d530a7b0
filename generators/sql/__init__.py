"""SQL tasks (ids ``sql/<family>``): text-to-SQL questions over procedural databases in six
domains, verified by execution on K stored databases (a test suite) with ``assay.verifiers.sql``.

Infrastructure (modules starting with ``_`` are skipped by task discovery): ``_schemas`` (the
domains), ``_data`` (seeded rows, DDL and INSERT scripts), ``_base`` (``SqlConfig``, ``Query``,
``SqlTask``: a family writes ``compose(rng, domain, rows, config) -> Query``; the base checks the
gold on SQLite and DuckDB, keeps K databases that tell its near misses apart, and adds probes).
"""

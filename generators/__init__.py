"""Procedural task generators, one module per task family, grouped by domain.

Every module here registers its tasks on import; ``assay.list_tasks()`` imports them all.
"""

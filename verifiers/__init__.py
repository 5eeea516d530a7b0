"""Verifiers usable on data Assay did not generate: math, SQL, graphs, code, terminal.

Each module exposes ``verify(completion, ...) -> Verdict``; shared parsers live beside them.
"""

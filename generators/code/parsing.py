"""code/parsing: a function parsing a small text format: key=value records, signed numbers in
text, Roman numerals, reverse Polish arithmetic, or bracket nesting depth.
"""

from __future__ import annotations

from assay.generators.code._parsing import Parsing
from assay.registry import register_task


@register_task
class ParsingTask(Parsing):
    """The registered task; its specification and tests are built in ``_parsing``."""

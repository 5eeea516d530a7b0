"""code/string_pipeline: a function applying a generated sequence of string operations (case,
reversal, vowel removal, run collapsing, Caesar shifts, word reversal, ...), optionally ending in a count.
"""

from __future__ import annotations

from assay.generators.code._strings import StringPipeline
from assay.registry import register_task


@register_task
class StringPipelineTask(StringPipeline):
    """The registered task; its specification and tests are built in ``_strings``."""

"""code/list_pipeline: a function that applies a generated sequence of list operations (filters,
maps, sorts, de-duplication, running sums, ...) to a list of integers, optionally ending in an aggregate.
"""

from __future__ import annotations

from assay.generators.code._lists import ListPipeline
from assay.registry import register_task


@register_task
class ListPipelineTask(ListPipeline):
    """The registered task; its specification and tests are built in ``_lists``."""

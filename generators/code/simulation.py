"""code/simulation: a function simulating a small process step by step: a robot on a grid, a stack
machine, or a bank account that refuses overdrafts.
"""

from __future__ import annotations

from assay.generators.code._simulation import Simulation
from assay.registry import register_task


@register_task
class SimulationTask(Simulation):
    """The registered task; its specification and tests are built in ``_simulation``."""

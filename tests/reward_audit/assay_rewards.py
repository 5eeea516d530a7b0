"""Assay's own TRL adapter as a user's reward (fed the problem rows: ``--label row``)."""

from __future__ import annotations

from assay.envs.trl import reward_function

assay_trl = reward_function(executor="inline")

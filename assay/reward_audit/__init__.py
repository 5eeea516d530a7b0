"""Auditing anyone's reward: a user's reward function or server scored on Assay's audit probes,
with false positives, false negatives, errors and timeouts reported beside Assay's verifier's.

>>> from assay.reward_audit import audit_reward, parse_reward, probe_cases
>>> result = audit_reward(parse_reward("assay"), probe_cases(["math/arithmetic"], difficulties=[1]), assay_workers=1)
>>> result.count("false positive")
0
"""

from __future__ import annotations

from assay.reward_audit.audit import (
    FALSE_NEGATIVE,
    FALSE_POSITIVE,
    RIGHT,
    ProbeCase,
    ProbeResult,
    RewardAudit,
    audit_reward,
    parse_reward,
    probe_cases,
)
from assay.reward_audit.runner import ERROR, TIMEOUT, Observation, RewardLoadError, RewardSpec, score_items

__all__ = ["ERROR", "FALSE_NEGATIVE", "FALSE_POSITIVE", "RIGHT", "TIMEOUT", "Observation", "ProbeCase", "ProbeResult",
           "RewardAudit", "RewardLoadError", "RewardSpec", "audit_reward", "parse_reward", "probe_cases", "score_items"]

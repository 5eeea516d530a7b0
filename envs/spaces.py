"""The text space of Assay's envs: every Python string is inside it, whatever its characters.

``gymnasium.spaces.Text`` only admits strings over its charset (letters and digits by default).
"""

from __future__ import annotations

import string
from typing import Any

from gymnasium.spaces import Text

from assay.scoring import MAX_COMPLETION_CHARS

# What ``sample`` draws from: enough to look like text, including the tags answers go in.
SAMPLE_CHARSET = string.ascii_letters + string.digits + string.punctuation + " \n"
SAMPLE_MAX_LENGTH = 64


class AnyText(Text):
    """A ``Text`` space containing every string up to ``max_length`` characters.

    Samples are short strings over printable ASCII (a model's text is the real action).

    >>> space = AnyText()
    >>> space.contains("<answer>√2 ≈ 1.41</answer>\\n") and space.contains("")
    True
    >>> space.contains(b"bytes")
    False
    """

    def __init__(self, max_length: int = MAX_COMPLETION_CHARS, *, seed: int | None = None) -> None:
        super().__init__(max_length, min_length=0, charset=SAMPLE_CHARSET, seed=seed)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and len(x) <= self.max_length

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        if mask is None and probability is None:
            length = int(self.np_random.integers(0, SAMPLE_MAX_LENGTH + 1))
            return super().sample(mask=(length, None))
        return super().sample(mask=mask, probability=probability)

    def __repr__(self) -> str:
        return f"AnyText({self.max_length})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, AnyText) and other.max_length == self.max_length

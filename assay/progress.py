"""Progress bars for long CLI runs: a tqdm bar on a terminal, nothing when stderr is redirected.

Library functions take ``progress: bool`` (default False); only the CLI turns it on.
"""

from __future__ import annotations

import sys
from typing import Any


class _Silent:
    """The no-op stand-in for a tqdm bar."""

    def update(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Silent:  # noqa: PYI034 - a private class, never subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def stderr_is_terminal() -> bool:
    """Whether a progress bar would be seen (stderr is an interactive terminal)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


def progress_bar(total: int, description: str, enabled: bool) -> Any:
    """A tqdm bar of ``total`` steps on stderr when ``enabled``, else a silent stand-in.

    Both have ``update(count)``, ``close()`` and work as context managers.

    >>> with progress_bar(3, "items", enabled=False) as bar:
    ...     bar.update(3)
    """
    if not enabled or total <= 0:
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="item", file=sys.stderr, dynamic_ncols=True, leave=False)

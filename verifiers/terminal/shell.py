"""A linear pre-check of a script before bash runs it: bash's brace expansion is quadratic in the
length of a word with unquoted braces (10,000 ``{`` in one word cost bash seconds, 100,000 minutes).

``brace_expansion_cost`` estimates that work with a hand lexer (one pass; quotes, escapes,
``${...}``, comments and here-document bodies, where bash does not expand braces, count nothing),
so a hostile script is refused in milliseconds instead of holding a sandbox to its timeout.
"""

from __future__ import annotations

import re

__all__ = ["MAX_BRACE_COST", "brace_expansion_cost"]

# About 0.2 s of bash on a loaded machine: one word of 3,000 characters with unquoted braces. A real
# script's brace words (``{a,b}``, ``{1..10}``, ``f() {``) are tens of characters long.
MAX_BRACE_COST = 10_000_000
# A run of characters (and escaped characters other than an escaped brace) that neither start a
# quote, an expansion, a comment or a here-doc, nor end a word: skipped in one step (a possessive
# repeat of one character or one escape, which never backtracks: linear).
_ORDINARY = re.compile(r"(?:[^\\'\"$#<\s;&|()>]|\\[^{]|\$(?![{'])|(?<=[^\s;&|()<>])#)++")
_BREAKS = frozenset(" \t\n;&|()<>")


def brace_expansion_cost(script: str) -> int:
    """The sum, over the shell words holding an unquoted ``{`` that bash would try to expand, of the
    word's length squared: bash's brace expansion scans a word from each such brace.

    >>> brace_expansion_cost("mkdir -p out/{a,b} && awk '{print $1}' x.txt > \\"${OUT}\\"")  # out/{a,b}
    81
    >>> brace_expansion_cost("{" * 5000) > MAX_BRACE_COST
    True
    >>> brace_expansion_cost("cat <<EOF\\n" + "{" * 5000 + "\\nEOF\\n")
    0
    """
    if "{" not in script:
        return 0
    cost = 0
    length, braces = 0, False  # the current word
    heredocs: list[tuple[str, bool]] = []  # delimiters waiting for the end of the line
    index, size = 0, len(script)
    while index < size:
        ordinary = _ORDINARY.match(script, index)
        if ordinary is not None:
            braces = braces or script.find("{", index, ordinary.end()) >= 0
            length += ordinary.end() - index
            index = ordinary.end()
            continue
        char = script[index]
        if char in _BREAKS:
            if braces:
                cost += length * length
            length, braces = 0, False
            if char == "<" and script.startswith("<<", index) and not script.startswith("<<<", index):
                index = _read_heredoc(script, index + 2, heredocs)
                continue
            index += 1
            if char == "\n" and heredocs:
                index = _skip_heredocs(script, index, heredocs)
                heredocs = []
            continue
        end = index + 1
        if char == "\\":
            end = index + 2  # an escaped character (a backslash-newline joins the word to the next line)
        elif char == "'":
            end = _closing(script, index + 1, "'", escapes=index > 0 and script[index - 1] == "$")
        elif char == '"':
            end = _closing(script, index + 1, '"', escapes=True)
        elif char == "$" and script.startswith("${", index):
            close = script.find("}", index + 2)
            end = size if close < 0 else close + 1
        elif char == "#" and length == 0:
            close = script.find("\n", index)
            index = size if close < 0 else close  # the newline still ends the line (and starts here-docs)
            continue
        length += min(end, size) - index
        index = end
    if braces:
        cost += length * length
    return cost


def _closing(script: str, start: int, quote: str, *, escapes: bool) -> int:
    """The index after the quote that closes one opened before ``start`` (the end when none does)."""
    index = start
    while True:
        close = script.find(quote, index)
        if close < 0:
            return len(script)
        if not escapes:
            return close + 1
        backslashes = 0
        while close - backslashes - 1 >= start and script[close - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return close + 1
        index = close + 1


def _read_heredoc(script: str, index: int, heredocs: list[tuple[str, bool]]) -> int:
    """Reads the delimiter after ``<<`` (or ``<<-``) into ``heredocs``; the index after it."""
    strip = script.startswith("-", index)
    index += strip
    while index < len(script) and script[index] in " \t":
        index += 1
    start = index
    while index < len(script) and script[index] not in _BREAKS:
        index += 1
    delimiter = script[start:index].replace('"', "").replace("'", "").replace("\\", "")
    if delimiter:
        heredocs.append((delimiter, strip))
    return index


def _skip_heredocs(script: str, index: int, heredocs: list[tuple[str, bool]]) -> int:
    """The index after the bodies of ``heredocs``, which start at ``index`` (a line each ends with its
    delimiter alone; ``<<-`` strips leading tabs first)."""
    for delimiter, strip in heredocs:
        while index < len(script):
            end = script.find("\n", index)
            end = len(script) if end < 0 else end
            line = script[index:end]
            index = end + 1
            if (line.lstrip("\t") if strip else line) == delimiter:
                break
    return index

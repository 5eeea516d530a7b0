"""Answer extraction shared by every verifier: text in, candidate string (or None) out.

Pure and linear-time, so a 10 MB completion costs a scan, never a hang. Judging lives elsewhere.
"""

from __future__ import annotations

import re

_OPEN_TAG = re.compile(r"<\s*answer\s*>", re.IGNORECASE)
_CLOSE_TAG = re.compile(r"<\s*/\s*answer\s*>", re.IGNORECASE)
_BOXED = re.compile(r"\\(?:boxed|fbox)\b")

LANGUAGE_ALIASES = {
    "python": ("python", "py", "python3", "py3"),
    "sql": ("sql", "sqlite", "duckdb", "postgresql", "mysql"),
    "bash": ("bash", "sh", "shell", "console", "zsh"),
}


def _last_match(pattern: re.Pattern[str], text: str, end: int | None = None) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text, 0, len(text) if end is None else end):
        pass
    return last


_REASONING_CLOSE = re.compile(r"<\s*/\s*(?:think|thinking|reasoning)\s*>", re.IGNORECASE)
_REASONING_OPEN = re.compile(r"<\s*(?:think|thinking|reasoning)\s*>", re.IGNORECASE)
# The string final_response returned last. It is a fixed point of final_response (idempotent), so
# when a verifier applies it again to what ``assay.scoring.verify`` already cut (the usual path),
# the answer is that same object, without a second scan. Whichever thread stored it, it stays
# a fixed point, so a race cannot return a wrong answer.
_LAST_RESPONSE: list[str | None] = [None]


def final_response(text: str) -> str:
    """The part of a completion that answers: the text after the last closed reasoning block
    (``<think>``, ``<thinking>`` or ``<reasoning>``), cut where an unclosed one opens. What a model
    wrote while thinking is never graded, so an answer left only in the thoughts is no answer.
    Idempotent and linear.

    >>> final_response("<think>so \\boxed{4}?</think> The answer is 5.")
    ' The answer is 5.'
    >>> final_response("</think> <answer>5</answer>")  # the template opened the block in the prompt
    ' <answer>5</answer>'
    >>> final_response("<think>truncated while thinking: <answer>4</answer>")
    ''
    >>> final_response("<answer>5</answer>")
    '<answer>5</answer>'
    """
    if text is _LAST_RESPONSE[0]:
        return text
    close = _last_match(_REASONING_CLOSE, text)
    if close is not None:
        text = text[close.end():]
    opening = _REASONING_OPEN.search(text)
    response = text if opening is None else text[: opening.start()]
    _LAST_RESPONSE[0] = response
    return response


def answer_block(text: str) -> tuple[str, int] | None:
    """The content of the last ``<answer>...</answer>`` block and where it ends, or None.

    >>> answer_block("<answer>1</answer> no, <answer> 2 </answer>")
    ('2', 43)
    >>> answer_block("<answer>unterminated") is None
    True
    """
    close = _last_match(_CLOSE_TAG, text)
    if close is None:
        return None
    opening = _last_match(_OPEN_TAG, text, close.start())
    if opening is None:
        return None
    return text[opening.end() : close.start()].strip(), close.end()


def boxed(text: str) -> tuple[str, int] | None:
    """The content of the last ``\\boxed{...}`` or ``\\fbox{...}`` (nested braces) and its end.

    >>> boxed(r"so \\boxed{1} or rather \\boxed{\\frac{1}{2}}")
    ('\\\\frac{1}{2}', 42)
    >>> boxed(r"\\boxed 7.")
    ('7', 8)
    >>> boxed(r"\\boxed{unbalanced") is None
    True
    """
    matches = list(_BOXED.finditer(text))
    if not matches:
        return None
    closing = _matching_braces(text, matches[0].end())
    for match in reversed(matches):
        i = match.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == "{":
            end = closing.get(i)
            if end is not None:
                return text[i + 1 : end].strip(), end + 1
        elif i > match.end() and i < len(text):
            # \boxed 7 : an unbraced single token, as TeX reads it
            token = _TOKEN.match(text, i)
            if token:
                value = token.group(0).rstrip(".,;")
                if value:
                    return value, i + len(value)
    return None


_TOKEN = re.compile(r"[^\s$}{\\]+")
_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)


def _matching_braces(text: str, start: int) -> dict[int, int]:
    """Map each ``{`` at or after ``start`` to its matching ``}``, in one linear pass."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for match in _BRACE_OR_ESCAPE.finditer(text, max(0, start - 1)):
        char = match.group(0)
        if char == "{":
            stack.append(match.start())
        elif char == "}" and stack:
            pairs[stack.pop()] = match.start()
    return pairs


def fenced_block(text: str, language: str | None = None) -> tuple[str, int] | None:
    """The body of the last fenced code block in ``language`` (or any, when None) and its end.

    Unlabelled fences count for every language. Fence lines are found by one regex scan, so
    the cost is linear in the text whatever it holds.

    >>> fenced_block("```sql\\nSELECT 1\\n```\\n```python\\nprint(2)\\n```", "sql")
    ('SELECT 1', 19)
    """
    accepted = LANGUAGE_ALIASES.get(language or "", (language,)) if language else None
    found = None
    opening: re.Match[str] | None = None
    for fence in _FENCE_LINE.finditer(text):
        if opening is None:
            opening = fence
            continue
        if fence.group("info").strip():
            opening = fence  # a labelled fence line can only open a block: the previous one was never closed
            continue
        tag = opening.group("info").strip().split(" ", 1)[0].lower() if opening.group("info").strip() else ""
        if accepted is None or tag == "" or tag in accepted:
            found = (text[opening.end() + 1 : fence.start()].strip("\n"), fence.end())
        opening = None
    return found


_FENCE_LINE = re.compile(r"^[ \t]*```(?P<info>[^\n`]*)$", re.MULTILINE)


def extract_answer(text: str, *, allow_boxed: bool = False, fence: str | None = None) -> str | None:
    """The final answer in a completion: the last ``<answer>`` block, or with ``allow_boxed`` the
    last ``\\boxed{}``, or with ``fence`` the last fenced block of that language; whichever of
    the allowed forms ends last wins (a later self-correction beats an earlier answer).

    >>> extract_answer("<answer>3</answer>")
    '3'
    >>> extract_answer(r"<answer>3</answer> wait: \\boxed{4}", allow_boxed=True)
    '4'
    >>> extract_answer("no answer here") is None
    True
    """
    candidates = [answer_block(text)]
    if allow_boxed:
        candidates.append(boxed(text))
    if fence is not None:
        candidates.append(fenced_block(text, fence))
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return max(found, key=lambda c: c[1])[0]

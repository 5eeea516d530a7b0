"""Extraction of the candidate query from a completion: the last ``<answer>`` block or the last
fenced ``sql`` block, whichever ends later; a fence inside the answer block is unwrapped.
"""

from __future__ import annotations

from assay.extract import extract_answer, fenced_block, final_response


def extract_sql(completion: str) -> str | None:
    """The candidate SQL text of a completion, or None when it gives none.

    >>> extract_sql("I think <answer>SELECT 1</answer>")
    'SELECT 1'
    >>> extract_sql("```sql\\nSELECT name FROM t;\\n```")
    'SELECT name FROM t;'
    >>> extract_sql("<answer>```sql\\nSELECT 2\\n```</answer>")
    'SELECT 2'
    >>> extract_sql("no query") is None
    True
    """
    if not isinstance(completion, str):
        return None
    found = extract_answer(final_response(completion), fence="sql")
    if found is None:
        return None
    inner = fenced_block(found, "sql") if "```" in found else None
    text = inner[0] if inner is not None else found
    text = text.strip()
    return text or None

"""Ways to write a graph answer, for the adversarial tables: syntaxes a model plausibly uses, and
the cheats (hedges, repeats, several blocks, huge or nested inputs) built around any answer text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Row:
    """One completion and the verdict it must get. ``raw``: the text is the whole completion
    (else it is wrapped in one answer block). ``bug``: a known bug id (the row runs as xfail)."""

    text: str
    expected: bool
    why: str
    raw: bool = False
    bug: str | None = None

    @property
    def completion(self) -> str:
        return self.text if self.raw else f"<answer>{self.text}</answer>"


def list_forms(items: Sequence[str], *, sequence: bool, label: str = "Answer") -> list[tuple[str, str]]:
    """(text, why) for one node list in every accepted syntax."""
    items = list(items)
    forms = [
        ("[" + ", ".join(items) + "]", "a bracketed list, as the prompt asks"),
        (", ".join(items), "comma separated, no brackets"),
        (",".join(items), "commas without spaces"),
        (" ".join(items), "space separated"),
        ("\n".join(items), "one per line"),
        ("(" + ", ".join(items) + ")", "a tuple"),
        (json.dumps(items), "a JSON list of strings"),
        (f"{label}: [" + ", ".join(items) + "]", "a label before the list"),
        ("**[" + ", ".join(items) + "]**.", "bold with a final period"),
        ("$[" + ", ".join(items) + "]$", "math delimiters"),
        ("\n".join(f"- {item}" for item in items), "a markdown bullet list"),
        ("[" + ", ".join(items) + ",]", "a trailing comma inside the brackets"),
        ("\\boxed{[" + ", ".join(items) + "]}", "boxed inside the answer block"),
        ("[" + ", ".join(items) + f"] ({len(items)} node{'s' * (len(items) != 1)})", "a count of nodes after the list that agrees"),
    ]
    if label != "Answer":  # a structure where any valid one is accepted: "one possible path" is no hedge
        forms.append((f"One possible {label.lower()}: [" + ", ".join(items) + "]", "one possible <structure>: one witness, no hedge"))
    if len(items) >= 2:
        forms.append((", ".join(items[:-1]) + " and " + items[-1], "an English list with 'and'"))
    if sequence:
        forms += [
            (" -> ".join(items), "arrows"),
            (" → ".join(items), "unicode arrows"),
            (" - ".join(items), "spaced dashes"),
            ("$" + " \\to ".join(items) + "$", "LaTeX arrows"),
            (" ➔ ".join(items), "heavy arrows"),
            (" −> ".join(items), "arrows drawn with a Unicode minus: the same path"),
        ]
    else:
        forms.append(("{" + ", ".join(items) + "}", "set braces"))
    return forms


def edge_forms(pairs: Sequence[tuple[str, str]], *, directed: bool) -> list[tuple[str, str]]:
    pairs = list(pairs)
    forms = [
        (", ".join(f"({u}, {v})" for u, v in pairs), "tuples, as the prompt asks"),
        ("[" + ", ".join(f"({u}, {v})" for u, v in pairs) + "]", "a list of tuples"),
        ("[" + ", ".join(f"[{u}, {v}]" for u, v in pairs) + "]", "a list of lists"),
        (", ".join(f"{u}-{v}" for u, v in pairs), "dash pairs"),
        (", ".join(f"{u} -> {v}" for u, v in pairs), "arrow pairs"),
        ("\n".join(f"{u} {v}" for u, v in pairs), "one pair per line"),
        (";".join(f"({u},{v})" for u, v in pairs), "semicolons without spaces"),
        ("Edges: " + ", ".join(f"({u}, {v})" for u, v in pairs), "a label before the edges"),
        ("\n".join(f"- ({u}, {v})" for u, v in pairs), "a markdown bullet list"),
    ]
    if not directed:
        forms += [
            (", ".join(f"({v}, {u})" for u, v in pairs), "every pair reversed (undirected edges)"),
            ("{" + ", ".join("{" + f"{u}, {v}" + "}" for u, v in pairs) + "}", "a set of two-element sets"),
        ]
    return forms


def mapping_forms(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = list(pairs)
    return [
        ("{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}", "braces, as the prompt asks"),
        ("\n".join(f"{k}: {v}" for k, v in pairs), "one 'key: value' per line"),
        (", ".join(f"{k} = {v}" for k, v in pairs), "equals signs"),
        ("; ".join(f"{k} -> {v}" for k, v in pairs), "arrows and semicolons"),
        (", ".join(f"{k} is {v}" for k, v in pairs), "'key is value' sentences"),
        (json.dumps({k: v for k, v in pairs}), "a JSON object (quoted keys and values)"),
        ("{" + ", ".join(f"'{k}': '{v}'" for k, v in pairs) + "}", "a Python dict of strings"),
        ("{" + ", ".join(f"{k}: {v}" for k, v in pairs[::-1]) + "}", "pairs in reverse order"),
        ("Answer: {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}", "a label before the mapping"),
        ("[" + ", ".join(f"({k}, {v})" for k, v in pairs) + "]", "a list of (key, value) pairs"),
        ("\n".join(f"- {k}: {v}" for k, v in pairs), "a markdown bullet list"),
    ]


def cheat_rows(reference: str, wrong: str, prompt: str) -> list[Row]:
    """Hacks any task must refuse, around its reference text and a wrong answer."""
    rows = [
        Row("", False, "an empty answer block"),
        Row("   \n ", False, "a blank answer block"),
        Row(reference, False, "the right answer without an answer block", raw=True),
        Row(f"<answer>{reference}", False, "an unterminated answer block", raw=True),
        Row(f"{reference}\n{reference}", False, "the answer written twice"),
        Row(f"{reference} or {wrong}", False, "hedged between the answer and a wrong one"),
        Row(f"{wrong} or {reference}", False, "hedged, the right answer second"),
        Row(f"either {reference}", False, "a hedge word in front"),
        Row(f"maybe {reference}", False, "maybe"),
        Row(f"Maybe: {reference}", False, "a hedge as the label"),
        Row(f"Possible answer: {reference}", False, "a label that says it is only possible"),
        Row(f"Answer 1: {reference}", False, "a numbered answer: one of several"),
        Row(f"Answer: {wrong}", False, "a label before a wrong answer"),
        Row(f"Answer: {reference}\nAnswer: {wrong}", False, "two labelled answers"),
        Row("I don't know", False, "a refusal"),
        Row(prompt[:3000], False, "the prompt copied into the answer"),
        Row("[" * 5000 + reference + "]" * 5000, False, "the answer inside 5000 nested brackets"),
        Row(reference + " " + "9" * 200_000, False, "a 200 000-character answer"),
        Row(f"<answer>{reference}</answer>\n<answer>{wrong}</answer>", False, "the last answer block is wrong", raw=True),
        Row(f"<answer>{wrong}</answer>\nWait, that is wrong.\n<answer>{reference}</answer>", True,
            "a self-correction: the last answer block counts (DESIGN.md)", raw=True),
        Row(f"<answer>{reference}</answer><answer></answer>", False, "an empty last block", raw=True),
        Row(f"<answer><answer>{reference}</answer></answer>", False, "nested answer tags are malformed", raw=True),
        Row(f"<ANSWER>{reference}</ANSWER>", True, "upper-case answer tags", raw=True),
        Row(f"```\n{reference}\n```", True, "a fenced code block inside the answer block"),
        Row(f"```text\n{reference}\n```", True, "a fenced code block with a language tag"),
        Row(f"```\n{reference}\n```\n```\n{wrong}\n```", False, "two code blocks"),
        Row(f"Let me think.\n< answer >\n{reference}\n</ answer >\nDone.", True, "spaced tags, text around", raw=True),
        Row(f"<answer>{reference}</answer>" * 2, True, "the same answer in two blocks (the last counts)", raw=True),
        Row(reference + "\x00", False, "a NUL byte after the answer"),
    ]
    wide = reference.translate(FULL_WIDTH)
    if wide != reference:
        rows.append(Row(wide, False, "full-width look-alike digits are not digits of the grammar"))
    return rows


def number_words(n: int) -> str | None:
    words = "zero one two three four five six seven eight nine ten".split()
    return words[n] if 0 <= n < len(words) else None


def show_number(value: Any) -> str:
    return str(value)

"""A yes/no answer with a sentence around it: ``Yes, because it has no odd cycle``, ``It has a
cycle, so yes``. The committed word counts when the sentence neither hedges nor contradicts it.

How a sentence contradicts its word depends on the question, so a task may name its ``claims``:
phrases that assert the answer (``bipartite``, ``odd cycle``) with what they mean when asserted and
when negated. The sentence is cut into clauses (at punctuation and at ``because``, ``so``, ``and``...);
in each clause a negation (``not``, ``no``, ``isn't``, ``non-``, ``lacks``...) applies to the next
claim (or, after the clause's last claim, to that one), and a claim whose meaning disagrees with the
word refuses the answer. Negations that touch no claim are a justification's business and are
allowed: ``Yes, because it has no odd cycle``. A clause of only pronouns and verbs (``it is not``)
speaks of the question itself. Without claims a yes may not be followed by any negation at all.

Parsing is a hand lexer over one linear token pattern; the text is at most 300 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from assay.verifiers.graph.text import HEDGES

# a claim phrase (words separated by single spaces) -> (meaning when asserted, meaning when negated):
# True says yes, False says no, None says nothing (e.g. "no node has odd degree" does not make a
# graph Eulerian: it may be disconnected)
Claims = Mapping[str, tuple[bool | None, bool | None]]

YES_NO = {"yes": True, "true": True, "no": False, "false": False}
MAX_SENTENCE = 300

_LEADING = re.compile(
    r"^(?P<word>yes|no|true|false)\b(?:[^\S\n]*+(?P<mark>[,.;:!\-\u2013\u2014(\n])|\s++(?=(?:it|g|there|the|this|that|they|its|every|all|each|both|because|since|as)\b))"
    r"\s*+(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "..., so yes", "...; therefore no.", "... - the answer is yes": the word last, after a connective
_TRAILING_WORD = re.compile(r"(?<![\w'])(?:yes|no|true|false)$", re.IGNORECASE)
_TRAILING_LEADS = ("the answer is", "answer is", "so", "therefore", "thus", "hence")
_TRAILING_MARKS = (",", ";", ".", "\u2013", "\u2014", " -")
# words that make the sentence a hedge or a contradiction wherever they stand
HEDGE_WORDS = (HEDGES - {"not"}) | frozenset(
    "maybe either but however though although unless except wait actually correction nope yep yeah nah unclear "
    "depends idea clue sure know certain sorry guess think if assuming assume depending only almost nearly mostly "
    "partly partially might may could should would seems seem opposite rather instead mean meant reverse".split()
)
NEGATIONS = frozenset(
    "not no never none nothing neither nor cannot without non lacks lack lacking fails fail impossible".split()
)
# clause boundaries: punctuation and the words that start a reason or a consequence
_BOUNDARY_MARKS = frozenset(",;:.!()[]{}\u2013\u2014")
_BOUNDARY_WORDS = frozenset(
    "because since as so hence therefore thus and which meaning means ie while whereas where then consequently".split()
)
# a clause of only these words (and a verb or a negation) speaks of the question itself: "it is not",
# "not at all"; without either it only stresses the word ("definitely")
_VERBS = frozenset("is are was were does do did has have can exists exist it's there's".split())
_FUNCTION_WORDS = _VERBS | frozenset(
    "it its g graph the this that there they so indeed definitely certainly at all of course case".split()
)
# words (letters and digits of any script, inner apostrophes) and single punctuation marks
_TOKEN = re.compile(r"[^\W_]++(?:'[^\W_]++)*+|[^\w\s]")
_LONGEST_CLAIM = 4


def verdict_word(text: str, claims: Claims | None = None) -> bool | None:
    """The yes/no of a sentence that starts (``Yes, ...``) or ends (``..., so no``) with the word,
    or None when it hedges, contradicts the word or is no such sentence.

    >>> verdict_word("Yes, because it has no odd cycle", {"bipartite": (True, False), "odd cycle": (False, True)})
    True
    >>> verdict_word("Yes, so it is not bipartite", {"bipartite": (True, False)}), verdict_word("Yes, it is not.")
    (None, None)
    >>> verdict_word("It contains the cycle 0-1-2, so yes", {"cycle": (True, False)})
    True
    """
    if "?" in text or len(text) > MAX_SENTENCE:
        return None
    match = _LEADING.match(text)
    if match:
        word, rest = match.group("word"), match.group("rest")
    else:
        found = _trailing(text)
        if found is None:
            return None
        word, rest = found
    value = YES_NO[word.casefold()]
    return value if agrees(rest, value, claims) else None


def _trailing(text: str) -> tuple[str, str] | None:
    """(word, the sentence before it) of ``It has a cycle, so yes.``; None unless the word comes last
    after a comma, semicolon, full stop or dash (a colon makes a label: ``strip_label`` reads those)."""
    body = text.rstrip().rstrip(".!").rstrip()
    found = _TRAILING_WORD.search(body[-6:])
    if not found:
        return None
    word = found.group(0)
    head = body[: len(body) - len(word)].rstrip()
    for _ in range(2):  # "..., so the answer is yes"
        for lead in _TRAILING_LEADS:
            if head.casefold().endswith(lead) and not head[-len(lead) - 1 : -len(lead)].isalnum():
                head = head[: -len(lead)].rstrip()
                break
    for mark in _TRAILING_MARKS:
        if head.endswith(mark) and head[: -len(mark)].strip():
            return word, head[: -len(mark)]
    return None


def agrees(sentence: str, value: bool, claims: Claims | None) -> bool:
    """Whether ``sentence`` (said with the answer ``value``) neither hedges nor contradicts it."""
    clauses: list[list[str]] = [[]]
    for token in _TOKEN.findall(sentence.replace("\u2019", "'")):
        word = token.casefold()
        if word in _BOUNDARY_MARKS or word in _BOUNDARY_WORDS:
            clauses.append([])
            continue
        if not word[0].isalnum():
            continue  # other marks ("-", ">", "=") join nothing and split nothing
        if not word.isascii() and _mixed_scripts(word):
            return False  # a look-alike ("nоt" with a Cyrillic o); "Zoë" is one script
        if word in HEDGE_WORDS or word in ("yes", "true", "false"):
            return False
        clauses[-1].append(word)
    clauses = [clause for clause in clauses if clause]
    if any(clause == ["no"] for clause in clauses):
        return False  # "yes, no" / "no, no": the answer again, or its opposite
    if claims is None:  # no claims known: a yes may not be followed by any negation
        return not value or not any(_negation(word) for clause in clauses for word in clause)
    table = {tuple(phrase.split()): meaning for phrase, meaning in claims.items()}
    return all(_clause_agrees(clause, value, table) for clause in clauses)


_QUESTION_STARTS = frozenset("is are does do can has have was were".split())
_STATEMENT_VERBS = _VERBS | frozenset("contains contain".split())


def labels_agree(labels: str, value: bool, claims: Claims | None) -> bool:
    """Whether the labels before a yes/no (``It has an odd cycle: yes``; several separated by colons)
    agree with it. A label that restates the question (``Is G bipartite: no``, ``Bipartite: no``) says
    nothing; one that states something (a verb, not first) is read like a sentence.

    >>> labels_agree("It has an odd cycle", True, {"odd cycle": (False, True)}), labels_agree("Bipartite", False, {"bipartite": (True, False)})
    (False, True)
    """
    if not claims:
        return True
    for label in labels.split(":"):
        words = [token.casefold() for token in _TOKEN.findall(label.replace("\u2019", "'"))]
        if not words or words[0] in _QUESTION_STARTS or not any(word in _STATEMENT_VERBS for word in words):
            continue
        if not agrees(label, value, claims):
            return False
    return True


def _mixed_scripts(word: str) -> bool:
    """Whether ``word`` mixes Latin letters with letters of another script."""
    scripts = {unicodedata.name(c, "?").split(" ", 1)[0] == "LATIN" for c in word if c.isalpha()}
    return len(scripts) > 1


def _negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _clause_agrees(clause: list[str], value: bool, table: Mapping[tuple[str, ...], tuple[bool | None, bool | None]]) -> bool:
    found: list[tuple[tuple[bool | None, bool | None], int]] = []  # (claim meanings, negations before it)
    pending = 0
    i = 0
    while i < len(clause):
        for size in range(min(_LONGEST_CLAIM, len(clause) - i), 0, -1):
            meaning = table.get(tuple(clause[i : i + size]))
            if meaning is not None:
                found.append((meaning, pending))
                pending = 0
                i += size
                break
        else:
            pending += _negation(clause[i])
            i += 1
    if not found:
        if all(word in _FUNCTION_WORDS or _negation(word) for word in clause) and (
            pending or any(word in _VERBS for word in clause)
        ):
            return (pending % 2 == 0) == value  # "it is not", "not at all", "it is": the question itself
        return True  # a justification that names no claim, or an intensifier ("definitely")
    if pending:  # "an Eulerian circuit does not exist": a negation after the last claim is its own
        meaning, before = found[-1]
        found[-1] = (meaning, before + pending)
    for (asserted, negated), negations in found:
        said = negated if negations % 2 else asserted
        if said is not None and said != value:
            return False
    return True

"""Finding the final answer of a math completion: the last ``\\boxed{}``/``\\fbox{}`` (with the boxes
right before it), the last ``<answer>`` block, or a closing "the answer is ..." sentence.

Linear time in the completion's length whatever its braces (one pass matches them all), so 1 MB
of hostile LaTeX costs a scan. Judging lives elsewhere.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assay.extract import answer_block
from assay.verifiers.math.lexer import NUMBER_PHRASE

_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)
_BOX = re.compile(r"\\(?:boxed|fbox|framebox)(?![a-zA-Z])")
# what may sit between two boxes of one answer: "\boxed{1} and \boxed{2}", "\boxed{1}, \boxed{2}"
_GAP = re.compile(
    r"(?>\s|\$|,|;|\\quad|\\qquad|\\[,;: ]|\\\\|&|\\text\{\s*+(?:or|and)\s*+\}|\bor\b|\band\b|\\text\{\s*+,?+\s*+\}"
    r"|\b[a-zA-Z](?:_\{?+\w++\}?+)?+\s*+=)*+"
)  # each piece atomic and the run possessive: linear
_SENTENCE = re.compile(
    r"(?:final answer|the answer)(?:\s+is)?\s*(?:[:=]|\bis\b)\s*(.+?)(?:(?<!i\.e)(?<!e\.g)\.\s|\.?$|\n)", re.IGNORECASE
)  # the sentence ends at a full stop, never at the one of "i.e." or "e.g."
# "Answer: 5" on a line of its own, and GSM8K's "#### 5"
# (the line's rest is taken whole and its trailing " \t*_." stripped in Python: a lazy group before a
# trailing class backtracks quadratically on a long run of "*")
_ANSWER_LINE = re.compile(
    r"^[ \t*_]*+(?:(?:#++[ \t*_]*+)?+answer[ \t*_]*+:|####)[ \t*_]*+([^\n]*+)", re.IGNORECASE | re.MULTILINE
)
# "The final answer is", "The largest $n$ is", "The sum of the roots equals": a subject of at most 80
# characters (bounded: linear), its verb, the value
_STATEMENT = re.compile(r"(?:the|our|a|an)\s[^\n]{0,80}?\b(?:is|are|equals|=)\s*+(\S.*)", re.IGNORECASE | re.DOTALL)
_SENTENCE_END = re.compile(r"(?<!i\.e)(?<!e\.g)\.\s")
_MATH_SPAN = re.compile(r"\$([^$]+)\$")
# reasons are dropped; a restatement ("i.e.", "that is") stays, so it must agree with the answer
_REASON = re.compile(r"\(\s*(?:since|because|as|by|from|using|via|check|note|e\.g\.)\b[^()]*\)", re.IGNORECASE)
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:which|because|since|as|so|where|but|that|given|hence|thus|therefore|meaning|e\.g\.)\b", re.IGNORECASE
)
_MARKDOWN = re.compile(r"^(\*\*|__|`)(.+)\1$", re.DOTALL)  # **5**, __5__, `5` around a whole answer
MAX_GROUP = 16  # boxes in one group; more is a list of candidates, refused by size anyway


@dataclass(frozen=True)
class Extracted:
    """The final answer text (None when there is none), where it came from, how many boxes."""

    text: str | None
    source: str  # "boxed", "answer", "sentence", "hedge"/"retracted" (a box and another value), "fallback", "none"
    boxes: int = 0


def _match_braces(text: str) -> dict[int, int]:
    """Every ``{`` index mapped to its matching ``}`` (escaped braces skipped), in one pass."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for match in _BRACE_OR_ESCAPE.finditer(text):
        char = match.group(0)
        if char == "{":
            stack.append(match.start())
        elif char == "}" and stack:
            pairs[stack.pop()] = match.start()
    return pairs


def boxes(text: str) -> list[tuple[int, int, str]]:
    """Every well-formed box as (start, end, content), in order of their ends.

    >>> [b[2] for b in boxes(r"\\boxed{\\frac{1}{2}} and \\fbox{3} and \\boxed{")]
    ['\\\\frac{1}{2}', '3']
    """
    pairs = None
    found = []
    for match in _BOX.finditer(text):
        i = match.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == "{":
            if pairs is None:
                pairs = _match_braces(text)
            close = pairs.get(i)
            if close is not None:
                found.append((match.start(), close + 1, text[i + 1 : close].strip()))
        elif i > match.end() or (i < len(text) and text[i].isdigit()):
            token = re.match(r"[^\s$}{\\]+", text[i : i + 200])
            if token and token.group(0).rstrip(".,;"):
                value = token.group(0).rstrip(".,;")
                found.append((match.start(), i + len(value), value))
    # drop boxes nested inside a later-ending box: the outer one is the answer
    found.sort(key=lambda b: b[1])
    outer: list[tuple[int, int, str]] = []
    for box in found:
        while outer and outer[-1][0] >= box[0]:
            outer.pop()
        outer.append(box)
    return outer


def final_boxes(text: str) -> tuple[list[str], int] | None:
    """The contents of the last box and of the boxes right before it, and where the last ends."""
    found = boxes(text)
    if not found:
        return None
    group = [found[-1]]
    for box in reversed(found[:-1]):
        gap = text[box[1] : group[0][0]]
        if len(group) >= MAX_GROUP or not _joins_answers(gap):
            break
        group.insert(0, box)
    return [b[2] for b in group], found[-1][1]


# a box after one of these words corrects the box before it; any other short gap makes the two
# boxes one answer of several parts, or several candidates (a hedge, judged as such)
_CORRECTION_STEMS = (
    "wait", "no", "not", "actually", "mistak", "error", "wrong", "incorrect", "correct", "instead", "rather",
    "oops", "sorry", "fix", "recheck", "recomput", "recalcul", "redo", "revis", "hmm", "oh", "scratch", "ignor",
    "disregard", "reconsider", "miscalc", "mistook", "slip", "check", "again", "let", "however", "hold",
)


def _joins_answers(gap: str) -> bool:
    """Whether the text between two boxes makes them one answer of several parts or several
    candidates ("\\boxed{1} or \\boxed{2}", "(i.e. \\boxed{2})", "Alternatively, it could be"); a
    self-correction ("Wait, that is wrong: \\boxed{2}"), or a long stretch of reasoning, lets the
    last box win alone."""
    if len(gap) > 80:
        return False
    if _GAP.fullmatch(gap) is not None:
        return True
    if re.search(r"[0-9]", gap):
        return False
    words = [w.lower() for w in re.findall(r"[a-zA-Z]+", gap)]
    return not any(word.startswith(_CORRECTION_STEMS) for word in words)


def _join(contents: list[str]) -> str:
    unique: list[str] = []
    for content in contents:
        if content not in unique:
            unique.append(content)
    return ", ".join(unique)


def extract_final(completion: str) -> Extracted:
    """The final answer of a completion; a later answer (self-correction) beats an earlier one.

    >>> extract_final(r"First \\boxed{2}. Wait, no: <answer>3</answer>")
    Extracted(text='3', source='answer', boxes=0)
    >>> extract_final(r"So $x = \\boxed{1}$ or $x = \\boxed{2}$.")
    Extracted(text='1, 2', source='boxed', boxes=2)
    >>> extract_final("Thus the final answer is $\\\\frac{1}{2}$.").text
    '\\\\frac{1}{2}'
    """
    block = answer_block(completion)
    group = final_boxes(completion)
    if block is not None and (group is None or block[1] >= group[1]):
        content = block[0]
        inner = final_boxes(content)
        if inner is not None:
            return Extracted(_join(inner[0]), "answer", len(inner[0]))
        sentence = _last_sentence(content)
        return Extracted(sentence if sentence is not None else _unmarked(content), "answer")
    if group is not None:
        text = _join(group[0])
        after = completion[group[1] :]
        later = _last_sentence(after[-4000:]) if after.strip() else None
        if later is not None and normalise_spaces(later) != normalise_spaces(text) and _VALUE.search(later):
            # "\boxed{4}, but let me recheck: ... The final answer is 5.": the box is retracted and the
            # later value is unboxed: ambiguous (scored 0), never the retracted box
            return Extracted(f"{text}, {later}", "retracted", len(group[0]))
        if _hedged(after):
            return Extracted(text, "hedge", len(group[0]))  # "\boxed{5}, but counting the ends it is 7"
        return Extracted(text, "boxed", len(group[0]))
    sentence = _last_sentence(completion[-4000:])
    if sentence is not None:
        return Extracted(sentence, "sentence")
    return Extracted(None, "none")


def _reads_as_text(text: str) -> bool:
    """Whether ``text`` reads as written prose: at most 1 in 50 characters unprintable.

    >>> _reads_as_text("We add 3 and 4 to get 7."), _reads_as_text("\\x1e\\x8b\\x07\\x16 3")
    (True, False)
    """
    odd = sum(1 for char in text if not char.isprintable() and not char.isspace())
    return odd * 50 <= len(text)


def fallback(completion: str) -> Extracted:
    """Without any box, answer block or marked sentence: a "Final Answer" heading followed by the
    value, "12 is the answer", else the final statement's value (its last math span, number or
    number in words; with a hedge word, "5 or maybe 6", all of them, judged as several answers), as
    math-verify does; a final statement that is a question, a negation ("5 is not the answer") or a
    guess of one value ("it could be 5") states none.

    >>> fallback("### Final Answer\\n\\n$x + 1$").text, fallback("Adding up, so 12 is the answer.").text
    ('x + 1', '12')
    >>> fallback("We add 3 and 4 to get 7.").text
    '7'
    """
    if _BOX.search(completion) or "<answer" in completion.lower():
        return Extracted(None, "none")  # a box or block was attempted and left unclosed: no answer
    tail = completion[-4000:]
    heading = None
    for heading in _HEADING_ANSWER.finditer(tail):
        pass
    if heading is not None:
        return Extracted(_unmarked(heading.group(1).strip().rstrip(".").strip()).strip("$ "), "fallback")
    stated = None
    for stated in _IS_THE_ANSWER.finditer(tail):
        pass
    if stated is not None:
        return Extracted(stated.group(1).strip("$ "), "fallback")
    if not _reads_as_text(tail):
        return Extracted(None, "none")  # binary junk: its last number is no statement of an answer
    statement = _SENTENCE_END.split(tail.strip().rstrip("."))[-1]
    if statement.rstrip().endswith("?") or _NEGATION.search(statement):
        return Extracted(None, "none")  # "Is it 5?", "5 is not the answer", "the answer isn't 5": no statement of it
    values = list(dict.fromkeys(span.strip() for span in _MATH_SPAN.findall(statement) if span.strip()))
    if not values:
        values = list(dict.fromkeys(_NUMBER_WORD.findall(statement)))
    if not values:  # "The total is twelve.": a number in words ("one" alone is too often a pronoun)
        values = [m.group(0) for m in NUMBER_PHRASE.finditer(statement) if m.group(0).strip().lower() != "one"]
    if not values:
        return Extracted(None, "none")
    if _HEDGE.search(statement):  # "it is 5 or maybe 6": every value, judged as several answers
        if len(values) == 1:
            return Extracted(None, "none")  # "the answer could be 5": a guess, not a statement
        return Extracted(", ".join(values[-_MAX_FALLBACK:]), "fallback")
    return Extracted(values[-1], "fallback")  # "we add 3 and 4 to get 7": the statement's result


def gather_boxes(completion: str, count: int) -> str | None:
    """The last ``count`` boxes of a completion that boxes the members of a list one by one with
    reasoning between them (``x = \\boxed{2}`` ... ``x = \\boxed{-5}``); None when fewer boxes, a
    repeated one, or a correction word between them (a retraction is not a second member).

    >>> gather_boxes(r"First factor: $x = \\\\boxed{2}$. Second factor gives $x = \\\\boxed{-5}$.", 2)
    '2, -5'
    >>> gather_boxes(r"$\\\\boxed{2}$. Wait, that is wrong: $\\\\boxed{-5}$.", 2) is None
    True
    """
    found = boxes(completion)
    if len(found) < count or count > MAX_GROUP:
        return None
    chosen = found[-count:]
    for before, after in itertools.pairwise(chosen):
        gap = completion[before[1] : after[0]]
        words = {w.lower() for w in _WORD.findall(gap[:3000])}
        if len(gap) > 3000 or any(word.startswith(_RETRACTIONS) for word in words):
            return None
    contents = [b[2] for b in chosen]
    return ", ".join(contents) if len(set(contents)) == len(contents) else None


def normalise_spaces(text: str) -> str:
    return "".join(text.split()).strip("$")


_RETRACTIONS = (
    "wait", "actually", "mistak", "error", "wrong", "incorrect", "oops", "sorry", "recheck", "recomput", "recalcul",
    "redo", "scratch", "ignor", "disregard", "instead", "rather", "miscalc", "correction", "hmm",
)
_WORD = re.compile(r"[A-Za-z]+")
_VALUE = re.compile(r"[0-9]|\\[a-zA-Z]|\$")  # a number, a command or math mode: a value, not prose
# after the last box, up to the end of its sentence: a connector and a second value make a hedge
_HEDGE = re.compile(r"\b(?:or|but|although|though|unless|otherwise|alternatively|maybe|perhaps|possibly|might|could)\b",
                    re.IGNORECASE)
_HEADING_ANSWER = re.compile(r"^[ \t#*_]*+final answer[ \t*_:]*+\n\s*+([^\n]{1,300})", re.IGNORECASE | re.MULTILINE)
_IS_THE_ANSWER = re.compile(r"(\$[^$\n]{1,200}\$|[^\s$]{1,100})\s++is\s++(?:the|our)\s++(?:final\s++)?answer\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"(?<![\w.])-?\d++(?:\.\d++)?+(?:/\d++)?+(?![\w])")
_MAX_FALLBACK = 8
_NEGATION = re.compile(r"\b(?:not|never|cannot)\b|n't\b|\bisnt\b", re.IGNORECASE)


def _hedged(after: str) -> bool:
    """Whether the rest of the final box's sentence offers another value ("5, but it may be 7",
    "5 (or 6)"); "5 (since 2 + 3 = 5)" and "5, or equivalently 10/2" are no hedges."""
    sentence = _SENTENCE_END.split(after[:400], 1)[0].split("\n\n", 1)[0]
    if "equivalent" in sentence.lower() or not _HEDGE.search(sentence):
        return False
    return _VALUE.search(_HEDGE.split(sentence, 1)[1]) is not None


def _unmarked(text: str) -> str:
    """An answer without markdown emphasis or code ticks around it: ``**5**`` -> ``5``.

    >>> _unmarked("**5**"), _unmarked("`x + 1`"), _unmarked("2**3")
    ('5', 'x + 1', '2**3')
    """
    match = _MARKDOWN.match(text.strip())
    return match.group(2).strip() if match is not None else text


def _last_sentence(text: str) -> str | None:
    last = None
    for pattern in (_SENTENCE, _ANSWER_LINE):
        for match in pattern.finditer(text):
            if pattern is _ANSWER_LINE and not match.group(1).rstrip(" \t*_."):
                continue  # "####" with nothing after it
            if last is None or match.end() > last.end():
                last = match
    if last is None:
        return None
    found = last.group(1).rstrip(" \t*_.").strip().rstrip(".").strip().strip("*_").strip()  # markdown **1/2**
    # Minerva's "Final Answer: The final answer is 7.78. I hope it is correct." and "Final Answer: The
    # largest $n$ is 34.": a sentence naming the value; the value is what follows its verb
    statement = _STATEMENT.match(found)
    if statement is not None:
        found = _SENTENCE_END.split(statement.group(1), 1)[0].strip().rstrip(".").strip()
    clause = _TRAILING_CLAUSE.search(found)
    if clause is not None and _hedged(found[clause.start() :]):
        return found  # "5, but counting the ends it is 7": a hedge, read whole (and refused as such)
    found = _REASON.sub("", _TRAILING_CLAUSE.split(found, 1)[0])  # "$5$ (since $2+3=5$)" -> $5$
    spans = list(dict.fromkeys(span.strip() for span in _MATH_SPAN.findall(found)))
    if spans and not found.startswith("$$"):
        # "the answer is $3$, since ..." -> 3; "$5$ (or $6$)" and "$5$ (i.e. $6$)" -> both, judged as such
        return ", ".join(spans) if len(spans) > 1 else spans[0]
    found = _TRAILING_CLAUSE.split(found, 1)[0].strip()  # "5, which is odd" -> 5
    return found or None

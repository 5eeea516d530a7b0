"""Graph answer text: what never changes an answer (wrappers, bold, bullets, labels, stated weights),
the empty answer in words, and the yes/no-with-a-clause rule. Used by the grammar in ``graph``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.verifiers.graph.grammar import NodeNames

MAX_ANSWER_CHARS = 200_000  # longer answers are unparseable unread: no graph here needs more

HEDGES = frozenset(
    "or either maybe perhaps possibly probably likely unsure unknown not approximately about roughly ? / etc".split()
)
_EMPTY = frozenset(
    {"[]", "()", "{}", "none", "empty", "nothing", "∅", "\\emptyset", "\\varnothing", "empty set", "the empty set", "no nodes", "no edges"}
)
# words the grammar reads itself (hedges, "and", the empty answer, "node 3", "edge (1, 2)", "1 is red"),
# so never a node's name: a user's graph with such a node id is refused (_sources.canonical_user_graph)
RESERVED_WORDS = HEDGES | frozenset(
    "and none empty nothing node nodes vertex vertices edge edges arc arcs is gets".split()
)
# "No bridges.", "There are none", "there are no articulation points": the empty answer in words
# (a closed vocabulary: "no idea" is a refusal, never the empty set)
_EMPTY_PHRASE = re.compile(
    r"^(?:there\s+(?:are|is)\s+)?(?:none(?:\s+of\s+(?:the\s+)?(?:nodes|vertices|edges))?|nothing|no\s+(?:such\s+)?(?:nodes?|edges?|vertex|vertices|bridges?|"
    r"articulation\s+points?|cut\s+(?:vertex|vertices|nodes?)|(?:common\s+)?neighbou?rs?))(?:\s+(?:at\s+all|exists?))?\.?$",
    re.IGNORECASE,
)


def is_empty(text: str) -> bool:
    return text.casefold() in _EMPTY or bool(_EMPTY_PHRASE.match(text))


_BLANKS = re.compile(r"[^\S\n]+")
_LATEX_ARROW = re.compile(r"\s*\\(?:to|rightarrow|longrightarrow|Rightarrow|mapsto)(?![A-Za-z])\s*")
_BULLET = re.compile(r"^[-*•] +", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} +")
# "1. 17" / "2) 11" at the start of a line: a markdown numbered list (stripped only when every line is
# numbered 1, 2, 3... in turn, so "1. 5" alone, or a decimal such as "1.5", is never touched)
_NUMBERED = re.compile(r"(\d{1,5})[.)] +")
_FENCE = re.compile(r"^```[A-Za-z0-9_+-]*[^\S\n]*\n(.*)\n```$", re.DOTALL)
_BOLD = re.compile(r"(?<![0-9*])\*\*([^*\n]{1,200}?)\*\*(?![0-9*])")  # never 2**3
_NEWLINES = re.compile(r" ?\n[\s]*")


def clean(text: str) -> str | None:
    """Strip what never changes an answer: spaces, ``$``/backtick/bold wrappers, a final period.

    >>> clean("  **$[1, 2]$.** ")
    '[1, 2]'
    """
    if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
        return None
    # collapse runs of blanks first, so no pattern below ever scans a long run twice
    text = _NEWLINES.sub("\n", _BLANKS.sub(" ", text)).strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()  # a fenced code block, any language tag
    text = text.replace("\\{", "{").replace("\\}", "}")  # LaTeX set braces
    text = _HEADING.sub("", _BOLD.sub(r"\1", text))  # markdown bold spans anywhere, "#### 3" headings
    text = _LATEX_ARROW.sub(" -> ", text)
    if text.count("\n") and len(_BULLET.findall(text)) >= 2:
        text = _BULLET.sub("", text)  # a markdown bullet list: one item per line
    elif text.count("\n"):
        text = _unnumbered(text)
    changed = True
    rounds = 0
    while changed and text and rounds < 8:
        changed, rounds = False, rounds + 1
        for command in ("\\boxed{", "\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{", "\\bm{", "\\textit{", "\\emph{"):
            if text.startswith(command) and text.endswith("}") and balanced_inner(text[len(command) : -1]):
                text, changed = text[len(command) : -1].strip(), True
        for wrapper in ("**", "$$", "$", "`", "\\(", "\\["):
            closing = {"\\(": "\\)", "\\[": "\\]"}.get(wrapper, wrapper)
            if len(text) > 2 * len(wrapper) and text.startswith(wrapper) and text.endswith(closing):
                text, changed = text[len(wrapper) : -len(closing)].strip(), True
        stripped = text.rstrip(".").rstrip()
        if stripped != text and not stripped.endswith("."):
            text, changed = stripped, True
    return text


# "Answer: ...", "The shortest path is ...", "Density = ...": a short label of plain words before
# the answer. The label may not hedge or negate ("maybe: 3", "not: 3") nor name a node.
_LABEL = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z0-9_.' -]{0,80}?)\s*(?:(?:\s(?:is|are))?\s*[:=]"
    r"|\s(?:is|are|contains|needs|requires|uses|(?:has|have)(?:\s+(?:degree|size|value|weight|length))?)\s|(?P<line>[^\S\n]*\n))"
    r"\s*(?P<rest>\S.*)$",
    re.DOTALL | re.IGNORECASE,
)
_LABEL_STOP = frozenset(
    "no not never none nothing yes true false but nor neither if unless except without wrong incorrect "
    "isn't aren't guess think believe assume might could would should may approximate approximately estimate "
    "estimated rough partial incomplete candidate candidates option options alternative alternatives possible "
    "initial draft tentative previous old another other different second bad".split()
)
_LABEL_WORDS = 10
# "One possible path:", "a possible topological order is": one witness where any valid one is accepted
# is no hedge (several candidates are refused elsewhere: "or", two lists); "Possible answer: 3" still is
_ONE_OF = frozenset("one a an".split())
_WITNESSES = frozenset(
    "path order ordering sequence tour cycle circuit walk matching colouring coloring clique cover set tree "
    "mapping isomorphism flow traversal".split()
)
# a label alone on its line ("### Answer") must say it is one: a line "Zed" above a list is no label
_LINE_LABELS = frozenset("answer solution result".split())
# a node may appear in a label only after one of these ("the degree of node 3 is", "from 1 to 4")
_LABEL_NODE_AFTER = frozenset("from to between and of at for node vertex in".split())
# "χ(G) = 3", "\chi(G) = 3", "N(3) = [1, 4]": the quantity named as a function of G or of a node
_FUNCTION_LABEL = re.compile(
    r"^\\?(?:[A-Za-z]{1,12}|[\u0370-\u03ff])(?:_\{?[A-Za-z0-9]{1,12}\}?)?\s*\(\s*(?P<a>[A-Za-z0-9_]{1,20})(?:\s*,\s*(?P<b>[A-Za-z0-9_]{1,20}))?\s*\)"
    r"\s*(?:=|:)\s*(?P<rest>\S.*)$",
    re.DOTALL,
)
# "|E| = 7", "|V| = 5", "|f| = 3", "|N(4)| = 2": a size written with bars
_SIZE_LABEL = re.compile(
    r"^\|\s*+(?:[A-Za-z]{1,3}|N\(\s*+(?P<a>[A-Za-z0-9_]{1,20})\s*+\))\s*+\|\s*+(?:=|:)\s*+(?P<rest>\S.*)$", re.DOTALL
)
# words any count may end with ("3 in total"), whatever unit words its question allows
COUNT_TAIL = frozenset("in total all altogether overall".split())
# "3 nodes", "2 connected components": unit words after a count change nothing (a task may allow fewer)
UNITS = COUNT_TAIL | frozenset(
    "node nodes vertex vertices edge edges arc arcs triangle triangles component components connected strongly "
    "weakly colour colours color colors hop hops step steps unit units person people city cities road roads "
    "path paths neighbour neighbours neighbor neighbors friend friends scc sccs".split()
)
_NODE_WORD = re.compile(r"\b(?:nodes?|vertex|vertices)\s+(?=[\w'\"])", re.IGNORECASE)


def strip_label(text: str, names: NodeNames | None = None) -> str | None:
    """The text after a short label (``Answer:``, ``The path is``, ``Density =``), or None when
    there is no such label. Label words never hedge, negate or name a node of ``names`` (but after
    "of", "node", "from"...); where ``names.about`` says which nodes the question is about, a node
    the label names must be one of them ("the degree of node 2 is 1" answers no question on node 1).

    >>> strip_label("Shortest path: 0 -> 2"), strip_label("The answer is 3"), strip_label("maybe: 3")
    ('0 -> 2', '3', None)
    >>> strip_label("\\\\chi(G) = 3"), strip_label("N(Alice) = [Bob]")
    ('3', '[Bob]')
    """
    about = getattr(names, "about", None)
    function = _FUNCTION_LABEL.match(text) or _SIZE_LABEL.match(text)
    if function:
        name = text.lstrip("\\").split("(", 1)[0].split("_", 1)[0].strip().casefold()
        if about is not None and names is not None:
            args = function.groupdict()
            named = [names.resolve(args[key]) for key in ("a", "b") if args.get(key)]
            if any(node is not None and node not in about for node in named):
                return None  # "deg(2) = 1" when the question is about node 1
        return None if name in HEDGES or name in _LABEL_STOP else function.group("rest").strip()
    match = _LABEL.match(text)
    if not match:
        return None
    label = match.group("label").strip()
    words = label.split()
    if not words or len(words) > _LABEL_WORDS:
        return None
    if match.group("line") is not None and words[-1].casefold() not in _LINE_LABELS:
        return None
    for i, word in enumerate(words):
        folded = word.casefold().strip("'-")
        if folded == "possible" and _one_witness(words, i):
            continue
        if folded in HEDGES or folded in _LABEL_STOP or folded.endswith("n't"):
            return None
        node = names.resolve(word.removesuffix("'s")) if names is not None else None
        if (node is not None or any(c.isdigit() for c in word)) and (i == 0 or words[i - 1].casefold() not in _LABEL_NODE_AFTER):
            return None  # "Alice: Bob" is no label; "answer 3: 4" hides a value
        if about is not None and (node is not None or any(c.isdigit() for c in word)) and node not in about:
            return None  # a node the question is not about ("the number of triangles at node 3 is")
    if names is not None and names.resolve(label) is not None:
        return None
    return match.group("rest").strip()


def _one_witness(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` ("possible") stands in "one possible <structure>" (the structure's words may
    be qualified: "one possible topological order", "a possible BFS order")."""
    if i == 0 or words[i - 1].casefold() not in _ONE_OF:
        return False
    return any(word.casefold() in _WITNESSES for word in words[i + 1 : i + 4])


def labelled(parse: Callable[..., Any], text: str, *args: Any) -> Any:
    """``parse(text)``, or else ``parse`` of the text after up to two labels ("Answer: Path: ...")."""
    result = parse(text, *args)
    rest = clean(text)
    for _ in range(2):
        if result is not None or rest is None:
            return result
        rest = strip_label(rest, args[0] if args and hasattr(args[0], "resolve") else None)
        if rest is not None:
            result = parse(rest, *args)
    return result


# "[0, 3, 1] (total weight 7)", "0 -> 2, with length 3": the objective stated after a structure
# is ignored (the verifier computes it from the graph)
_MEASURE = re.compile(
    r"\s*+[,;]?+\s*+(?P<open>\()?+\s*+(?:with\s++)?+(?:a\s++)?+(?:the\s++)?+(?:(?:total|minimum|shortest|optimal)\s++)?+"
    r"(?:(?:path|tour|tree|cycle|matching)\s++)?+(?:total\s++)?+(?:cost|weight|length|distance|size)\s*+"
    r"(?:=|:|of|is)?+\s*+\d++(?:\.\d++)?+(?:/\d++)?+\s*+(?(open)\))\s*+\.?+$",
    re.IGNORECASE,
)
_LEADING_MEASURE = re.compile(
    r"^(?:the\s+)?(?:minimum\s+|optimal\s+|shortest\s+)?(?:(?:path|tour|tree|cycle|matching)\s+)?(?:total\s+)?"
    r"(?:cost|weight|length|distance|size)\s*(?:=|:|is|of)\s*"
    r"\d+(?:\.\d+)?(?:/\d+)?\s*[.;,]?[^\S\n]*\n",
    re.IGNORECASE,
)
# "(2 edges)", ", 3 hops", "(3 nodes)": a count stated after a list, in parentheses or after a comma (so
# "0 1 2 edges" keeps its 2); unlike a weight it is checked against the list (``count_agrees``)
_COUNT_UNITS = r"nodes?+|vertex|vertices|edges?+|hops?+|steps?+"
_STATED_COUNT = re.compile(
    rf"\s*+(?:[,;]\s*+(?:with\s++)?+(?P<count>\d{{1,6}})\s++(?P<unit>{_COUNT_UNITS})"
    rf"|\(\s*+(?P<count2>\d{{1,6}})\s++(?P<unit2>{_COUNT_UNITS})\s*+\))\s*+\.?+$",
    re.IGNORECASE,
)
_MEASURE_TAIL = 120  # a stated measure is short: only the end of the text is searched, so the cost stays linear
TRAILING_COMMA = re.compile(r"\s*,\s*$")
EDGE_WORD = re.compile(r"\b(?:edges?|arcs?)\s+(?=[(\[{\w])", re.IGNORECASE)


def drop_bullet(text: str) -> str:
    """A one-item bullet list ``- Rome`` or numbered list ``1. Rome`` / ``1. (0, 2)`` as its item (lists
    only: for a number, ``- 3`` may be minus 3; ``1. 3`` stays as it is, it may be two numbers).

    >>> drop_bullet("- Rome"), drop_bullet("1. (0, 2)"), drop_bullet("1. 3")
    ('Rome', '(0, 2)', '1. 3')
    """
    if "\n" in text:
        return text
    if text[:2] in ("- ", "* ", "• "):
        return text[2:].lstrip()
    if text[:3] in ("1. ", "1) ") and not text[3:].lstrip()[:1].isdigit():
        return text[3:].lstrip()
    return text


def drop_measure(text: str) -> str:
    if len(text) > MAX_ANSWER_CHARS:
        return text
    text = _LEADING_MEASURE.sub("", text, count=1)
    cut = max(0, len(text) - _MEASURE_TAIL)
    head, tail = text[:cut], text[cut:]
    found = _MEASURE.search(tail)
    if found:
        stripped = head + tail[: found.start()]
        return stripped if stripped.strip() else text
    return text


def split_count(text: str) -> tuple[str, int | None, str | None]:
    """The text without a count stated after it, the count, and its unit (``node``, ``edge``, ``hop``,
    ``step``); (text, None, None) when there is none.

    >>> split_count("[0, 2, 1] (3 nodes)"), split_count("0 -> 1, 1 hop"), split_count("[0, 1]")
    (('[0, 2, 1]', 3, 'node'), ('0 -> 1', 1, 'hop'), ('[0, 1]', None, None))
    """
    if len(text) > MAX_ANSWER_CHARS:
        return text, None, None
    cut = max(0, len(text) - _MEASURE_TAIL)
    found = _STATED_COUNT.search(text, cut)
    if not found or not text[: found.start()].strip():
        return text, None, None
    count = int(found.group("count") or found.group("count2"))
    unit = (found.group("unit") or found.group("unit2")).casefold()
    unit = "node" if unit.startswith(("node", "vert")) else unit.rstrip("s")
    return text[: found.start()], count, unit


def count_agrees(items: int, count: int | None, unit: str | None, *, edges: bool) -> bool:
    """Whether a stated count fits a list of ``items`` nodes (``edges=False``: n nodes are n nodes and,
    along a path or a closed tour, n - 1 or n edges/hops/steps) or of ``items`` edges (n edges only).

    >>> count_agrees(3, 3, "node", edges=False), count_agrees(3, 2, "node", edges=False), count_agrees(3, 2, "edge", edges=False)
    (True, False, True)
    """
    if count is None:
        return True
    if edges:
        return unit == "edge" and count == items
    return count == items if unit == "node" else count in (items - 1, items)


def drop_node_words(text: str, names: NodeNames | None) -> str:
    """``node 3`` -> ``3`` (the prompts call nodes "node 3"), unless "node" is itself a node's name."""
    if names is None or not _NODE_WORD.search(text):
        return text
    if any(names.resolve(word) is not None for word in ("node", "nodes", "vertex", "vertices")):
        return text
    return _NODE_WORD.sub("", text)


YES_NO_WORDS = {"yes": True, "true": True, "no": False, "false": False}
def _unnumbered(text: str) -> str:
    """A markdown numbered list (``1. a``, ``2. b``... on every line, in turn) as one item per line;
    any other text unchanged."""
    items = []
    for i, line in enumerate(text.split("\n"), start=1):
        found = _NUMBERED.match(line)
        if not found or int(found.group(1)) != i:
            return text
        items.append(line[found.end() :])
    return "\n".join(items)


def balanced_inner(text: str) -> bool:
    depth = 0
    for char in text:
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0

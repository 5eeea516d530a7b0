"""Graph answers: the payload format of a graph problem, node names, and a strict, tolerant answer grammar.

Parsers return None (the caller scores "unparseable") on hedged or junk text and keep duplicates,
so validators can reject a repeated node; ``verify`` scores any graph problem row, ``verify_on_graph``
poses a registered graph question on your own networkx graph and scores an answer to it.

Grammar (the text inside ``<answer>``; surrounding ``$``, backticks, ``**``, ``\\boxed{}``, ``\\text{}``,
a final period and markdown bullets are ignored everywhere):

- labels: a short label of plain words before any answer (``Answer: 3``, ``The shortest path is
  1 -> 2``, ``G has 3 triangles``, ``chi(G) = 3``, ``N(4) = [1, 2]``); a label never hedges
  (``maybe: 3``, ``approximate answer: 3``), negates, or names a node.
- yes/no: ``yes``/``no``/``true``/``false`` in any case, optionally followed by a clause
  (``Yes, it is bipartite.``, ``No, it is not.``) that neither hedges nor contradicts the word.
- numbers: an integer, ``p/q``, ``\\frac{p}{q}``, a decimal, or (``parse_real`` only) ``1.5e-3``, with
  unit words after a count (``3 nodes``); ``~3``, ``≈ 3``, non-ASCII digits and ``0,5`` are None.
- a node: its id as shown (``7``, ``node 7``) or, in named encodings, its name in any case (``alice``).
- node lists: ``[1, 2, 3]``, ``(1, 2, 3)``, ``{1, 2, 3}``, ``1 -> 2 -> 3``, ``1 → 2``, ``1 \\to 2``,
  ``1 - 2 - 3``, ``1 2 3``, ``1,2,3``, ``1, 2 and 3``, ``[1, 2, 3,]``, a bullet list; the empty list as
  ``[]``, ``none``, ``empty`` or ``No bridges``/``there are none``; a stated objective after the list
  (``[1, 2] (total weight 7)``) is ignored.
- edge lists: ``(1, 2), (2, 3)``, ``[[1, 2], [2, 3]]``, ``{{1, 2}, {2, 3}}``, ``1-2, 2-3``, ``1 -> 2``,
  one ``1 2`` per line; weights written with an edge (``(1, 2, 5)``, ``1-2 (5)``, ``{(1, 2): 5}``)
  are allowed and ignored.
- mappings: ``{1: 0, 2: 1}``, ``1: red`` lines, ``1 -> red``, ``1 = red``, ``1 is red``, ``f(1) = a``,
  ``[(1, red), (2, blue)]``, ``node 1: colour 2``; duplicate keys are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx

from assay.types import Problem, Verdict
from assay.verifiers.numbers import parse_number

MAX_ANSWER_CHARS = 200_000  # longer answers are unparseable unread: no graph here needs more
MAX_ITEMS = 20_000

Node = Hashable

# -- payload ---------------------------------------------------------------------------------


def node_sort_key(node: Node) -> tuple:
    """Orders ints before strings, each naturally (a user's graph may mix them)."""
    return (0, node, "") if isinstance(node, int) else (1, 0, str(node))


def graph_payload(graph: nx.Graph, *, weighted: bool) -> dict[str, Any]:
    """``data["graph"]`` of DESIGN.md: ``{"directed", "weighted", "nodes", "edges"}``, sorted.

    Undirected edges are written with their smaller end first; weights only when ``weighted``.

    >>> graph_payload(nx.Graph([(2, 1), (1, 0)]), weighted=False)
    {'directed': False, 'weighted': False, 'nodes': [0, 1, 2], 'edges': [[0, 1], [1, 2]]}
    """
    directed = graph.is_directed()
    edges = []
    for u, v, attributes in graph.edges(data=True):
        if not directed and node_sort_key(v) < node_sort_key(u):
            u, v = v, u
        edges.append([u, v, attributes.get("weight", 1)] if weighted else [u, v])
    edges.sort(key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
    return {"directed": directed, "weighted": weighted, "nodes": sorted(graph, key=node_sort_key), "edges": edges}


def graph_from_payload(payload: Mapping[str, Any]) -> nx.Graph:
    """The networkx graph of a payload (``data["graph"]``, or the whole ``data`` holding it).

    >>> g = graph_from_payload({"directed": True, "weighted": True, "nodes": [0, 1], "edges": [[0, 1, 5]]})
    >>> g.is_directed(), g[0][1]["weight"]
    (True, 5)
    """
    if "graph" in payload and isinstance(payload["graph"], Mapping):
        payload = payload["graph"]
    graph = nx.DiGraph() if payload.get("directed") else nx.Graph()
    graph.add_nodes_from(payload["nodes"])
    for edge in payload["edges"]:
        if len(edge) == 3:
            graph.add_edge(edge[0], edge[1], weight=edge[2])
        else:
            graph.add_edge(edge[0], edge[1])
    return graph


class NodeNames:
    """How nodes are written: their id, or a name in named encodings; resolves answer tokens.

    A token resolves by exact name, then the name in any case, then the id as text. An unknown
    integer stays an int (validators call it an unknown node); an unknown word resolves to None.

    >>> names = NodeNames([0, 1, 2], ["Alice", "Bob", "Carol"])
    >>> names.show(1), names.resolve("bob"), names.resolve("2"), names.resolve("Zed")
    ('Bob', 1, 2, None)
    """

    def __init__(self, nodes: Sequence[Node], labels: Sequence[str] | None = None) -> None:
        self.nodes = list(nodes)
        self.labels = list(labels) if labels is not None else None
        if self.labels is not None and len(self.labels) != len(self.nodes):
            raise ValueError(f"{len(self.labels)} labels for {len(self.nodes)} nodes")
        self._shown: dict[Node, str] = {}
        exact: dict[str, Node] = {}
        for i, node in enumerate(self.nodes):
            shown = self.labels[i] if self.labels is not None else str(node)
            self._shown[node] = shown
            exact[shown] = node
        for node in self.nodes:  # ids stay valid next to names (the prompt shows names only)
            exact.setdefault(str(node), node)
        folded: dict[str, list[Node]] = {}
        for text, node in exact.items():
            folded.setdefault(text.casefold(), []).append(node)
        self._exact = exact
        self._folded = {key: nodes[0] for key, nodes in folded.items() if len(set(nodes)) == 1}

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | Problem) -> NodeNames:
        """The names of a problem (or its payload): ``data["labels"]`` parallel to the nodes, if any."""
        if isinstance(data, Problem):
            data = data.data
        return cls(data["graph"]["nodes"], data.get("labels"))

    @property
    def named(self) -> bool:
        return self.labels is not None

    def show(self, node: Node) -> str:
        """The node as the prompt writes it."""
        return self._shown[node]

    def show_list(self, nodes: Sequence[Node], brackets: str = "[]") -> str:
        """``[a, b, c]`` in shown names."""
        return brackets[0] + ", ".join(self.show(n) for n in nodes) + brackets[1]

    def resolve(self, token: str) -> Node | None:
        token = token.strip().strip("\"'`")
        if token in self._exact:
            return self._exact[token]
        folded = self._folded.get(token.casefold())
        if folded is not None:
            return folded
        if token.isdigit() and token.isascii() and len(token) < 19:
            return int(token)
        return None


# -- grammar ---------------------------------------------------------------------------------

_HEDGES = frozenset(
    "or either maybe perhaps possibly probably likely unsure unknown not approximately about roughly ? / etc".split()
)
_EMPTY = frozenset({"[]", "()", "{}", "none", "empty", "nothing", "∅", "empty set", "the empty set", "no nodes", "no edges"})
# "No bridges.", "There are none", "there are no articulation points": the empty answer in words
# (a closed vocabulary: "no idea" is a refusal, never the empty set)
_EMPTY_PHRASE = re.compile(
    r"^(?:there\s+(?:are|is)\s+)?(?:none|nothing|no\s+(?:such\s+)?(?:nodes?|edges?|vertex|vertices|bridges?|"
    r"articulation\s+points?|cut\s+(?:vertex|vertices|nodes?)|(?:common\s+)?neighbou?rs?))(?:\s+at\s+all)?\.?$",
    re.IGNORECASE,
)


def _is_empty(text: str) -> bool:
    return text.casefold() in _EMPTY or bool(_EMPTY_PHRASE.match(text))

_TOKEN = re.compile(r"^[A-Za-z0-9_.]+$")
# dashes: ASCII, en and em dashes, and their look-alikes (hyphen, minus, full-width, small)
_ARROWS = re.compile(r"\s*(?:[-‐‑‒–—−﹣－]>|=>|→|⟶|⇒|⟹|➔|➜|[-‐‑‒–—−﹣－])\s*")
_LIST_SEPARATORS = re.compile(r"\s*(?:[-‐‑‒–—−﹣－]>|=>|→|⟶|⇒|⟹|➔|➜|[-‐‑‒–—−﹣－]|,|;)\s*|\s+")
_AND = re.compile(r"(?:,\s*|\s+)and\s+", re.IGNORECASE)


_BLANKS = re.compile(r"[^\S\n]+")
_LATEX_ARROW = re.compile(r"\s*\\(?:to|rightarrow|longrightarrow|Rightarrow|mapsto)(?![A-Za-z])\s*")
_BULLET = re.compile(r"^[-*•] +", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} +")
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
    changed = True
    rounds = 0
    while changed and text and rounds < 8:
        changed, rounds = False, rounds + 1
        for command in ("\\boxed{", "\\text{", "\\textbf{", "\\mathrm{"):
            if text.startswith(command) and text.endswith("}") and _balanced_inner(text[len(command) : -1]):
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
    r"^(?P<label>[A-Za-z][A-Za-z0-9_.' -]{0,80}?)\s*(?:(?:\s(?:is|are))?\s*[:=]|\s(?:is|are|has|have|contains)\s|(?P<line>[^\S\n]*\n))"
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
# a label alone on its line ("### Answer") must say it is one: a line "Zed" above a list is no label
_LINE_LABELS = frozenset("answer solution result".split())
# a node may appear in a label only after one of these ("the degree of node 3 is", "from 1 to 4")
_LABEL_NODE_AFTER = frozenset("from to between and of at for node vertex in".split())
# "χ(G) = 3", "\chi(G) = 3", "N(3) = [1, 4]": the quantity named as a function of G or of a node
_FUNCTION_LABEL = re.compile(
    r"^\\?(?:[A-Za-z]{1,12}|[\u0370-\u03ff])(?:_\{?[A-Za-z0-9]{1,12}\}?)?\s*\(\s*[A-Za-z0-9_]{1,20}(?:\s*,\s*[A-Za-z0-9_]{1,20})?\s*\)"
    r"\s*(?:=|:)\s*(?P<rest>\S.*)$",
    re.DOTALL,
)
# "3 nodes", "2 connected components": unit words after a count change nothing
_UNITS = frozenset(
    "node nodes vertex vertices edge edges arc arcs triangle triangles component components connected strongly "
    "weakly colour colours color colors hop hops step steps unit units person people city cities road roads "
    "path paths".split()
)
_NODE_WORD = re.compile(r"\b(?:nodes?|vertex|vertices)\s+(?=[A-Za-z0-9_'\"])", re.IGNORECASE)


def strip_label(text: str, names: NodeNames | None = None) -> str | None:
    """The text after a short label (``Answer:``, ``The path is``, ``Density =``), or None when
    there is no such label. Label words never hedge, negate or name a node of ``names``.

    >>> strip_label("Shortest path: 0 -> 2"), strip_label("The answer is 3"), strip_label("maybe: 3")
    ('0 -> 2', '3', None)
    >>> strip_label("\\\\chi(G) = 3"), strip_label("N(Alice) = [Bob]")
    ('3', '[Bob]')
    """
    function = _FUNCTION_LABEL.match(text)
    if function:
        name = text.lstrip("\\").split("(", 1)[0].split("_", 1)[0].strip().casefold()
        return None if name in _HEDGES or name in _LABEL_STOP else function.group("rest").strip()
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
        if folded in _HEDGES or folded in _LABEL_STOP or folded.endswith("n't"):
            return None
        names_node = names is not None and names.resolve(word) is not None
        if (names_node or any(c.isdigit() for c in word)) and (i == 0 or words[i - 1].casefold() not in _LABEL_NODE_AFTER):
            return None  # "Alice: Bob" is no label; "answer 3: 4" hides a value
    if names is not None and names.resolve(label) is not None:
        return None
    return match.group("rest").strip()


def _labelled(parse: Callable[..., Any], text: str, *args: Any) -> Any:
    """``parse(text)``, or else ``parse`` of the text after up to two labels ("Answer: Path: ...")."""
    result = parse(text, *args)
    rest = clean(text)
    for _ in range(2):
        if result is not None or rest is None:
            return result
        rest = strip_label(rest, args[0] if args and isinstance(args[0], NodeNames) else None)
        if rest is not None:
            result = parse(rest, *args)
    return result


# "[0, 3, 1] (total weight 7)", "0 -> 2, with length 3": the objective stated after a structure
# is ignored (the verifier computes it from the graph)
_MEASURE = re.compile(
    r"\s*[,;]?\s*(?P<open>\()?\s*(?:with\s+)?(?:a\s+)?(?:total\s+)?(?:cost|weight|length|distance|size)\s*"
    r"(?:=|:|of|is)?\s*\d+(?:\.\d+)?(?:/\d+)?\s*(?(open)\))\s*\.?$",
    re.IGNORECASE,
)
_LEADING_MEASURE = re.compile(
    r"^(?:the\s+)?(?:minimum\s+|optimal\s+)?(?:total\s+)?(?:cost|weight|length|distance|size)\s*(?:=|:|is|of)\s*"
    r"\d+(?:\.\d+)?(?:/\d+)?\s*[.;,]?[^\S\n]*\n",
    re.IGNORECASE,
)
_TRAILING_COMMA = re.compile(r"\s*,\s*$")
_EDGE_WORD = re.compile(r"\b(?:edges?|arcs?)\s+(?=[(\[{A-Za-z0-9_])", re.IGNORECASE)


def _drop_bullet(text: str) -> str:
    """A one-item bullet list ``- Rome`` as ``Rome`` (lists only: for a number, ``- 3`` may be minus 3)."""
    return text[2:].lstrip() if "\n" not in text and text[:2] in ("- ", "* ", "• ") else text


def _drop_measure(text: str) -> str:
    if len(text) > MAX_ANSWER_CHARS:
        return text
    stripped = _MEASURE.sub("", _LEADING_MEASURE.sub("", text, count=1), count=1)
    return stripped if stripped else text


def _drop_node_words(text: str, names: NodeNames | None) -> str:
    """``node 3`` -> ``3`` (the prompts call nodes "node 3"), unless "node" is itself a node's name."""
    if names is None or not _NODE_WORD.search(text):
        return text
    if any(names.resolve(word) is not None for word in ("node", "nodes", "vertex", "vertices")):
        return text
    return _NODE_WORD.sub("", text)


_YES_NO_WORDS = {"yes": True, "true": True, "no": False, "false": False}
_YES_NO_CLAUSE = re.compile(
    r"^(?P<word>yes|no|true|false)\b(?:\s*(?P<mark>[,.;:!\-\u2013\u2014(])|\s+(?=(?:it|g|there|the|this|that|they|its|every|all|each|both)\b))"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# words that make a "yes, ..." / "no, ..." sentence a hedge or a contradiction
_CLAUSE_HEDGES = (_HEDGES - {"not"}) | frozenset(
    "maybe either but however though although unless except wait actually correction nope yep yeah nah unclear "
    "depends idea clue sure know certain sorry guess think if assuming assume depending only almost nearly mostly "
    "partly partially might may could should would seems seem opposite rather instead mean meant reverse".split()
)
_NEGATIONS = frozenset("not no never none nothing neither nor cannot without false".split())
_WORDS = re.compile(r"[A-Za-z']+")


def _yes_no_clause(text: str) -> bool | None:
    """``Yes, it is bipartite.`` / ``No, there is no cycle``: the word, when the clause after it
    neither hedges nor (after a yes) negates."""
    match = _YES_NO_CLAUSE.match(text)
    if not match or "?" in text or len(text) > 300:
        return None
    value = _YES_NO_WORDS[match.group("word").casefold()]
    words = [word.strip("'") for word in _WORDS.findall(match.group("rest").casefold())]
    if words[:1] == ["no"]:
        return None  # "no no": the answer twice
    for word in words:
        if word in _CLAUSE_HEDGES or word in ("yes", "true", "false"):
            return None
        if value and (word in _NEGATIONS or word.endswith("n't")):
            return None
    return value


def parse_yes_no(text: str) -> bool | None:
    """True for yes/true, False for no/false (any case), else None. A label before it and a
    clause after it are allowed when the clause neither hedges nor, after a yes, negates.

    >>> parse_yes_no("YES"), parse_yes_no("false."), parse_yes_no("yes or no")
    (True, False, None)
    >>> parse_yes_no("Answer: yes"), parse_yes_no("No, it is not."), parse_yes_no("Yes, it is not.")
    (True, False, None)
    """
    return _labelled(_parse_yes_no, text)


def _parse_yes_no(text: str) -> bool | None:
    text = clean(text)
    if text is None:
        return None
    word = text.strip("\"'").strip().rstrip("!").casefold()
    if word in _YES_NO_WORDS:
        return _YES_NO_WORDS[word]
    return _yes_no_clause(text)


_DIGITS_APART = re.compile(r"\d[\s~]+\d|\d\\[,;:! ]")
# "~3" and "≈ 0.33" say "about"; a non-ASCII digit (١, ３, 𝟑) is no digit of this grammar
_APPROXIMATE = re.compile(r"[~≈≃∼]|\\(?:approx|sim|simeq)\b")
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")
_LEADING_ZERO_GROUP = re.compile(r"^[+-]?0,\d")  # "0,333" is a decimal comma, not 333
_EQUIVALENT = re.compile(r"^(?P<a>[^=≈~\s][^=≈~]{0,80}?)\s*(?:=|≈|\\approx)\s*(?P<b>[^=≈~]{1,80})$")
_SCIENTIFIC = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))[eE]([+-]?\d{1,3})$")


def parse_real(text: str) -> Fraction | None:
    """An exact number (``parse_number``), or a decimal in e-notation, as a Fraction; else None.

    A label before it (``Answer: 3``, ``The density is 0.4``) and unit words after a count
    (``3 nodes``) are allowed; ``~3``, ``≈ 0.3`` and non-ASCII digits are not.

    >>> parse_real("1/3"), parse_real("2.5e-1"), parse_real("0.3 or 0.4")
    (Fraction(1, 3), Fraction(1, 4), None)
    >>> parse_real("Answer: 3 nodes"), parse_real("~3")
    (Fraction(3, 1), None)
    """
    return _labelled(_parse_real_with_units, text)


def _parse_real_with_units(text: str) -> Fraction | None:
    value = _parse_real(text)
    if value is not None:
        return value
    cleaned = clean(text)
    if cleaned is None or len(cleaned) > 200:
        return None
    same = _EQUIVALENT.match(cleaned)
    if same:
        # "1/3 ≈ 0.333", "6/2 = 3": one value written two ways, which must agree to 3 places
        first, second = _parse_real(same.group("a")), _parse_real(same.group("b"))
        if first is not None and second is not None and abs(first - second) <= Fraction(1, 1000):
            return first
        return None
    number, _, units = cleaned.partition(" ")
    words = units.casefold().split()
    if words and len(words) <= 4 and all(word in _UNITS for word in words):
        return _parse_real(number)
    return None


def _parse_real(text: str) -> Fraction | None:
    text = clean(text)
    if text is None or _DIGITS_APART.search(text):
        return None  # "0 0" or "1 2" is two numbers, not 0 or 12
    if _APPROXIMATE.search(text) or _NON_ASCII_DIGIT.search(text.replace("\u2212", "-").replace("\u2013", "-")) or _LEADING_ZERO_GROUP.match(text):
        return None
    value = parse_number(text)
    if value is not None:
        return value
    if len(text) > 64:
        return None
    match = _SCIENTIFIC.match(text.replace(" ", ""))
    if match:
        mantissa = parse_number(match.group(1))
        if mantissa is not None:
            return mantissa * Fraction(10) ** int(match.group(2))
    return None


def close_enough(value: Fraction | float, gold: Fraction | float, tolerance: float) -> bool:
    """|value - gold| <= tolerance (both finite).

    >>> close_enough(Fraction(333, 1000), Fraction(1, 3), 5e-4), close_enough(0.33, Fraction(1, 3), 5e-4)
    (True, False)
    """
    # exact arithmetic: a 400-digit answer is simply far off, never an OverflowError
    for number in (value, gold):
        if isinstance(number, float) and not math.isfinite(number):
            return False
    return abs(Fraction(value) - Fraction(gold)) <= Fraction(tolerance) + Fraction(1, 10**12)


def _unwrap_brackets(text: str) -> str | None:
    """Remove one outer ``[]``/``()``/``{}`` pair; None when brackets are unbalanced."""
    depth = 0
    for char in text:
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if depth < 0:
            return None
    if depth != 0:
        return None
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "()", "{}") and _balanced_inner(text[1:-1]):
        return text[1:-1].strip()
    return text


def _balanced_inner(text: str) -> bool:
    depth = 0
    for char in text:
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0


def _node(token: str, names: NodeNames | None) -> tuple[bool, Node | None]:
    token = token.strip().strip("\"'`")
    if not token or not _TOKEN.match(token) or token.casefold() in _HEDGES:
        return False, None
    if names is not None:
        node = names.resolve(token)
        return (node is not None), node
    if token.isdigit() and token.isascii() and len(token) < 19:
        return True, int(token)
    return True, token


def parse_node(text: str, names: NodeNames | None = None) -> Node | None:
    """One node, or None.

    >>> parse_node(" 4. "), parse_node("4 or 5"), parse_node("alice", NodeNames([0], ["Alice"]))
    (4, None, 0)
    """
    return _labelled(_parse_node, text, names)


def _parse_node(text: str, names: NodeNames | None) -> Node | None:
    text = clean(text)
    if text is None:
        return None
    text = _drop_node_words(text, names)
    text = _unwrap_brackets(text) if text[:1] in "([{" else text
    if not text:
        return None
    ok, node = _node(text, names)
    return node if ok else None


def parse_node_list(text: str, names: NodeNames | None = None) -> list[Node] | None:
    """A list of nodes in the order written, duplicates kept; None for junk or hedges.

    >>> parse_node_list("[1, 2, 3]"), parse_node_list("1 -> 2 -> 3"), parse_node_list("1 2 2")
    ([1, 2, 3], [1, 2, 3], [1, 2, 2])
    >>> parse_node_list("1, 2 or 3"), parse_node_list("[]"), parse_node_list("[[1, 2]]")
    (None, [], None)
    >>> parse_node_list("Path: node 1 -> node 2", NodeNames([1, 2]))
    [1, 2]
    """
    return _labelled(_parse_node_list, text, names)


def _parse_node_list(text: str, names: NodeNames | None) -> list[Node] | None:
    text = clean(text)
    if text is None:
        return None
    text = _drop_node_words(_drop_measure(_drop_bullet(text)), names)
    if _is_empty(text):
        return []
    inner = _unwrap_brackets(text)
    if inner is None or any(c in inner for c in "()[]{}"):
        return None
    if inner != text:
        inner = _TRAILING_COMMA.sub("", inner)  # [1, 2, 3,]
    if inner == "":
        return []
    inner = _AND.sub(", ", inner)
    tokens = _LIST_SEPARATORS.split(inner)
    if len(tokens) > MAX_ITEMS:
        return None
    out = []
    for token in tokens:
        ok, node = _node(token, names)
        if not ok:
            return None
        out.append(node)
    return out


_TUPLE = re.compile(r"[\(\[{]([^()\[\]{}]*)[\)\]}]")
# between two edges: a separator, and after an edge optionally its weight as in {(0, 1): 3, ...}
_BETWEEN_TUPLES = re.compile(r"^(?:\s*(?::\s*\d+(?:\.\d+)?)?\s*[,;]?\s*(?:and\s+)?)$", re.IGNORECASE)
# "0-1 (3)", "0-1 (weight 3)": a weight in parentheses right after an edge written with a dash
_DASH_WEIGHT = re.compile(r"(?<=[A-Za-z0-9_])\s*\(\s*(?:(?:weight|cost|w)\s*[=:]?\s*)?\d+(?:\.\d+)?\s*\)")


def parse_edge_list(text: str, names: NodeNames | None = None) -> list[tuple[Node, Node]] | None:
    """A list of edges ``(u, v)`` in the order written, duplicates kept; None for junk.

    >>> parse_edge_list("(1, 2), (2, 3)"), parse_edge_list("[[1,2],[2,3]]"), parse_edge_list("1-2, 2->3")
    ([(1, 2), (2, 3)], [(1, 2), (2, 3)], [(1, 2), (2, 3)])
    >>> parse_edge_list("1 2\\n2 3"), parse_edge_list("(1, 2) or (2, 3)"), parse_edge_list("none")
    ([(1, 2), (2, 3)], None, [])
    >>> parse_edge_list("Edges: {{1, 2}, {2, 3}}")
    [(1, 2), (2, 3)]
    """
    return _labelled(_parse_edge_list, text, names)


def _parse_edge_list(text: str, names: NodeNames | None) -> list[tuple[Node, Node]] | None:
    text = clean(text)
    if text is None:
        return None
    text = _drop_node_words(_drop_measure(_drop_bullet(text)), names)
    if names is None or names.resolve("edge") is None:
        text = _EDGE_WORD.sub("", text)  # "edge (1, 2), edge (2, 3)"
    if _is_empty(text):
        return []
    if _ARROWS.search(text) and len(text) <= MAX_ANSWER_CHARS:
        text = _DASH_WEIGHT.sub("", text)
    pairs: list[list[str]] = []
    if "(" in text or "[" in text or "{" in text:
        inner = _unwrap_brackets(text)
        if inner is None:
            return None
        if inner and inner[0] not in "([{":  # a single bracketed pair such as [1, 2]
            inner = f"({inner})"
        position = 0
        for match in _TUPLE.finditer(inner):
            if not _BETWEEN_TUPLES.match(inner[position : match.start()]):
                return None
            parts = [p for p in re.split(r"\s*,\s*|\s+", match.group(1).strip()) if p]
            if len(parts) == 3 and parse_number(parts[2]) is not None:
                parts = parts[:2]  # a weight written with the edge
            if len(parts) != 2:
                return None
            pairs.append(parts)
            position = match.end()
            if len(pairs) > MAX_ITEMS:
                return None
        if not _BETWEEN_TUPLES.match(inner[position:]) or not pairs and inner:
            return None
    elif _ARROWS.search(text):
        joined = _ARROWS.sub("-", _AND.sub(", ", text))
        for item in re.split(r"[,;\s]+", joined):
            parts = item.split("-")
            if len(parts) != 2:
                return None
            pairs.append(parts)
    else:
        for line in text.splitlines():
            if line.strip():
                parts = [p for p in re.split(r"\s*,\s*|\s+", line.strip()) if p]
                if len(parts) != 2:
                    return None
                pairs.append(parts)
    if len(pairs) > MAX_ITEMS:
        return None
    out = []
    for a, b in pairs:
        ok_a, u = _node(a, names)
        ok_b, v = _node(b, names)
        if not (ok_a and ok_b):
            return None
        out.append((u, v))
    return out


_MAP_ITEM = re.compile(
    r"^(?P<key>[^:=>→↦|]+?)\s*(?::|=|->|=>|→|↦|\|->|\s(?:is|gets)\s)\s*(?P<value>[^:=>→↦|]+?)$", re.IGNORECASE
)
_FUNCTION_KEY = re.compile(r"\bf\s*\(\s*([A-Za-z0-9_.'\"]+)\s*\)")  # f(0) = c: the mapping named as in the prompt
_COLOUR_WORD = re.compile(r"^colou?r\s+", re.IGNORECASE)  # 1: colour 2


def parse_mapping(
    text: str, names: NodeNames | None = None, value: Callable[[str], Any] | None = None
) -> list[tuple[Node, Any]] | None:
    """``key: value`` pairs with nodes as keys, in order, duplicate keys kept; None for junk.

    ``value`` turns a value token into a value (None rejects it); by default an int for digits,
    else the word in lower case.

    >>> parse_mapping("{1: 0, 2: 1}"), parse_mapping("1: red\\n2: Blue")
    ([(1, 0), (2, 1)], [(1, 'red'), (2, 'blue')])
    >>> parse_mapping("1: red or blue")
    >>> parse_mapping("node 1 is red, f(2) = colour 3", NodeNames([1, 2]))
    [(1, 'red'), (2, 3)]
    """
    return _labelled(lambda t, n: _parse_mapping(t, n, value), text, names)


def _parse_mapping(
    text: str, names: NodeNames | None = None, value: Callable[[str], Any] | None = None
) -> list[tuple[Node, Any]] | None:
    text = clean(text)
    if text is None:
        return None
    text = _FUNCTION_KEY.sub(lambda m: m.group(1), _drop_node_words(_drop_bullet(text), names))
    inner = _unwrap_brackets(text)
    if inner is None:
        return None
    if any(c in inner for c in "()[]{}"):
        inner = _pairs_as_items(inner)  # [(0, red), (1, blue)]: (key, value) pairs
        if inner is None:
            return None
    items = [item for item in re.split(r"\s*[,;\n]\s*", inner) if item.strip()]
    if not items or len(items) > MAX_ITEMS:
        return None
    read_value = value or _default_value
    out = []
    for item in items:
        if len(item) > 200:  # no key: value pair is this long; also keeps the match linear
            return None
        match = _MAP_ITEM.match(item.strip())
        if not match:
            return None
        ok, node = _node(match.group("key"), names)
        raw = _COLOUR_WORD.sub("", match.group("value").strip().strip("\"'`"))
        if not ok or not _TOKEN.match(raw) or raw.casefold() in _HEDGES:
            return None
        mapped = read_value(raw)
        if mapped is None:
            return None
        out.append((node, mapped))
    return out


def _pairs_as_items(text: str) -> str | None:
    """``(0, red), (1, blue)`` as ``0: red; 1: blue``; None unless the text is only such pairs."""
    if len(text) > MAX_ANSWER_CHARS:
        return None
    items = []
    position = 0
    for match in _TUPLE.finditer(text):
        if not _BETWEEN_PAIRS.match(text[position : match.start()]):
            return None
        parts = [part.strip() for part in match.group(1).split(",")]
        if len(parts) != 2 or not all(parts):
            return None
        items.append(f"{parts[0]}: {parts[1]}")
        position = match.end()
    if not items or not _BETWEEN_PAIRS.match(text[position:]):
        return None
    return "; ".join(items)


_BETWEEN_PAIRS = re.compile(r"^\s*[,;]?\s*$")


def _default_value(token: str) -> Any:
    if token.isdigit() and token.isascii() and len(token) < 19:
        return int(token)
    return token.casefold()


# -- validation helpers ----------------------------------------------------------------------


def duplicates(items: Sequence[Any]) -> list[Any]:
    """Items that occur more than once, in first-repeat order.

    >>> duplicates([3, 1, 3, 2, 1])
    [3, 1]
    """
    seen: set = set()
    repeated: list = []
    for item in items:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def unknown_nodes(nodes: Sequence[Node], graph_nodes: Sequence[Node] | nx.Graph) -> list[Node]:
    """The nodes not in the graph, in order written.

    >>> unknown_nodes([1, 9], [0, 1, 2])
    [9]
    """
    known = set(graph_nodes)
    return [n for n in nodes if n not in known]


# -- public verification ---------------------------------------------------------------------


def verify(completion: str, problem: Problem | Mapping[str, Any]) -> Verdict:
    """Score a completion against any graph problem (a Problem or its row, from any source).

    >>> import assay
    >>> p = assay.generate("graph/node_count", 1)[0]
    >>> verify(f"<answer>{p.answer}</answer>", p).passed
    True
    """
    from assay.scoring import verify as score

    return score(problem, completion)


def verify_on_graph(
    completion: str, task_id: str, graph: nx.Graph, *, encoding: str = "edge_list", **params: Any
) -> Verdict:
    """Score an answer to a registered graph question asked about your own networkx graph.

    ``params`` name the question's nodes (``node=``, ``source=``, ``target=``, ...); the truth
    is computed by the task on ``graph``.

    >>> g = nx.karate_club_graph()
    >>> verify_on_graph("<answer>16</answer>", "graph/degree", g, node=0).passed
    True
    """
    from assay.registry import get_task

    task = get_task(task_id)
    problem = task.generate(0, graph=graph, params=params or None, encoding=encoding)
    return task.check(problem, completion)

"""The graph answer grammar: the payload format of a graph problem, node names, and strict, tolerant
parsers of answers.

Parsers return None (the caller scores "unparseable") on hedged or junk text and keep duplicates,
so validators can reject a repeated node.

Grammar (the text inside ``<answer>``; surrounding ``$``, backticks, ``**``, ``\\boxed{}``, ``\\text{}``,
a final period, markdown bullets and the item numbers of a numbered list ``1. a`` / ``2. b`` are ignored
everywhere):

- labels: a short label of plain words before any answer (``Answer: 3``, ``The shortest path is
  1 -> 2``, ``G has 3 triangles``, ``chi(G) = 3``, ``|E| = 7``, ``N(4) = [1, 2]``, ``Node 3 has degree 2``);
  a label never hedges (``maybe: 3``, ``approximate answer: 3``, ``Possible path:``; but ``One possible
  path:`` is one witness, no hedge) or negates, and names a node only after "of", "node", "from"...;
  where the question is about given nodes (``NodeNames.about``), only those (``deg(2) = 1`` answers no
  question about node 1).
- yes/no: ``yes``/``no``/``true``/``false`` in any case, optionally in a sentence (``Yes, it is
  bipartite.``, ``No, it is not.``, ``It has no odd cycle, so yes``) that neither hedges nor contradicts
  the word; a task's ``claims`` let a reason negate freely (``Yes, because it has no odd cycle``) while
  ``Yes, so it is not bipartite`` is refused (see ``yes_no``).
- numbers: an integer, ``p/q``, ``\\frac{p}{q}``, a decimal, or (``parse_real`` only) ``1.5e-3``, with
  unit words after a count (``3 nodes``; a task may name its units, so ``7 nodes`` is no edge count); one
  value written twice (``2/7 ≈ 0.286``, ``2/7 (0.286)``) when both agree; ``~3``, ``≈ 3``, non-ASCII digits,
  ``0,5``, ``1. 5`` and number words (``five``: the prompts ask for digits) are None. ``5.0`` is 5.
- a node: its id as shown (``7``, ``node 7``) or, in named encodings, its name in any case (``alice``).
- node lists: ``[1, 2, 3]``, ``(1, 2, 3)``, ``{1, 2, 3}``, ``1 -> 2 -> 3``, ``1 --> 2``, ``1 → 2``,
  ``1 \\to 2``, ``1 - 2 - 3``, ``1 -- 2``, ``1 2 3``, ``1,2,3``, ``1, 2 and 3``, ``[1, 2, 3,]``, a bullet or
  numbered list; the empty list as ``[]``, ``none``, ``empty``, ``∅``/``\\emptyset`` or ``No bridges``/``there
  are none``; a stated objective after or before the list (``[1, 2] (total weight 7)``, ``Path length: 1``
  on its own line) is ignored, but a stated count (``[1, 2] (2 nodes)``, ``(1 edge)``) must fit the list.
- edge lists: ``(1, 2), (2, 3)``, ``[[1, 2], [2, 3]]``, ``{{1, 2}, {2, 3}}``, ``1-2, 2-3``, ``1 -> 2``, ``1 -- 2``,
  one ``1 2`` per line; weights written with an edge (``(1, 2, 5)``, ``1-2 (5)``, ``{(1, 2): 5}``)
  are allowed and ignored where the graph has weights (``weights=False``: refused); a stated edge count
  must equal the list's.
- mappings: ``{1: 0, 2: 1}``, ``1: red`` lines, ``1 -> red``, ``1 = red``, ``1 is red``, ``f(1) = a``,
  ``[(1, red), (2, blue)]``, ``node 1: colour 2``; duplicate keys are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from operator import itemgetter
from typing import Any

import networkx as nx

from assay.types import Problem
from assay.verifiers.graph.text import (
    COUNT_TAIL,
    EDGE_WORD,
    HEDGES,
    MAX_ANSWER_CHARS,
    TRAILING_COMMA,
    UNITS,
    YES_NO_WORDS,
    balanced_inner,
    clean,
    count_agrees,
    drop_bullet,
    drop_measure,
    drop_node_words,
    is_empty,
    labelled,
    split_count,
)
from assay.verifiers.graph.yes_no import Claims, labels_agree, verdict_word
from assay.verifiers.numbers import parse_number

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
    key = node_order(graph)
    edges = []
    for u, v, attributes in graph.edges(data=True):
        if not directed and (v < u if key is None else node_sort_key(v) < node_sort_key(u)):
            u, v = v, u
        edges.append([u, v, attributes.get("weight", 1)] if weighted else [u, v])
    edges.sort(key=itemgetter(0, 1) if key is None else lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
    return {"directed": directed, "weighted": weighted, "nodes": sorted(graph, key=key), "edges": edges}


def node_order(nodes: Iterable[Node]) -> Callable[[Node], tuple] | None:
    """The sort key that orders ``nodes`` as ``node_sort_key`` does: None (their natural order,
    the same order, found faster) when every node is an int, else ``node_sort_key``.

    >>> node_order([2, 0, 1]) is None, node_order([1, "a"]) is node_sort_key
    (True, True)
    """
    return None if all(isinstance(node, int) for node in nodes) else node_sort_key


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

    def __init__(self, nodes: Sequence[Node], labels: Sequence[str] | None = None, about: Iterable[Node] | None = None) -> None:
        self.nodes = list(nodes)
        self.labels = list(labels) if labels is not None else None
        # the nodes the question is about, where a label before a value may name only those (None: any)
        self.about = frozenset(about) if about is not None else None
        if self.labels is not None and len(self.labels) != len(self.nodes):
            raise ValueError(f"{len(self.labels)} labels for {len(self.nodes)} nodes")
        # the lookup tables are made on first use: many checks (a count with its label) never resolve a name
        self._tables: tuple[dict[Node, str], dict[str, Node], dict[str, Node]] | None = None

    def _lookup(self) -> tuple[dict[Node, str], dict[str, Node], dict[str, Node]]:
        """``(shown name of each node, node of each exact name, node of each case-folded name)``."""
        if self._tables is None:
            shown_of: dict[Node, str] = {}
            exact: dict[str, Node] = {}
            for i, node in enumerate(self.nodes):
                shown = self.labels[i] if self.labels is not None else str(node)
                shown_of[node] = shown
                exact[shown] = node
            for node in self.nodes:  # ids stay valid next to names (the prompt shows names only)
                exact.setdefault(str(node), node)
            folded: dict[str, list[Node]] = {}
            for text, node in exact.items():
                folded.setdefault(text.casefold(), []).append(node)
            self._tables = shown_of, exact, {key: nodes[0] for key, nodes in folded.items() if len(set(nodes)) == 1}
        return self._tables

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | Problem, about: Iterable[Node] | None = None) -> NodeNames:
        """The names of a problem (or its payload): ``data["labels"]`` parallel to the nodes, if any;
        ``about``: the nodes the question is about (see ``strip_label``)."""
        if isinstance(data, Problem):
            data = data.data
        return cls(data["graph"]["nodes"], data.get("labels"), about)

    @property
    def named(self) -> bool:
        return self.labels is not None

    def show(self, node: Node) -> str:
        """The node as the prompt writes it."""
        return self._lookup()[0][node]

    def show_list(self, nodes: Sequence[Node], brackets: str = "[]") -> str:
        """``[a, b, c]`` in shown names."""
        return brackets[0] + ", ".join(self.show(n) for n in nodes) + brackets[1]

    def resolve(self, token: str) -> Node | None:
        token = token.strip().strip("\"'`")
        _, exact, folded_names = self._lookup()
        if token in exact:
            return exact[token]
        folded = folded_names.get(token.casefold())
        if folded is not None:
            return folded
        if token.isdigit() and token.isascii() and len(token) < 19:
            return int(token)
        return None


# -- grammar ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"^[\w.]+$")  # letters of any script (a user's node "Zoë"); a token counts only if it names a node
_VALUE_TOKEN = re.compile(r"^[A-Za-z0-9_.]+$")  # a mapping value (a colour, a node of H): ASCII only
# dashes: ASCII, en and em dashes, and their look-alikes (hyphen, minus, full-width, small)
_ARROWS = re.compile(r"\s*(?:[-‐‑‒–—−﹣－]{1,3}>|={1,2}>|→|⟶|⇒|⟹|➔|➜|[-‐‑‒–—−﹣－]{1,2})\s*")  # "->", "-->", "==>", "-", "--"
_LIST_SEPARATORS = re.compile(r"\s*(?:[-‐‑‒–—−﹣－]{1,3}>|={1,2}>|→|⟶|⇒|⟹|➔|➜|[-‐‑‒–—−﹣－]{1,2}|,|;)\s*|\s+")
_AND = re.compile(r"(?:,\s*|\s+)and\s+", re.IGNORECASE)

def parse_yes_no(text: str, claims: Claims | None = None, names: NodeNames | None = None) -> bool | None:
    """True for yes/true, False for no/false (any case), else None. A label before it is allowed,
    and a sentence around it (``Yes, because ...``, ``..., so no``) when it neither hedges nor
    contradicts the word: with ``claims`` (what the question's words mean, see ``yes_no``) a
    justification may negate what it likes as long as no claim disagrees; without, a yes may not
    be followed by any negation. ``names`` (with ``about``) lets a label name only the nodes asked about.

    >>> parse_yes_no("YES"), parse_yes_no("false."), parse_yes_no("yes or no")
    (True, False, None)
    >>> parse_yes_no("Answer: yes"), parse_yes_no("No, it is not."), parse_yes_no("Yes, it is not.")
    (True, False, None)
    """
    value = labelled(_parse_yes_no, text, names, claims)
    if value is None or not claims or _parse_yes_no(text, names, claims) is not None:
        return value
    cleaned = clean(text) or ""
    labels = cleaned.rsplit(":", 1)[0] if ":" in cleaned else ""
    return value if labels_agree(labels, value, claims) else None  # "It has an odd cycle: yes"


def _parse_yes_no(text: str, names: NodeNames | None = None, claims: Claims | None = None) -> bool | None:
    cleaned = clean(text)
    if cleaned is None:
        return None
    text = cleaned
    word = text.strip("\"'").strip().rstrip("!").casefold()
    if word in YES_NO_WORDS:
        return YES_NO_WORDS[word]
    return verdict_word(text, claims)


# "1. 5" / "12 . 5": a numbered item or two numbers, never the decimal 1.5
_DIGITS_APART = re.compile(r"\d[\s~]+\d|\d\\[,;:! ]|\d\.\s+\d|\d\s+\.\s*\d")
# "~3" and "≈ 0.33" say "about"; a non-ASCII digit (١, ３, 𝟑) is no digit of this grammar
_APPROXIMATE = re.compile(r"[~≈≃∼]|\\(?:approx|sim|simeq)\b")
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")
_LEADING_ZERO_GROUP = re.compile(r"^[+-]?0,\d")  # "0,333" is a decimal comma, not 333
_EQUIVALENT = re.compile(r"^(?P<a>[^=≈~\s][^=≈~]{0,80}?)\s*(?:=|≈|\\approx)\s*(?P<b>[^=≈~]{1,80})$")
_IN_PARENTHESES = re.compile(r"^(?P<a>[^()\s][^()]{0,80}?)\s*+\((?P<b>[^()]{1,80})\)$")  # "2/7 (0.286)"
_SCIENTIFIC = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))[eE]([+-]?\d{1,3})$")


def parse_real(text: str, names: NodeNames | None = None, units: Iterable[str] | None = None) -> Fraction | None:
    """An exact number (``parse_number``), or a decimal in e-notation, as a Fraction; else None.

    A label before it (``Answer: 3``, ``The density is 0.4``) and unit words after a count
    (``3 nodes``) are allowed; ``~3``, ``≈ 0.3`` and non-ASCII digits are not.

    >>> parse_real("1/3"), parse_real("2.5e-1"), parse_real("0.3 or 0.4")
    (Fraction(1, 3), Fraction(1, 4), None)
    >>> parse_real("Answer: 3 nodes"), parse_real("~3")
    (Fraction(3, 1), None)

    ``names`` (with ``about``) lets a label name only the nodes the question is about; ``units`` are
    the unit words a count may carry (None: any of ``UNITS``), so "7 nodes" is no edge count.
    """
    return labelled(_parse_real_with_units, text, names, frozenset(units) | COUNT_TAIL if units is not None else UNITS)


def _parse_real_with_units(text: str, names: NodeNames | None = None, units: frozenset[str] = UNITS) -> Fraction | None:
    value = _parse_real(text)
    if value is not None:
        return value
    cleaned = clean(text)
    if cleaned is None or len(cleaned) > 200:
        return None
    same = _EQUIVALENT.match(cleaned) or _IN_PARENTHESES.match(cleaned)
    if same:
        # "1/3 ≈ 0.333", "6/2 = 3", "2/7 (0.286)": one value written two ways, which must agree to 3 places
        first, second = _parse_real(same.group("a")), _parse_real(same.group("b"))
        if first is not None and second is not None and abs(first - second) <= Fraction(1, 1000):
            return first
        return None
    number, _, after = cleaned.partition(" ")
    words = after.casefold().split()
    if words and len(words) <= 4 and all(word in units for word in words):
        return _parse_real(number)
    return None


def _parse_real(text: str) -> Fraction | None:
    cleaned = clean(text)
    if cleaned is None or _DIGITS_APART.search(cleaned):
        return None
    text = cleaned  # "0 0" or "1 2" is two numbers, not 0 or 12
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
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "()", "{}") and balanced_inner(text[1:-1]):
        return text[1:-1].strip()
    return text


def _node(token: str, names: NodeNames | None) -> tuple[bool, Node | None]:
    token = token.strip().strip("\"'`")
    if not token or not _TOKEN.match(token) or token.casefold() in HEDGES:
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
    return labelled(_parse_node, text, names)


def _parse_node(text: str, names: NodeNames | None) -> Node | None:
    cleaned = clean(text)
    if cleaned is None:
        return None
    text = drop_node_words(cleaned, names)
    unwrapped = _unwrap_brackets(text) if text[:1] in "([{" else text
    if not unwrapped:
        return None
    ok, node = _node(unwrapped, names)
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
    return labelled(_parse_node_list, text, names)


def _parse_node_list(text: str, names: NodeNames | None) -> list[Node] | None:
    cleaned = clean(text)
    if cleaned is None:
        return None
    text, count, unit = split_count(drop_measure(drop_bullet(cleaned)))
    text = drop_measure(text)  # "[0, 2] (total weight 7) (2 nodes)": a weight before the count
    nodes = _node_items(drop_node_words(text, names), names)
    return nodes if nodes is None or count_agrees(len(nodes), count, unit, edges=False) else None


def _node_items(text: str, names: NodeNames | None) -> list[Node] | None:
    if is_empty(text):
        return []
    inner = _unwrap_brackets(text)
    if inner is None or any(c in inner for c in "()[]{}"):
        return None
    if inner != text:
        inner = TRAILING_COMMA.sub("", inner)  # [1, 2, 3,]
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
_BETWEEN_TUPLES = re.compile(r"^(?:\s*+(?::\s*+\d++(?:\.\d++)?+)?+\s*+[,;]?+\s*+(?:and\s++)?+)$", re.IGNORECASE)
_BETWEEN_PLAIN = re.compile(r"^\s*+[,;]?+\s*+(?:and\s++)?+$", re.IGNORECASE)  # no weights to state
# "0-1 (3)", "0-1 (weight 3)": a weight in parentheses right after an edge written with a dash
_DASH_WEIGHT = re.compile(r"(?<=[A-Za-z0-9_])\s*\(\s*(?:(?:weight|cost|w)\s*[=:]?\s*)?\d+(?:\.\d+)?\s*\)")


def parse_edge_list(text: str, names: NodeNames | None = None, weights: bool = True) -> list[tuple[Node, Node]] | None:
    """A list of edges ``(u, v)`` in the order written, duplicates kept; None for junk. ``weights``
    False (a graph without weights): a third number in an edge is no weight, so ``(0, 1, 5)`` is junk.

    >>> parse_edge_list("(1, 2), (2, 3)"), parse_edge_list("[[1,2],[2,3]]"), parse_edge_list("1-2, 2->3")
    ([(1, 2), (2, 3)], [(1, 2), (2, 3)], [(1, 2), (2, 3)])
    >>> parse_edge_list("1 2\\n2 3"), parse_edge_list("(1, 2) or (2, 3)"), parse_edge_list("none")
    ([(1, 2), (2, 3)], None, [])
    >>> parse_edge_list("Edges: {{1, 2}, {2, 3}}"), parse_edge_list("(1, 2, 5)"), parse_edge_list("(1, 2, 5)", weights=False)
    ([(1, 2), (2, 3)], [(1, 2)], None)
    """
    return labelled(_parse_edge_list, text, names, weights)


def _parse_edge_list(text: str, names: NodeNames | None, weights: bool = True) -> list[tuple[Node, Node]] | None:
    cleaned = clean(text)
    if cleaned is None:
        return None
    text, count, unit = split_count(drop_measure(drop_bullet(cleaned)))
    text = drop_measure(text)  # "[0, 2] (total weight 7) (2 nodes)": a weight before the count
    edges = _edge_items(drop_node_words(text, names), names, weights)
    return edges if edges is None or count_agrees(len(edges), count, unit, edges=True) else None


def _edge_items(text: str, names: NodeNames | None, weights: bool) -> list[tuple[Node, Node]] | None:
    if names is None or names.resolve("edge") is None:
        text = EDGE_WORD.sub("", text)  # "edge (1, 2), edge (2, 3)"
    if is_empty(text):
        return []
    if weights and _ARROWS.search(text) and len(text) <= MAX_ANSWER_CHARS:
        text = _DASH_WEIGHT.sub("", text)
    between = _BETWEEN_TUPLES if weights else _BETWEEN_PLAIN
    pairs: list[list[str]] = []
    if "(" in text or "[" in text or "{" in text:
        inner = _unwrap_brackets(text)
        if inner is None:
            return None
        if inner and inner[0] not in "([{":  # a single bracketed pair such as [1, 2]
            inner = f"({inner})"
        position = 0
        for match in _TUPLE.finditer(inner):
            if not between.match(inner[position : match.start()]):
                return None
            parts = [p for p in re.split(r"\s*,\s*|\s+", match.group(1).strip()) if p]
            if weights and len(parts) == 3 and parse_number(parts[2]) is not None:
                parts = parts[:2]  # a weight written with the edge
            if len(parts) != 2:
                return None
            pairs.append(parts)
            position = match.end()
            if len(pairs) > MAX_ITEMS:
                return None
        if not between.match(inner[position:]) or not pairs and inner:
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
    return labelled(lambda t, n: _parse_mapping(t, n, value), text, names)


def _parse_mapping(
    text: str, names: NodeNames | None = None, value: Callable[[str], Any] | None = None
) -> list[tuple[Node, Any]] | None:
    cleaned = clean(text)
    if cleaned is None:
        return None
    text = _FUNCTION_KEY.sub(lambda m: m.group(1), drop_node_words(drop_bullet(cleaned), names))
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
        if not ok or not _VALUE_TOKEN.match(raw) or raw.casefold() in HEDGES:
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

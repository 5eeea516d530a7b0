"""The graph answer grammar (assay.verifiers.graph): tables of (text, expected parse, why).

None means "unparseable": hedges, junk and ambiguous text must never parse to a value.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest

from assay.generators.graph import verify_on_graph
from assay.verifiers.graph import (
    NodeNames,
    close_enough,
    duplicates,
    graph_from_payload,
    graph_payload,
    parse_edge_list,
    parse_mapping,
    parse_node,
    parse_node_list,
    parse_real,
    parse_yes_no,
    unknown_nodes,
)

NAMES = NodeNames([0, 1, 2, 3], ["Alice", "Bob", "Carol", "Dan"])
IDS = NodeNames(list(range(12)))
STRINGS = NodeNames(["Myriel", "Napoleon", "Valjean"])

YES_NO = [
    ("yes", True, "plain"),
    ("YES", True, "upper case"),
    ("Yes.", True, "capitalised with a period"),
    ("**no**", False, "markdown bold"),
    ("True", True, "true means yes"),
    ("false", False, "false means no"),
    ("`no`", False, "code span"),
    ("yes or no", None, "hedged"),
    ("yes, no", None, "both"),
    ("maybe", None, "not an answer"),
    ("y", None, "abbreviation is not accepted"),
    ("yes yes", None, "twice"),
    ("Yes, it is bipartite", True, "a clause after the word that neither hedges nor negates"),
    ("No, it is not bipartite.", False, "a negated clause after no agrees with it"),
    ("Yes, it is not bipartite", None, "a yes whose clause negates: a contradiction"),
    ("No, yes", None, "the opposite word in the clause"),
    ("no no", None, "no written twice"),
    ("no idea", None, "a refusal that starts with no"),
    ("Yes it is", True, "a clause without a comma, starting with a pronoun"),
    ("**Yes**, it is.", True, "a bold word and a clause"),
    ("Yes, if we ignore directions", None, "a conditional clause is a hedge"),
    ("Yes, probably", None, "a hedge in the clause"),
    ("Is it bipartite? Yes", None, "a question mark: not a plain answer"),
    ("Answer: yes", True, "a label before the answer"),
    ("Maybe: yes", None, "a hedge as the label"),
    ("\\text{Yes}", True, "a LaTeX text wrapper"),
    ("", None, "empty"),
    ("nope", None, "slang"),
    ("Yes!", True, "an exclamation mark"),
    ("yes!!! no", None, "both, with noise"),
    ("Yes, it isn\u2019t bipartite", None, "a curly apostrophe still negates (was read as 'isn' and 't')"),
    ("Yes, it is n\u043et bipartite", None, "a word mixing Latin and Cyrillic letters is a look-alike"),
    ("Yes, Zo\u00eb is next to Bob", True, "an accented Latin letter is no look-alike"),
    ("Yes, because it has no odd cycle", None, "without claims any negation after a yes refuses it"),
    ("No, no cycles", False, "without claims a no may negate"),
    ("It is acyclic, so no", False, "the word last, after a reason"),
    ("Bipartite: no", False, "a colon makes a label; a label restates the question and is not read for claims"),
]


@pytest.mark.parametrize("text,expected,why", YES_NO)
def test_yes_no(text: str, expected: bool | None, why: str) -> None:
    assert parse_yes_no(text) is expected, why


BIPARTITE = {"bipartite": (True, False), "odd cycle": (False, True), "triangle": (False, None)}

# with the claims of "is G bipartite?": a reason may negate, a sentence that contradicts its word is refused
YES_NO_CLAIMS = [
    ("Yes, because it has no odd cycle", True, "a negation in the reason touches no claim that disagrees"),
    ("Yes because it has no odd cycle", True, "'because' without a comma"),
    ("**Yes**\n\nExplanation: the graph has no odd cycle.", True, "the word on its line, a reason below"),
    ("Yes\nExplanation: it has an odd cycle.", None, "the word on its line, contradicted below"),
    ("Yes. The graph has no odd cycle, so it is bipartite.", True, "a reason and a conclusion"),
    ("Yes (no odd cycle)", True, "a reason in parentheses"),
    ("Yes, since there is no odd cycle it is bipartite", True, "the negation applies to the next claim only"),
    ("Yes, an odd cycle does not exist", True, "a negation after the clause's last claim is its own"),
    ("It has no odd cycle, so yes", True, "the word last"),
    ("It has an odd cycle, so the answer is no.", False, "the word last, after 'so the answer is'"),
    ("Yes, it has no triangle", True, "a claim that says nothing when negated"),
    ("No, it is not bipartite", False, "a negated claim agrees with no"),
    ("No, a 2-colouring is impossible", False, "no claim named: any reason"),
    ("No, it is bipartite", None, "a no whose sentence asserts the property"),
    ("No, it is.", None, "a no whose clause, of pronouns and a verb only, affirms the question"),
    ("No, since it has no odd cycle", None, "a no whose reason says yes"),
    ("Yes, so it is not bipartite", None, "a yes whose conclusion negates"),
    ("Yes, it has an odd cycle", None, "a yes whose sentence asserts a claim meaning no"),
    ("Yes, it has a triangle", None, "a triangle is an odd cycle"),
    ("Yes, it is non-bipartite", None, "'non-' negates"),
    ("Yes, it is not.", None, "a clause of pronouns and a verb speaks of the question itself"),
    ("Yes, not at all", None, "a negation with no claim and no content word negates the question"),
    ("Yes, definitely not", None, "an intensifier and a negation"),
    ("No, definitely", False, "an intensifier alone says nothing"),
    ("No, not at all", False, "a negated question agrees with no"),
    ("Yes, it is not not bipartite", True, "two negations cancel"),
    ("Yes, no", None, "the opposite word as a clause"),
    ("Yes, probably no odd cycle", None, "a hedge anywhere"),
    ("It has an odd cycle, so yes", None, "the word last, contradicted"),
    ("It has an odd cycle: yes", None, "a label that states a claim disagreeing with the word"),
    ("G is bipartite: no", None, "a stating label, contradicted"),
    ("G is bipartite: yes", True, "a stating label that agrees"),
    ("Is G bipartite: no", False, "a label that restates the question says nothing"),
    ("Bipartite: no", False, "a label without a verb says nothing"),
    ("Answer: It has an odd cycle: yes", None, "two labels, the second stating a claim"),
    ("Yes, " + "it has no odd cycle and " * 20 + "it is bipartite", None, "past 300 characters"),
]


@pytest.mark.parametrize("text,expected,why", YES_NO_CLAIMS)
def test_yes_no_with_claims(text: str, expected: bool | None, why: str) -> None:
    assert parse_yes_no(text, BIPARTITE) is expected, why


REALS = [
    ("0.333", Fraction(333, 1000), "decimal"),
    ("1/3", Fraction(1, 3), "fraction"),
    ("\\frac{2}{3}", Fraction(2, 3), "LaTeX fraction"),
    ("$0.5$", Fraction(1, 2), "math delimiters"),
    ("7", Fraction(7), "integer"),
    ("2.5e-1", Fraction(1, 4), "e-notation"),
    ("-3", Fraction(-3), "negative"),
    ("0 0", None, "two zeros are not a zero"),
    ("1 2", None, "two numbers are not 12"),
    ("0.3 or 0.4", None, "hedged"),
    ("about 0.3", None, "a word before it"),
    ("1/3 + 0", None, "an expression"),
    ("1/0", None, "division by zero"),
    ("1e99999", None, "exponent out of the bounded grammar"),
    ("nan", None, "not a number"),
    ("inf", None, "infinity"),
    ("0.33, 0.34", None, "two values"),
    ("Answer: 3", Fraction(3), "a label before the number"),
    ("The density is 0.25", Fraction(1, 4), "a sentence label"),
    ("3 nodes", Fraction(3), "a count with its unit"),
    ("2 connected components", Fraction(2), "a count with unit words"),
    ("3 apples", None, "a word that is no unit"),
    ("G has 3 triangles.", Fraction(3), "'has' as the label's verb"),
    ("G has at least 3", None, "a bound after the label"),
    ("Approximate answer: 3", None, "a label that says approximate"),
    ("\\chi(G) = 3", Fraction(3), "the quantity named as a function of G"),
    ("C(5) = 1/3", Fraction(1, 3), "the quantity named as a function of a node"),
    ("maybe(G) = 3", None, "a hedge named as a function"),
    ("**Answer:** 3", Fraction(3), "a bold markdown label"),
    ("#### 3", Fraction(3), "a GSM8K-style line"),
    ("2**3", None, "a power is an expression, not 23"),
    ("1/3 ≈ 0.333", Fraction(1, 3), "an exact value and its rounding"),
    ("2/3 = 0.667", Fraction(2, 3), "an exact value equal to its rounding"),
    ("1/3 ≈ 0.5", None, "two values that disagree"),
    ("2/7 (0.286)", Fraction(2, 7), "the exact value and its rounding in parentheses"),
    ("0.286 (2/7)", Fraction(143, 500), "the rounding and the exact value in parentheses: the first counts"),
    ("2/7 (0.3)", None, "a value in parentheses that disagrees"),
    ("3 (or 4)", None, "a hedge in parentheses"),
    ("```\n3\n```", Fraction(3), "a fenced code block"),
    ("```text\n3\n```", Fraction(3), "a fenced code block with a language tag"),
    ("### Answer\n3", Fraction(3), "a markdown heading as the label"),
    ("The degree of node 3 is 4", Fraction(4), "a node named in the label after 'of node'"),
    ("Answer 3: 4", None, "a number in the label that no preposition introduces"),
    ("~3", None, "a tilde says approximately"),
    ("- 3", Fraction(-3), "a number after a dash is negative, never a bullet"),
    ("≈ 0.33", None, "approximately"),
    ("\uff13", None, "a full-width digit is no digit of the grammar"),
    ("\u0663", None, "an Arabic-Indic digit is no digit of the grammar"),
    ("0,333", None, "a decimal comma is not a thousands separator"),
    ("\\boxed{3}", Fraction(3), "boxed inside the answer block"),
    ("\\mathbf{3}", Fraction(3), "LaTeX bold"),
    ("3 triangles in total", Fraction(3), "'in total' after a count"),
    ("five", None, "a number in words: the prompts ask for digits (policy)"),
    ("1. 5", None, "a numbered item (or two numbers), never the decimal 1.5"),
    ("12 . 5", None, "digits on both sides of a spaced point are two numbers"),
    ("1. 3\n2. 4", None, "a numbered list of two values"),
    ("1.5", Fraction(3, 2), "a decimal point with no space"),    ("There are 4 SCCs.", Fraction(4), "strongly connected components abbreviated"),
    ("Alice has 3 friends", Fraction(3), "a degree counted in friends"),
    ("3 neighbours", Fraction(3), "a degree counted in neighbours"),
    ("3 friends or 4", None, "a unit word does not hide a hedge"),
]


@pytest.mark.parametrize("text,expected,why", REALS)
def test_real(text: str, expected: Fraction | None, why: str) -> None:
    assert parse_real(text) == expected, why


def test_close_enough_is_absolute_and_finite() -> None:
    assert close_enough(Fraction(1, 3), 0.3333333, 1e-3)
    assert close_enough(0.333, Fraction(1, 3), 1e-3)  # truncated to 3 places
    assert not close_enough(0.331, Fraction(1, 3), 1e-3)  # wrong in the third place by 2
    assert not close_enough(float("nan"), 0.5, 1e-3)
    assert not close_enough(float("inf"), 0.5, 1e-3)


NODE = [
    ("4", IDS, 4, "an id"),
    (" 4. ", IDS, 4, "spaces and a period"),
    ("[4]", IDS, 4, "in brackets"),
    ("alice", NAMES, 0, "a name in lower case"),
    ("ALICE", NAMES, 0, "a name in upper case"),
    ("'Bob'", NAMES, 1, "a quoted name"),
    ("2", NAMES, 2, "the hidden id of a named node still resolves"),
    ("Zed", NAMES, None, "an unknown name"),
    ("4 or 5", IDS, None, "hedged"),
    ("4, 5", IDS, None, "two nodes"),
    ("valjean", STRINGS, "Valjean", "a string node of a user's graph, any case"),
    ("zoë", NodeNames(["Zoë", "Ann"]), "Zoë", "an accented name of a user's graph"),
    ("\uff13", IDS, None, "a full-width digit names no node"),
    ("99", IDS, 99, "an unknown id parses (validators call it invalid)"),
]


@pytest.mark.parametrize("text,names,expected,why", NODE)
def test_node(text: str, names: NodeNames, expected: object, why: str) -> None:
    assert parse_node(text, names) == expected, why


NODE_LISTS = [
    ("[1, 2, 3]", IDS, [1, 2, 3], "Python list"),
    ("(1, 2, 3)", IDS, [1, 2, 3], "tuple"),
    ("{3, 1, 2}", IDS, [3, 1, 2], "set braces keep the written order"),
    ("1 -> 2 -> 3", IDS, [1, 2, 3], "arrows"),
    ("1 → 2 → 3", IDS, [1, 2, 3], "unicode arrows"),
    ("1 −> 2 ‐ 3", IDS, [1, 2, 3], "arrows and dashes drawn with a Unicode minus or hyphen"),
    ("1-2-3", IDS, [1, 2, 3], "dashes"),
    ("1 2 3", IDS, [1, 2, 3], "spaces"),
    ("1,2,3", IDS, [1, 2, 3], "commas without spaces"),
    ("1, 2 and 3", IDS, [1, 2, 3], "an English list"),
    ("1; 2; 3", IDS, [1, 2, 3], "semicolons"),
    ("1\n2\n3", IDS, [1, 2, 3], "one per line"),
    ("**[1, 2]**.", IDS, [1, 2], "bold and a period"),
    ("$\\{1, 2\\}$", IDS, [1, 2], "a LaTeX set"),
    ("[Alice, carol]", NAMES, [0, 2], "names in any case"),
    ('["Alice", "Bob"]', NAMES, [0, 1], "quoted names"),
    ("Alice -> Bob -> Dan", NAMES, [0, 1, 3], "a path of names"),
    ("[1, 2, 2]", IDS, [1, 2, 2], "duplicates are kept for the validator"),
    ("[1, 99]", IDS, [1, 99], "unknown ids are kept for the validator"),
    ("[]", IDS, [], "empty list"),
    ("none", IDS, [], "none"),
    ("Empty", IDS, [], "empty in words"),
    ("[1, 2] or [1, 3]", IDS, None, "hedged between two lists"),
    ("1, 2, or 3", IDS, None, "hedged inside the list"),
    ("[[1, 2], [3]]", IDS, None, "nested lists"),
    ("[1, 2", IDS, None, "unbalanced bracket"),
    ("1,,2", IDS, None, "an empty item"),
    ("[1, 2] [1, 2]", IDS, None, "the list written twice"),
    ("Alice, Zed", NAMES, None, "an unknown name"),
    ("the nodes are 1 and 2", IDS, [1, 2], "a short label before the list"),
    ("Path: node 1 -> node 2", IDS, [1, 2], "a label and nodes called 'node 1' as the prompts do"),
    ("maybe: 1, 2", IDS, None, "a hedge as the label"),
    ("- 1\n- 2\n- 3", IDS, [1, 2, 3], "a markdown bullet list"),
    ("- 3", IDS, [3], "a one-item bullet list"),
    ("$1 \\to 2 \\to 3$", IDS, [1, 2, 3], "LaTeX arrows"),
    ("[1, 2, 3,]", IDS, [1, 2, 3], "a trailing comma inside the brackets"),
    ("[1, 2, 3] (total weight 7)", IDS, [1, 2, 3], "the objective stated after the list is ignored"),
    ("[1, 2] (length 1) or [1, 3]", IDS, None, "a stated length does not hide a hedge"),
    ("1 -> 2 -> 3 (2 edges)", IDS, [1, 2, 3], "the length stated as a number of edges"),
    ("1 -> 2 -> 3, 2 hops", IDS, [1, 2, 3], "the length stated as hops"),
    ("[1, 2] (2 nodes)", IDS, [1, 2], "a count of nodes stated after the list that agrees with it"),
    ("[1] (1 node)", IDS, [1], "a count of one node"),
    ("[] (0 nodes)", IDS, [], "the empty list and its count"),
    ("[1, 2] (3 nodes)", IDS, None, "a stated count of nodes that contradicts the list"),
    ("1 -> 2 -> 3 (5 edges)", IDS, None, "a stated count of edges that fits neither a path nor a tour of the list"),
    ("[1, 2, 3] (3 edges)", IDS, [1, 2, 3], "n edges along n nodes: a closed tour or cycle (the check decides the rest)"),
    ("[1, 2, 3] (total weight 7) (3 nodes)", IDS, [1, 2, 3], "a weight, then a count"),
    ("One possible path: [1, 2, 3]", IDS, [1, 2, 3], "one witness where any is accepted is no hedge"),
    ("A possible topological order is 1, 2, 3", IDS, [1, 2, 3], "'a possible <structure>' in a sentence label"),
    ("Possible path: [1, 2, 3]", IDS, None, "'possible' alone still hedges"),
    ("One possible answer: [1, 2, 3]", IDS, None, "'answer' is no structure: a possible answer is a candidate"),
    ("possibly [1, 2, 3] or [1, 4, 3]", IDS, None, "two candidates"),
    ("One possible path: [1, 2, 3] or [1, 4, 3]", IDS, None, "one possible path, then a second"),
    ("No common neighbours.", IDS, [], "the empty set in words"),
    ("no idea", IDS, None, "a refusal is not the empty set"),
    ("Alice: Bob, Carol", NAMES, None, "a node name is never a label"),
    ("Zed\nAlice\nBob", NAMES, None, "an unknown first line is no label"),
    ("Final answer\nAlice\nBob", NAMES, [0, 1], "an answer heading on its own line"),
    ("The neighbours of Alice are Bob and Carol", NAMES, [1, 2], "a node in the label after 'of'"),
    ("The path from 1 to 3 is 1 -> 2 -> 3", IDS, [1, 2, 3], "nodes in the label after 'from' and 'to'"),
    ("1, 2, etc", IDS, None, "etc."),
    ("-1, 2", IDS, None, "a leading dash is no node"),
    ("1. 17\n2. 11\n3. 4", IDS, [17, 11, 4], "a markdown numbered list: the item numbers are no nodes"),
    ("1) Alice\n2) Bob", NAMES, [0, 1], "a numbered list with parentheses"),
    ("1. Alice", NAMES, [0], "a numbered list of one name"),
    ("None of the nodes", IDS, [], "the empty set in words"),
    ("None of the nodes or 3", IDS, None, "the empty set hedged"),
    ("1. 7", IDS, None, "'1. 7' alone may be two numbers: refused"),
    ("1. 17\n3. 11", IDS, None, "numbers out of turn: not a numbered list, so the numbers stay and do not parse"),
    ("2. 17\n3. 11", IDS, None, "a numbered list must start at 1"),
    ("1. 17", IDS, None, "one numbered line is ambiguous: never stripped"),
    ("Answer:\n1. 17\n2. 11", IDS, [17, 11], "a label line above a numbered list"),
    ("\\emptyset", IDS, [], "the LaTeX empty set"),
    ("$\\varnothing$", IDS, [], "the LaTeX empty set, varnothing"),
    ("\\emptyset or [1]", IDS, None, "the empty set hedged"),    ("1 --> 2 --> 3", IDS, [1, 2, 3], "long arrows"),
    ("1 ==> 2", IDS, [1, 2], "a long double arrow"),
    ("1 -- 2 -- 3", IDS, [1, 2, 3], "double dashes"),
    ("1 ----> 2", IDS, None, "an arrow of four dashes is junk"),
    ("1 -> -> 2", IDS, None, "two arrows in a row leave an empty item"),
    ("[1, 2, 3]\nPath length: 2", IDS, [1, 2, 3], "the path's length stated on the next line"),
    ("[1, 2, 3]\nThe shortest path length is 2", IDS, [1, 2, 3], "the length stated in a sentence"),
    ("Tour cost: 7\n[1, 2, 3]", IDS, [1, 2, 3], "the tour's cost stated on the line before"),
    ("[1, 2, 3]\nPath length: 2 or 3", IDS, None, "a hedged stated length does not parse"),
]


@pytest.mark.parametrize("text,names,expected,why", NODE_LISTS)
def test_node_list(text: str, names: NodeNames, expected: list | None, why: str) -> None:
    assert parse_node_list(text, names) == expected, why


EDGE_LISTS = [
    ("(1, 2), (2, 3)", IDS, [(1, 2), (2, 3)], "tuples"),
    ("[(1, 2), (2, 3)]", IDS, [(1, 2), (2, 3)], "a list of tuples"),
    ("[[1, 2], [2, 3]]", IDS, [(1, 2), (2, 3)], "a list of lists"),
    ("(1,2);(2,3)", IDS, [(1, 2), (2, 3)], "semicolons, no spaces"),
    ("(1, 2) and (2, 3)", IDS, [(1, 2), (2, 3)], "and between tuples"),
    ("(1, 2, 5), (2, 3, 7)", IDS, [(1, 2), (2, 3)], "weights written with the edges are ignored"),
    ("1-2, 2-3", IDS, [(1, 2), (2, 3)], "dash pairs"),
    ("1 - 2, 2 -> 3", IDS, [(1, 2), (2, 3)], "dashes and arrows with spaces"),
    ("1-2 2-3", IDS, [(1, 2), (2, 3)], "dash pairs separated by spaces"),
    ("1 2\n2 3", IDS, [(1, 2), (2, 3)], "one pair per line"),
    ("[1, 2]", IDS, [(1, 2)], "a single edge as a list"),
    ("(Alice, Bob), (bob, Carol)", NAMES, [(0, 1), (1, 2)], "names"),
    ("Alice-Bob", NAMES, [(0, 1)], "a dash pair of names"),
    ("(1, 2), (1, 2)", IDS, [(1, 2), (1, 2)], "duplicates kept"),
    ("none", IDS, [], "no edges"),
    ("(1, 2) or (2, 3)", IDS, None, "hedged"),
    ("(1, 2, 3, 4)", IDS, None, "a 4-tuple"),
    ("(1), (2, 3)", IDS, None, "a 1-tuple"),
    ("1-2-3", IDS, None, "a path is not an edge list"),
    ("(1, 2), junk", IDS, None, "junk between edges"),
    ("1 2 3\n4 5", IDS, None, "a line of three"),
    ("(Alice, Zed)", NAMES, None, "an unknown name"),
    ("(1, 2", IDS, None, "unbalanced"),
    ("{{1, 2}, {2, 3}}", IDS, [(1, 2), (2, 3)], "a set of two-element sets"),
    ("Edges: (1, 2), (2, 3)", IDS, [(1, 2), (2, 3)], "a label before the edges"),
    ("No bridges.", IDS, [], "no edges, in words"),
    ("edge (1, 2), edge (2, 3)", IDS, [(1, 2), (2, 3)], "'edge' before each pair"),
    ("1 -- 2, 2 -- 3", IDS, [(1, 2), (2, 3)], "DOT-style undirected edges"),
    ("1 --> 2, 2 --> 3", IDS, [(1, 2), (2, 3)], "long arrows"),
    ("(1, 2), (2, 3)\nTotal weight: 7", IDS, [(1, 2), (2, 3)], "the tree's weight stated on the next line"),
    ("(1, 2), (2, 3)\nTree weight: 7 or 8", IDS, None, "a hedged stated weight does not parse"),
    ("- (1, 2)\n- (2, 3)", IDS, [(1, 2), (2, 3)], "a bullet list of edges"),
    ("1-2 (3), 2-3 (weight 5)", IDS, [(1, 2), (2, 3)], "a weight in parentheses after a dash pair is ignored"),
    ("{(1, 2): 3, (2, 3): 5}", IDS, [(1, 2), (2, 3)], "a dict from edges to weights"),
    ("Total weight: 8\n(1, 2), (2, 3)", IDS, [(1, 2), (2, 3)], "the total weight on a line before the edges"),
    ("(1, 2), (2, 3)\nTotal weight: 8", IDS, [(1, 2), (2, 3)], "the total weight on a line after the edges"),
    ("(1, 2), (2, 3) (2 edges)", IDS, [(1, 2), (2, 3)], "a count of edges that agrees"),
    ("1. (1, 2)", IDS, [(1, 2)], "a numbered list of one edge"),
    ("No bridges exist.", IDS, [], "'exist' after the empty phrase"),
    ("(1, 2), (2, 3) (3 edges)", IDS, None, "a count of edges that contradicts the list"),
    ("(1, 2), (2, 3) (3 nodes)", IDS, None, "a count of nodes after edges: not in the grammar"),
    ("Total weight: 8 or 9\n(1, 2)", IDS, None, "a hedged total"),
    ("(1, 2) (3)", IDS, None, "a lone number in parentheses after a tuple"),
]


@pytest.mark.parametrize("text,names,expected,why", EDGE_LISTS)
def test_edge_list(text: str, names: NodeNames, expected: list | None, why: str) -> None:
    assert parse_edge_list(text, names) == expected, why


MAPPINGS = [
    ("{1: 0, 2: 1}", IDS, [(1, 0), (2, 1)], "a dict"),
    ("1: red\n2: Blue", IDS, [(1, "red"), (2, "blue")], "lines, colour words lower-cased"),
    ("1 -> 0, 2 -> 1", IDS, [(1, 0), (2, 1)], "arrows"),
    ("1 = 0; 2 = 1", IDS, [(1, 0), (2, 1)], "equals signs"),
    ("{'Alice': 1, 'bob': 2}", NAMES, [(0, 1), (1, 2)], "quoted names as keys"),
    ("1: 0, 1: 1", IDS, [(1, 0), (1, 1)], "a duplicate key is kept"),
    ("1: red or blue", IDS, None, "hedged value"),
    ("1 red", IDS, None, "no separator"),
    ("1: 2: 3", IDS, None, "two separators"),
    ("Zed: 1", NAMES, None, "an unknown key name"),
    ("{1: [0, 1]}", IDS, None, "a list as a value"),
    ("", IDS, None, "empty"),
    ("1 is red, 2 is blue", IDS, [(1, "red"), (2, "blue")], "'is' between node and colour"),
    ("node 1: colour 2", IDS, [(1, 2)], "'node' before the key, 'colour' before the value"),
    ("f(1) = 0, f(2) = 1", IDS, [(1, 0), (2, 1)], "the prompt's f(u) = v notation"),
    ("1 ↦ 0", IDS, [(1, 0)], "a maps-to arrow"),
    ("- 1: red\n- 2: blue", IDS, [(1, "red"), (2, "blue")], "a bullet list of pairs"),
    ("[(1, red), (2, blue)]", IDS, [(1, "red"), (2, "blue")], "(key, value) pairs"),
    ("[(1, red, blue)]", IDS, None, "a triple is no pair"),
    ("1 is red or blue", IDS, None, "hedged value after 'is'"),
    ("Colouring: {1: 0, 2: 1}", IDS, [(1, 0), (2, 1)], "a label before the mapping"),
]


@pytest.mark.parametrize("text,names,expected,why", MAPPINGS)
def test_mapping(text: str, names: NodeNames, expected: list | None, why: str) -> None:
    assert parse_mapping(text, names) == expected, why


def test_mapping_value_reader_can_resolve_nodes_or_refuse() -> None:
    assert parse_mapping("0: Bob, 1: alice", IDS, value=NAMES.resolve) == [(0, 1), (1, 0)]
    assert parse_mapping("0: Zed", IDS, value=NAMES.resolve) is None


def test_validation_helpers() -> None:
    assert duplicates([1, 2, 1, 3, 2, 1]) == [1, 2]
    assert duplicates([]) == []
    assert unknown_nodes([0, 5, 7], [0, 1, 5]) == [7]


def test_names_resolve_ambiguous_case_only_exactly() -> None:
    names = NodeNames(["ab", "AB"])
    assert names.resolve("ab") == "ab" and names.resolve("AB") == "AB"
    assert names.resolve("Ab") is None  # two nodes differ only by case: no guessing


def test_payload_round_trip_directed_weighted() -> None:
    graph = nx.DiGraph()
    graph.add_edge(2, 0, weight=3)
    graph.add_edge(0, 1, weight=1)
    graph.add_node(5)
    payload = graph_payload(graph, weighted=True)
    assert payload == {"directed": True, "weighted": True, "nodes": [0, 1, 2, 5], "edges": [[0, 1, 1], [2, 0, 3]]}
    back = graph_from_payload(payload)
    assert nx.utils.graphs_equal(back, graph)


def test_payload_orders_mixed_undirected_edges() -> None:
    payload = graph_payload(nx.Graph([("b", "a"), (3, 1)]), weighted=False)
    assert payload["nodes"] == [1, 3, "a", "b"]
    assert payload["edges"] == [[1, 3], ["a", "b"]]


HOSTILE = [
    "1" + " " * 150_000 + "2",
    "*" * 150_000,
    "1" * 150_000,
    "(" * 150_000,
    "a: " + " " * 150_000,
    "1 and " * 30_000,
    "[" * 50_000 + "]" * 50_000,
    "1-" * 70_000,
    "x" * 300_000,  # over MAX_ANSWER_CHARS
    "1 edges, " * 20_000,
    "(total weight 1) " * 10_000,
    "Answer: " * 20_000 + "1",
    "- 1\n" * 40_000,
    "**1** " * 30_000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_inputs_finish_and_do_not_parse_to_values(text: str) -> None:
    # each parser is linear; a quadratic regex here would hang this test
    assert parse_yes_no(text) is None
    assert parse_real(text) is None
    assert parse_node(text, IDS) is None
    for parse in (parse_node_list, parse_edge_list, parse_mapping):
        result = parse(text, IDS)
        assert result is None or len(result) <= 20_000


def test_verify_on_graph_scores_questions_on_a_real_world_graph() -> None:
    karate = nx.karate_club_graph()
    assert verify_on_graph("<answer>16</answer>", "graph/degree", karate, node=0).passed
    truth = sorted(nx.common_neighbors(karate, 3, 7))
    assert truth == [0, 1, 2]
    assert verify_on_graph("<answer>[2, 0, 1]</answer>", "graph/common_neighbours", karate, u=3, v=7).passed
    assert verify_on_graph("<answer>[0, 1]</answer>", "graph/common_neighbours", karate, u=3, v=7).reason == "wrong_answer"
    assert not verify_on_graph("<answer>15</answer>", "graph/degree", karate, node=0).passed


def test_verify_scores_a_graph_row_read_back_from_json() -> None:
    import json

    import assay

    problem = assay.get_task("graph/center").generate(3, difficulty=2)
    row = json.loads(json.dumps(problem.to_row()))
    assert assay.verify(row, f"<answer>{problem.answer}</answer>").passed
    assert assay.verify(row, "<answer>[]</answer>").reason == "wrong_answer"
    assert assay.verify(row, "no tags").reason == "no_answer"


ABOUT_ONE = NodeNames(list(range(12)), about=[1])
ABOUT_NONE = NodeNames(list(range(12)), about=[])

# a label before a value may name only the nodes the question is about (NodeNames.about)
LABELS_ABOUT = [
    ("The degree of node 1 is 3", ABOUT_ONE, Fraction(3), "the node asked about"),
    ("deg(1) = 3", ABOUT_ONE, Fraction(3), "the node asked about, as a function"),
    ("|N(1)| = 3", ABOUT_ONE, Fraction(3), "a size written with bars"),
    ("The degree of node 2 is 3", ABOUT_ONE, None, "another node: the value answers another question"),
    ("deg(2) = 3", ABOUT_ONE, None, "another node as the function's argument"),
    ("|N(2)| = 3", ABOUT_ONE, None, "another node inside bars"),
    ("Triangles at node 3: 2", ABOUT_NONE, None, "a question about no node: a label naming one asks another"),
    ("\\chi(G) = 2", ABOUT_NONE, Fraction(2), "G is no node"),
    ("|E| = 7", ABOUT_NONE, Fraction(7), "the edge count with bars"),
    ("Node 1 has degree 3", ABOUT_ONE, Fraction(3), "'has degree' after the node"),
    ("It needs 3 colours", ABOUT_NONE, Fraction(3), "'needs' as the label's verb"),
    ("The degree of node 2 is 3", IDS, Fraction(3), "names that do not say what is asked: any node (the old rule)"),
]


@pytest.mark.parametrize(
    "text,units,expected,why",
    [
        ("7 edges", ["edge", "edges"], Fraction(7), "the question's unit"),
        ("7 edges in total", ["edge", "edges"], Fraction(7), "'in total' after any count"),
        ("7 nodes", ["edge", "edges"], None, "a count of something else answers another question"),
        ("7 nodes", None, Fraction(7), "without units, any unit word of the grammar"),
    ],
)
def test_count_units_are_the_questions(text: str, units: list[str] | None, expected: Fraction | None, why: str) -> None:
    assert parse_real(text, None, units) == expected, why


@pytest.mark.parametrize("text,names,expected,why", LABELS_ABOUT)
def test_label_names_only_the_nodes_asked_about(text: str, names: NodeNames, expected: Fraction | None, why: str) -> None:
    assert parse_real(text, names) == expected, why


@pytest.mark.parametrize(
    "text,expected,why",
    [
        ("(1, 2), (2, 3)", [(1, 2), (2, 3)], "plain pairs"),
        ("(1, 2, 5)", None, "a third number is no weight where the graph has none"),
        ("1-2 (5)", None, "a weight after a dash pair"),
        ("{(1, 2): 5}", None, "a weight after a colon"),
    ],
)
def test_edge_list_without_weights(text: str, expected: list | None, why: str) -> None:
    assert parse_edge_list(text, IDS, weights=False) == expected, why

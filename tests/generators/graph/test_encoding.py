"""generators/graph/encoding.py: every encoding states every node and edge; names map both ways."""

from __future__ import annotations

import random
import re

import networkx as nx
import pytest

from assay.errors import ConfigError
from assay.generators.graph.encoding import CITIES, ENCODINGS, PEOPLE, check_encoding, choose_labels, describe
from assay.verifiers.graph import NodeNames


def _graph(directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(6))
    graph.add_edge(0, 1, weight=4)
    graph.add_edge(1, 2, weight=7)
    graph.add_edge(3, 0, weight=2)  # node 5 stays isolated
    graph.add_edge(2, 4, weight=1)
    return graph


def _mentions(text: str, token: str) -> int:
    return len(re.findall(rf"(?<![\w]){re.escape(token)}(?![\w])", text))


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_every_node_and_weight_is_written(encoding: str, directed: bool, weighted: bool) -> None:
    graph = _graph(directed)
    labels = choose_labels(random.Random(1), encoding, list(range(6)))
    names = NodeNames(list(range(6)), labels)
    text = describe(graph, encoding, names, weighted)
    for node in range(6):
        assert _mentions(text, names.show(node)) >= 1, (encoding, node)
    if encoding in ("edge_list", "adjacency", "incident"):
        assert (_mentions(text, "directed") == 1) == directed
        assert (_mentions(text, "undirected") == 1) != directed
    if weighted:
        for weight in (4, 7, 2):
            assert _mentions(text, str(weight)) >= 1, (encoding, weight)
    elif labels is not None:
        assert not re.search(r"\d", text.split("\n", 1)[1]), "an unweighted named graph writes no numbers"


def test_edge_list_text_is_exact() -> None:
    text = describe(_graph(True), "edge_list", NodeNames(list(range(6))), True)
    assert text == (
        "G is a directed weighted graph with 6 nodes: 0, 1, 2, 3, 4, 5.\n"
        "Its edges ((u, v, w) is an edge from u to v of weight w) are: (0, 1, 4), (1, 2, 7), (2, 4, 1), (3, 0, 2)."
    )


def test_named_encodings_write_directed_edges_in_their_direction() -> None:
    names = NodeNames(list(range(6)), ["A", "B", "C", "D", "E", "F"])
    assert "D follows A." in describe(_graph(True), "friendship", names, False)
    assert "There is a one-way road from D to A." in describe(_graph(True), "cities", names, False)
    assert "A and D are friends." in describe(_graph(False), "friendship", names, False)


def test_labels_are_unique_single_words_even_past_the_pools() -> None:
    for encoding, pool in (("friendship", PEOPLE), ("cities", CITIES)):
        labels = choose_labels(random.Random(2), encoding, list(range(len(pool) + 40)))
        assert len(set(labels)) == len(labels)
        assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", label) for label in labels)
    assert len(set(PEOPLE)) == len(PEOPLE) and len(set(CITIES)) == len(CITIES)
    assert not set(word.casefold() for word in PEOPLE + CITIES) & {"and", "or", "none", "empty", "yes", "no"}


def test_string_nodes_keep_their_own_names() -> None:
    assert choose_labels(random.Random(0), "friendship", ["Valjean", "Myriel"]) is None


def test_unknown_encoding_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="encoding"):
        check_encoding("matrix")

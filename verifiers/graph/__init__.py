"""Graph answers: the payload of a graph problem, node names, a strict but tolerant answer grammar
(``grammar``, ``text``), and validity and optimality checks (``checks``, ``set_checks``).

A graph problem row is scored by ``assay.verify(problem, completion)``; a registered graph question
asked about your own networkx graph by ``assay.generators.graph.verify_on_graph``. This package
holds what those use and what data from elsewhere can use directly: the parsers and the checkers.

>>> import networkx as nx
>>> from assay.verifiers.graph import checks, parse_node_list
>>> path = parse_node_list("0 -> 1 -> 2")
>>> checks.check_path(nx.path_graph(3), path, 0, 2, optimum=2).passed
True
"""

from __future__ import annotations

from assay.verifiers.graph.grammar import (
    MAX_ITEMS,
    Node,
    NodeNames,
    close_enough,
    duplicates,
    graph_from_payload,
    graph_payload,
    node_order,
    node_sort_key,
    parse_edge_list,
    parse_mapping,
    parse_node,
    parse_node_list,
    parse_real,
    parse_yes_no,
    unknown_nodes,
)
from assay.verifiers.graph.text import MAX_ANSWER_CHARS, clean, strip_label
from assay.verifiers.graph.yes_no import Claims

__all__ = [
    "Claims",
    "MAX_ANSWER_CHARS",
    "MAX_ITEMS",
    "Node",
    "NodeNames",
    "clean",
    "close_enough",
    "duplicates",
    "graph_from_payload",
    "graph_payload",
    "node_order",
    "node_sort_key",
    "parse_edge_list",
    "parse_mapping",
    "parse_node",
    "parse_node_list",
    "parse_real",
    "parse_yes_no",
    "strip_label",
    "unknown_nodes",
]

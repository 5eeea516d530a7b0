"""Graph encodings for prompts: edge list, adjacency list, incident sentences, and named nodes.

Named encodings ("friendship": people, "cities": places, after "Talk like a graph", Fatemi et
al. 2023) give every node a one-word name; ``NodeNames`` maps names <-> ids for answers.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from operator import itemgetter

import networkx as nx

from assay.verifiers.graph import NodeNames, node_order, node_sort_key

ENCODINGS = {
    "edge_list": "nodes by id; the edges as (u, v) pairs, (u, v, w) when weighted",
    "adjacency": "nodes by id; one line per node listing its (out-)neighbours",
    "incident": "nodes by id; one sentence per node: 'Node 3 is connected to nodes 1, 4.'",
    "friendship": "people's names; one sentence per edge: 'Alice and Bob are friends.' / 'Alice follows Bob.'",
    "cities": "city names; one sentence per edge: 'There is a road between Oslo and Lima.'",
}
NAMED = ("friendship", "cities")

PEOPLE = (
    "Alice Bob Carol David Emma Frank Grace Henry Irene Jack Karen Liam Maria Noah Olivia Peter "
    "Quinn Rachel Samuel Tina Umar Victor Wendy Xavier Yara Zoe Aaron Bella Caleb Diana Ethan Fiona "
    "George Hannah Isaac Julia Kevin Laura Mason Nina Oscar Paula Ryan Sofia Thomas Ursula Vera "
    "William Amir Beatriz Chen Dmitri Elif Farah Gustavo Hiro Ingrid Jamal Kofi Leila Mateo Nadia "
    "Omar Priya Rosa Sven Tariq Uma Vikram Wanjiru Yusuf Zainab Anya Bruno Clara Dario Esme Felix"
).split()
CITIES = (
    "Paris London Berlin Madrid Rome Vienna Prague Warsaw Oslo Lisbon Dublin Athens Cairo Lagos "
    "Nairobi Accra Dakar Tunis Lima Quito Bogota Santiago Caracas Havana Toronto Boston Chicago "
    "Denver Seattle Houston Miami Austin Tokyo Osaka Seoul Beijing Shanghai Delhi Mumbai Dhaka "
    "Karachi Tehran Baghdad Ankara Riga Vilnius Tallinn Helsinki Stockholm Copenhagen Brussels "
    "Zurich Geneva Milan Naples Porto Seville Valencia Munich Hamburg Krakow Budapest Sofia "
    "Belgrade Zagreb Sarajevo Kyiv Minsk Tbilisi Baku Yerevan Almaty Tashkent Kabul Hanoi Manila "
    "Jakarta Sydney Perth Auckland"
).split()


def check_encoding(name: str) -> None:
    """Raise ConfigError for an unknown encoding name ("mixed" draws one per problem)."""
    from assay.errors import ConfigError

    if name != "mixed" and name not in ENCODINGS:
        raise ConfigError("encoding", f"must be 'mixed' or one of {', '.join(ENCODINGS)}", name)


def choose_labels(rng: random.Random, encoding: str, nodes: Sequence) -> list[str] | None:
    """Names for the nodes in a named encoding (None otherwise, or when the nodes are names already).

    >>> choose_labels(random.Random(0), "edge_list", [0, 1]) is None
    True
    >>> len(choose_labels(random.Random(0), "cities", [0, 1, 2]))
    3
    """
    if encoding not in NAMED or all(isinstance(n, str) for n in nodes):
        return None
    pool = PEOPLE if encoding == "friendship" else CITIES
    if len(nodes) <= len(pool):
        return rng.sample(pool, len(nodes))
    # more nodes than names: numbered names stay single words and unique
    order = list(range(len(nodes)))
    rng.shuffle(order)
    return [f"{pool[i % len(pool)]}{i // len(pool) + 1}" if i >= len(pool) else pool[i] for i in order]


def describe(graph: nx.Graph, encoding: str, names: NodeNames, weighted: bool) -> str:
    """The graph written in ``encoding``, starting with what kind of graph it is and its nodes.

    >>> g = nx.Graph([(0, 1), (1, 2)])
    >>> print(describe(g, "edge_list", NodeNames([0, 1, 2]), False))
    G is an undirected graph with 3 nodes: 0, 1, 2.
    Its edges (u, v) are: (0, 1), (1, 2).
    """
    directed = graph.is_directed()
    key = node_order(graph)
    nodes = sorted(graph, key=key)
    if key is None:  # int nodes: their natural order is node_sort_key's, found faster
        edges = sorted(graph.edges(data="weight", default=1), key=itemgetter(0, 1))
        if not directed:
            edges = [(u, v, w) if u <= v else (v, u, w) for u, v, w in edges]
            edges.sort(key=itemgetter(0, 1))
    else:
        edges = sorted(graph.edges(data="weight", default=1), key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
        if not directed:
            edges = [(u, v, w) if node_sort_key(u) <= node_sort_key(v) else (v, u, w) for u, v, w in edges]
            edges.sort(key=lambda e: (node_sort_key(e[0]), node_sort_key(e[1])))
    show = names.show
    kind = "a directed" if directed else "an undirected"
    if weighted:
        kind += " weighted"
    listing = ", ".join(show(n) for n in nodes)
    if encoding == "edge_list":
        head = f"G is {kind} graph with {len(nodes)} nodes: {listing}."
        if directed:
            form = "(u, v, w) is an edge from u to v of weight w" if weighted else "(u, v) is an edge from u to v"
        else:
            form = "(u, v, w) is an edge between u and v of weight w" if weighted else ""
        pairs = ", ".join(f"({show(u)}, {show(v)}, {w})" if weighted else f"({show(u)}, {show(v)})" for u, v, w in edges)
        label = f"Its edges ({form}) are" if form else "Its edges (u, v) are"
        return f"{head}\n{label}: {pairs if edges else 'none'}."
    if encoding in ("adjacency", "incident"):
        head = f"G is {kind} graph with {len(nodes)} nodes: {listing}."
        lines = [head]
        if encoding == "adjacency":
            what = "out-neighbours" if directed else "neighbours"
            lines.append(f"Each line lists a node's {what}" + (" with the edge weight in parentheses:" if weighted else ":"))
        for node in nodes:
            targets = sorted(graph.successors(node) if directed else graph.neighbors(node), key=key)
            items = [f"{show(t)} ({graph[node][t].get('weight', 1)})" if weighted else show(t) for t in targets]
            if encoding == "adjacency":
                lines.append(f"{show(node)}: {', '.join(items) if items else '(none)'}")
            elif items:
                noun = "node" if len(items) == 1 else "nodes"
                verb = ("has an edge to" if len(items) == 1 else "has edges to") if directed else "is connected to"
                weight_note = " (edge weights in parentheses)" if weighted else ""
                lines.append(f"Node {show(node)} {verb} {noun} {', '.join(items)}{weight_note}.")
            else:
                lines.append(f"Node {show(node)} has no {'outgoing ' if directed else ''}edges.")
        return "\n".join(lines)
    if encoding == "friendship":
        link = "a follows-link is a directed edge" if directed else "friendships are its edges"
        head = f"G describes a {'directed ' if directed else ''}social network among {len(nodes)} people (the nodes of G; {link}): {listing}."
        lines = [head, "In G:" if edges else "Nobody in G knows anybody else."]
        for u, v, w in edges:
            tail = f" (weight {w})" if weighted else ""
            lines.append(f"{show(u)} follows {show(v)}{tail}." if directed else f"{show(u)} and {show(v)} are friends{tail}.")
        return "\n".join(lines)
    if encoding == "cities":
        link = "one-way roads are its directed edges" if directed else "roads are its edges"
        head = f"G describes a road map of {len(nodes)} cities (the nodes of G; {link}): {listing}."
        lines = [head, "The roads are:" if edges else "There are no roads."]
        for u, v, w in edges:
            tail = f" of length {w}" if weighted else ""
            if directed:
                lines.append(f"There is a one-way road from {show(u)} to {show(v)}{tail}.")
            else:
                lines.append(f"There is a road between {show(u)} and {show(v)}{tail}.")
        return "\n".join(lines)
    raise ValueError(f"unknown encoding {encoding!r}")


def node_word(encoding: str, plural: bool = False) -> str:
    """How the prompt calls a node in this encoding: node, person, city."""
    word = {"friendship": ("person", "people"), "cities": ("city", "cities")}.get(encoding, ("node", "nodes"))
    return word[1] if plural else word[0]

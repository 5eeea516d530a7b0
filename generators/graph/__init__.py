"""Graph tasks (ids ``graph/<name>``): questions on random or user-supplied graphs, answered and
checked for validity and optimality, never by string equality.

Infrastructure (shared helper modules that register no task):

- ``sources``: seeded random graph models (``MODELS``: gnp, barabasi_albert, watts_strogatz,
  tree, dag, bipartite, grid, regular, tournament, complete), ``random_graph(rng, model, n,
  density, GraphShape(directed, weighted, connected, max_weight))`` with nodes 0..n-1 relabelled
  at random, and ``canonical_user_graph`` for a user's networkx graph.
- ``encoding``: prompt encodings (``ENCODINGS``: edge_list, adjacency, incident, friendship,
  cities; the last two name nodes after people/cities, as in "Talk like a graph"),
  ``describe(graph, encoding, names, weighted)``, ``choose_labels``.
- ``base``: ``GraphConfig`` (min_nodes, max_nodes, density, model, directed, weighted,
  max_weight, encoding, partial; "mixed" model/encoding draw one per problem), the default level
  ladders ``SIZE_LEVELS`` and ``DIRECTED_HIGH_LEVELS`` (difficulty -> GraphConfig; a task derives
  its own with ``dataclasses.replace`` or ``size_levels(**settings)``), and ``GraphTask``, which draws or accepts the graph, writes the prompt and fills
  ``data = {"graph": {"directed", "weighted", "nodes", "edges"}, "params": {...}, "gold": ...,
  "encoding": name, "labels": [name per node] or None}`` (plus ``"partial"`` where declared).
- ``answers``: answer kinds with reference, judge and audit probes: ``NumberTask`` (exact),
  ``RealTask`` (within ``REAL_TOLERANCE``), ``YesNoTask``, ``NodeSetTask``; ``real_gold``.
- ``assay.verifiers.graph``: the answer grammar (``parse_yes_no``, ``parse_real``,
  ``parse_node``, ``parse_node_list``, ``parse_edge_list``, ``parse_mapping``), ``NodeNames``
  (id <-> shown name), ``graph_payload``/``graph_from_payload``, ``duplicates``,
  ``unknown_nodes``; ``assay.verifiers.graph.checks``: validity and optimality checks.
- ``verify_on_graph`` (here): a registered graph question posed on your own networkx graph.

How a task is written (one module per family, e.g. ``generators/graph/degree.py``)::

    @register_task
    class Degree(NumberTask):                    # or RealTask, YesNoTask, NodeSetTask, GraphTask
        id = "graph/degree"
        description = "..."; answer_format = "..."; verification = "..."; limitations = (...)
        levels = DIRECTED_HIGH_LEVELS            # difficulty -> GraphConfig (default SIZE_LEVELS);
                                                 # the level text is derived from the configs
        models = ("gnp", "barabasi_albert")      # what model="mixed" draws from
        directions = (False, True)               # graph kinds accepted (a level may set directed)
        node_params = ("node",)                  # params naming nodes: checked, shown by name
                                                 # (other_params: further params, e.g. ("colors",))

        def choose_params(self, rng, graph, config):
            return {"node": pick_nodes(rng, graph, 1)[0]}
        def solve(self, graph, params):           # the truth, JSON-safe, stored as data["gold"]
            return str(graph.degree(params["node"]))
        def question(self, graph, params, names, encoding):
            return f"What is the degree of {node_phrase(names, params['node'], encoding)}? {self.number_hint}"

A structured answer (a path, a colouring) subclasses ``GraphTask`` directly and writes
``reference(gold, params, names)``, ``judge(problem, text) -> Verdict`` (parse with the grammar,
resolve names with ``self.names_of(problem)``, rebuild the graph with ``self.graph_of(problem)``,
check validity and optimality) and ``probes(problem)`` (extend ``super().probes(problem)``).
``task.generate(seed, graph=G, params={...})`` poses the question on a user's graph.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from assay.registry import get_task
from assay.types import Verdict

__all__ = ["verify_on_graph"]


def verify_on_graph(completion: str, task_id: str, graph: nx.Graph, *, encoding: str = "edge_list", **params: Any) -> Verdict:
    """Score an answer to a registered graph question asked about your own networkx graph.

    ``params`` name the question's nodes (``node=``, ``source=``, ``target=``, ...); the truth
    is computed by the task on ``graph``.

    >>> g = nx.karate_club_graph()
    >>> verify_on_graph("<answer>16</answer>", "graph/degree", g, node=0).passed
    True
    """
    task = get_task(task_id)
    problem = task.generate(0, graph=graph, params=params or None, encoding=encoding)
    return task.check(problem, completion)

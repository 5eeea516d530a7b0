"""generators/graph/structure.py: rendering round trips and the approximation component."""

from __future__ import annotations

import pytest

import assay
from assay.generators.graph.structure import APPROXIMATION_CAP, approximation_credit

STRUCTURE_TASKS = [
    "graph/bfs_order",
    "graph/bridges",
    "graph/k_coloring",
    "graph/maximum_independent_set",
    "graph/isomorphism_mapping",
]


@pytest.mark.parametrize(
    "value, optimum, trivial, expected, why",
    [
        (5, 5, 1, 0.0, "the optimum itself is scored elsewhere (full marks)"),
        (1, 5, 1, 0.0, "the trivial answer earns nothing"),
        (0, 5, 1, 0.0, "worse than trivial earns nothing"),
        (3, 5, 1, APPROXIMATION_CAP / 2, "half the gap closed"),
        (4, 5, 1, APPROXIMATION_CAP * 3 / 4, "three quarters of the gap"),
        (6, 4, 10, APPROXIMATION_CAP * 4 / 6, "minimisation: from 10 down to 6 of the way to 4"),
        (10, 4, 10, 0.0, "minimisation: the trivial answer"),
        (3, 3, 3, 0.0, "no gap at all"),
    ],
)
def test_approximation_credit(value, optimum, trivial, expected, why) -> None:
    assert approximation_credit(value, optimum, trivial) == pytest.approx(expected), why
    assert approximation_credit(value, optimum, trivial) <= APPROXIMATION_CAP


@pytest.mark.parametrize("task_id", STRUCTURE_TASKS)
def test_every_rendering_style_of_the_reference_parses_back(task_id: str) -> None:
    task = assay.get_task(task_id)
    for encoding in ("edge_list", "friendship"):
        problem = task.generate(2, difficulty=3, encoding=encoding)
        names = task.names_of(problem)
        gold = problem.data["gold"]["answer"]
        for style in range(4):
            text = task.render(gold, names, style)
            assert task.check(problem, f"<answer>{text}</answer>").passed, (style, text)


def test_partial_credit_is_declared_only_where_optimisation_allows_it() -> None:
    declared = {t for t in assay.list_tasks("graph") if assay.get_task(t).partial_credit}
    for task_id in ("graph/maximum_independent_set", "graph/minimum_vertex_cover", "graph/maximum_matching"):
        assert task_id in declared
    for task_id in ("graph/shortest_path", "graph/topological_sort", "graph/k_coloring", "graph/bridges"):
        assert task_id not in declared


STRUCTURE_TASK_NAMES = (
    "bfs_order dfs_order topological_sort shortest_path weighted_shortest_path find_cycle eulerian_circuit "
    "hamiltonian_path travelling_salesman minimum_spanning_tree bridges articulation_points maximum_flow "
    "max_flow_value bipartite_matching maximum_matching maximum_weight_matching minimum_edge_cover "
    "maximum_independent_set maximum_clique minimum_vertex_cover minimum_dominating_set k_coloring "
    "chromatic_number isomorphism_mapping"
).split()

_ROWS_SCRIPT = """
import hashlib, json, sys
import networkx as nx
import assay
names = sys.argv[1].split(",")
graphs = [
    nx.relabel_nodes(nx.karate_club_graph(), {i: f"p{i}" for i in range(34)}),
    nx.relabel_nodes(nx.gnp_random_graph(11, 0.3, seed=1, directed=True), {i: f"q{i}" for i in range(11)}),
    nx.relabel_nodes(nx.complete_bipartite_graph(3, 4), {i: f"b{i}" for i in range(7)}),
    nx.relabel_nodes(nx.cycle_graph(6), {i: f"c{i}" for i in range(6)}),
]
digest = hashlib.sha256()
for name in names:
    task = assay.get_task("graph/" + name)
    for graph in graphs:
        try:
            problem = task.generate(0, graph=graph)
        except assay.errors.ConfigError as error:
            digest.update(str(error).encode())
            continue
        digest.update(json.dumps(problem.to_row(), sort_keys=True).encode())
        for probe in task.probes(problem):
            digest.update(probe.completion.encode())
print(digest.hexdigest())
"""


def test_string_node_user_graphs_give_the_same_rows_and_probes_under_any_hash_seed() -> None:
    import os
    import subprocess
    import sys

    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", _ROWS_SCRIPT, ",".join(STRUCTURE_TASK_NAMES)],
            env=env, capture_output=True, text=True, check=True, timeout=600,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1

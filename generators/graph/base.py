"""GraphTask: the base of every graph task; turns (graph, question, params) into a Problem.

It draws or accepts the graph, picks the encoding and node names, writes the prompt, and fills
``data["graph"]``/``data["params"]`` as DESIGN.md fixes them. Subclasses write only the question.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import networkx as nx

from assay.config import require_bools, require_choice, require_int, require_number
from assay.errors import ConfigError
from assay.extract import extract_answer, final_response
from assay.generators.graph.encoding import ENCODINGS, NAMED, check_encoding, choose_labels, describe
from assay.generators.graph.sources import MODELS, GraphShape, canonical_user_graph, random_graph
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, Task, TaskConfig, describe_levels, wrap
from assay.types import AnswerRule, Problem, Verdict, canonical_json
from assay.verifiers.graph import NodeNames, graph_from_payload, graph_payload, node_order, node_sort_key

# How every graph task reads its answer (``Task.answer_rule``, printed on each graph card)
ANSWER_BLOCK_RULE = AnswerRule(
    "answer_block",
    "the last <answer> block only (a later block wins; $, backticks, ** and \\boxed{} inside it are "
    "tolerated); a \\boxed{} outside the block or an answer stated in prose is not read: without the block, "
    "no_answer",
)

DEFAULT_MODELS = ("gnp", "barabasi_albert", "watts_strogatz", "tree", "bipartite", "grid")


@dataclass(frozen=True)
class GraphConfig(TaskConfig):
    """Settings every graph task shares; a task's levels fill them, callers override any."""

    min_nodes: int = 5  # the node count is drawn uniformly from [min_nodes, max_nodes]
    max_nodes: int = 8
    density: float = 0.4  # edge probability (or its analogue: see sources.MODELS)
    model: str = "mixed"  # a random model of sources.MODELS, or "mixed": one of the task's models
    directed: bool = False
    weighted: bool = False
    max_weight: int = 9  # weights are integers 1..max_weight
    encoding: str = "mixed"  # one of encoding.ENCODINGS, or "mixed": drawn per problem
    partial: bool = False  # partial credit (only tasks that declare a component use it)

    def __post_init__(self) -> None:
        require_int("min_nodes", self.min_nodes)
        require_int("max_nodes", self.max_nodes)
        if not 1 <= self.min_nodes <= self.max_nodes <= 400:
            raise ConfigError("max_nodes", "need 1 <= min_nodes <= max_nodes <= 400", (self.min_nodes, self.max_nodes))
        require_number("density", self.density, 0, 1)
        require_int("max_weight", self.max_weight, 1, 10**6)
        require_choice("model", self.model, ("mixed", *MODELS))
        check_encoding(self.encoding)
        require_bools(self, ("directed", "weighted", "partial"))


# The default ladder: difficulty = size and density (weights grow with it where a task uses them).
# A task's own levels derive from it with dataclasses.replace (see size_levels).
SIZE_LEVELS: Mapping[int, GraphConfig] = {
    1: GraphConfig(min_nodes=4, max_nodes=6, density=0.5, max_weight=5),
    2: GraphConfig(min_nodes=6, max_nodes=9, density=0.4, max_weight=9),
    3: GraphConfig(min_nodes=9, max_nodes=13, density=0.3, max_weight=20),
    4: GraphConfig(min_nodes=12, max_nodes=18, density=0.25, max_weight=50),
    5: GraphConfig(min_nodes=16, max_nodes=25, density=0.2, max_weight=100),
}


def size_levels(**settings: Any) -> dict[int, GraphConfig]:
    """The default ladder with ``settings`` applied at every level.

    >>> size_levels(directed=True)[4].directed, size_levels()[1] == SIZE_LEVELS[1]
    (True, True)
    """
    return {level: replace(config, **settings) for level, config in SIZE_LEVELS.items()}


# The default ladder with directed graphs at levels 4 and 5.
DIRECTED_HIGH_LEVELS: Mapping[int, GraphConfig] = {
    level: replace(config, directed=level >= 4) for level, config in SIZE_LEVELS.items()
}


class GraphTask(Task[GraphConfig]):
    """Base of the graph tasks. A subclass declares the usual Task attributes and implements

    - ``solve(graph, params) -> gold``: the truth, JSON-safe (stored as ``data["gold"]``);
    - ``question(graph, params, names, encoding) -> str``: the question and its answer format (the
      base appends the graph description before it and ANSWER_INSTRUCTION after it);
    - ``reference(gold, params, names) -> str``: a reference answer (in shown names);
    - ``judge(problem, text) -> Verdict``: score the extracted answer text;

    and may override ``choose_params(rng, graph, config)`` (default: no params),
    ``sample_graph(rng, config)`` (default: a random graph of the task's shape) and
    ``accept_graph(graph)`` (raise ConfigError when a user's graph cannot be asked about).
    The answer-kind bases in ``answers`` implement judge/reference/probes for numbers, reals,
    yes/no and node sets.
    """

    Config = GraphConfig
    answer_rule = ANSWER_BLOCK_RULE
    levels: ClassVar[Mapping[int, GraphConfig]] = SIZE_LEVELS
    models: ClassVar[tuple[str, ...]] = DEFAULT_MODELS  # what model="mixed" draws from
    encodings: ClassVar[tuple[str, ...]] = tuple(ENCODINGS)  # what encoding="mixed" draws from
    directions: ClassVar[tuple[bool, ...]] = (False,)  # graph kinds the task accepts (directed?)
    weightings: ClassVar[tuple[bool, ...]] = (False,)  # weighted graphs accepted?
    connected: ClassVar[bool] = False  # random graphs are made (weakly) connected
    node_params: ClassVar[tuple[str, ...]] = ()  # params that name nodes (validated, shown by name)
    other_params: ClassVar[tuple[str, ...]] = ()  # further params a caller must give (check_params validates)

    # -- configuration ------------------------------------------------------------------------
    def make_config(self, difficulty: int, **overrides: Any) -> GraphConfig:
        config = super().make_config(difficulty, **overrides)
        if config.directed not in self.directions:
            kind = "directed" if self.directions[0] else "undirected"
            raise ConfigError("directed", f"{self.id} asks about {kind} graphs only", config.directed)
        if config.weighted not in self.weightings:
            kind = "weighted" if self.weightings[0] else "unweighted"
            raise ConfigError("weighted", f"{self.id} asks about {kind} graphs only", config.weighted)
        return config

    def level_text(self, difficulty: int) -> str:
        """The derived level text, leaving out max_weight where a level draws no weights."""
        shown = {level: c if c.weighted else replace(c, max_weight=GraphConfig.max_weight) for level, c in self.levels.items()}
        return describe_levels(shown)[difficulty]

    # -- to implement -------------------------------------------------------------------------
    def solve(self, graph: nx.Graph, params: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def question(self, graph: nx.Graph, params: Mapping[str, Any], names: NodeNames, encoding: str) -> str:
        raise NotImplementedError

    def reference(self, gold: Any, params: Mapping[str, Any], names: NodeNames) -> str:
        raise NotImplementedError

    def judge(self, problem: Problem, text: str) -> Verdict:
        raise NotImplementedError

    # -- hooks with defaults ------------------------------------------------------------------
    def choose_params(self, rng: random.Random, graph: nx.Graph, config: GraphConfig) -> dict[str, Any]:
        return {}

    def sample_graph(self, rng: random.Random, config: GraphConfig) -> nx.Graph:
        """A random graph of the task's shape: model and size drawn from the config."""
        model = config.model if config.model != "mixed" else rng.choice(self.models)
        n = rng.randint(config.min_nodes, config.max_nodes)
        shape = GraphShape(config.directed, config.weighted, self.connected, config.max_weight)
        return random_graph(rng, model, n, config.density, shape)

    def accept_graph(self, graph: nx.Graph) -> None:
        """Raise ConfigError when a user's graph does not suit the question (default: connectivity)."""
        if self.connected:
            ok = nx.is_weakly_connected(graph) if graph.is_directed() else nx.is_connected(graph)
            if not ok:
                raise ConfigError("graph", f"{self.id} needs a connected graph", graph.number_of_nodes())

    # -- provided -----------------------------------------------------------------------------
    def build(self, rng: random.Random, config: GraphConfig) -> Draft:
        return self.compose(rng, config)

    def compose(
        self, rng: random.Random, config: GraphConfig, graph: nx.Graph | None = None, params: Mapping | None = None
    ) -> Draft:
        """The Draft of one problem on ``graph`` (drawn when None) with ``params`` (chosen when None)."""
        encoding = config.encoding if config.encoding != "mixed" else rng.choice(self.encodings)
        if graph is None:
            graph = self.sample_graph(rng, config)
        if params is None:
            params = self.choose_params(rng, graph, config)
        else:
            params = self.check_params(graph, params)
        gold = self.solve(graph, params)
        nodes = sorted(graph, key=node_order(graph))
        labels = choose_labels(rng, encoding, nodes)
        names = NodeNames(nodes, labels)
        prompt = (
            f"{describe(graph, encoding, names, config.weighted)}\n\n"
            f"{self.question(graph, params, names, encoding)} {ANSWER_INSTRUCTION}"
        )
        data = {
            "graph": graph_payload(graph, weighted=config.weighted),
            "params": dict(params),
            "gold": gold,
            "encoding": encoding,
            "labels": labels,
        }
        if self.partial_credit:
            data["partial"] = config.partial
        return Draft(prompt=prompt, answer=self.reference(gold, params, names), data=data)

    def check_params(self, graph: nx.Graph, params: Mapping[str, Any]) -> dict[str, Any]:
        """A caller's params: every name this task uses, node params naming nodes of the graph."""
        expected = set(self.node_params) | set(self.other_params)
        unknown = sorted(set(params) - expected)
        missing = sorted(expected - set(params))
        if unknown or missing:
            raise ConfigError("params", f"{self.id} takes exactly {sorted(expected)}", dict(params))
        for name in self.node_params:
            if params[name] not in graph:
                raise ConfigError("params", f"{name}={params[name]!r} is not a node of the graph", params[name])
        return dict(params)

    def generate(
        self,
        seed: int,
        *,
        difficulty: int | None = None,
        graph: nx.Graph | None = None,
        params: Mapping[str, Any] | None = None,
        **config: Any,
    ) -> Problem:
        """One problem; with ``graph`` (a networkx graph) the question is posed on it, and with
        ``params`` (e.g. ``{"node": 3}``) about those nodes, instead of random ones.

        >>> import networkx as nx
        >>> from assay import get_task
        >>> p = get_task("graph/node_count").generate(0, graph=nx.karate_club_graph())
        >>> p.answer, p.meta["graph_source"]
        ('34', 'user')
        """
        if graph is None and params is None:
            problem = super().generate(seed, difficulty=difficulty, **config)
            # the id hashes (task, prompt, data) only, so extending meta keeps it
            meta = {**problem.meta, "graph_source": "random"}
            # as Problem.create would make it (the same bytes), without normalising the data twice
            return replace(problem, meta=json.loads(canonical_json(meta)))
        # a user's graph sets `directed` itself, so its config is made once the graph is read
        rng, difficulty, settings = self.start_draw(seed, difficulty=difficulty, **({} if graph is not None else config))
        if graph is not None:
            weighted = bool(config.get("weighted", settings.weighted))
            user = canonical_user_graph(graph, directed=None, weighted=weighted)
            config["directed"] = user.is_directed()  # the graph decides; make_config checks the task takes it
            settings = self.make_config(difficulty, **config)
            self.accept_graph(user)
        else:
            user = self.sample_graph(rng, settings)
        draft = self.compose(rng, settings, user, params)
        meta = {
            "difficulty": difficulty,
            "seed": seed,
            "version": self.version,
            "domain": self.domain,
            "config": settings.to_dict(),
            "graph_source": "user" if graph is not None else "random",
        }
        name = graph.graph.get("name") if graph is not None else None
        if isinstance(name, str) and name:
            meta["graph_name"] = name
        return Problem.create(self.id, draft.prompt, draft.answer, draft.data, meta)

    def check(self, problem: Problem, completion: str) -> Verdict:
        text = extract_answer(final_response(completion))
        if text is None:
            return Verdict.fail("no_answer", message="no <answer> block found")
        if not text.strip():
            return Verdict.fail("no_answer", message="the <answer> block is empty")
        return self.judge(problem, text)

    def probes(self, problem: Problem) -> list[Probe]:
        """Probes every graph task gets: the hacks that must fail whatever the question."""
        return [
            Probe("<answer></answer>", False, "empty answer block"),
            Probe(wrap(problem.prompt[:2000]), False, "the prompt copied into the answer"),
            Probe(wrap("I don't know"), False, "a refusal"),
            Probe(problem.answer, False, "the right answer without the <answer> block"),
        ]

    # -- helpers for subclasses ---------------------------------------------------------------
    @staticmethod
    def names_of(problem: Problem) -> NodeNames:
        return NodeNames.from_data(problem.data)

    def asked_names(self, problem: Problem) -> NodeNames:
        """``names_of`` knowing which nodes the question is about (its node params), so a label before
        a value or an exact set may name only those: "deg(2) = 1" answers no question about node 1."""
        params = problem.data["params"]
        return NodeNames.from_data(problem.data, about=[params[name] for name in self.node_params if name in params])

    @staticmethod
    def graph_of(problem: Problem) -> nx.Graph:
        return graph_from_payload(problem.data["graph"])


def node_phrase(names: NodeNames, node: Any, encoding: str) -> str:
    """``node 3`` / ``Alice`` / ``Paris``: how a question refers to one node."""
    return names.show(node) if encoding in NAMED else f"node {names.show(node)}"


def pick_nodes(rng: random.Random, graph: nx.Graph, k: int) -> list[Any]:
    """``k`` distinct random nodes, drawn from the sorted node list (deterministic)."""
    return rng.sample(sorted(graph, key=node_sort_key), k)

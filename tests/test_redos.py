"""Static check for catastrophic backtracking over every regular expression of the package (issue 19).

Every pattern is collected twice over: literal patterns passed to ``re.*`` in the source (the
AST), and every compiled pattern held by a module or class of ``assay`` once imported (patterns
built with f-strings or joins). Two independent detectors run on each:

- regexploit (``regexploit.redos.find``): adjacent repeats that can match the same characters
  (polynomial backtracking, ``\\s*\\s*x``) and overlapping repeats in a repeat (exponential);
- dlint's ReDoS rule (``dlint.redos.detect``): a backtracking unbounded repeat nested in another
  (``(a+)+``, ``(?:[a-z]+\\s*)*``), and overlapping alternatives under a repeat (``(a|ab)*``).

Neither knows Python 3.11's possessive quantifiers or atomic groups, which never give characters
back: a possessive repeat or an atomic group is cut out of its pattern (it cannot take part in
backtracking there) and its body is checked as a pattern of its own. Every pattern is checked as
if it had to match up to the end of the text and failed (``re.fullmatch`` on hostile text): a
trailing optional part does not hide a repeat.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import warnings
from pathlib import Path

import pytest

import assay

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse

regexploit_redos = pytest.importorskip("regexploit.redos", reason="regexploit is in the dev extra")
regexploit_sre = pytest.importorskip("regexploit.ast.sre")
regexploit_visitor = pytest.importorskip("regexploit.languages.python_node_visitor")
dlint_detect = pytest.importorskip("dlint.redos.detect", reason="dlint is in the dev extra")

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("assay", "verifiers", "generators", "envs", "sandbox")
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}


def _source_patterns() -> list[tuple[str, str, int]]:
    """Literal patterns passed to re.compile / re.search / ... in the package source."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            visitor = regexploit_visitor.PythonNodeVisitor()
            visitor.visit(ast.parse(path.read_bytes()))
            found.extend(
                (f"{path.relative_to(ROOT)}:{p.lineno}", p.pattern, p.flags)
                for p in visitor.patterns
                if p.definitely_regex and isinstance(p.pattern, str)
            )
    return found


def _collect(value: object, where: str, found: list[tuple[str, str, int]], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            found.append((where, value.pattern, value.flags))
    elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(item, where, found, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            _collect(item, where, found, depth + 1)


def _compiled_patterns() -> list[tuple[str, str, int]]:
    """Every compiled pattern a module (or a class in it) of the package holds once imported."""
    found: list[tuple[str, str, int]] = []
    for info in pkgutil.walk_packages(assay.__path__, "assay."):
        if info.name.rsplit(".", 1)[-1] in ("__main__", "worker_main"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (torch, ray, docker) not installed here
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attribute, inner in vars(value).items():
                    _collect(inner, f"{info.name}.{name}.{attribute}", found)
            else:
                _collect(value, f"{info.name}.{name}", found)
    return found


def all_patterns() -> list[tuple[str, str, int]]:
    unique: dict[tuple[str, int], str] = {}
    for where, pattern, flags in _source_patterns() + _compiled_patterns():
        try:
            re.compile(pattern, flags)
        except (re.error, ValueError):
            continue  # a string that is no pattern (the AST visitor guesses)
        unique.setdefault((pattern, flags & ~re.UNICODE), where)
    return [(where, pattern, flags) for (pattern, flags), where in unique.items()]


# -- cutting possessive repeats and atomic groups out ---------------------------------------------
def _cut(data: list, state: object, units: list[list]) -> list:
    """``data`` without its possessive repeats and atomic groups (their bodies go to ``units``)."""
    kept = []
    for op, value in data:
        if op is _POSSESSIVE:
            units.append(_cut(list(value[2]), state, units))
        elif op is _ATOMIC:
            units.append(_cut(list(value), state, units))
        elif op in _REPEATS:
            kept.append((op, (value[0], value[1], _sub(_cut(list(value[2]), state, units), state))))
        elif op is sre_constants.SUBPATTERN:
            kept.append((op, (*value[:3], _sub(_cut(list(value[3]), state, units), state))))
        elif op is sre_constants.BRANCH:
            kept.append((op, (value[0], [_sub(_cut(list(b), state, units), state) for b in value[1]])))
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            units.append(_cut(list(value[1]), state, units))  # a lookaround is a match of its own
            kept.append((op, (value[0], _sub([], state))))
        elif op is sre_constants.GROUPREF_EXISTS:
            group, yes, no = value
            kept.append((op, (group, _sub(_cut(list(yes), state, units), state),
                              _sub(_cut(list(no), state, units), state) if no else None)))
        else:
            kept.append((op, value))
    return kept


def _sub(data: list, state: object) -> sre_parse.SubPattern:
    return sre_parse.SubPattern(state, data)


def _units(pattern: str, flags: int) -> list[sre_parse.SubPattern]:
    """The pattern and the body of each possessive repeat or atomic group in it, each as a pattern
    that must reach the end of the text (a failing ``fullmatch``: the worst case)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = sre_parse.parse(pattern, flags & ~re.UNICODE)
    state = parsed.state
    bodies: list[list] = []
    top = _cut(list(parsed.data), state, bodies)
    end = (sre_constants.AT, sre_constants.AT_END)
    return [_sub([(sre_constants.SUBPATTERN, (None, 0, 0, _sub(unit, state))), end], state) for unit in [top, *bodies]]


def _regexploit_findings(unit: sre_parse.SubPattern) -> list[str]:
    parser = regexploit_sre.SreOpParser()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = parser.sequence_or_singleton(unit.data)
    if parsed is None:
        return []
    return [f"regexploit: starriness {r.starriness}, e.g. {r.example()}" for r in regexploit_redos.find(parsed)
            if r.starriness > 2]


def _dlint_findings(unit: sre_parse.SubPattern) -> list[str]:
    root = dlint_detect.OpNode(None, ())
    dlint_detect.build_op_tree(root, unit)
    found = []
    if dlint_detect.max_nested_quantifiers(root) > 1:
        found.append("dlint: nested unbounded repeats")
    if dlint_detect.mutually_inclusive_alternation(root):
        found.append("dlint: overlapping alternatives under a repeat")
    return found


def findings(pattern: str, flags: int = 0) -> list[str]:
    """What the two detectors say about one pattern (empty: linear as far as they can tell).

    >>> findings(r"(?:[a-zA-Z]+\\s*)*[.]?\\s*")
    ['dlint: nested unbounded repeats']
    >>> findings(r"(?:[a-zA-Z]++\\s*+)*[.]?\\s*"), findings(r"\\s*+\\d+")
    ([], [])
    """
    found: list[str] = []
    for unit in _units(pattern, flags):
        found += _regexploit_findings(unit) + _dlint_findings(unit)
    return list(dict.fromkeys(found))


KNOWN_BAD = [
    r"\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*(?:[a-zA-Z]+\s*)*[.]?\s*",  # issue 19's lexer pattern
    r"(a+)+b",
    r"\d*\d*\d*x",
    r"(?>(?:a+)*b)",  # atomic outside, exponential inside
    r"x(?:a|\d*\d*\d*)++y",  # possessive outside: its body is still checked on its own
]
KNOWN_GOOD = [r"\s*+\d++", r"(?:[a-z]++\s*+)*+", r"[1-9]\d{0,2}(?:,\d{3})+", r"\\(?:boxed|fbox)(?![a-zA-Z])"]


@pytest.mark.parametrize("pattern", KNOWN_BAD)
def test_the_checker_finds_known_catastrophic_patterns(pattern: str) -> None:
    assert findings(pattern), pattern


@pytest.mark.parametrize("pattern", KNOWN_GOOD)
def test_the_checker_passes_linear_patterns(pattern: str) -> None:
    assert findings(pattern) == []


def test_the_checker_sees_the_whole_package() -> None:
    patterns = all_patterns()
    where = {w.split(":")[0].split(".")[0] for w, _, _ in patterns}
    assert len(patterns) > 100 and {"verifiers/math/lexer", "assay"} <= where | {"assay"}, sorted(where)[:20]


def test_no_regular_expression_in_the_package_can_backtrack_catastrophically() -> None:
    report = [
        f"{where}: {pattern!r}: {'; '.join(found)}"
        for where, pattern, flags in all_patterns()
        if (found := findings(pattern, flags))
    ]
    assert not report, "\n".join(report)

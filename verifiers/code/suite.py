"""A tests mapping read into a validated TestSuite, and the per-test judgement of sandbox results.

Formats (DESIGN.md section 3): ``{"entry_point", "calls": [{"args", "kwargs", "expected"}],
"compare"}``, ``{"stdio": [{"stdin", "stdout"}]}`` or MBPP's ``{"asserts": ["assert f(1) == 2"]}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import DatasetError
from assay.verifiers.code import values
from assay.verifiers.code.asserts import asserts_to_tests

CALL_COMPARES = ("exact", "approx", "unordered", "set", "truthy", "falsy")
STDIO_COMPARES = ("lines", "tokens", "exact", "approx")
MAX_TESTS = 10_000


@dataclass(frozen=True)
class CallTest:
    args: list
    kwargs: list
    expected: list | None  # None for truthy/falsy
    compare: str
    rel_tol: float
    abs_tol: float


@dataclass(frozen=True)
class StdioTest:
    stdin: str
    stdout: str


@dataclass(frozen=True)
class TestSuite:
    """What a candidate must satisfy; built by ``read_tests`` from a mapping."""

    mode: str  # "call" or "stdio"
    entry_point: str = ""
    calls: tuple[CallTest, ...] = ()
    stdio: tuple[StdioTest, ...] = ()
    compare: str = "exact"
    prefix: str = ""  # trusted code run before the candidate's (imports, helpers of the dataset)
    test_timeout_s: float | None = None
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.calls) if self.mode == "call" else len(self.stdio)


def _value(raw: Any, encoding: str, what: str) -> list:
    if encoding == "tagged":
        try:
            return values.check(raw)
        except values.ValueFormatError as error:
            raise DatasetError(f"{what}: {error}") from None
    return values.from_json(raw)


def _tolerance(raw: Any, default: float, name: str) -> float:
    value = default if raw is None else raw
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise DatasetError(f"tests: {name} must be a non-negative number, not {value!r}")
    return float(value)


def read_tests(tests: Mapping[str, Any]) -> TestSuite:
    """Validates a tests mapping; DatasetError says what is wrong.

    >>> suite = read_tests({"entry_point": "f", "calls": [{"args": [1], "expected": 2}]})
    >>> suite.mode, len(suite), suite.calls[0].expected
    ('call', 1, ['int', '2'])
    >>> read_tests({"calls": []})
    Traceback (most recent call last):
    ...
    assay.errors.DatasetError: tests: a call test set needs an entry_point (a function name, or 'Class.method')
    """
    if not isinstance(tests, Mapping):
        raise DatasetError(f"tests must be a mapping, not {type(tests).__name__}")
    prefix = tests.get("prefix", "") or ""
    if not isinstance(prefix, str):
        raise DatasetError("tests: prefix must be Python source text")
    timeout = tests.get("test_timeout_s")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600):
        raise DatasetError(f"tests: test_timeout_s must be in (0, 600], not {timeout!r}")
    if "asserts" in tests:
        converted = asserts_to_tests(tests["asserts"], tests.get("entry_point"))
        return read_tests({**{k: v for k, v in tests.items() if k != "asserts"}, **converted})
    if "stdio" in tests:
        cases = tests["stdio"]
        if not isinstance(cases, list) or not cases or len(cases) > MAX_TESTS:
            raise DatasetError(f"tests: stdio must be a non-empty list of at most {MAX_TESTS} cases")
        compare = tests.get("compare", "lines")
        if compare not in STDIO_COMPARES:
            raise DatasetError(f"tests: stdio compare must be one of {', '.join(STDIO_COMPARES)}, not {compare!r}")
        read = []
        for case in cases:
            if not isinstance(case, Mapping) or not isinstance(case.get("stdin", ""), str) or not isinstance(case.get("stdout"), str):
                raise DatasetError("tests: every stdio case needs a 'stdin' and a 'stdout' string")
            read.append(StdioTest(case.get("stdin", ""), case["stdout"]))
        return TestSuite("stdio", stdio=tuple(read), compare=compare, prefix=prefix, test_timeout_s=timeout,
                         extra={"rel_tol": _tolerance(tests.get("rel_tol"), 1e-6, "rel_tol"),
                                "abs_tol": _tolerance(tests.get("abs_tol"), 1e-9, "abs_tol")})
    entry = tests.get("entry_point")
    if not isinstance(entry, str) or not all(part.isidentifier() for part in entry.split(".")) or entry.count(".") > 1:
        raise DatasetError("tests: a call test set needs an entry_point (a function name, or 'Class.method')")
    calls = tests.get("calls")
    if not isinstance(calls, list) or not calls or len(calls) > MAX_TESTS:
        raise DatasetError(f"tests: calls must be a non-empty list of at most {MAX_TESTS} tests")
    encoding = tests.get("encoding", "json")
    if encoding not in ("json", "tagged"):
        raise DatasetError(f"tests: encoding must be 'json' or 'tagged', not {encoding!r}")
    compare = tests.get("compare", "exact")
    if compare not in CALL_COMPARES:
        raise DatasetError(f"tests: compare must be one of {', '.join(CALL_COMPARES)}, not {compare!r}")
    rel = _tolerance(tests.get("rel_tol"), 1e-6, "rel_tol")
    absolute = _tolerance(tests.get("abs_tol"), 1e-9, "abs_tol")
    read_calls = []
    for number, call in enumerate(calls):
        if not isinstance(call, Mapping):
            raise DatasetError(f"tests: call {number} is not a mapping")
        args, kwargs = call.get("args", []), call.get("kwargs") or ({} if encoding == "json" else [])
        if not isinstance(args, list):
            raise DatasetError(f"tests: call {number}: args must be a list")
        if encoding == "json":
            if not isinstance(kwargs, Mapping):
                raise DatasetError(f"tests: call {number}: kwargs must be a mapping")
            pairs = [[name, values.from_json(v)] for name, v in kwargs.items()]
        else:
            if not isinstance(kwargs, list) or not all(isinstance(p, list) and len(p) == 2 for p in kwargs):
                raise DatasetError(f"tests: call {number}: tagged kwargs must be [name, value] pairs")
            pairs = [[name, _value(v, encoding, f"call {number} kwarg {name}")] for name, v in kwargs]
        if not all(isinstance(name, str) and name.isidentifier() for name, _ in pairs):
            raise DatasetError(f"tests: call {number}: keyword names must be identifiers")
        own = call.get("compare", compare)
        if own not in CALL_COMPARES:
            raise DatasetError(f"tests: call {number}: compare must be one of {', '.join(CALL_COMPARES)}")
        if own in ("truthy", "falsy"):
            expected = None
        elif "expected" not in call:
            raise DatasetError(f"tests: call {number} has no expected value")
        else:
            expected = _value(call["expected"], encoding, f"call {number} expected")
        read_calls.append(CallTest(
            [_value(a, encoding, f"call {number} argument") for a in args], pairs, expected, own,
            _tolerance(call.get("rel_tol"), rel, "rel_tol"), _tolerance(call.get("abs_tol"), absolute, "abs_tol"),
        ))
    return TestSuite("call", entry_point=entry, calls=tuple(read_calls), compare=compare, prefix=prefix, test_timeout_s=timeout)


def judge_call(test: CallTest, actual: list) -> bool:
    """Whether a returned value (tagged, from the sandbox, already checked) passes one call test."""
    if test.compare == "truthy":
        return values.truthy(actual) is True
    if test.compare == "falsy":
        return values.truthy(actual) is False
    assert test.expected is not None  # read_tests guarantees it for the other modes
    if test.compare == "approx":
        return values.equal(test.expected, actual, approx=True, rel_tol=test.rel_tol, abs_tol=test.abs_tol)
    if test.compare == "unordered":
        return values.equal_unordered(test.expected, actual)
    if test.compare == "set":
        if actual[0] not in ("list", "tuple", "set", "frozenset") or test.expected[0] not in values.CONTAINERS:
            return False
        if any(item[0] == "opaque" for item in actual[1]):
            return False
        return {values.key(x) for x in actual[1]} == {values.key(x) for x in test.expected[1]}
    return values.equal(test.expected, actual)


def judge_stdout(suite: TestSuite, expected: str, actual: str) -> bool:
    """Whether a program's stdout matches: by lines (trailing spaces and blank lines ignored), by
    whitespace-separated tokens, exactly, or by tokens with numbers compared approximately.

    >>> suite = TestSuite("stdio", compare="lines")
    >>> judge_stdout(suite, "1 2\\n3\\n", "1 2  \\n3\\n\\n")
    True
    """
    if suite.compare == "exact":
        return expected == actual
    if suite.compare == "lines":
        def lines(text: str) -> list[str]:
            rows = [row.rstrip() for row in text.replace("\r\n", "\n").split("\n")]
            while rows and not rows[-1]:
                rows.pop()
            return rows
        return lines(expected) == lines(actual)
    want, got = expected.split(), actual.split()
    if len(want) != len(got):
        return False
    if suite.compare == "tokens":
        return want == got
    for w, g in zip(want, got, strict=True):
        if w == g:
            continue
        try:
            wv, gv = float(w), float(g)
        except ValueError:
            return False
        if not (math.isfinite(wv) and math.isfinite(gv)) or not math.isclose(wv, gv, rel_tol=suite.extra["rel_tol"], abs_tol=suite.extra["abs_tol"]):
            return False
    return True

"""Tables for the code verifier's parts: value comparison, MBPP assert conversion, literal answers,
extraction, test-set validation, partial credit and HumanEval/MBPP/APPS-style rows end to end.
"""

from __future__ import annotations

import pytest

from assay.errors import DatasetError
from assay.verifiers.code import (
    asserts_to_tests,
    extract_code,
    parse_assert,
    read_tests,
    verify,
)
from assay.verifiers.code.predict import parse_arguments, parse_literal, verify_value
from assay.verifiers.code.values import (
    ValueFormatError,
    check,
    equal,
    equal_unordered,
    from_json,
    from_python,
)

T = from_python

# (expected, actual, approx, equal?, why)
COMPARISONS = [
    (T(1), T(1), False, True, "same int"),
    (T(1), T(True), False, False, "bool is not int"),
    (T(True), T(1), False, False, "int is not bool"),
    (T(1), T(1.0), False, False, "float is not int"),
    (T(1), T(1.0), True, True, "approx mixes int and float"),
    (T(True), T(1.0), True, False, "approx never makes a bool a number"),
    (T(0.1 + 0.2), T(0.3), False, False, "exact floats"),
    (T(0.1 + 0.2), T(0.3), True, True, "approx floats"),
    (T(float("nan")), T(float("nan")), False, True, "NaN equals NaN"),
    (T(-0.0), T(0.0), False, True, "signed zeros"),
    (T((1, 2)), T([1, 2]), False, False, "tuple is not list"),
    (from_json([1, 2]), T((1, 2)), False, True, "a JSON array matches a tuple"),
    (from_json([1, 2]), T([1, 2]), False, True, "a JSON array matches a list"),
    (T({1, 2}), T({2, 1}), False, True, "sets in any order"),
    (T({1, 2}), T(frozenset({1, 2})), False, False, "set is not frozenset"),
    (T({"a": 1, "b": [2]}), T({"b": [2], "a": 1}), False, True, "dicts in any order"),
    (T({"a": 1}), T({"a": 1, "b": 2}), False, False, "an extra key"),
    (T({1: "x"}), T({True: "x"}), False, False, "bool key is not int key"),
    (T("abc"), T(b"abc"), False, False, "bytes is not str"),
    (T(None), T(0), False, False, "None is not 0"),
    (T(10**50), T(10**50), False, True, "big ints"),
    (T([1, [2, [3]]]), T([1, [2, [4]]]), False, False, "a deep difference"),
    (T(1), ["opaque", "int"], False, False, "an opaque value equals nothing"),
    (T(1 + 2j), T(1 + 2j), False, True, "complex"),
]


@pytest.mark.parametrize(("expected", "actual", "approx", "same", "why"), COMPARISONS, ids=[c[4] for c in COMPARISONS])
def test_comparison(expected, actual, approx, same, why):
    assert equal(expected, actual, approx=approx) is same, why


def test_unordered_counts_duplicates():
    assert equal_unordered(from_json([1, 1, 2]), T([2, 1, 1]))
    assert not equal_unordered(from_json([1, 1, 2]), T([2, 2, 1]))
    assert not equal_unordered(T((1, 2)), T([2, 1]))


@pytest.mark.parametrize("bad", [["int", "01"], ["int", "-0"], ["int", "1.5"], ["float", "x"], ["nope"], ["list", "x"],
                                 ["bool", 1], ["dict", [[["str", "a"]]]], "str", ["none", 1], ["int", "١"]])
def test_malformed_tagged_values_are_refused(bad):
    with pytest.raises(ValueFormatError):
        check(bad)


# (assert text, expected call fields, why)
ASSERTS = [
    ("assert f(3) == 9", {"args": [T(3)], "expected": T(9)}, "the plain form"),
    ("assert 9 == f(3)", {"args": [T(3)], "expected": T(9)}, "reversed sides"),
    ("assert f([1, 2], k=3) == (1, 2)", {"args": [T([1, 2])], "kwargs": [["k", T(3)]], "expected": T((1, 2))}, "kwargs and a tuple"),
    ("assert f(-2) is None", {"expected": T(None)}, "is None"),
    ("assert f(1)", {"compare": "truthy"}, "truthy"),
    ("assert not f(1)", {"compare": "falsy"}, "falsy"),
    ("assert math.isclose(f(2), 1.41, rel_tol=0.01)", {"compare": "approx", "rel_tol": 0.01}, "isclose"),
    ("assert abs(f(2) - 1.41) < 0.01", {"compare": "approx", "abs_tol": 0.01}, "abs difference"),
    ("assert set(f([1, 1, 2])) == set([1, 2])", {"compare": "set"}, "set comparison"),
    ("assert sorted(f([3, 1])) == [1, 3]", {"compare": "unordered"}, "sorted comparison"),
]


@pytest.mark.parametrize(("text", "fields", "why"), ASSERTS, ids=[a[2] for a in ASSERTS])
def test_assert_conversion(text, fields, why):
    name, call = parse_assert(text)
    assert name == "f"
    for key, value in fields.items():
        assert call[key] == value, (why, key, call)


@pytest.mark.parametrize("text", [
    "assert f(x) == 1",  # a name, not a literal
    "assert f(1) == g(2)",  # a call on the other side
    "assert f(__import__('os').system('x')) == 0",  # code in an argument
    "assert f(1) == 2 and f(2) == 3",  # a compound test
    "assert f(1) < 2",  # an unsupported comparison
    "import os",  # not an assert
    "assert f(*[1]) == 1",  # starred
    "assert obj.f(1) == 1",  # a method
    "assert f(1) == 1; assert f(2) == 2",  # two statements
    "assert f(1 == 1",  # not Python
])
def test_non_literal_asserts_are_refused_not_run(text):
    with pytest.raises(DatasetError):
        parse_assert(text)


def test_asserts_name_one_function():
    with pytest.raises(DatasetError):
        asserts_to_tests(["assert f(1) == 1", "assert g(1) == 1"])
    with pytest.raises(DatasetError):
        asserts_to_tests(["assert f(1) == 1"], entry_point="g")


# (answer text, literal?, why)
LITERALS = [
    ("3", True, "int"), ("-3.5", True, "negative float"), ("'a'", True, "str"), ("[1, (2, {3: None})]", True, "nested"),
    ("1+2j", True, "complex"), ("True", True, "bool"), ("1 + 2", False, "arithmetic is not a literal"),
    ("x", False, "a name"), ("f(1)", False, "a call"), ("__import__('os').system('ls')", False, "code"),
    ("[1] * 10**9", False, "a memory bomb"), ("(" * 5000 + "1" + ")" * 5000, False, "deep nesting"),
    ("9" * 5000, False, "an int past the digit limit"), ("...", False, "Ellipsis"), ("lambda: 1", False, "a lambda"),
]


@pytest.mark.parametrize(("text", "ok", "why"), LITERALS, ids=[lit[2] for lit in LITERALS])
def test_literal_parsing(text, ok, why):
    assert (parse_literal(text) is not None) is ok, why


def test_argument_lists():
    assert parse_arguments("f(1, 'a')", "f") == [T(1), T("a")]
    assert parse_arguments("1, 'a'", "f") == [T(1), T("a")]
    assert parse_arguments("(1, 'a')", "f") == [T((1, "a"))]
    assert parse_arguments("f(x=1)", "f") is None
    assert parse_arguments("g(1)", "f") is None
    assert parse_arguments("f(open('x'))", "f") is None


def test_value_answers_are_type_strict():
    assert verify_value("<answer>3</answer>", T(3)).passed
    assert verify_value("<answer>3.0</answer>", T(3)).reason == "wrong_answer"
    assert verify_value("<answer>'3'</answer>", T(3)).reason == "wrong_answer"
    assert verify_value("<answer>3 + 0</answer>", T(3)).reason == "unparseable"
    assert verify_value("nothing", T(3)).reason == "no_answer"


def test_extraction():
    assert extract_code("```python\na = 1\n```\ntext\n```py\nb = 2\n```") == "b = 2"
    assert extract_code("<answer>\n```python\nc = 3\n```\n</answer>") == "c = 3"
    assert extract_code("```python\n\n```") is None
    assert extract_code("```python\nunclosed") is None


@pytest.mark.parametrize("tests", [
    {}, {"entry_point": "f"}, {"entry_point": "f", "calls": []}, {"entry_point": "1x", "calls": [{"args": [], "expected": 1}]},
    {"entry_point": "f", "calls": [{"args": []}]}, {"entry_point": "f", "calls": [{"args": 1, "expected": 1}]},
    {"entry_point": "f", "compare": "fuzzy", "calls": [{"args": [], "expected": 1}]},
    {"entry_point": "f", "encoding": "tagged", "calls": [{"args": [], "expected": 1}]},
    {"stdio": []}, {"stdio": [{"stdin": "1"}]}, {"stdio": [{"stdin": "", "stdout": ""}], "compare": "loose"},
    {"asserts": "assert f(1) == 1"},
])
def test_malformed_test_sets_raise_dataset_errors(tests):
    with pytest.raises(DatasetError):
        read_tests(tests)


HUMANEVAL_ROW = {
    "task_id": "HumanEval/0-style",
    "prompt": "def has_close_elements(numbers, threshold):\n    \"\"\"Any two numbers closer than threshold?\"\"\"\n",
    "entry_point": "has_close_elements",
    "tests": {"entry_point": "has_close_elements", "calls": [
        {"args": [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3], "expected": True},
        {"args": [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05], "expected": False},
        {"args": [[1.0, 2.0, 5.9, 4.0, 5.0], 0.95], "expected": True},
        {"args": [[], 1.0], "expected": False},
    ]},
}
CORRECT = ("```python\ndef has_close_elements(numbers, threshold):\n    s = sorted(numbers)\n"
           "    return any(b - a < threshold for a, b in zip(s, s[1:]))\n```")


def test_humaneval_style_row():
    assert verify(CORRECT, HUMANEVAL_ROW["tests"]).passed
    wrong = CORRECT.replace("b - a < threshold", "b - a <= threshold / 10")
    verdict = verify(wrong, HUMANEVAL_ROW["tests"])
    assert verdict.reason == "wrong_answer" and verdict.detail["tests_passed"] == 2


def test_mbpp_style_row_and_partial_credit():
    tests = {"asserts": ["assert similar([3, 4, 5], [5, 7, 4]) == (4, 5)", "assert similar([1, 2], [3]) == ()",
                         "assert similar([1], [1]) == (1,)", "assert similar([], []) == ()"]}
    right = "```python\ndef similar(a, b):\n    return tuple(sorted(set(a) & set(b)))\n```"
    assert verify(right, tests).passed
    lists = "```python\ndef similar(a, b):\n    return sorted(set(a) & set(b))\n```"
    assert verify(lists, tests).score == 0.0  # a list where MBPP's literal is a tuple
    half = "```python\ndef similar(a, b):\n    return () if len(a) < 3 else (4, 5)\n```"
    strict, partial = verify(half, tests), verify(half, tests, partial_credit=True)
    assert strict.score == 0.0 and strict.detail["pass_fraction"] == 0.75
    assert partial.score == 0.75 and not partial.passed


def test_apps_style_stdio_row_with_tokens_and_approx():
    tests = {"stdio": [{"stdin": "3\n", "stdout": "0.333333\n"}], "compare": "approx", "rel_tol": 1e-4}
    assert verify("```python\nprint(1 / int(input()))\n```", tests).passed
    assert not verify("```python\nprint(1 / int(input()) + 0.01)\n```", tests).passed
    tokens = {"stdio": [{"stdin": "", "stdout": "1 2\n3"}], "compare": "tokens"}
    assert verify("```python\nprint('1\\n2 3')\n```", tokens).passed


def test_prefix_runs_before_the_candidate():
    tests = {"prefix": "from typing import List\nBASE = 10", "entry_point": "f", "calls": [{"args": [1], "expected": 11}]}
    assert verify("```python\ndef f(x: List[int]) -> int:\n    return x + BASE\n```", tests).passed


def test_leetcode_style_class_method_entry_point():
    tests = {"entry_point": "Solution.twoSum", "calls": [{"args": [[2, 7, 11, 15], 9], "expected": [0, 1]},
                                                         {"args": [[3, 3], 6], "expected": [0, 1]}]}
    solution = ("```python\nclass Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n"
                "        for i, x in enumerate(nums):\n            if target - x in seen:\n"
                "                return [seen[target - x], i]\n            seen[x] = i\n```")
    assert verify(solution, tests).passed
    assert verify(solution.replace("return [seen[target - x], i]", "return [i, seen[target - x]]"), tests).reason == "wrong_answer"
    assert verify("```python\ndef twoSum(nums, target):\n    return [0, 1]\n```", tests).reason == "missing_function"


def test_humaneval_prompt_as_prefix_and_the_body_as_completion():
    # HumanEval's own convention: the program is the prompt (signature, docstring) then the body
    tests = {**HUMANEVAL_ROW["tests"], "prefix": HUMANEVAL_ROW["prompt"]}
    body = "```python\n    s = sorted(numbers)\n    return any(b - a < threshold for a, b in zip(s, s[1:]))\n```"
    assert verify(body, tests).passed
    assert verify(CORRECT, tests).passed  # the whole function again after the prompt
    assert verify(body.replace("b - a < threshold", "b - a > threshold"), tests).reason == "wrong_answer"
    assert verify("```python\n    return True\n  x = (\n```", tests).reason == "syntax_error"

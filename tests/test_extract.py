"""Answer extraction: a table of (text, options, expected, why)."""

from __future__ import annotations

import time

import pytest

from assay.extract import answer_block, boxed, extract_answer, fenced_block, final_response

CASES = [
    ("<answer>42</answer>", {}, "42", "plain block"),
    ("<answer> 42 \n</answer>", {}, "42", "whitespace trimmed"),
    ("<ANSWER>7</Answer>", {}, "7", "tags are case-insensitive"),
    ("< answer >7</ answer >", {}, "7", "spaces inside tags"),
    ("<answer>1</answer> then <answer>2</answer>", {}, "2", "the last block wins"),
    ("<answer>1</answer> then <answer>2", {}, "1", "an unterminated block is not an answer"),
    ("<answer>a <answer>b</answer>", {}, "b", "nested opening: innermost last"),
    ("</answer>3<answer>", {}, None, "tags in the wrong order"),
    ("the answer is 5", {}, None, "prose is not an answer block"),
    ("", {}, None, "empty text"),
    (r"\boxed{5}", {}, None, "boxed ignored unless allowed"),
    (r"\boxed{5}", {"allow_boxed": True}, "5", "boxed allowed"),
    (r"\boxed{\frac{1}{2}}", {"allow_boxed": True}, r"\frac{1}{2}", "nested braces"),
    (r"\boxed{1} and \boxed{2}", {"allow_boxed": True}, "2", "last boxed wins"),
    (r"\fbox{9}", {"allow_boxed": True}, "9", "fbox"),
    (r"\boxed {x^{2}}", {"allow_boxed": True}, "x^{2}", "space before brace"),
    (r"\boxed 7.", {"allow_boxed": True}, "7", "unbraced token"),
    (r"\boxed{\{1, 2\}}", {"allow_boxed": True}, r"\{1, 2\}", "escaped braces do not close"),
    (r"\boxed{2} \boxed{3", {"allow_boxed": True}, "2", "an unbalanced later box is skipped"),
    (r"\boxedx{3}", {"allow_boxed": True}, None, "a different macro"),
    (r"<answer>3</answer> wait \boxed{4}", {"allow_boxed": True}, "4", "later boxed self-correction wins"),
    (r"\boxed{4} so <answer>3</answer>", {"allow_boxed": True}, "3", "later block wins"),
    (r"<answer>\boxed{4}</answer>", {"allow_boxed": True}, r"\boxed{4}", "block containing a box ends last"),
    ("```python\nprint(1)\n```", {"fence": "python"}, "print(1)", "python fence"),
    ("```py\nprint(1)\n```", {"fence": "python"}, "print(1)", "alias py"),
    ("```\nSELECT 1\n```", {"fence": "sql"}, "SELECT 1", "unlabelled fence counts"),
    ("```sql\nSELECT 1\n```\n```python\nx\n```", {"fence": "sql"}, "SELECT 1", "other language skipped"),
    ("```sql\nSELECT 1\n```\n```sql\nSELECT 2\n```", {"fence": "sql"}, "SELECT 2", "last fence wins"),
    ("```sql\nSELECT 1", {"fence": "sql"}, None, "unterminated fence"),
]


@pytest.mark.parametrize("text, options, expected, why", CASES, ids=[c[3] for c in CASES])
def test_extraction_table(text, options, expected, why):
    assert extract_answer(text, **options) == expected, why


@pytest.mark.parametrize(
    "text",
    [
        "<answer>" * 200_000,
        "</answer>" * 200_000,
        "\\boxed{" * 200_000,
        "{" * 1_000_000 + "\\boxed{1}",
        "```" * 300_000,
        "x" * 10_000_000,
        "\x00\xff" * 1_000_000,
    ],
    ids=["open tags", "close tags", "open boxes", "braces", "fences", "10MB", "binary"],
)
def test_pathological_inputs_stay_fast(text):
    # Not a timing assertion of performance, a guard against quadratic blow-up (seconds vs hours).
    start = time.perf_counter()
    extract_answer(text, allow_boxed=True, fence="python")
    answer_block(text)
    boxed(text)
    fenced_block(text)
    assert time.perf_counter() - start < 30


REASONING = [
    ("<think>so <answer>4</answer></think> The answer is 5.", " The answer is 5."),
    ("</think>\n<answer>5</answer>", "\n<answer>5</answer>"),
    ("<THINK>a</THINK><thinking>b</thinking>c", "c"),
    ("< think >a< / think >c", "c"),
    ("<reasoning>a</reasoning>c", "c"),
    ("<think>truncated <answer>4</answer>", ""),
    ("c <think> thinking again, cut off", "c "),
    ("<answer>5</answer>", "<answer>5</answer>"),
    ("", ""),
]


@pytest.mark.parametrize("text, expected", REASONING, ids=[r[0][:40] for r in REASONING])
def test_final_response_drops_the_thoughts(text, expected):
    assert final_response(text) == expected
    assert final_response(final_response(text)) == expected  # idempotent


def test_final_response_is_linear():
    start = time.perf_counter()
    final_response("<think>" * 300_000 + "</think>" * 300_000)
    assert time.perf_counter() - start < 30


def _one_per_domain():
    import assay

    ids = ["math/arithmetic", "graph/shortest_path", "sql/aggregate", "code/stdio_lists", "terminal/create_archive"]
    known = set(assay.list_tasks())
    assert set(ids) <= known, set(ids) - known
    return ids


@pytest.mark.parametrize("task_id", _one_per_domain())
def test_an_answer_left_in_the_thoughts_is_not_paid(task_id):
    # the generic "answer only inside a reasoning block" hack, in every domain: the thoughts are
    # never graded, while the same answer after the block (or after a template-opened block) is
    import assay

    (problem,) = assay.generate(task_id, 1, seed=3, difficulty=1)
    gold = f"<answer>{problem.answer}</answer>"
    assert not assay.verify(problem, f"<think>{gold}</think>\nI will not give a final answer.").passed
    assert not assay.verify(problem, f"<think>Let me see. {gold}").passed  # cut off while thinking
    assert assay.verify(problem, f"<think>a first try: <answer>0</answer>?</think>\n{gold}").passed
    assert assay.verify(problem, f"thinking done.</think>\n\n{gold}").passed


def test_final_response_on_its_own_answer_is_that_answer():
    # scoring.verify cuts the completion and the domain extractor cuts it again: the second call
    # returns what the first made, and a fresh string is still cut in full
    from assay.extract import final_response

    for text in ["<think>a</think> <answer>5</answer>", "<answer>5</answer>", "x</think>y<think>z", ""]:
        once = final_response(text)
        assert final_response(once) is once
        assert final_response("".join(list(text))) == once == final_response(final_response(text))

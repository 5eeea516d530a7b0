"""``assay eval``: the unbiased pass@k estimator and its per-task, per-difficulty tables."""

from __future__ import annotations

import itertools
import json
import re
from math import comb

import pytest

import assay
from assay.cli import main
from assay.commands.evaluate import default_ks, evaluate, pass_at_k


def brute_force(n: int, c: int, k: int) -> float:
    """pass@k by enumeration: the share of k-subsets of the n samples holding a pass."""
    samples = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(range(n), k))
    return sum(any(samples[i] for i in subset) for subset in subsets) / len(subsets)


@pytest.mark.parametrize("n", range(1, 8))
def test_pass_at_k_equals_enumeration(n: int) -> None:
    for c in range(n + 1):
        for k in range(1, n + 1):
            assert pass_at_k(n, c, k) == pytest.approx(brute_force(n, c, k)), (n, c, k)
            assert pass_at_k(n, c, k) == pytest.approx(1 - comb(n - c, k) / comb(n, k))


def test_pass_at_k_is_stable_for_large_n_and_refuses_bad_input() -> None:
    assert pass_at_k(1000, 1, 1) == pytest.approx(0.001)
    assert pass_at_k(1000, 1, 500) == pytest.approx(0.5)
    assert 0.0 < pass_at_k(10**6, 1, 2) < 1e-5
    for bad in ((3, 4, 1), (3, 1, 4), (3, 1, 0), (3, -1, 1)):
        with pytest.raises(ValueError):
            pass_at_k(*bad)


def records_for(samples: dict[tuple[str, str, int | None], list[bool]]) -> list[dict]:
    return [{"id": pid, "task": task, "difficulty": level, "score": float(ok), "passed": ok, "reason": "correct" if ok else "wrong_answer"}
            for (task, pid, level), outcomes in samples.items() for ok in outcomes]


def test_groups_per_task_difficulty_and_overall() -> None:
    records = records_for({
        ("a", "p1", 1): [True, False, False, False],
        ("a", "p2", 2): [False, False, False, False],
        ("a", "p3", 2): [True, True, False, False],
        ("b", "q1", None): [False, True],
    })
    records.append({"id": "zz", "task": None, "score": 0.0, "passed": False, "reason": "unknown_id"})  # skipped
    results = {(r.task, r.difficulty): r for r in evaluate(records, [1, 2, 4])}
    assert set(results) == {("a", 1), ("a", 2), ("a", None), ("b", None), ("all", None)}
    assert results[("a", 1)].pass_at == {1: 0.25, 2: 0.5, 4: 1.0}
    assert results[("a", 2)].pass_at[1] == pytest.approx(0.25) and results[("a", 2)].pass_at[2] == pytest.approx((0 + 5 / 6) / 2)
    assert results[("a", None)].problems == 3 and results[("a", None)].samples == 12
    # b has only 2 samples: no pass@4 there, and the overall pass@4 counts only problems with 4 samples
    assert results[("b", None)].pass_at == {1: 0.5, 2: 1.0, 4: None}
    assert results[("all", None)].counted == {1: 4, 2: 4, 4: 3}
    assert results[("all", None)].pass_at[4] == pytest.approx((1 + 0 + 1) / 3)
    assert default_ks(16) == [1, 2, 4, 8, 16]


def test_split_by_a_record_field() -> None:
    records = records_for({("a", "p1", 1): [True, True]})
    for record in records:
        record["model"] = "m1"
    other = records_for({("a", "p1", 1): [False, False]})
    for record in other:
        record["model"] = "m2"
    results = evaluate(records + other, [1], by="model")
    assert [(r.group, r.task, r.pass_at[1]) for r in results if r.difficulty is None] == [
        ("m1", "a", 1.0), ("m1", "all", 1.0), ("m2", "a", 0.0), ("m2", "all", 0.0)]


def test_the_command_on_verdicts_of_real_completions(tmp_path, capsys) -> None:
    problems = assay.generate("math/arithmetic", 4, seed=0, difficulty=1) + assay.generate("math/arithmetic", 2, seed=1, difficulty=3)
    # problem i gets i % 4 right answers out of 4 samples
    pairs = [(p, f"<answer>{p.answer}</answer>" if s < i % 4 else "no") for i, p in enumerate(problems) for s in range(4)]
    verdicts = assay.verify_batch([p for p, _ in pairs], [c for _, c in pairs])
    path = tmp_path / "verdicts.jsonl"
    with path.open("w") as handle:
        for (p, _), v in zip(pairs, verdicts):
            handle.write(json.dumps({"id": p.id, "task": p.task, "difficulty": p.meta["difficulty"], **v.to_dict()}) + "\n")
    assert main(["eval", str(path), "-k", "1,4", "--json", "--out", str(tmp_path / "out.json")]) == 0
    printed = json.loads(capsys.readouterr().out)
    rows = {(r["task"], r["difficulty"]): r for r in printed}
    level1 = [pass_at_k(4, c, 1) for c in (0, 1, 2, 3)]
    assert rows[("math/arithmetic", 1)]["pass_at"]["1"] == pytest.approx(sum(level1) / 4)
    assert rows[("math/arithmetic", 1)]["pass_at"]["4"] == pytest.approx(3 / 4)
    assert rows[("math/arithmetic", 3)]["pass_at"]["1"] == pytest.approx((0 + 0.25) / 2)
    assert json.loads((tmp_path / "out.json").read_text()) == printed
    assert main(["eval", str(path)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:5] == ["task", "difficulty", "problems", "samples", "mean"] and "pass@4" in table


def test_bad_files_are_reported(tmp_path, capsys) -> None:
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n")
    assert main(["eval", str(bad)]) == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main(["eval", str(empty)]) == 1
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps({"id": "a", "task": "t", "passed": True, "score": 1.0}) + "\n")
    assert main(["eval", str(ok), "-k", "x"]) == 2
    assert "assay eval: error" in capsys.readouterr().err


def test_generate_verify_eval_pipeline(tmp_path, capsys) -> None:
    from assay.datasets import read_problems

    folder = tmp_path / "corpus"
    assert main(["generate", "math/arithmetic", "--n", "5", "--seed", "3", "--test-size", "0", "--format", "jsonl", "--out", str(folder)]) == 0
    problems = read_problems(folder)
    with (tmp_path / "completions.jsonl").open("w") as handle:
        for index, problem in enumerate(problems):
            for sample in range(3):  # problem i: min(i, 3) right answers of 3
                text = f"<answer>{problem.answer}</answer>" if sample < index else "pass"
                handle.write(json.dumps({"id": problem.id, "completion": text, "sample": sample}) + "\n")
    verdicts = tmp_path / "verdicts.jsonl"
    assert main(["verify", str(folder), str(tmp_path / "completions.jsonl"), "--out", str(verdicts)]) == 0
    capsys.readouterr()
    assert main(["eval", str(verdicts), "-k", "1,3", "--json"]) == 0
    overall = next(r for r in json.loads(capsys.readouterr().out) if r["task"] == "all")
    correct = [min(i, 3) for i in range(len(problems))]
    assert overall["problems"] == len(problems) and overall["samples"] == 3 * len(problems)
    assert overall["pass_at"]["1"] == pytest.approx(sum(c / 3 for c in correct) / len(problems))
    assert overall["pass_at"]["3"] == pytest.approx(sum(c > 0 for c in correct) / len(problems))


def _verdict_lines(tmp_path) -> tuple:
    problems = assay.generate("math/arithmetic", 3, seed=0, difficulty=1)
    pairs = [(p, f"<answer>{p.answer}</answer>" if s < i else "no") for i, p in enumerate(problems) for s in range(8)]
    verdicts = assay.verify_batch([p for p, _ in pairs], [c for _, c in pairs], executor="inline")
    lines = [json.dumps({"id": p.id, "task": p.task, "difficulty": 1, **v.to_dict()}) for (p, _), v in zip(pairs, verdicts)]
    return problems, lines


def test_k_is_accepted_as_the_readme_writes_it_and_comma_separated(tmp_path, capsys) -> None:
    _, lines = _verdict_lines(tmp_path)
    path = tmp_path / "verdicts.jsonl"
    path.write_text("\n".join(lines) + "\n")
    outputs = []
    for argv in (["--k", "1", "8"], ["-k", "1,8"], ["-k", "1", "8"], ["--k", "1,8"]):
        assert main(["eval", str(path), *argv, "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert all(output == outputs[0] for output in outputs)
    overall = next(r for r in outputs[0] if r["task"] == "all")
    assert set(overall["pass_at"]) == {"1", "8"}
    assert overall["pass_at"]["8"] == pytest.approx(2 / 3)  # problems 1 and 2 have a pass among 8 samples


def test_skipped_lines_are_reported_and_strict_fails_on_them(tmp_path, capsys) -> None:
    _, lines = _verdict_lines(tmp_path)
    bad = [
        json.dumps({"id": "nope", "task": None, "line": 30, "score": 0.0, "passed": False, "reason": "unknown_id", "detail": {}}),
        json.dumps({"id": None, "task": None, "line": 31, "score": 0.0, "passed": False, "reason": "malformed_input", "detail": {}}),
        json.dumps({"id": "x", "task": "math/arithmetic", "line": 32, "score": 0.0, "passed": False,
                    "reason": "invalid_completion", "detail": {}}),
    ]
    path = tmp_path / "verdicts.jsonl"
    path.write_text("\n".join(lines + bad) + "\n")
    assert main(["eval", str(path), "-k", "1"]) == 0
    err = capsys.readouterr().err
    assert "skipped 3 of 27 lines" in err and "1 unknown_id" in err and "1 malformed_input" in err and "1 invalid_completion" in err
    assert main(["eval", str(path), "-k", "1", "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(lines) + "\n")
    assert main(["eval", str(clean), "-k", "1", "--strict"]) == 0
    assert "skipped" not in capsys.readouterr().err


def test_plot_writes_pass_at_k_curves(tmp_path, capsys) -> None:
    _, lines = _verdict_lines(tmp_path)
    path = tmp_path / "verdicts.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert main(["eval", str(path), "--plot", str(tmp_path / "plots")]) == 0
    written = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert written == ["pass_at_k_math_arithmetic.png", "pass_at_k_tasks.png"]
    for name in written:
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_verify_says_when_the_completions_file_is_empty(tmp_path, capsys) -> None:
    folder = tmp_path / "corpus"
    assert main(["generate", "math/arithmetic", "--n", "3", "--test-size", "0", "--format", "jsonl", "--out", str(folder)]) == 0
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    assert main(["verify", str(folder), str(empty), "--out", str(tmp_path / "v.jsonl")]) == 2
    assert "holds no completion lines" in capsys.readouterr().err


def test_the_corpus_card_shows_pass_at_k_when_verdicts_are_given(tmp_path, capsys) -> None:
    from assay.datasets import read_problems

    folder = tmp_path / "corpus"
    argv = ["generate", "math/arithmetic", "math/gcd_lcm", "--n", "4", "--test-size", "0", "--format", "jsonl",
            "--out", str(folder)]
    assert main(argv) == 0
    assert "pass@" not in (folder / "README.md").read_text() and not (folder / "pass_at_k").exists()  # no verdicts, no plot
    problems = read_problems(folder)
    with (tmp_path / "completions.jsonl").open("w") as handle:
        for index, problem in enumerate(problems):
            for sample in range(2):
                text = f"<answer>{problem.answer}</answer>" if sample < index % 3 else "no idea"
                handle.write(json.dumps({"id": problem.id, "completion": text}) + "\n")
    verdicts = tmp_path / "verdicts.jsonl"
    assert main(["verify", str(folder), str(tmp_path / "completions.jsonl"), "--out", str(verdicts), "--executor", "inline"]) == 0
    for _ in range(2):  # a second run replaces the section, never appends another
        assert main(["eval", str(verdicts), "-k", "1,2", "--card", str(folder)]) == 0
        card = (folder / "README.md").read_text()
        assert card.count("## pass@k") == 1
    links = re.findall(r"\]\((pass_at_k/[^)]+\.png)\)", card)
    assert "pass_at_k/pass_at_k_tasks.png" in links and "pass_at_k/pass_at_k_math_gcd_lcm.png" in links
    for link in links:
        png = (folder / link).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"IEND" in png[-12:]
    assert "| `all` | all | 4 | 8 |" in card and "pass@2" in card
    assert card.index("## Reproducing") < card.index("## pass@k")
    # a corpus regenerated into the folder drops the section and its plots
    capsys.readouterr()
    assert main(argv) == 0
    assert "pass@" not in (folder / "README.md").read_text() and not (folder / "pass_at_k").exists()
    # verdicts of another corpus are refused
    other = tmp_path / "other"
    assert main(["generate", "math/counting", "--n", "2", "--test-size", "0", "--format", "jsonl", "--out", str(other)]) == 0
    assert main(["eval", str(verdicts), "--card", str(other)]) == 2
    assert "holds no task math/arithmetic" in capsys.readouterr().err

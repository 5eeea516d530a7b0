"""Auditing users' rewards end to end: real worker processes, real hangs, crashes and memory
blow-ups, real HTTP servers; every calling convention."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assay.cli import main
from assay.errors import ConfigError
from assay.reward_audit import (
    ERROR,
    FALSE_NEGATIVE,
    FALSE_POSITIVE,
    TIMEOUT,
    RewardLoadError,
    audit_reward,
    parse_reward,
    probe_cases,
)

REWARDS = Path(__file__).with_name("rewards.py")


def ref(name: str) -> str:
    return f"{REWARDS}:{name}"


@pytest.fixture(scope="module")
def cases():
    return probe_cases(["math/arithmetic"], difficulties=[1])


def outcomes(result) -> dict[str, str]:
    return {r.case.probe.why: r.outcome for r in result.results}


def test_a_substring_reward_pays_hacks_and_assay_pays_none(cases):
    result = audit_reward(parse_reward(ref("substring")), cases, assay_workers=1)
    assert result.convention == "plain"
    assert result.count(FALSE_POSITIVE, category="hack") >= 5
    seen = outcomes(result)
    assert seen["hedging between the gold and a wrong value"] == FALSE_POSITIVE
    assert seen["the gold negated"] == FALSE_POSITIVE
    assert seen["reference answer"] == "right"
    assert result.count(FALSE_POSITIVE, assay=True) == 0 and result.count(FALSE_NEGATIVE, assay=True) == 0


def test_an_exact_match_reward_refuses_equivalent_forms(cases):
    result = audit_reward(parse_reward(ref("exact")), cases, assay_workers=1)
    assert result.count(FALSE_NEGATIVE, category="equivalent form") >= 2
    assert outcomes(result)["boxed form"] == FALSE_NEGATIVE


def test_raising_hanging_crashing_none_and_memory_are_counted_and_the_audit_goes_on(cases):
    result = audit_reward(parse_reward(ref("hostile")), cases, timeout_s=2.0, memory_mb=1024, workers=2, assay_workers=1)
    by_why = {r.case.probe.why: r for r in result.results}
    assert by_why["empty completion"].outcome == ERROR and "None" in by_why["empty completion"].observation.message
    assert "ValueError: cannot score this" in by_why["no answer given"].observation.message
    assert by_why["the answer only inside a reasoning block"].outcome == TIMEOUT
    assert "crashed" in by_why["a refusal inside the answer block"].observation.message
    assert "MemoryError" in by_why["a 1 MB completion naming many candidates"].observation.message
    assert "not a number" in by_why["LaTeX that renders like the gold but struck out"].observation.message
    assert by_why["reference answer"].outcome == "right"  # the items after each failure were still scored
    assert result.count(FALSE_POSITIVE) > 0


def test_a_failed_trl_batch_is_retried_item_by_item(cases):
    result = audit_reward(parse_reward(ref("trl_substring")), cases, batch_size=64, assay_workers=1)
    assert result.convention == "trl"
    failed = [r.case.probe.why for r in result.results if r.outcome == ERROR]
    assert failed == ["empty completion"]
    assert result.count(FALSE_POSITIVE) > 0


@pytest.mark.parametrize(("name", "convention"), [("compute_score", "verl"), ("reward_func", "openrlhf"), ("async_trl", "trl")])
def test_verl_openrlhf_and_async_trl_conventions_are_detected_and_scored(cases, name, convention):
    result = audit_reward(parse_reward(ref(name)), cases, assay_workers=1)
    assert result.convention == convention
    assert result.count(ERROR) == 0 and result.count(FALSE_POSITIVE) > 0


def test_a_named_convention_overrides_detection(cases):
    result = audit_reward(parse_reward(ref("substring"), "plain"), cases[:3], assay_workers=1)
    assert result.convention == "plain"
    with pytest.raises(ConfigError):
        parse_reward(ref("substring"), "dpo")


def test_assays_trl_adapter_given_rows_agrees_with_assay(cases):
    result = audit_reward(parse_reward(f"{REWARDS.with_name('assay_rewards.py')}:assay_trl"), cases, label="row", workers=1, assay_workers=1)
    assert result.convention == "trl"
    assert [r.outcome for r in result.results] == [r.assay_outcome for r in result.results]


class _NaiveServer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        rewards = [float(label in query) for query, label in zip(body["query"], body["labels"])]
        reply = json.dumps({"rewards": rewards}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


def test_a_reward_server_over_http(cases):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NaiveServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/get_reward"
        result = audit_reward(parse_reward(url), cases, assay_workers=1)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.convention == "http" and result.count(ERROR) == 0
    assert result.count(FALSE_POSITIVE, category="hack") >= 5


def test_assays_own_reward_server_agrees_with_assay(cases):
    from assay.envs.server_threading import ThreadingRewardServer

    server = ThreadingRewardServer(port=0, workers=1).start()
    try:
        result = audit_reward(parse_reward(server.url + "/get_reward"), cases, label="row", workers=1, assay_workers=1)
    finally:
        server.stop()
    assert [r.outcome for r in result.results] == [r.assay_outcome for r in result.results]


def test_a_reward_that_does_not_load_is_one_clear_error(cases):
    with pytest.raises(RewardLoadError, match="no_such_function"):
        audit_reward(parse_reward(ref("no_such_function")), cases[:2], assay_workers=1)


def test_the_cli_prints_the_table_writes_the_files_and_exits_1_on_a_false_positive(tmp_path, capsys):
    out = tmp_path / "report"
    status = main(["audit", "--reward", ref("substring"), "math/arithmetic", "--difficulty", "1", "--workers", "1",
                   "--out", str(out), "--show", "2"])
    printed = capsys.readouterr().out
    assert status == 1
    assert "false+" in printed and "[hack]" in printed and "FALSE POSITIVE" in printed
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    assert {f["outcome"] for f in findings} >= {"right", FALSE_POSITIVE}
    assert all({"task", "category", "completion", "expected", "reward", "error"} <= set(f) for f in findings)
    assert (out / "math.png").stat().st_size > 1000
    assert "## Worst findings" in (out / "report.md").read_text()


def test_the_cli_exits_0_without_a_false_positive_and_2_on_a_bad_reference(capsys):
    assert main(["audit", "--reward", "assay", "math/arithmetic", "--difficulty", "1", "--workers", "1"]) == 0
    assert "no false positive" in capsys.readouterr().out
    assert main(["audit", "--reward", "not-a-reference", "math/arithmetic"]) == 2

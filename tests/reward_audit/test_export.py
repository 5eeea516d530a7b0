"""``assay probes --out``: the probe corpus as parquet and jsonl."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from assay.cli import main
from assay.reward_audit.export import COLUMNS


def test_the_probe_corpus_in_parquet_and_jsonl(tmp_path, capsys):
    assert main(["probes", "math/arithmetic", "graph/degree", "--difficulty", "1", "--out", str(tmp_path / "p.parquet")]) == 0
    table = pq.read_table(tmp_path / "p.parquet")
    assert tuple(table.column_names) == COLUMNS
    rows = table.to_pylist()
    assert {r["task"] for r in rows} == {"math/arithmetic", "graph/degree"}
    assert {r["expected"] for r in rows} == {"pass", "fail"}
    assert "hack" in {r["category"] for r in rows}
    assert main(["probes", "math/arithmetic", "--difficulty", "1", "--out", str(tmp_path / "p.jsonl")]) == 0
    lines = (tmp_path / "p.jsonl").read_text().split("\n")[:-1]
    assert len(lines) == sum(r["task"] == "math/arithmetic" for r in rows)
    assert json.loads(lines[0])["why"] == "reference answer"
    assert "wrote" in capsys.readouterr().out
    assert main(["probes", "--out", str(tmp_path / "p.csv"), "math/arithmetic", "--difficulty", "1"]) == 2

"""verl data prep: Assay problems as verl's RL parquet (``train.parquet``, ``test.parquet``).

Run: python examples/verl/prepare_data.py --out data/assay_verl [--tasks math graph] [--n 1000] [--multi-turn]

The same as ``assay generate math graph --n 1000 --format verl --out data/assay_verl``. Each row:
``data_source`` (the task id), ``prompt`` (chat messages), ``ability``, ``reward_model.ground_truth``
(the problem's row as JSON, so nested payloads survive parquet) and ``extra_info``.
``--multi-turn`` adds ``extra_info.interaction_kwargs`` for ``interaction_config.yaml``.
Then train with verl, e.g. (see ``reward_config.yaml``):

    python -m verl.trainer.main_ppo data.train_files=data/assay_verl/train.parquet \\
        data.val_files=data/assay_verl/test.parquet \\
        reward.custom_reward_function.path=examples/verl/reward.py \\
        reward.custom_reward_function.name=compute_score ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from assay.datasets import build_corpus, write_corpus
from assay.envs.verl import interaction_row


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--tasks", nargs="+", default=["math/arithmetic", "graph/shortest_path"], help="task ids or domains")
    parser.add_argument("--n", type=int, default=1000, help="problems in all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-size", type=float, default=0.1)
    parser.add_argument("--multi-turn", action="store_true", help="add interaction_kwargs (AssayInteraction)")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.tasks, n=args.n, seed=args.seed, test_size=args.test_size)
    if not args.multi_turn:
        out = write_corpus(corpus, args.out, "verl", cards=False)
    else:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for split, problems in (("train", corpus.train), ("test", corpus.test)):
            if not problems:
                continue
            rows = [interaction_row(p, split=split, index=i) for i, p in enumerate(problems)]
            pq.write_table(pa.Table.from_pylist(rows), out / f"{split}.parquet")
    counts = {p.stem: pq.read_metadata(p).num_rows for p in sorted(out.glob("*.parquet"))}
    print(json.dumps({"out": str(out), "rows": counts}))
    return out


if __name__ == "__main__":
    main()

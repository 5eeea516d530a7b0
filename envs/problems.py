"""Reading problems out of whatever a trainer hands over: rows, JSON labels, dataset columns, files.

Shared by the envs, the TRL/verl/OpenRLHF adapters and the reward server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from assay.errors import DatasetError
from assay.types import ROW_FIELDS, Problem, Verdict

logger = logging.getLogger(__name__)

#: What a trainer's label (OpenRLHF ``--data.label_key``, a verl ``ground_truth``) must hold; appended to
#: every ``invalid_problem`` message, since the usual mistake is a column holding the bare answer.
LABEL_HINT = ("a label must hold the whole problem row as JSON (json.dumps(problem.to_row()) with task, data and "
              "answer), as the reward_model column of `assay generate --format verl` data does, not the bare answer")

# Columns that may carry a whole problem row as a JSON string (or a mapping), tried in this order.
ROW_COLUMNS = ("problem", "row", "ground_truth", "label", "labels", "assay")


def message_text(value: Any) -> str:
    """The text of a completion or prompt given as a string or in the conversational format.

    A list of messages gives the content of its last message (the assistant's reply); content
    given as typed parts keeps its text parts.

    >>> message_text([{"role": "assistant", "content": "<answer>4</answer>"}])
    '<answer>4</answer>'
    >>> message_text("plain")
    'plain'
    """
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        content = value.get("content", "")
        if isinstance(content, list):
            return "".join(part.get("text", "") for part in content if isinstance(part, Mapping))
        return content if isinstance(content, str) else str(content)
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return message_text(value[-1]) if len(value) else ""
    raise TypeError(f"expected a string or a list of messages, not {type(value).__name__}")


def prompt_text(value: Any) -> str:
    """The user's text of a prompt (a string, or messages: the last user message).

    >>> prompt_text([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "1+1?"}])
    '1+1?'
    """
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        users = [m for m in value if isinstance(m, Mapping) and m.get("role") == "user"]
        return message_text(users[-1] if users else value)
    return message_text(value)


def to_problem(value: Any) -> Problem:
    """A Problem from a Problem, a row (mapping), a row as JSON, or a record holding one.

    Records understood: the row fields themselves (``id``, ``task``, ``prompt``, ``answer``,
    ``data``, ``meta``); a column among ``problem``/``row``/``ground_truth``/``label`` holding
    the row; a verl row (``reward_model.ground_truth``). A bad record raises DatasetError.

    >>> import assay, json
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> to_problem(json.dumps(p.to_row())) == p
    True
    >>> to_problem({"data_source": p.task, "reward_model": {"ground_truth": json.dumps(p.to_row())}}) == p
    True
    """
    if isinstance(value, Problem):
        return value
    if isinstance(value, (str, bytes)):
        return Problem.from_row(value)
    if not isinstance(value, Mapping):
        raise DatasetError(f"cannot read a problem from a {type(value).__name__}")
    if "task" in value and "data" in value and "answer" in value:
        row = dict(value)
        # verifiers never need the prompt; a trainer may keep it elsewhere (TRL passes it apart)
        row["prompt"] = prompt_text(row["prompt"]) if row.get("prompt") is not None else ""
        return Problem.from_row(row)
    reward_model = value.get("reward_model")
    if isinstance(reward_model, Mapping) and "ground_truth" in reward_model:
        return Problem.from_row(reward_model["ground_truth"])
    for column in ROW_COLUMNS:
        if column in value and value[column] is not None:
            return Problem.from_row(value[column])
    raise DatasetError(
        f"record has no problem: expected the row fields {', '.join(ROW_FIELDS)} or a column "
        f"{'/'.join(ROW_COLUMNS)} holding the row as JSON (has {', '.join(sorted(map(str, value)))})"
    )


def problems_from_columns(count: int, columns: Mapping[str, Any], prompts: Sequence[Any] | None = None) -> list[Problem | None]:
    """The problem of each of ``count`` items from column-wise values (a TRL reward call).

    An item whose problem cannot be read is None (the caller scores it ``invalid_problem``).
    """
    # TRL passes lists; a datasets.Dataset column (not a list) or a numpy array works as well
    lists = {name: list(columns[name]) for name in (*ROW_FIELDS, *ROW_COLUMNS, "reward_model") if _is_column(columns.get(name))}
    out: list[Problem | None] = []
    failures: list[str] = []
    for index in range(count):
        record = {name: values[index] for name, values in lists.items() if index < len(values)}
        if "prompt" not in record and prompts is not None and index < len(prompts):
            record["prompt"] = prompts[index]
        try:
            out.append(to_problem(record))
        except (DatasetError, TypeError) as error:
            failures.append(f"item {index}: {error}")
            out.append(None)
    if failures:  # one line per batch, not one per item: this runs at every training step
        logger.warning("%d of %d items hold no readable problem; first: %s", len(failures), count, failures[0])
    return out


def _is_column(value: Any) -> bool:
    return hasattr(value, "__len__") and hasattr(value, "__getitem__") and not isinstance(value, (str, bytes, Mapping))


def read_problems(source: str | os.PathLike[str] | Iterable[Any]) -> list[Problem]:
    """Problems from a dataset path or from an iterable of records (Problems, rows, JSON rows,
    verl rows; a ``datasets.Dataset`` too).

    A path is whatever ``assay.datasets.read_problems`` reads: a folder written by
    ``assay generate`` (any format) or one parquet/jsonl file.

    >>> import assay, json
    >>> rows = [p.to_row() for p in assay.generate("math/arithmetic", 2)]
    >>> [p.task for p in read_problems(rows)]
    ['math/arithmetic', 'math/arithmetic']
    """
    if isinstance(source, (str, os.PathLike)):
        from assay.datasets import read_problems as read_dataset

        return read_dataset(Path(source))
    return [to_problem(record) for record in source]


def verify_records(records: Sequence[Any], completions: Sequence[Any], **options: Any) -> list[Verdict]:
    """``verify_batch`` over records in any form ``to_problem`` reads; completions may be chat
    messages. A record that holds no readable problem scores ``invalid_problem`` (logged).

    >>> import assay, json
    >>> p = assay.generate("math/arithmetic", 1)[0]
    >>> [v.reason for v in verify_records([json.dumps(p.to_row()), "{}"], [f"<answer>{p.answer}</answer>", "x"], executor="inline")]
    ['correct', 'invalid_problem']
    """
    from assay.scoring import verify_batch

    if len(records) != len(completions):
        raise ValueError(f"{len(records)} problems but {len(completions)} completions")
    verdicts: list[Verdict | None] = [None] * len(records)
    todo: list[int] = []
    problems: list[Problem] = []
    texts: list[str] = []
    for index, (record, completion) in enumerate(zip(records, completions)):
        try:
            problem = to_problem(record)
        except (DatasetError, TypeError) as error:
            verdicts[index] = Verdict.fail("invalid_problem", message=f"{str(error)[:2000]}; {LABEL_HINT}")
            continue
        try:
            text = message_text(completion)
        except TypeError as error:
            verdicts[index] = Verdict.fail("invalid_completion", message=str(error))
            continue
        todo.append(index)
        problems.append(problem)
        texts.append(text)
    unreadable = [v for v in verdicts if v is not None and v.reason == "invalid_problem"]
    if unreadable:
        logger.warning("%d of %d items hold no readable problem; first: %s", len(unreadable), len(records),
                       unreadable[0].detail.get("message"))
    if todo:
        for index, verdict in zip(todo, verify_batch(problems, texts, **options)):
            verdicts[index] = verdict
    return verdicts  # type: ignore[return-value]

"""Task data cards: the committed ``data_cards/`` is fresh for every registered task, cards are
deterministic, curated notes survive regeneration, and ``assay card --check`` reports staleness."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.cards import (
    NOTES_END,
    NOTES_START,
    builtin_tasks,
    remove_orphans,
    render_card,
    render_index,
    render_plot,
    sample_levels,
    stale_cards,
    write_cards,
)
from assay.cli import main

CARDS = Path(__file__).resolve().parent.parent / "data_cards"
REGENERATE = "assay card --out data_cards   (then commit data_cards/)"


def _notes_of(text: str) -> str:
    return text.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip("\n") if NOTES_START in text else ""


@pytest.mark.parametrize("task_id", builtin_tasks())
def test_committed_card_is_fresh(task_id):
    domain, name = task_id.split("/", 1)
    path = CARDS / domain / f"{name}.md"
    assert path.is_file(), f"no card for {task_id}: run `{REGENERATE}`"
    committed = path.read_text(encoding="utf-8")
    assert committed == render_card(task_id, notes=_notes_of(committed)), f"stale card for {task_id}: run `{REGENERATE}`"
    assert path.with_suffix(".png").is_file(), f"no plot for {task_id}: run `{REGENERATE}`"


def test_committed_index_is_fresh():
    assert (CARDS / "README.md").read_text(encoding="utf-8") == render_index(builtin_tasks()), f"run `{REGENERATE}`"


def test_card_content():
    card = render_card("math/arithmetic")
    for heading in ("# math/arithmetic", "## Difficulty levels", "## Answer format", "## Verification",
                    "## Partial credit", "## Limitations", "## Example (level 1)", "## Notes"):
        assert heading in card
    assert "![Prompt and answer sizes per difficulty level](arithmetic.png)" in card
    assert "| 5 | 8 operands up to 1000" in card
    assert "`<answer>`" in card  # tags are shown, not swallowed as HTML
    assert "png" not in render_card("math/arithmetic", image=False)


def test_plot_is_a_stable_png_without_metadata():
    samples = sample_levels("math/arithmetic", 3)
    first, second = render_plot("math/arithmetic", samples), render_plot("math/arithmetic", samples)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second
    assert b"Software" not in first and b"matplotlib" not in first.lower()


def test_write_check_and_curated_notes(tmp_path, capsys):
    out = tmp_path / "cards"
    assert main(["card", "math/arithmetic", "--out", str(out)]) == 0
    card = out / "math" / "arithmetic.md"
    assert card.is_file() and card.with_suffix(".png").is_file() and (out / "README.md").is_file()
    assert stale_cards(out, ["math/arithmetic"]) == []
    # curated notes survive regeneration and do not make a card stale
    card.write_text(card.read_text().replace(NOTES_START, NOTES_START + "\nHand-written caveat."))
    assert stale_cards(out, ["math/arithmetic"]) == []
    assert write_cards(out, ["math/arithmetic"]) == []
    assert "Hand-written caveat." in card.read_text()
    # an edited generated section is stale; --check lists it and exits 1
    card.write_text(card.read_text().replace("## Verification", "## Verified"))
    capsys.readouterr()
    assert main(["card", "math/arithmetic", "--out", str(out), "--check"]) == 1
    assert f"stale: {card}: out of date" in capsys.readouterr().out
    card.with_suffix(".png").unlink()
    assert stale_cards(out, ["math/arithmetic"]) == [f"{card}: out of date", f"{card.with_suffix('.png')}: missing"]
    assert main(["card", "math/arithmetic", "--out", str(out)]) == 0
    assert main(["card", "math/arithmetic", "--out", str(out), "--check"]) == 0
    assert "Hand-written caveat." in card.read_text()


def test_orphan_cards_are_stale(tmp_path):
    out = tmp_path / "cards"
    (out / "math").mkdir(parents=True)
    (out / "math" / "renamed_task.md").write_text("# math/renamed_task\n")
    orphan = out / "math" / "renamed_task.md"
    assert f"{orphan}: no such task (renamed or removed? `assay card` deletes it)" in stale_cards(out)
    assert write_cards(out, ["math/arithmetic"]) and orphan.exists()  # a partial run leaves other cards alone
    assert remove_orphans(out) == [orphan] and not orphan.exists()
    assert (out / "math" / "arithmetic.md").exists()


def test_unknown_task_is_a_user_error(tmp_path, capsys):
    assert main(["card", "math/arithmetc", "--out", str(tmp_path)]) == 2
    assert "did you mean 'math/arithmetic'" in capsys.readouterr().err

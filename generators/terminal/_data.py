"""Seeded raw material for terminal families: words, file names with traps, dates and people.

Traps (config.traps): 1 adds spaces, hidden files and empty fields; 2 adds newlines and unicode.
"""

from __future__ import annotations

import random

WORDS = (
    "alpha", "bravo", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "jasper", "kernel",
    "lumen", "maple", "nectar", "orbit", "pixel", "quartz", "raven", "summit", "timber", "umber", "vector",
    "willow", "xenon", "yonder", "zephyr", "amber", "basil", "comet", "dune", "falcon", "garnet",
)
FIRST = ("ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hugo", "iris", "jon", "kai", "lena",
         "mia", "noah", "omar", "pia", "quinn", "rosa", "sam", "tara", "uma", "vik", "wen", "yara", "zoe")
UNICODE = ("café", "naïve", "résumé", "straße", "日本", "ünïcode", "Ωmega")
REGIONS = ("north", "south", "east", "west", "central")
EXTENSIONS = ("txt", "log", "csv", "json", "md", "py", "sh", "conf")


def word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def file_stem(rng: random.Random, traps: int) -> str:
    """A file name stem; with traps, sometimes with a space, a leading dot, unicode or a newline."""
    stem = f"{word(rng)}_{rng.randrange(100, 1000)}"
    roll = rng.random()
    if traps >= 1 and roll < 0.2:
        stem = f"{word(rng)} {word(rng)}_{rng.randrange(10, 100)}"
    elif traps >= 1 and roll < 0.3:
        stem = "." + stem
    elif traps >= 2 and roll < 0.4:
        stem = f"{rng.choice(UNICODE)}_{rng.randrange(10, 100)}"
    return stem


def unique_names(rng: random.Random, count: int, traps: int, extensions: tuple[str, ...] = EXTENSIONS,
                 newline_ok: bool = False) -> list[str]:
    """``count`` distinct file names; a newline appears in one only when ``newline_ok`` and traps == 2."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{file_stem(rng, traps)}.{rng.choice(extensions)}"
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        names.append(name)
    if newline_ok and traps >= 2 and names:
        index = rng.randrange(len(names))
        stem, _, ext = names[index].rpartition(".")
        candidate = f"{stem}\nline.{ext}"
        if candidate.lower() not in seen:
            names[index] = candidate
    return names


def timestamp(rng: random.Random, start: int = 1_709_251_200, span: int = 86_400 * 3) -> int:
    """Seconds since the epoch within ``span`` after ``start`` (default 2024-03-01 UTC)."""
    return start + rng.randrange(span)


def person(rng: random.Random) -> str:
    return rng.choice(FIRST)

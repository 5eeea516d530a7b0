"""terminal/word_frequency: the most frequent words of a text (tr, sort, uniq -c, head)."""

from __future__ import annotations

import random
import re
from collections import Counter

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import WORDS
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class WordFrequency(TerminalTask):
    id = "terminal/word_frequency"
    description = "Write the N most frequent words of a text (case-folded, letters only) with their counts."
    verification = "top.txt must hold exactly the top N 'COUNT WORD' lines, by count descending then word ascending."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        top = rng.randrange(3, 8)
        vocabulary = list(WORDS[: 8 + config.items // 2])
        weights = [rng.randrange(1, 30) for _ in vocabulary]
        words = rng.choices(vocabulary, weights, k=config.items * 20)
        text_words = [w.capitalize() if config.traps and rng.random() < 0.2 else w for w in words]
        lines, line = [], []
        for w in text_words:
            line.append(w + (rng.choice((",", ".", ";", "!")) if config.traps and rng.random() < 0.2 else ""))
            if len(line) >= 9:
                lines.append(" ".join(line))
                line = []
        lines.append(" ".join(line))
        text = "\n".join(lines) + "\n"
        counts = Counter(re.findall(r"[a-z]+", text.lower()))
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        instruction = (
            f"Write to /work/top.txt the {top} most frequent words of /work/book.txt, one per line as 'COUNT WORD' (a single "
            "space). A word is a maximal run of the letters a-z after converting the text to lower case; everything else "
            "separates words. Order by COUNT from high to low, then by WORD alphabetically."
        )
        tests = [{"kind": "file", "path": "top.txt", "equals": "".join(f"{c} {w}\n" for w, c in ordered), "name": "top.txt"}]
        reference = (
            "tr '[:upper:]' '[:lower:]' < book.txt | tr -cs 'a-z' '\\n' | grep -v '^$' | LC_ALL=C sort | uniq -c "
            f"| awk '{{print $1, $2}}' | LC_ALL=C sort -k1,1nr -k2,2 | head -n {top} > top.txt"
        )
        return Spec(instruction, [file_entry("book.txt", text)], tests, reference)

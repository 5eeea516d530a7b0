"""terminal/tar_extract_members: extract only some members of a .tar.gz (by pattern) into a folder."""

from __future__ import annotations

import gzip
import io
import random
import tarfile

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


def targz(files: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, text in files:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_704_067_200, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


@register_task
class TarExtractMembers(TerminalTask):
    id = "terminal/tar_extract_members"
    description = "Extract only the .csv members of bundle.tar.gz (at any depth, paths kept) into extracted/."
    verification = "extracted/ must list exactly the .csv members with their bytes; the archive stays in place."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        names = unique_names(rng, config.items * 2, config.traps, ("csv", "txt", "json", "CSV"))
        folders = ["", f"{word(rng)}/", f"{word(rng)}/{word(rng)}/"]
        files, wanted = [], []
        for name in names:
            path = f"{rng.choice(folders)}{name}"
            files.append((path, f"{word(rng)},{rng.randrange(100)}\n"))
            if name.endswith(".csv"):
                wanted.append(path)
        if not wanted:
            files.append(("data.csv", "a,1\n"))
            wanted.append("data.csv")
        content = dict(files)
        instruction = (
            "Extract from /work/bundle.tar.gz only the members whose name ends in .csv (lower case; at any depth) into "
            "/work/extracted, keeping their paths inside the archive (a member x/y.csv becomes extracted/x/y.csv). "
            "Do not extract anything else, and keep bundle.tar.gz."
        )
        tests = [{"kind": "listing", "path": "extracted", "names": sorted(wanted), "name": "extracted/ listing"}]
        tests += [{"kind": "file", "path": f"extracted/{p}", "equals": content[p], "compare": "exact"} for p in wanted[:5]]
        archive = targz(files)
        tests.append({"kind": "file", "path": "bundle.tar.gz", "sha256": __import__("hashlib").sha256(archive).hexdigest(), "name": "archive kept"})
        reference = "mkdir -p extracted\ntar -xzf bundle.tar.gz -C extracted --wildcards '*.csv'"
        return Spec(instruction, [file_entry("bundle.tar.gz", archive)], tests, reference)

"""Maps the four top-level code folders into the one import package ``assay``.

Sub-packages are discovered by walking the folders, so adding a task family needs no edit here.
"""

import os

from setuptools import setup

FOLDERS = {
    "assay": "assay",
    "assay.generators": "generators",
    "assay.verifiers": "verifiers",
    "assay.sandbox": "sandbox",
    "assay.envs": "envs",
}


def _packages() -> list[str]:
    found = []
    for package, folder in FOLDERS.items():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
            if "__init__.py" in filenames:
                relative = os.path.relpath(dirpath, folder)
                found.append(package if relative == "." else package + "." + relative.replace(os.sep, "."))
    return found


setup(packages=_packages(), package_dir=FOLDERS)

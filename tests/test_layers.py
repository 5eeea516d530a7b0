"""The imports form one-way layers: envs, generators -> verifiers -> core; sandbox -> core errors
only; nothing imports envs but the CLI (``assay.cli`` and its command modules); no private name
crosses a package. The registry alone reaches into generators, to load the built-in tasks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"assay": "assay", "generators": "assay.generators", "verifiers": "assay.verifiers",
           "sandbox": "assay.sandbox", "envs": "assay.envs"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if folder == "assay" and parts and parts[0] in ("generators", "verifiers", "sandbox", "envs"):
                continue
            name = ".".join((package, *parts))
            found.append((name.removesuffix(".__init__"), path))
    return found


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in a file, relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [alias.name for alias in node.names]))
    return out


MODULES = modules()


def package_of(module: str) -> str:
    """The top-level layer of a module: assay (core), assay.generators, assay.verifiers, ..."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in ("generators", "verifiers", "sandbox", "envs") else "assay"


def test_the_tree_is_found() -> None:
    names = {name for name, _ in MODULES}
    assert {"assay.registry", "assay.verifiers.math", "assay.sandbox.api", "assay.envs.env"} <= names


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_one_way(module: str, path: Path) -> None:
    layer = package_of(module)
    for target, names in imports(path):
        if not target.startswith("assay"):
            continue
        target_layer = package_of(target)
        cli = module == "assay.cli" or module.startswith("assay.commands.")
        if target_layer == "assay.envs" and layer != "assay.envs":
            assert cli, f"{module} imports {target}: only the CLI's command table may import envs"
        if layer == "assay.verifiers":
            assert target_layer not in ("assay.generators", "assay.envs"), f"{module} imports {target}: verifiers use the core and the sandbox only"
            assert not target.startswith(("assay.registry", "assay.scoring")), f"{module} imports {target}: verifiers never import the registry or scoring"
        if layer == "assay.sandbox":
            assert target_layer == "assay.sandbox" or target == "assay.errors", f"{module} imports {target}: the sandbox uses only the core's errors"
        if layer == "assay" and target_layer in ("assay.generators", "assay.envs"):
            assert cli or module == "assay.registry", f"{module} imports {target}: the core does not reach up into {target_layer}"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_private_name_crosses_a_package(module: str, path: Path) -> None:
    own_package = module.rsplit(".", 1)[0] if not path.name == "__init__.py" else module
    for target, names in imports(path):
        if not target.startswith("assay"):
            continue
        target_package = target if target in {m for m, p in MODULES if p.name == "__init__.py"} else target.rsplit(".", 1)[0]
        same_package = target_package == own_package or target_package.startswith(own_package + ".") or own_package.startswith(target_package + ".")
        private = [name for name in names if name.startswith("_") and not name.startswith("__")]
        private_module = any(part.startswith("_") and not part.startswith("__") for part in target.split("."))
        if not same_package:
            assert not private, f"{module} imports private names {private} from {target}"
            assert not private_module, f"{module} imports the private module {target}"


def _holds_a_test(path: Path) -> bool:
    """A module-level ``test_*`` function (or imported name) or a ``Test*`` class."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            return True
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            return True
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name).startswith("test") for a in node.names):
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.startswith("test") for t in node.targets):
            return True
    return False


def test_every_test_module_holds_a_test() -> None:
    """A ``test_*.py`` with no test collects nothing and passes silently: shared tables and helpers
    are data modules without the prefix (``tests/adversarial/_math_rows_forms.py``)."""
    empty = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").rglob("test_*.py")) if not _holds_a_test(p)]
    assert not empty, f"test modules without a test: {empty}"


def test_test_modules_outside_packages_have_unique_names():
    # pytest imports a test file outside a package by its basename: a second file of the same name
    # elsewhere is a collection error in a full run, though either runs alone
    from collections import Counter
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    names = Counter(p.name for p in tests.rglob("test_*.py") if not (p.parent / "__init__.py").exists())
    assert not [name for name, count in names.items() if count > 1]

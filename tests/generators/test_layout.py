"""The shape of generators/: task modules import shared helpers, never each other, and every task
is written one way (levels map each difficulty to a config of the task's Config class)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assay
import assay.generators
from assay.registry import TaskConfig, get_task

ROOT = Path(assay.generators.__path__[0])
MODULES = sorted(path for path in ROOT.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("assay", "generators") + tuple(part for part in parts if part != "__init__"))


def _registers_a_task(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.ClassDef)
        and any(isinstance(d, ast.Name) and d.id == "register_task" for d in node.decorator_list)
        for node in ast.walk(tree)
    )


TASK_MODULES = {_module_name(path) for path in MODULES if _registers_a_task(path)}


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assay.generators"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # from package import module
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_there_are_task_modules_in_both_domains():
    assert any(".math." in name for name in TASK_MODULES) and any(".graph." in name for name in TASK_MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_task_module(path: Path) -> None:
    crossing = sorted(_imported_modules(path) & (TASK_MODULES - {_module_name(path)}))
    assert not crossing, f"{path.name} imports task modules {crossing}: move what they share to a helper module"


def test_every_module_that_registers_a_task_is_discovered():
    registered = {type(get_task(task_id)).__module__ for task_id in assay.list_tasks()}
    assert TASK_MODULES <= registered


@pytest.mark.parametrize("task_id", [t for t in assay.list_tasks() if t.split("/")[0] in ("math", "graph")])
def test_levels_are_configs_of_the_task_config(task_id: str) -> None:
    task = get_task(task_id)
    assert issubclass(task.Config, TaskConfig)
    assert all(isinstance(config, task.Config) for config in task.levels.values())
    assert not hasattr(task, "LEVELS") and not hasattr(task, "level_table")

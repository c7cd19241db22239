"""The structure a newcomer relies on: layers that point one way, short units, a true API."""

from __future__ import annotations

import ast
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import srmquiz

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent
LONGEST = 150


def units(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.end_lineno is not None
    ]


def test_no_class_or_function_is_longer_than_150_lines():
    found = [u for p in sorted((ROOT / "srmquiz").rglob("*.py")) for u in units(p)]
    assert len(found) > 100
    too_long = [f"{name}: {n} lines" for name, n in found if n > LONGEST]
    assert not too_long


def test_the_public_calls_have_their_real_signatures():
    for name in ("quiz", "review", "history", "classroom", "walkthrough", "dashboard"):
        params = inspect.signature(getattr(srmquiz, name)).parameters
        kinds = {p.kind for p in params.values()}
        assert inspect.Parameter.VAR_POSITIONAL not in kinds, name
        assert "content" in params, name
    assert list(inspect.signature(srmquiz.quiz).parameters)[:3] == [
        "services",
        "categories",
        "kinds",
    ]
    assert "presenter" in inspect.signature(srmquiz.walkthrough).parameters


def test_the_version_is_written_once():
    from importlib.metadata import version

    assert version("srmquiz") == srmquiz.__version__
    assert (
        "version =" not in (ROOT / "pyproject.toml").read_text().split("[project]")[1].split("[")[0]
    )


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/table.py", "from srmquiz.widgets.html import esc", "Layers point one way"),
        ("widgets/history.py", "from srmquiz.data.progress import Store", "Widgets never open"),
        ("core/review.py", "import sqlite3", "The core is pure"),
    ],
)
def test_an_upward_or_forbidden_import_breaks_the_layer_contracts(tmp_path, module, line, contract):
    if not (BIN / "lint-imports").exists():
        pytest.skip("import-linter not installed (pip install -e '.[test]')")
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "srmquiz", tree / "srmquiz", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    assert lint_imports(tree).returncode == 0
    target = tree / "srmquiz" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    broken = lint_imports(tree)
    assert broken.returncode != 0
    assert f"{contract}" in broken.stdout and "BROKEN" in broken.stdout


def test_a_private_import_is_refused(tmp_path):
    (tmp_path / "srmquiz").mkdir()
    (tmp_path / "srmquiz" / "x.py").write_text("from srmquiz.draw.stacks import _cached_png\n")
    out = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "private_names.py"), "srmquiz"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1
    assert "imports private name '_cached_png' from srmquiz.draw.stacks" in out.stdout
